"""The relay reads batch N+1 while batch N's acks come in; the checkpoint still moves only
after every ack of a batch, batch after batch, and is written without waiting for the WAL
flush in a transaction of its own (the setting does not leak to the pool's connections)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from shared.envelope import RecordedEvent
from shared.eventstore import EventStore
from shared.relay import OutboxRelay
from tests.conftest import STREAM
from tests.integration.support import Kit, stream_messages

pytestmark = pytest.mark.integration


def watched(relay: OutboxRelay, steps: list[tuple[str, int]]) -> None:
    """Note when `relay` asks for a batch, gets each batch's acks and stores its checkpoint."""
    store_checkpoint = relay._store_checkpoint
    read_log = relay.store.read_log

    async def noted_store(position: int, seq: int, event_id: str | None) -> None:
        await store_checkpoint(position, seq, event_id)
        steps.append(("stored", position))

    async def noted_read(after: int, **kwargs: Any) -> AsyncIterator[list[RecordedEvent]]:
        batches = read_log(after, **kwargs)
        asked = 0
        while True:
            asked += 1
            steps.append(("asked", asked))
            try:
                batch = await anext(batches)
            except StopAsyncIteration:
                return
            await asyncio.sleep(0.02)  # a slow read
            yield batch

    acked = 0

    def noted_acks(_n: int) -> None:
        nonlocal acked
        acked += 1
        steps.append(("acked", acked))

    relay._store_checkpoint = noted_store  # type: ignore[method-assign]
    relay.store.read_log = noted_read  # type: ignore[method-assign]
    relay.after_publish = noted_acks


async def test_the_checkpoint_follows_the_acks_batch_by_batch(kit: Kit, nc: NATS) -> None:
    recorded = await kit.append(22)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=4)
    steps: list[tuple[str, int]] = []
    watched(relay, steps)
    assert await relay.publish_pending() == 22
    ends = [4, 8, 12, 16, 20, 22]
    # every batch's acks, then its checkpoint, in order
    assert [step for step in steps if step[0] != "asked"] == [
        step for n, end in enumerate(ends, start=1) for step in (("acked", n), ("stored", end))
    ]
    # batch n+1 was asked for before batch n's acks were in (and the empty read after the last)
    for n in range(1, len(ends) + 1):
        assert steps.index(("asked", n + 1)) < steps.index(("acked", n))
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=22)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]
    position, seq, last_id = await relay.checkpoint()
    assert (position, seq, last_id) == (22, msgs[-1].metadata.sequence.stream, recorded[-1].id)


async def test_a_failure_drops_the_batch_read_ahead_and_the_next_call_resumes(
    kit: Kit, nc: NATS
) -> None:
    recorded = await kit.append(13)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=5)
    calls = 0

    def fail_second(_n: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("relay died after the acks of batch 2")

    relay.after_publish = fail_second
    with pytest.raises(RuntimeError):
        await relay.publish_pending()
    assert (await relay.checkpoint())[0] == 5
    relay.after_publish = None
    assert await relay.publish_pending() == 8
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=13)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]  # once each
    assert (await relay.checkpoint())[0] == 13


class Noting(asyncpg.Connection):  # type: ignore[misc]
    """Notes `synchronous_commit` right after each write of the relay's checkpoint."""

    settings: list[str] = []

    async def execute(self, query: str, *args: Any, **kwargs: Any) -> str:
        result = await super().execute(query, *args, **kwargs)
        if "pas_relay_checkpoints" in query:
            self.settings.append(await self.fetchval("SHOW synchronous_commit"))
        return result


async def test_the_checkpoint_is_written_without_the_flush_and_only_there(
    kit: Kit, nc: NATS, database_url: str
) -> None:
    await kit.append(9)
    one = await asyncpg.create_pool(database_url, min_size=1, max_size=1, connection_class=Noting)
    try:
        store = EventStore(one, region=kit.region, service=kit.service)
        relay = OutboxRelay(store, nc, stream=STREAM, batch_size=4)
        Noting.settings = []
        assert await relay.publish_pending() == 9
        assert Noting.settings == ["off", "off", "off"]  # inside each checkpoint's transaction
        async with one.acquire() as conn:  # the same (only) connection, afterwards
            assert await conn.fetchval("SHOW synchronous_commit") == "on"
            assert not conn.is_in_transaction()
        assert (await relay.checkpoint())[0] == 9
    finally:
        await one.close()
