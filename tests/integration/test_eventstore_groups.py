"""Group commit in the event store: appends waiting together share one transaction, and
each is still judged alone (its own error, no position taken, the chain unbroken)."""

from __future__ import annotations

import asyncio
import uuid
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
    Metadata,
    statements,
)
from shared.eventstore.groups import Group, GroupWriter
from shared.ids import utc_now
from shared.verify import verify_log
from tests.integration.support import ACTOR, Kit

pytestmark = pytest.mark.integration


async def all_events(store: EventStore) -> list[Any]:
    return [e async for batch in store.read_log() for e in batch]


async def assert_log_is_whole(store: EventStore) -> list[Any]:
    """Positions 1..n without a gap, a chain that verifies, the head at the last event."""
    events = await all_events(store)
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    report = await verify_log(store.read_log(batch=7))
    assert report.ok and report.checked == len(events), report
    assert await store.head() == ((len(events), events[-1].hash) if events else (0, "0" * 64))
    return events


def answer(key: str) -> IdempotentAnswer:
    return IdempotentAnswer(key, f"fingerprint {key}", lambda rec: (201, {"last": rec[-1].id}))


async def test_concurrent_appends_to_distinct_streams_share_transactions(kit: Kit) -> None:
    streams = [uuid.uuid4() for _ in range(32)]
    results = await asyncio.gather(
        *(
            kit.store.append(s, 0, [kit.Happened(name=f"n{i}", n=i), kit.Renamed(name="r")], ACTOR)
            for i, s in enumerate(streams)
        )
    )
    # committed in the order they were asked for, two positions each
    assert [e.position for r in results for e in r] == list(range(1, 65))
    assert [[e.aggregateversion for e in r] for r in results] == [[1, 2]] * 32
    events = await assert_log_is_whole(kit.store)
    assert events == [e for r in results for e in r]  # returned exactly as stored
    for stream, recorded in zip(streams, results, strict=True):
        assert await kit.store.read_stream(stream) == recorded
    stats = kit.store.stats
    assert stats.requests == 32
    assert stats.groups < 32 and stats.largest > 1, stats


async def test_an_append_alone_is_a_transaction_of_its_own(kit: Kit) -> None:
    for i in range(3):
        await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name=f"alone {i}")], ACTOR)
    assert (kit.store.stats.groups, kit.store.stats.largest) == (3, 1)
    await assert_log_is_whole(kit.store)


