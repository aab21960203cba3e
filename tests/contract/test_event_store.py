"""The event-store contract (shared.eventstore.port), run on the in-memory and the PostgreSQL
store alike: one winner per version, gap-free commit-ordered positions, one hash chain,
claims and idempotency records taken with the append or not at all, batches that cover
the log."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from shared.eventstore import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    EventStore,
    IdempotencyReplay,
    IdempotentAnswer,
    InMemoryEventStore,
    Metadata,
    Store,
)
from shared.verify import verify_log
from tests.contract.conftest import StoreKit
from tests.integration.support import ACTOR, REGION, make_events, new_service


async def all_events(store: Store) -> list[Any]:
    return [e async for batch in store.read_log() for e in batch]


async def test_append_records_the_envelope_and_extends_the_chain(kit: StoreKit) -> None:
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


async def test_a_stale_expected_version_raises(kit: StoreKit) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name="a")], ACTOR)
    with pytest.raises(ConcurrencyError) as caught:
        await kit.store.append(stream, 0, [kit.Happened(name="b")], ACTOR)
    assert (caught.value.expected, caught.value.actual) == (0, 1)
    with pytest.raises(ConcurrencyError):
        await kit.store.append(uuid.uuid4(), 3, [kit.Happened(name="c")], ACTOR)
    assert await kit.store.head() == (1, (await all_events(kit.store))[0].hash)


async def test_two_writers_at_the_same_version_one_wins(kit: StoreKit) -> None:
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
    kit: StoreKit,
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


async def test_a_claim_held_by_another_stream_rolls_the_append_back(kit: StoreKit) -> None:
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


async def test_concurrent_claims_of_one_key_name_the_winner(kit: StoreKit) -> None:
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


async def test_concurrent_appends_with_one_idempotency_key_record_once(kit: StoreKit) -> None:
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


async def test_read_log_batches_cover_everything_in_order(kit: StoreKit) -> None:
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


async def test_a_failed_append_leaves_no_claim_and_no_answer(kit: StoreKit) -> None:
    holder, other = uuid.uuid4(), uuid.uuid4()
    taken = Claim("email", "a@b")
    await kit.store.append(holder, 0, [kit.Happened(name="h")], ACTOR, claims=[taken])
    answer = IdempotentAnswer("k-fail", "fp", lambda rec: (201, {"n": len(rec)}))
    with pytest.raises(DuplicateKeyError):
        await kit.store.append(
            other,
            0,
            [kit.Happened(name="o")],
            ACTOR,
            claims=[Claim("email", "free@b"), taken],
            idempotency=answer,
        )
    assert answer.stored is None
    assert await kit.store.remembered("k-fail") is None
    assert await kit.store.claim_holder(Claim("email", "free@b")) is None
    assert await kit.store.read_stream(other) == []
    # the same key may then be used by an append that succeeds
    await kit.store.append(other, 0, [kit.Happened(name="o")], ACTOR, idempotency=answer)
    assert answer.stored == (201, {"n": 1})
    assert await kit.store.remembered("k-fail") == ("fp", 201, {"n": 1})
    with pytest.raises(IdempotencyReplay):
        await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="x")], ACTOR, idempotency=answer)
    assert [e.position for e in await all_events(kit.store)] == [1, 2]


async def test_an_empty_append_and_an_unknown_stream(kit: StoreKit) -> None:
    assert await kit.store.append(uuid.uuid4(), 5, [], ACTOR) == []
    assert await kit.store.read_stream(uuid.uuid4()) == []
    assert await kit.store.head() == (0, "0" * 64)
    assert await all_events(kit.store) == []
    assert await kit.store.claim_holder(Claim("x", "y")) is None
    assert await kit.store.remembered("nothing") is None


@pytest.mark.integration
async def test_both_stores_record_the_same_bytes(pool: asyncpg.Pool) -> None:
    """With the same clock and ids, the two stores record identical events and chains."""
    service = new_service()
    happened, renamed, _ = make_events(service)

    def fixed() -> dict[str, Any]:
        ticks = itertools.count()
        ids = itertools.count(1)
        start = datetime(2026, 1, 24, 3, 15, tzinfo=UTC)
        return {
            "clock": lambda: start + timedelta(microseconds=next(ticks)),
            "new_id": lambda: uuid.UUID(int=next(ids)),
        }

    memory = InMemoryEventStore(region=REGION, service=service, **fixed())
    postgres = EventStore(pool, region=REGION, service=service, **fixed())
    await postgres.setup()
    streams = [uuid.UUID(int=1000 + i) for i in range(3)]
    meta = Metadata(actor="user-1", correlation_id="req-1")
    for store in (memory, postgres):
        for i, stream in enumerate(streams):
            await store.append(stream, 0, [happened(name=f"ñ {i}", n=i)], meta)
        await store.append(streams[0], 1, [renamed(name="b"), renamed(name="c")], ACTOR)
    assert await all_events(memory) == await all_events(postgres)
    assert await memory.head() == await postgres.head()
    assert [e.to_cloudevent_bytes() for e in await all_events(memory)] == [
        e.to_cloudevent_bytes() for e in await all_events(postgres)
    ]
