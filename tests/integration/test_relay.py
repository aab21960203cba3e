"""The outbox relay: in order, at least once, deduplicated, re-publishing what the stream lost."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from shared.envelope import CONTENT_TYPE
from shared.projections import ProjectionRunner
from shared.relay import OutboxRelay
from tests.conftest import STREAM
from tests.integration.support import Kit, eventually, stream_messages

pytestmark = pytest.mark.integration


@pytest.fixture
async def kit(pool: asyncpg.Pool) -> Kit:
    kit = Kit(pool)
    await kit.store.setup()
    return kit


class Killed(Exception):
    """The relay 'dies' between the acks and the checkpoint."""


async def test_appended_events_arrive_in_order_with_id_and_content_type(kit: Kit, nc: NATS) -> None:
    recorded = await kit.append(30)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=8)
    assert await relay.lag() == 30
    assert await relay.publish_pending() == 30
    assert await relay.lag() == 0
    assert await relay.publish_pending() == 0
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=30)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]
    assert all(m.headers["Content-Type"] == CONTENT_TYPE for m in msgs)
    assert [json.loads(m.data)["position"] for m in msgs] == list(range(1, 31))
    assert [m.subject for m in msgs] == [f"pas.events.jatim.{kit.service}.thing_happened"] * 30
    seqs = [m.metadata.sequence.stream for m in msgs]
    assert seqs == sorted(seqs)
    position, seq, last_id = await relay.checkpoint()
    assert (position, seq, last_id) == (30, seqs[-1], recorded[-1].id)
    assert relay.published == 30


async def test_a_relay_killed_before_its_checkpoint_repeats_and_nothing_doubles(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    recorded = await kit.append(25)
    first = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=10)
    calls = 0

    def die_on_second_batch(_count: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Killed

    first.after_publish = die_on_second_batch
    with pytest.raises(Killed):
        await first.publish_pending()
    assert (await first.checkpoint())[0] == 10  # the second batch was acked, never recorded

    second = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=10)
    assert await second.reconcile() == 10
    assert await second.publish_pending() == 15  # re-sends 11..20, then 21..25
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=25)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]  # once each

    runner = ProjectionRunner(pool, nc, kit.projection(), stream=STREAM, fetch_timeout=0.3)
    await runner.setup()
    assert await runner.run(until_caught_up=True) == 25
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT position, times FROM things ORDER BY position")
    assert [(r["position"], r["times"]) for r in rows] == [(p, 1) for p in range(1, 26)]


async def test_a_cancelled_relay_loses_nothing(kit: Kit, nc: NATS) -> None:
    recorded = await kit.append(40)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=5)
    acked = asyncio.Event()
    relay.after_publish = lambda _n: acked.set()
    task = asyncio.create_task(relay.publish_pending())
    await acked.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    again = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=5)
    await again.reconcile()
    await again.publish_pending()
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=40)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]


async def test_reconcile_republishes_what_the_stream_lost(kit: Kit, nc: NATS) -> None:
    recorded = await kit.append(12)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=5)
    await relay.publish_pending()
    assert await relay.reconcile() == 12  # all there: nothing to do
    # the server "lost" acked messages: purge this log's subject from the stream
    js = nc.jetstream()
    await js.purge_stream(STREAM, subject=kit.subjects)
    assert await stream_messages(nc, STREAM, kit.subjects) == []
    assert await relay.reconcile() == 0
    assert (await relay.checkpoint())[0] == 0
    assert await relay.publish_pending() == 12
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=12)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]
    assert (await relay.checkpoint())[1] == msgs[-1].metadata.sequence.stream
    assert await relay.reconcile() == 12


async def test_reconcile_moves_back_to_what_the_stream_still_has(kit: Kit, nc: NATS) -> None:
    recorded = await kit.append(10)
    relay = OutboxRelay(kit.store, nc, stream=STREAM, batch_size=100)
    await relay.publish_pending()
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=10)
    js = nc.jetstream()
    for msg in msgs[6:]:  # positions 7..10 lost
        await js.delete_msg(STREAM, msg.metadata.sequence.stream)
    assert await relay.reconcile() == 6
    assert (await relay.checkpoint())[2] == recorded[5].id
    assert await relay.publish_pending() == 4
    msgs = await stream_messages(nc, STREAM, kit.subjects, expect=10)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]


async def test_run_is_woken_by_notify(kit: Kit, nc: NATS, database_url: str) -> None:
    relay = OutboxRelay(kit.store, nc, stream=STREAM, poll_interval=30.0)
    task = asyncio.create_task(relay.run(listen_dsn=database_url))
    try:
        await kit.append(2)
        assert await eventually(lambda: _lag_is_zero(relay), timeout=5.0)  # first pass
        await asyncio.sleep(0.1)  # the loop is now parked in its 30 s wait
        loop = asyncio.get_running_loop()
        started = loop.time()
        recorded = await kit.append(1)
        assert await eventually(lambda: _lag_is_zero(relay), timeout=5.0)
        elapsed = loop.time() - started
        assert elapsed < 1.0, elapsed
        msgs = await stream_messages(nc, STREAM, kit.subjects, expect=3)
        assert msgs[-1].headers["Nats-Msg-Id"] == recorded[0].id
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5.0)


async def _lag_is_zero(relay: OutboxRelay) -> bool:
    return await relay.lag() == 0