@pytest.mark.parametrize("inline", [True, False], ids=["inline-projection", "no-inline"])
async def test_in_a_mixed_group_only_the_guilty_appends_fail(
    pool: asyncpg.Pool, inline: bool
) -> None:
    kit = Kit(pool)
    if inline:
        kit.store.add_inline(kit.projection())
    await kit.store.setup()
    busy, holder, later = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    taken, fresh = Claim("national_id", "taken"), Claim("national_id", "fresh")
    await kit.store.append(busy, 0, [kit.Happened(name="busy")], ACTOR)
    await kit.store.append(holder, 0, [kit.Happened(name="holder")], ACTOR, claims=[taken])
    await kit.store.append(
        uuid.uuid4(), 0, [kit.Happened(name="k")], ACTOR, idempotency=answer("used")
    )
    before = kit.store.stats.groups
    streams = [uuid.uuid4() for _ in range(9)]
    answers = {name: answer(name) for name in ("used", "new", "new-again")}

    calls = [
        ("ok plain", kit.store.append(streams[0], 0, [kit.Happened(name="a")], ACTOR)),
        ("stale", kit.store.append(busy, 0, [kit.Happened(name="stale")], ACTOR)),
        (
            "claim held",
            kit.store.append(
                streams[2],
                0,
                [kit.Happened(name="c")],
                ACTOR,
                claims=[Claim("email", "x@y"), taken],
            ),
        ),
        (
            "replay",
            kit.store.append(
                streams[3], 0, [kit.Happened(name="d")], ACTOR, idempotency=answers["used"]
            ),
        ),
        (
            "poison",
            kit.store.append(
                streams[4], 0, [kit.Happened(name="e"), kit.Happened(name="poison")], ACTOR
            ),
        ),
        (
            "ok busy",
            kit.store.append(
                busy,
                1,
                [kit.Renamed(name="busy 2")],
                ACTOR,
                claims=[fresh],
                idempotency=answers["new"],
            ),
        ),
        (
            "claim taken in group",
            kit.store.append(streams[6], 0, [kit.Happened(name="g")], ACTOR, claims=[fresh]),
        ),
        (
            "replay in group",
            kit.store.append(later, 0, [kit.Happened(name="h")], ACTOR, idempotency=answer("new")),
        ),
        (
            "ok last",
            kit.store.append(
                streams[8],
                0,
                [kit.Happened(name="i", n=9)],
                ACTOR,
                idempotency=answers["new-again"],
            ),
        ),
        (
            "ok own claim again",
            kit.store.append(
                holder,
                1,
                [kit.Renamed(name="j")],
                ACTOR,
                claims=[taken, Claim("x", "1"), Claim("x", "1")],
            ),
        ),
    ]
    outcomes = dict(
        zip(
            [name for name, _ in calls],
            await asyncio.gather(*(c for _, c in calls), return_exceptions=True),
            strict=True,
        )
    )
    assert kit.store.stats.groups == before + 1  # all of them in one transaction
    # claims, replays and versions are judged from one read; only the projection's failure
    # needs the group redone append by append
    assert kit.store.stats.redone == (1 if inline else 0)

    stale = outcomes.pop("stale")
    assert isinstance(stale, ConcurrencyError) and (stale.expected, stale.actual) == (0, 1)
    held = outcomes.pop("claim held")
    assert isinstance(held, DuplicateKeyError) and held.holder == holder
    assert isinstance(outcomes.pop("replay"), IdempotencyReplay)
    in_group = outcomes.pop("claim taken in group")
    assert isinstance(in_group, DuplicateKeyError) and in_group.holder == busy
    assert isinstance(outcomes.pop("replay in group"), IdempotencyReplay)
    if inline:
        poison = outcomes.pop("poison")
        assert isinstance(poison, RuntimeError) and "cannot apply" in str(poison)
    # (without the projection "poison" is an ordinary append)
    committed = list(outcomes.values())  # in the order they were asked for
    assert all(isinstance(r, list) for r in committed), committed

    # the survivors are contiguous from the old head on, in the order they were asked for
    positions = [e.position for r in committed for e in r]
    assert positions == list(range(4, 4 + len(positions)))
    events = await assert_log_is_whole(kit.store)
    assert events[3:] == [e for r in committed for e in r]
    # nothing of the failed appends was kept
    for failed in (streams[2], streams[3], streams[6], later) + ((streams[4],) if inline else ()):
        assert await kit.store.read_stream(failed) == []
    assert [e.aggregateversion for e in await kit.store.read_stream(busy)] == [1, 2]
    assert await kit.store.claim_holder(taken) == holder
    assert await kit.store.claim_holder(Claim("email", "x@y")) is None
    assert await kit.store.claim_holder(fresh) == busy
    assert await kit.store.claim_holder(Claim("x", "1")) == holder
    assert (await kit.store.remembered("used"))[0] == "fingerprint used"
    assert (await kit.store.remembered("new"))[0] == "fingerprint new"
    assert answers["used"].stored is None
    assert answers["new"].stored == (201, {"last": outcomes["ok busy"][-1].id})
    assert answers["new-again"].stored == (201, {"last": outcomes["ok last"][-1].id})
    if inline:
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT event_id::text, position FROM things ORDER BY position")
        assert [(r[0], r[1]) for r in rows] == [(e.id, e.position) for e in events]


async def test_two_appends_at_one_version_in_one_group_one_wins(kit: Kit) -> None:
    stream = uuid.uuid4()
    await kit.store.append(stream, 0, [kit.Happened(name="start")], ACTOR)
    before = kit.store.stats.groups
    first, second = await asyncio.gather(
        kit.store.append(stream, 1, [kit.Renamed(name="first")], ACTOR),
        kit.store.append(stream, 1, [kit.Renamed(name="second")], ACTOR),
        return_exceptions=True,
    )
    assert kit.store.stats.groups == before + 1
    assert isinstance(first, list) and [e.aggregateversion for e in first] == [2]
    assert isinstance(second, ConcurrencyError)
    assert (second.expected, second.actual) == (1, 2)
    # a later append of the same stream in the same group sees the version the first left
    third, fourth = await asyncio.gather(
        kit.store.append(stream, 2, [kit.Renamed(name="third")], ACTOR),
        kit.store.append(stream, 3, [kit.Renamed(name="fourth")], ACTOR),
    )
    assert [e.aggregateversion for e in third + fourth] == [3, 4]
    assert [e.data["name"] for e in await kit.store.read_stream(stream)] == [
        "start",
        "first",
        "third",
        "fourth",
    ]
    await assert_log_is_whole(kit.store)


