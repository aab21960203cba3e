"""Helpers of the multi-region tests: connecting as an identity, what a stream holds."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import nats
from nats.aio.client import Client as NATS

from shared.devstack.topology import Credentials
from tests.integration.support import stream_messages


async def connect(url: str, credentials: Credentials, **options: Any) -> NATS:
    return await nats.connect(
        url, **credentials.options(), max_reconnect_attempts=-1, reconnect_time_wait=0.2, **options
    )


async def count(nc: NATS, stream: str, subject: str) -> int:
    info = await nc.jetstream().stream_info(stream, subjects_filter=subject)
    return sum((info.state.subjects or {}).values())


async def wait_count(nc: NATS, stream: str, subject: str, expect: int, timeout: float) -> int:
    """The count on `subject` once it reached `expect` (or what it is after `timeout`)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            got = await count(nc, stream, subject)
        except (nats.errors.Error, TimeoutError):
            got = -1
        if got >= expect or asyncio.get_running_loop().time() > deadline:
            return got
        await asyncio.sleep(0.1)


async def positions(nc: NATS, stream: str, subject: str, expect: int) -> list[int]:
    """The log positions of the events on `subject`, in stream order."""
    msgs = await stream_messages(nc, stream, subject, expect=expect, timeout=30)
    return [json.loads(msg.data)["position"] for msg in msgs]


async def msg_ids(nc: NATS, stream: str, subject: str, expect: int) -> list[str]:
    """The `Nats-Msg-Id`s on `subject`, in stream order.

    Right after a hub node was lost, the cluster may still be electing a new
    meta leader and the consumer this reads with times out: asked again then.
    """
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        try:
            msgs = await stream_messages(nc, stream, subject, expect=expect, timeout=30)
            return [msg.headers["Nats-Msg-Id"] for msg in msgs if msg.headers]
        except nats.errors.TimeoutError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)
