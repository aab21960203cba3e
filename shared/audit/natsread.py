"""Reading every message of one subject filter from a JetStream stream, in stream order."""

from __future__ import annotations

from collections.abc import AsyncIterator

from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError, NotFoundError


async def count(js: JetStreamContext, stream: str, subject: str) -> int:
    """How many messages of `subject` (a filter) the stream holds now."""
    try:
        info = await js.stream_info(stream, subjects_filter=subject)
    except NotFoundError:
        return 0
    return sum((info.state.subjects or {}).values())


async def subjects(js: JetStreamContext, stream: str, subject: str) -> dict[str, int]:
    """The subjects matching a filter, with their message counts."""
    try:
        info = await js.stream_info(stream, subjects_filter=subject)
    except NotFoundError:
        return {}
    return dict(info.state.subjects or {})


async def read_subject(
    js: JetStreamContext, stream: str, subject: str, *, batch: int = 1000, timeout: float = 5.0
) -> AsyncIterator[list[bytes]]:
    """The payloads of every message of `subject` in the stream as it stands, in batches.

    An ephemeral consumer without acks, from the first message; reading stops
    when the server says nothing is pending (messages added meanwhile may be
    included up to then).
    """
    if await count(js, stream, subject) == 0:
        return
    sub = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.ALL,
            inactive_threshold=60.0,
            max_ack_pending=-1,
        ),
    )
    try:
        while True:
            try:
                msgs = await sub.fetch(batch, timeout=timeout)
            except (FetchTimeoutError, NatsTimeout, TimeoutError):
                return
            if not msgs:
                return
            yield [msg.data for msg in msgs]
            if msgs[-1].metadata.num_pending == 0:
                return
    finally:
        await sub.unsubscribe()
