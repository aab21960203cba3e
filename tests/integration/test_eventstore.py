"""The PostgreSQL event store: one winner per version, gap-free commit-ordered positions,
claims and idempotency in the append transaction, batches that cover the log."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from shared.eventstore import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    EventStore,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
)
from shared.verify import verify_log
from tests.integration.support import ACTOR, Kit

pytestmark = pytest.mark.integration


async def all_events(store: EventStore) -> list:
    return [e async for batch in store.read_log() for e in batch]


async def test_append_records_the_envelope_and_extends_the_chain(kit: Kit) -> None:
    stream = uuid.uuid4()
    meta = Metadata(actor="user-1", correlation_id="req-1", causation_id="cmd-1")
    first = await kit.store.append(
        stream, 0, [kit.Happened(name="a", n=1), kit.Renamed(name="b")], meta
    )
    second = await kit.store.append(stream, 2, [kit.Renamed(name="c")], ACTOR)
    assert [e.position for e in first + second] == [1, 2, 3]
    assert [e.aggregateversion for e in first + second] == [1, 2, 3]
    a, b, c = first + second
    assert a.prevhash == "0" * 64 and b.prevhash == a.hash and c.prevhash == b.hash
    assert a.type == f"pas.{kit.service}.thing_happened.v1" and a.aggregatetype == "thing"
    assert a.source == f"/pas/jatim/{kit.service}" and a.subject == str(stream)
    assert a.region == "jatim" and a.actor == "user-1"
    assert (a.correlationid, a.causationid) == ("req-1", "cmd-1")
    assert a.time.endswith("Z") and len(a.time) == len("2026-01-24T03:15:00.123456Z")
    assert a.data == {"name": "a", "n": 1}
    assert await kit.store.read_stream(stream) == first + second
    assert await all_events(kit.store) == first + second
    assert await kit.store.head() == (3, c.hash)
    assert await kit.store.append(stream, 3, [], ACTOR) == []


async def test_a_stale_expected_version_raises(kit: Kit) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name="a")], ACTOR)
    with pytest.raises(ConcurrencyError) as caught:
        await kit.store.append(stream, 0, [kit.Happened(name="b")], ACTOR)
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    with pytest.raises(ConcurrencyError):
        await kit.store.append(uuid.uuid4(), 3, [kit.Happened(name="c")], ACTOR)
    assert await kit.store.head() == (1, (await all_events(kit.store))[0].hash)


async def test_two_writers_at_the_same_version_one_wins(kit: Kit) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name="start")], ACTOR)
    for round_ in range(1, 21):
        results = await asyncio.gather(
            *(
                kit.store.append(stream, round_, [kit.Renamed(name=f"{round_}-{w}")], ACTOR)
                for w in range(2)
            ),
            return_exceptions=True,
        )
        winners = [r for r in results if isinstance(r, list)]
        losers = [r for r in results if not isinstance(r, list)]
        assert len(winners) == 1, results
        assert len(losers) == 1 and isinstance(losers[0], ConcurrencyError), losers
        assert losers[0].actual == round_ + 1
    versions = [e.aggregateversion for e in await kit.store.read_stream(stream)]
    assert versions == list(range(1, 22))
    assert (await verify_log(kit.store.read_log())).ok


async def test_concurrent_writers_get_gap_free_positions_and_readers_see_them_in_order(
    kit: Kit,
) -> None:
    writers, appends = 8, 50
    streams = [uuid.uuid4() for _ in range(writers)]
    done = asyncio.Event()
    seen: list[int] = []

    async def write(stream: uuid.UUID) -> None:
        for version in range(appends):
            await kit.store.append(stream, version, [kit.Happened(name="x", n=version)], ACTOR)

    async def read() -> None:
        last = 0
        while True:
            finished = done.is_set()
            async for batch in kit.store.read_log(last, batch=37):
                positions = [e.position for e in batch]
                # never n + 1 before n: each read continues exactly where the last ended
                assert positions == list(range(last + 1, last + 1 + len(batch))), (last, positions)
                seen.extend(positions)
                last = positions[-1]
            if finished:
                return
            await asyncio.sleep(0)

    reader = asyncio.create_task(read())
    await asyncio.gather(*(write(s) for s in streams))
    done.set()
    await reader
    total = writers * appends
    assert seen == list(range(1, total + 1))
    events = await all_events(kit.store)
    assert [e.position for e in events] == list(range(1, total + 1))
    for stream in streams:
        assert [e.aggregateversion for e in await kit.store.read_stream(stream)] == list(
            range(1, appends + 1)
        )
    report = await verify_log(kit.store.read_log(batch=64))
    assert report.ok and report.checked == total and report.last_position == total
    assert await kit.store.head() == (total, events[-1].hash)


async def test_a_claim_held_by_another_stream_rolls_the_append_back(kit: Kit) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    claim = Claim("national_id", "3578010101010001")
    await kit.store.append(first, 0, [kit.Happened(name="a")], ACTOR, claims=[claim])
    head = await kit.store.head()
    with pytest.raises(DuplicateKeyError) as caught:
        await kit.store.append(
            second,
            0,
            [kit.Happened(name="b")],
            ACTOR,
            claims=[Claim("national_id", "other"), claim],
        )
    assert caught.value.holder == first
    assert (caught.value.scope, caught.value.key) == ("national_id", "3578010101010001")
    assert str(first) in str(caught.value)
    assert await kit.store.read_stream(second) == []
    assert await kit.store.head() == head
    assert await kit.store.claim_holder(claim) == first
    assert await kit.store.claim_holder(Claim("national_id", "other")) is None  # rolled back too
    # the holder may claim its own key again; the same key in another scope is free
    await kit.store.append(first, 1, [kit.Renamed(name="a2")], ACTOR, claims=[claim])
    await kit.store.append(
        second, 0, [kit.Happened(name="b")], ACTOR, claims=[Claim("email", "3578010101010001")]
    )
    assert [e.position for e in await all_events(kit.store)] == [1, 2, 3]


async def test_concurrent_claims_of_one_key_name_the_winner(kit: Kit) -> None:
    for round_ in range(10):
        claim = Claim("national_id", f"key-{round_}")
        streams = [uuid.uuid4() for _ in range(3)]
        results = await asyncio.gather(
            *(
                kit.store.append(s, 0, [kit.Happened(name="c")], ACTOR, claims=[claim])
                for s in streams
            ),
            return_exceptions=True,
        )
        won = [s for s, r in zip(streams, results, strict=True) if isinstance(r, list)]
        lost = [r for r in results if not isinstance(r, list)]
        assert len(won) == 1
        assert all(isinstance(r, DuplicateKeyError) and r.holder == won[0] for r in lost), lost
    assert (await verify_log(kit.store.read_log())).ok


async def test_concurrent_appends_with_one_idempotency_key_record_once(kit: Kit) -> None:
    answers = [
        IdempotentAnswer("key-1", "fingerprint", lambda rec: (201, {"position": rec[-1].position}))
        for _ in range(2)
    ]
    results = await asyncio.gather(
        *(
            kit.store.append(
                uuid.uuid4(), 0, [kit.Happened(name="once")], ACTOR, idempotency=answer
            )
            for answer in answers
        ),
        return_exceptions=True,
    )
    recorded = [r for r in results if isinstance(r, list)]
    replays = [r for r in results if isinstance(r, IdempotencyReplay)]
    assert len(recorded) == 1 and len(replays) == 1, results
    events = await all_events(kit.store)
    assert len(events) == 1 and events == recorded[0]
    assert await kit.store.remembered("key-1") == ("fingerprint", 201, {"position": 1})
    assert sorted(str(a.stored) for a in answers) == sorted(["None", str((201, {"position": 1}))])
    assert await kit.store.remembered("key-2") is None


async def test_setup_twice_and_concurrently_is_fine(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    other = EventStore(pool, region="dki", service=kit.service)
    await asyncio.gather(kit.store.setup(), kit.store.setup(), other.setup())
    await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="a")], ACTOR)
    await kit.store.setup()
    assert (await kit.store.head())[0] == 1
    assert await other.head() == (0, "0" * 64)  # another region's log is its own chain
    await other.append(uuid.uuid4(), 0, [kit.Happened(name="b")], ACTOR)
    assert (await other.head())[0] == 1


async def test_append_before_setup_says_so(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    await kit.store.setup()
    stranger = EventStore(pool, region="dki", service="nobody")
    with pytest.raises(RuntimeError, match="setup"):
        await stranger.append(uuid.uuid4(), 0, [kit.Happened(name="a")], ACTOR)


async def test_read_log_batches_cover_everything_in_order(kit: Kit) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name=str(i)) for i in range(25)], ACTOR)
    batches = [batch async for batch in kit.store.read_log(batch=7)]
    assert [len(b) for b in batches] == [7, 7, 7, 4]
    assert [e.position for b in batches for e in b] == list(range(1, 26))
    exact = [batch async for batch in kit.store.read_log(batch=5)]
    assert [len(b) for b in exact] == [5] * 5
    window = [e.position async for b in kit.store.read_log(10, batch=4, until=20) for e in b]
    assert window == list(range(11, 21))
    assert [b async for b in kit.store.read_log(25)] == []
    assert [e.aggregateversion for e in await kit.store.read_stream(stream)] == list(range(1, 26))


async def test_inline_projection_is_kept_in_the_append_transaction(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    projection = kit.projection()
    kit.store.add_inline(projection)
    await kit.store.setup()
    await kit.append(3, names=["a", "b", "c"])
    with pytest.raises(RuntimeError):
        await kit.append(1, names=["poison"])
    assert (await kit.store.head())[0] == 3  # the failed projection rolled the append back
    async with pool.acquire() as conn:
        before = await conn.fetch(
            "SELECT event_id, position, name, times FROM things ORDER BY position"
        )
    assert [(r["position"], r["name"], r["times"]) for r in before] == [
        (1, "a", 1),
        (2, "b", 1),
        (3, "c", 1),
    ]
    assert await kit.store.rebuild_inline(projection, kit.registry) == 3
    async with pool.acquire() as conn:
        after = await conn.fetch(
            "SELECT event_id, position, name, times FROM things ORDER BY position"
        )
    assert after == before