async def test_two_stores_on_one_log_never_both_win(pool: asyncpg.Pool) -> None:
    """Two processes (two writers) on one log: the head lock still decides, then the version."""
    kit = Kit(pool)
    await kit.store.setup()
    other = EventStore(pool, region=kit.region, service=kit.service)
    streams = [uuid.uuid4() for _ in range(4)]
    for round_ in range(15):
        results = await asyncio.gather(
            *(
                store.append(s, round_, [kit.Renamed(name=f"{round_}-{w}")], ACTOR)
                for s in streams
                for w, store in enumerate((kit.store, other, kit.store, other))
            ),
            return_exceptions=True,
        )
        for i in range(len(streams)):
            mine = results[i * 4 : (i + 1) * 4]
            assert sum(isinstance(r, list) for r in mine) == 1, mine
            assert all(isinstance(r, list | ConcurrencyError) for r in mine), mine
    for stream in streams:
        assert [e.aggregateversion for e in await kit.store.read_stream(stream)] == list(
            range(1, 16)
        )
    assert len(await assert_log_is_whole(kit.store)) == 60


async def test_a_row_the_database_refuses_fails_only_its_own_append(kit: Kit) -> None:
    """Plain appends share one INSERT; if it fails, the group is redone append by append."""
    bad = Metadata(actor="nul \x00 byte")  # text cannot hold NUL: refused by PostgreSQL itself
    streams = [uuid.uuid4() for _ in range(5)]
    results = await asyncio.gather(
        *(
            kit.store.append(s, 0, [kit.Happened(name=str(i))], bad if i == 2 else ACTOR)
            for i, s in enumerate(streams)
        ),
        return_exceptions=True,
    )
    assert isinstance(results[2], asyncpg.CharacterNotInRepertoireError), results[2]
    assert [r[0].position for i, r in enumerate(results) if i != 2] == [1, 2, 3, 4]
    assert kit.store.stats.redone == 1
    await assert_log_is_whole(kit.store)
    with pytest.raises(asyncpg.CharacterNotInRepertoireError):  # alone, it fails the same way
        await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="x")], bad)
    await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="after")], ACTOR)
    assert len(await assert_log_is_whole(kit.store)) == 5


class Raced:
    """Another log of the same database takes a claim and a key just after the group read them."""

    intruder = uuid.UUID(int=7)
    claim = Claim("national_id", "raced")
    key = "raced-key"


