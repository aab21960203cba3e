"""The messages of one subscription handed straight from nats-py's reader to a coroutine.

nats-py hands every message to a subscription through a chain that costs
about a fifth of a projection's time when it reads a stream in bulk: it
parses the headers into a dict, builds a `Msg`, puts it on the
subscription's asyncio queue, and a task of the subscription's own takes it
off and awaits the callback. `route(nc, sid, handler)` sends the messages of
subscription `sid` to `handler(subject, reply, data, headers)` instead,
awaited by the reader itself (in order, as the callback would be), with the
four parts as the server sent them (bytes; `headers` raw or empty). Other
subscriptions are untouched.

This leans on one internal of nats-py (the client's `_process_msg`, which its
protocol parser awaits for every MSG/HMSG, checked on nats-py 2.16):
`available(nc)` says whether it is there, and callers keep nats-py's own
callback otherwise (tests/integration/test_projections_pipeline.py checks the
route on the nats-py installed; tests/unit/backbone/test_pull.py reads through
the callback).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from nats.aio.client import Client as NATS

Handler = Callable[[bytes, bytes, bytes, bytes], Awaitable[None]]
"""(subject, reply, data, headers) of one message."""

_ROUTES = "_pas_direct_routes"
_PARAMETERS = ["sid", "subject", "reply", "data", "headers"]


def available(nc: NATS) -> bool:
    """Whether this client's messages can be routed (nats-py's `_process_msg` as we know it)."""
    if getattr(nc, _ROUTES, None) is not None:
        return True
    process = getattr(nc, "_process_msg", None)
    if process is None or not inspect.iscoroutinefunction(process):
        return False
    return list(inspect.signature(process).parameters) == _PARAMETERS


def route(nc: NATS, sid: int, handler: Handler) -> None:
    """Send the messages of subscription `sid` to `handler` (see the module)."""
    routes: dict[int, Handler] | None = getattr(nc, _ROUTES, None)
    if routes is None:
        if not available(nc):
            raise RuntimeError("this nats-py client's messages cannot be routed")
        routes = {}
        through_nats_py = nc._process_msg

        async def process(sid: int, subject: bytes, reply: bytes, data: Any, headers: Any) -> None:
            direct = routes.get(sid)
            if direct is None:
                await through_nats_py(sid, subject, reply, data, headers)
            else:
                await direct(subject, reply, data, headers or b"")

        setattr(nc, _ROUTES, routes)
        nc._process_msg = process  # type: ignore[method-assign]
    routes[sid] = handler


def unroute(nc: NATS, sid: int) -> None:
    """Messages of `sid` (if any still come) go through nats-py again."""
    routes: dict[int, Handler] | None = getattr(nc, _ROUTES, None)
    if routes is not None:
        routes.pop(sid, None)
