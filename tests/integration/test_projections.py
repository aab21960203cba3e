"""The projection runner: in order, exactly once in effect, dead letters aside,
resumable, rebuildable."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from dataclasses import replace

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from shared.canonical import canonical_json
from shared.envelope import RecordedEvent, deadletter_subject
from shared.projections import ProjectionRunner
from shared.readmodel import Delivered
from shared.relay import OutboxRelay
from tests.conftest import STREAM
from tests.integration.support import ACTOR, Kit, ThingsProjection, deadletters

pytestmark = pytest.mark.integration


async def runner_for(kit: Kit, nc: NATS, **kwargs: object) -> ProjectionRunner:
    runner = ProjectionRunner(
        kit.pool, nc, kit.projection(), stream=STREAM, fetch_timeout=0.3, **kwargs
    )  # type: ignore[arg-type]
    await runner.setup()
    return runner


async def publish(kit: Kit, nc: NATS) -> None:
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()


async def rows(pool: asyncpg.Pool) -> list[tuple[int, str, int]]:
    async with pool.acquire() as conn:
        found = await conn.fetch("SELECT position, name, times FROM things ORDER BY position")
    return [(r["position"], r["name"], r["times"]) for r in found]


async def stored_applied(pool: asyncpg.Pool, name: str) -> int:
    async with pool.acquire() as conn:
        return int(
            await conn.fetchval(
                "SELECT applied FROM pas_projection_checkpoints WHERE projection = $1", name
            )
        )


def foreign(kit: Kit, event_name: str, data: object, **changes: object) -> RecordedEvent:
    """An envelope as some other producer would send it (not from our store)."""
    event = RecordedEvent(
        id=str(uuid.uuid4()),
        type=f"pas.{kit.service}.{event_name}.v1",
        source=f"/pas/jatim/{kit.service}",
        subject=str(uuid.uuid4()),
        time="2026-01-24T03:15:00.000000Z",
        region="jatim",
        aggregatetype="thing",
        aggregateversion=1,
        position=999,
        actor="system:test",
        correlationid=None,
        causationid=None,
        prevhash="0" * 64,
        hash="0" * 64,
        data_json=canonical_json(data),
    )
    return replace(event, **changes)  # type: ignore[arg-type]


async def test_unreadable_messages_are_dead_lettered_and_the_runner_goes_on(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    js = nc.jetstream()
    subject = f"pas.events.jatim.{kit.service}.thing_happened"
    await kit.append(2, names=["before 1", "before 2"])
    await publish(kit, nc)
    unknown = foreign(kit, "unknown_thing", {"x": 1})
    bad_data = foreign(kit, "thing_happened", {"name": 7})
    null_position = json.loads(foreign(kit, "thing_happened", {"name": "n"}).to_cloudevent_bytes())
    null_position["position"] = None
    poison = [
        (subject, b"\xff\x00 not a cloudevent"),
        (unknown.nats_subject, unknown.to_cloudevent_bytes()),
        (subject, bad_data.to_cloudevent_bytes()),
        (subject, json.dumps(null_position).encode()),
    ]
    for where, payload in poison:
        await js.publish(where, payload)
    await kit.append(3, names=["after 1", "after 2", "after 3"])
    await publish(kit, nc)

    runner = await runner_for(kit, nc)
    assert await runner.run(until_caught_up=True) == 5
    assert [name for _, name, _ in await rows(pool)] == [
        "before 1",
        "before 2",
        "after 1",
        "after 2",
        "after 3",
    ]
    letters = await deadletters(nc, runner.projection.name, expect=4)
    assert len(letters) == 4 and runner.deadletters.sent == 4
    assert [m.data for m in letters] == [payload for _, payload in poison]
    reasons = [m.headers["Pas-Deadletter-Reason"] for m in letters]
    assert reasons[0].startswith("EnvelopeInvalid")
    assert reasons[1].startswith("UnknownEventType") and unknown.type in reasons[1]
    assert reasons[2].startswith("EventDataInvalid")
    assert reasons[3].startswith("EnvelopeInvalid")
    assert all(m.subject == deadletter_subject(runner.projection.name) for m in letters)
    assert letters[1].headers["Pas-Original-Subject"] == unknown.nats_subject
    assert runner.seq == await runner.checkpoint()


async def test_an_event_whose_apply_fails_is_dead_lettered_and_the_rest_applied(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    names = ["a", "b", "poison", "d", "e"]
    recorded = await kit.append(5, names=names)
    await publish(kit, nc)
    runner = await runner_for(kit, nc)
    assert await runner.run(until_caught_up=True) == 4
    assert await rows(pool) == [(1, "a", 1), (2, "b", 1), (4, "d", 1), (5, "e", 1)]
    letters = await deadletters(nc, runner.projection.name, expect=1)
    assert len(letters) == 1
    assert letters[0].headers["Pas-Deadletter-Reason"].startswith("apply failed: RuntimeError")
    assert json.loads(letters[0].data)["id"] == recorded[2].id
    assert await stored_applied(pool, runner.projection.name) == 4
    # a restart neither retries the dead letter nor applies anything twice
    again = await runner_for(kit, nc)
    assert await again.run(until_caught_up=True) == 0
    assert len(await rows(pool)) == 4


async def test_a_restarted_runner_resumes_from_its_checkpoint(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    await kit.append(10)
    await publish(kit, nc)
    first = await runner_for(kit, nc, batch_size=3)
    assert await first.run(until_caught_up=True) == 10
    checkpoint = await first.checkpoint()
    assert checkpoint > 0 and first.seq == checkpoint

    await kit.append(5, names=[f"later {i}" for i in range(5)])
    await publish(kit, nc)
    second = await runner_for(kit, nc, batch_size=3)
    assert await second.checkpoint() == checkpoint
    assert await second.run(until_caught_up=True) == 5
    assert [p for p, _, _ in await rows(pool)] == list(range(1, 16))
    assert all(times == 1 for _, _, times in await rows(pool))
    assert await stored_applied(pool, second.projection.name) == 15
    assert await second.checkpoint() > checkpoint


async def test_a_running_runner_follows_new_events_and_stops(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    runner = await runner_for(kit, nc)
    task = asyncio.create_task(runner.run())
    try:
        recorded = await kit.append(3)
        await publish(kit, nc)
        last = recorded[-1]
        assert await runner.wait_for_source_position(last.source, last.position, timeout=5.0)
        assert await runner.source_position(last.source) == 3
        assert await runner.source_position("/pas/dki/nobody") == 0
        assert not await runner.wait_for_source_position(last.source, 4, timeout=0.2)
        more = await kit.append(2)
        await publish(kit, nc)
        assert await runner.wait_for_source_position(last.source, more[-1].position, timeout=5.0)
        assert len(await rows(pool)) == 5
    finally:
        runner.stop()
        await asyncio.wait_for(task, 5.0)


async def test_rebuild_empties_and_replays_to_the_same_rows(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    await kit.append(12)
    await publish(kit, nc)
    runner = await runner_for(kit, nc, batch_size=5)
    await runner.run(until_caught_up=True)
    before = await rows(pool)
    assert len(before) == 12
    await runner.rebuild()
    assert await rows(pool) == []
    assert await runner.checkpoint() == 0
    assert await runner.source_position(kit.store.source) == 0
    assert await runner.run(until_caught_up=True) == 24  # 12 before, 12 replayed by this runner
    assert await rows(pool) == before
    assert await stored_applied(pool, runner.projection.name) == 12


async def test_a_projection_of_several_subjects_gets_them_in_order(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name="one")], ACTOR)
    await kit.store.append(stream, 1, [kit.Renamed(name="two"), kit.Renamed(name="three")], ACTOR)
    await kit.store.append(stream, 3, [kit.Happened(name="four")], ACTOR)
    await publish(kit, nc)
    subjects = [
        f"pas.events.jatim.{kit.service}.thing_happened",
        f"pas.events.jatim.{kit.service}.thing_renamed",
    ]
    runner = ProjectionRunner(
        pool,
        nc,
        ThingsProjection(f"two_{kit.service}", subjects, kit.registry),
        stream=STREAM,
        fetch_timeout=0.3,
    )
    await runner.setup()
    assert await runner.run(until_caught_up=True) == 4
    assert await rows(pool) == [(1, "one", 1), (2, "two", 1), (3, "three", 1), (4, "four", 1)]


class FlakyProjection(ThingsProjection):
    """The connection drops while applying the event named `flaky` (in its batch, then alone)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.failures = 2

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        if self.failures and any(item.event.name == "flaky" for item in batch):  # type: ignore[attr-defined]
            self.failures -= 1
            raise ConnectionResetError("connection lost")
        await super().apply(conn, batch)


async def test_a_transient_failure_is_retried_not_dead_lettered(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    await kit.append(4, names=["a", "b", "flaky", "d"])
    await publish(kit, nc)
    projection = FlakyProjection(f"flaky_{kit.service}", [kit.subjects], kit.registry)
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, fetch_timeout=0.3)
    await runner.setup()
    with pytest.raises(ConnectionResetError):
        await runner.run(until_caught_up=True)
    await runner.run(until_caught_up=True)
    assert await rows(pool) == [(1, "a", 1), (2, "b", 1), (3, "flaky", 1), (4, "d", 1)]
    assert runner.deadletters.sent == 0
    assert await deadletters(nc, projection.name, expect=0, timeout=0.5) == []