async def test_a_claim_or_key_taken_meanwhile_fails_only_its_append(
    pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_facts = statements.read_facts

    async def raced_read_facts(conn: Any, streams: Any, claims: Any, keys: Any) -> Any:
        facts = await read_facts(conn, streams, claims, keys)
        if Raced.claim in claims:
            async with pool.acquire() as other:  # commits on its own, at once
                await other.execute(
                    "INSERT INTO pas_unique_claims (scope, key, stream_id) VALUES ($1, $2, $3)",
                    Raced.claim.scope,
                    Raced.claim.key,
                    Raced.intruder,
                )
                await other.execute(
                    "INSERT INTO pas_idempotency (key, request_hash, status, body)"
                    " VALUES ($1, 'other', 200, '{}')",
                    Raced.key,
                )
        return facts

    monkeypatch.setattr(statements, "read_facts", raced_read_facts)
    kit = Kit(pool)
    await kit.store.setup()
    streams = [uuid.uuid4() for _ in range(4)]
    raced_answer = answer(Raced.key)
    results = await asyncio.gather(
        kit.store.append(streams[0], 0, [kit.Happened(name="a")], ACTOR, claims=[Claim("n", "a")]),
        kit.store.append(streams[1], 0, [kit.Happened(name="b")], ACTOR, claims=[Raced.claim]),
        kit.store.append(streams[2], 0, [kit.Happened(name="c")], ACTOR, idempotency=raced_answer),
        kit.store.append(streams[3], 0, [kit.Happened(name="d")], ACTOR, idempotency=answer("d")),
        return_exceptions=True,
    )
    assert isinstance(results[1], DuplicateKeyError) and results[1].holder == Raced.intruder
    assert isinstance(results[2], IdempotencyReplay) and raced_answer.stored is None
    assert [r[0].position for r in (results[0], results[3])] == [1, 2]  # type: ignore[index]
    assert kit.store.stats.redone == 1
    await assert_log_is_whole(kit.store)
    assert await kit.store.claim_holder(Claim("n", "a")) == streams[0]
    assert (await kit.store.remembered("d"))[0] == "fingerprint d"


async def test_cancelled_callers_leave_the_store_consistent(pool: asyncpg.Pool) -> None:
    victims: list[asyncio.Task[Any]] = []

    def clock():  # called while the group's transaction runs: cancel a caller in flight
        for victim in victims:
            victim.cancel()
        victims.clear()
        return utc_now()

    kit = Kit(pool)
    kit.store = EventStore(pool, region=kit.region, service=kit.service, clock=clock)
    await kit.store.setup()

    def start(name: str) -> asyncio.Task[Any]:
        return asyncio.create_task(
            kit.store.append(uuid.uuid4(), 0, [kit.Happened(name=name)], ACTOR)
        )

    queued = [start(f"queued {i}") for i in range(3)]
    in_flight = [start(f"in flight {i}") for i in range(3)]
    others = [start(f"other {i}") for i in range(4)]
    await asyncio.sleep(0)  # every caller has queued its append, none is taken yet
    for task in queued:
        task.cancel()  # dropped: never started
    victims.extend(in_flight)  # cancelled once their group is in the database
    results = await asyncio.gather(*queued, *in_flight, *others, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results[:6]), results
    assert all(isinstance(r, list) for r in results[6:]), results
    events = await assert_log_is_whole(kit.store)
    names = {e.data["name"] for e in events}
    assert not names & {f"queued {i}" for i in range(3)}
    assert {f"other {i}" for i in range(4)} <= names  # the in-flight ones may have committed
    # the writer lives on
    await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="later")], ACTOR)
    assert (await assert_log_is_whole(kit.store))[-1].data["name"] == "later"


async def test_close_drains_and_the_store_stays_usable(kit: Kit) -> None:
    tasks = [
        asyncio.create_task(kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="x")], ACTOR))
        for _ in range(10)
    ]
    await asyncio.sleep(0)
    await kit.store.close()
    assert all(t.done() and isinstance(t.result(), list) for t in tasks)
    await kit.store.close()  # idle: nothing to wait for
    await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="after close")], ACTOR)
    assert len(await assert_log_is_whole(kit.store)) == 11


async def test_a_crashed_writer_fails_its_requests_and_a_new_one_starts() -> None:
    crash = True
    seen: list[list[int]] = []

    async def commit(group: Group[int]) -> list[Any]:
        await asyncio.sleep(0)
        group.take_more()
        if crash:
            return []  # a bug: no outcome per request, so the writer task itself fails
        seen.append(group.requests)
        return [n * 10 if n != 3 else ValueError("three") for n in group.requests]

    writer: GroupWriter[int] = GroupWriter(commit, max_group=4)
    results = await asyncio.gather(*(writer.submit(n) for n in range(6)), return_exceptions=True)
    # the group in flight and the requests still queued all learn of it
    assert all(isinstance(r, ValueError) and "zip()" in str(r) for r in results), results
    crash = False
    results = await asyncio.gather(*(writer.submit(n) for n in range(6)), return_exceptions=True)
    assert results[:3] == [0, 10, 20] and isinstance(results[3], ValueError)
    assert results[4:] == [40, 50]
    assert seen == [[0, 1, 2, 3], [4, 5]]  # capped groups, in queue order
    assert writer.stats.largest == 4
    await writer.close()


async def test_a_cancelled_writer_cancels_its_callers_and_a_new_one_starts() -> None:
    started = asyncio.Event()

    async def commit(group: Group[int]) -> list[Any]:
        started.set()
        await asyncio.sleep(3600)
        return []

    writer: GroupWriter[int] = GroupWriter(commit)
    callers = [asyncio.create_task(writer.submit(n)) for n in range(3)]
    await started.wait()
    writer._task.cancel()  # type: ignore[union-attr]  # e.g. the loop shutting down
    results = await asyncio.gather(*callers, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results), results

    async def works(group: Group[int]) -> list[Any]:
        return list(group)

    writer._commit = works  # type: ignore[method-assign]
    assert await writer.submit(7) == 7
