"""The store's pure step, without a database: positions, versions, the hash chain, and each
append of a group judged alone (its own error, no position taken, later ones unaffected)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from shared.canonical import ZERO_HASH
from shared.envelope import RecordedEvent
from shared.events import Event
from shared.eventstore import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
)
from shared.eventstore.recording import EMPTY_HEAD, AppendRequest, Facts, Recorder, judge
from shared.verify import verify_log

ACTOR = Metadata(actor="system:test")


class Noted(Event):
    TYPE = "pas.tests.noted.v1"
    AGGREGATE = "note"

    text: str


def recorder() -> Recorder:
    ids = itertools.count(1)
    return Recorder(
        region="jatim",
        service="tests",
        clock=lambda: datetime(2026, 1, 24, 3, 15, tzinfo=UTC),
        new_id=lambda: uuid.UUID(int=next(ids)),
    )


def request(
    stream: uuid.UUID,
    expected: int,
    *texts: str,
    claims: tuple[Claim, ...] = (),
    idempotency: IdempotentAnswer | None = None,
) -> AppendRequest:
    events = [Noted(text=t) for t in texts]
    return AppendRequest.of(stream, expected, events, ACTOR, claims, idempotency)


async def as_log(events: list[RecordedEvent]) -> AsyncIterator[list[RecordedEvent]]:
    yield events


async def test_recorded_events_continue_positions_versions_and_the_chain() -> None:
    stream = uuid.uuid4()
    first = recorder().record(stream, 0, EMPTY_HEAD, [Noted(text="a"), Noted(text="b")], ACTOR)
    assert [(e.position, e.aggregateversion) for e in first] == [(1, 1), (2, 2)]
    assert first[0].prevhash == ZERO_HASH and first[1].prevhash == first[0].hash
    assert first[0].subject == str(stream) and first[0].source == "/pas/jatim/tests"
    assert first[0].time == "2026-01-24T03:15:00.000000Z"
    assert first[0].data_json == '{"text":"a"}' and first[0].type == Noted.TYPE
    later = recorder().record(stream, 2, (2, first[1].hash), [Noted(text="c")], ACTOR)
    assert (later[0].position, later[0].aggregateversion) == (3, 3)
    report = await verify_log(as_log(first + later))
    assert report.ok and report.checked == 3


async def test_a_group_is_judged_append_by_append() -> None:
    busy, free, holder = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    facts = Facts(
        versions={str(busy): 2},
        holders={("email", "taken"): str(holder)},
        used={"used-key"},
    )
    answer = IdempotentAnswer("new-key", "fp", lambda rec: (201, {"last": rec[-1].position}))
    requests = [
        request(free, 0, "a"),
        request(busy, 0, "stale"),  # the stream is at 2
        request(uuid.uuid4(), 0, "replay", idempotency=IdempotentAnswer("used-key", "fp", len)),
        request(uuid.uuid4(), 0, "held", claims=(Claim("email", "taken"),)),
        request(free, 0, "same version again"),  # the first append took version 1
        request(holder, 0, "own claim", claims=(Claim("email", "taken"),)),
        request(busy, 2, "b", "c", idempotency=answer, claims=(Claim("email", "new"),)),
        request(uuid.uuid4(), 0, "claimed in the group", claims=(Claim("email", "new"),)),
    ]
    judged = judge(requests, facts, EMPTY_HEAD, recorder())
    errors = [type(o).__name__ if isinstance(o, Exception) else None for o in judged.outcomes]
    assert errors == [
        None,
        "ConcurrencyError",
        "IdempotencyReplay",
        "DuplicateKeyError",
        "ConcurrencyError",
        None,
        None,
        "DuplicateKeyError",
    ]
    stale = judged.outcomes[1]
    assert isinstance(stale, ConcurrencyError) and (stale.expected, stale.actual) == (0, 2)
    held = judged.outcomes[3]
    assert isinstance(held, DuplicateKeyError) and held.holder == holder
    in_group = judged.outcomes[7]
    assert isinstance(in_group, DuplicateKeyError) and in_group.holder == busy
    assert isinstance(judged.outcomes[2], IdempotencyReplay)
    # the failed ones took no position: the chain runs through the accepted ones only
    recorded = [e for a in judged.accepted for e in a.recorded]
    assert [e.position for e in recorded] == [1, 2, 3, 4]
    assert [e.aggregateversion for e in recorded] == [1, 1, 3, 4]
    assert judged.head == (4, recorded[-1].hash)
    assert (await verify_log(as_log(recorded))).ok
    accepted = {a.request.key: a for a in judged.accepted}
    assert accepted[str(holder)].new_claims == []  # its own claim is not taken again
    assert accepted[str(busy)].new_claims == [Claim("email", "new")]
    assert accepted[str(busy)].answer == (201, {"last": 4})
    assert accepted[str(busy)].answer_json == '{"last": 4}'
    assert facts.versions == {str(busy): 4, str(free): 1, str(holder): 1}
    assert facts.used == {"used-key", "new-key"}
    assert facts.holders[("email", "new")] == str(busy)


def test_an_answer_that_is_no_json_fails_its_append_alone() -> None:
    bad = IdempotentAnswer("k", "fp", lambda rec: (200, {"not json": object()}))
    judged = judge(
        [request(uuid.uuid4(), 0, "x", idempotency=bad), request(uuid.uuid4(), 0, "y")],
        Facts(),
        EMPTY_HEAD,
        recorder(),
    )
    assert isinstance(judged.outcomes[0], TypeError)
    assert [e.position for a in judged.accepted for e in a.recorded] == [1]


@pytest.mark.parametrize("stream_id", [uuid.UUID(int=5), str(uuid.UUID(int=5))])
def test_a_request_keys_its_stream_as_postgresql_writes_it(stream_id: object) -> None:
    made = AppendRequest.of(stream_id, 0, [], ACTOR, [], None)  # type: ignore[arg-type]
    assert made.stream_id == uuid.UUID(int=5) and made.key == "00000000-0000-0000-0000-000000000005"
