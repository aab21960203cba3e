"""The outbox relay: in order, at least once, deduplicated, re-publishing what the stream lost."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import nats
import pytest
from nats.aio.client import Client as NATS

from shared.envelope import CONTENT_TYPE
from shared.jetstream import ensure_event_streams
from shared.projections import ProjectionRunner
from shared.relay import OutboxRelay
from tests.conftest import STREAM
from tests.integration.support import Kit, PrivateNats, eventually, stream_messages

pytestmark = pytest.mark.integration


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


@pytest.fixture
async def private_nats(tmp_path: Path) -> AsyncIterator[tuple[PrivateNats, NATS]]:
    server = PrivateNats(tmp_path)
    server.start()
    reconnected = asyncio.Event()

    async def on_reconnect() -> None:
        reconnected.set()

    client = await nats.connect(
        server.url, reconnect_time_wait=0.05, max_reconnect_attempts=-1, reconnected_cb=on_reconnect
    )
    client.reconnected = reconnected  # type: ignore[attr-defined]
    await ensure_event_streams(client.jetstream(), STREAM)
    try:
        yield server, client
    finally:
        await client.close()
        server.stop()


async def restart_and_reconnect(server: PrivateNats, client: NATS) -> None:
    reconnected: asyncio.Event = client.reconnected  # type: ignore[attr-defined]
    reconnected.clear()
    server.restart()
    await asyncio.wait_for(reconnected.wait(), 10.0)
    await client.jetstream().stream_info(STREAM)


async def test_reconcile_republishes_what_a_restarted_server_lost(
    kit: Kit, private_nats: tuple[PrivateNats, NATS]
) -> None:
    server, client = private_nats
    recorded = await kit.append(12)
    relay = OutboxRelay(kit.store, client, stream=STREAM, batch_size=5)
    await relay.publish_pending()
    assert await relay.reconcile() == 12  # all there: nothing to do
    # the server "loses" acked messages: purge them and restart (a crash loses the unsynced tail)
    await client.jetstream().purge_stream(STREAM, subject=kit.subjects)
    await restart_and_reconnect(server, client)
    assert await stream_messages(client, STREAM, kit.subjects) == []
    assert await relay.reconcile() == 0
    assert await relay.checkpoint() == (0, 0, None)
    assert await relay.publish_pending() == 12
    msgs = await stream_messages(client, STREAM, kit.subjects, expect=12)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]
    assert (await relay.checkpoint())[1] == msgs[-1].metadata.sequence.stream
    assert await relay.reconcile() == 12


async def test_reconcile_moves_back_to_what_the_stream_still_has(
    kit: Kit, private_nats: tuple[PrivateNats, NATS]
) -> None:
    server, client = private_nats
    recorded = await kit.append(10)
    relay = OutboxRelay(kit.store, client, stream=STREAM, batch_size=100)
    await relay.publish_pending()
    msgs = await stream_messages(client, STREAM, kit.subjects, expect=10)
    for msg in msgs[6:]:  # positions 7..10 lost
        await client.jetstream().delete_msg(STREAM, msg.metadata.sequence.stream)
    await restart_and_reconnect(server, client)
    assert await relay.reconcile() == 6
    assert (await relay.checkpoint())[::2] == (6, recorded[5].id)
    assert await relay.publish_pending() == 4
    msgs = await stream_messages(client, STREAM, kit.subjects, expect=10)
    assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]


async def test_reconcile_copes_with_a_stranger_message_last_on_the_subject(
    kit: Kit, private_nats: tuple[PrivateNats, NATS]
) -> None:
    server, client = private_nats
    recorded = await kit.append(5)
    relay = OutboxRelay(kit.store, client, stream=STREAM)
    await relay.publish_pending()
    js = client.jetstream()
    await js.publish(recorded[0].nats_subject, b"not an event")
    msgs = await stream_messages(client, STREAM, kit.subjects, expect=6)
    for msg in msgs[3:5]:  # positions 4 and 5 lost; the stranger's message is last
        await js.delete_msg(STREAM, msg.metadata.sequence.stream)
    await restart_and_reconnect(server, client)
    assert await relay.reconcile() == 0  # cannot tell where it ends: everything again
    assert await relay.publish_pending() == 5
    msgs = await stream_messages(client, STREAM, kit.subjects, expect=6)
    ids = [m.headers["Nats-Msg-Id"] for m in msgs if m.headers]
    assert ids == [e.id for e in recorded]  # 1..3 dropped as duplicates, 4 and 5 back


async def test_a_running_relay_repairs_what_a_restarted_server_lost(
    kit: Kit, private_nats: tuple[PrivateNats, NATS], database_url: str
) -> None:
    server, client = private_nats
    relay = OutboxRelay(kit.store, client, stream=STREAM, poll_interval=0.1)
    task = asyncio.create_task(relay.run(listen_dsn=database_url))
    try:
        recorded = await kit.append(10)
        assert await eventually(lambda: _lag_is_zero(relay))
        await client.jetstream().purge_stream(STREAM, subject=kit.subjects)
        await restart_and_reconnect(server, client)

        async def repaired() -> bool:
            msgs = await stream_messages(client, STREAM, kit.subjects, timeout=0.5)
            return [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]

        assert await eventually(repaired, timeout=10.0, interval=0.1)
        more = await kit.append(2)  # and it goes on as before
        assert await eventually(lambda: _lag_is_zero(relay))
        msgs = await stream_messages(client, STREAM, kit.subjects, expect=12)
        assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded + more]
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5.0)


async def test_a_relay_started_while_nats_is_away_delivers_when_it_is_back(
    kit: Kit, private_nats: tuple[PrivateNats, NATS], database_url: str
) -> None:
    server, client = private_nats
    recorded = await kit.append(5)
    await OutboxRelay(kit.store, client, stream=STREAM).publish_pending()
    recorded += await kit.append(3)
    reconnected: asyncio.Event = client.reconnected  # type: ignore[attr-defined]
    reconnected.clear()
    server.stop()
    relay = OutboxRelay(kit.store, client, stream=STREAM, poll_interval=0.1, ack_timeout=0.3)
    task = asyncio.create_task(relay.run(listen_dsn=database_url))
    try:
        await asyncio.sleep(0.8)
        assert not task.done()  # the start-up reconcile failed, and the relay waits it out
        server.start()
        await asyncio.wait_for(reconnected.wait(), 10.0)
        assert await eventually(lambda: _lag_is_zero(relay), timeout=10.0)
        msgs = await stream_messages(client, STREAM, kit.subjects, expect=8)
        assert [m.headers["Nats-Msg-Id"] for m in msgs] == [e.id for e in recorded]
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5.0)


async def test_run_is_woken_by_notify(kit: Kit, nc: NATS, database_url: str) -> None:
    # An hour between polls: an event published within the test's wait was woken by NOTIFY.
    relay = OutboxRelay(kit.store, nc, stream=STREAM, poll_interval=3600.0)
    passes: list[int] = []
    publish_pending = relay.publish_pending

    async def counted() -> int:
        sent = await publish_pending()
        passes.append(sent)
        return sent

    relay.publish_pending = counted  # type: ignore[method-assign]
    task = asyncio.create_task(relay.run(listen_dsn=database_url))
    try:
        await kit.append(2)
        assert await eventually(lambda: _lag_is_zero(relay), timeout=5.0)  # first pass
        assert await eventually(lambda: _true(sum(passes) == 2))
        before = len(passes)
        recorded = await kit.append(1)
        assert await eventually(lambda: _lag_is_zero(relay), timeout=5.0)
        assert sum(passes[before:]) == 1  # woken (not polled), it published the new event
        msgs = await stream_messages(nc, STREAM, kit.subjects, expect=3)
        assert msgs[-1].headers["Nats-Msg-Id"] == recorded[0].id
    finally:
        relay.stop()
        await asyncio.wait_for(task, 5.0)


async def _true(value: bool) -> bool:
    return value


async def _lag_is_zero(relay: OutboxRelay) -> bool:
    return await relay.lag() == 0
