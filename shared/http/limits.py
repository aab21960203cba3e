"""Bodies over MAX_BODY_BYTES are refused with 413 before anything parses them.

A pure ASGI middleware, so it runs before FastAPI reads or decodes a byte: a
declared `Content-Length` over the limit is answered at once; a body without
one (chunked) is read here first, refused as soon as it passes the limit, and
otherwise handed on as it came. The answer is problem+json like every other error.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http.problems import PROBLEM, problem_body

MAX_BODY_BYTES = 1_000_000
"""1 MB: a command is a few kilobytes; anything near this is a mistake or an attack."""


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` (413 `body_too_large`)."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            return
        if declared is not None:
            await self.app(scope, receive, send)  # the server delivers no more than declared
            return
        # No length declared (chunked): read it here, within the limit, then hand it on.
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await self._refuse(scope, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit = f"{self.max_bytes:,}".replace(",", ".")
        body = problem_body(
            413,
            "body_too_large",
            f"Isi permintaan terlalu besar: paling banyak {limit} byte.",
            f"The request body is too large: at most {self.max_bytes:,} bytes.",
            scope.get("path", ""),
            max_bytes=self.max_bytes,
        )
        payload = json.dumps(body, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM.encode()),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
