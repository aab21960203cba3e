"""The pure step of an append: positions, versions and the hash chain, and each append judged.

No database here: the PostgreSQL store and the in-memory store both record
through `Recorder` and judge through `judge`, so they assign the same
positions, build the same chain and raise the same errors (and this is
unit-tested without a server, tests/unit/backbone/test_recording.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from shared.canonical import ZERO_HASH, canonical_json, chain_hash
from shared.envelope import RecordedEvent, event_source
from shared.events import Event
from shared.eventstore.types import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
    Snapshot,
)
from shared.ids import Clock, IdFactory, format_time

Head = tuple[int, str]  # the last position of a log and its hash
EMPTY_HEAD: Head = (0, ZERO_HASH)


@dataclass(eq=False, slots=True)
class AppendRequest:
    """One call of `append`."""

    stream_id: UUID
    key: str  # the stream id as PostgreSQL writes it (lowercase text)
    expected: int
    events: Sequence[Event]
    metadata: Metadata
    claims: Sequence[Claim]
    idempotency: IdempotentAnswer | None
    releases: Sequence[Claim] = ()
    snapshot: Snapshot | None = None

    @classmethod
    def of(
        cls,
        stream_id: UUID,
        expected: int,
        events: Sequence[Event],
        metadata: Metadata,
        claims: Sequence[Claim],
        idempotency: IdempotentAnswer | None,
        releases: Sequence[Claim] = (),
        snapshot: Snapshot | None = None,
    ) -> AppendRequest:
        stream_id = stream_id if isinstance(stream_id, UUID) else UUID(str(stream_id))
        key = str(stream_id)
        return cls(
            stream_id,
            key,
            expected,
            events,
            metadata,
            tuple(claims),
            idempotency,
            tuple(releases),
            snapshot,
        )


class Recorder:
    """Turns the events of one append into recorded events of the log `region/service`."""

    def __init__(self, *, region: str, service: str, clock: Clock, new_id: IdFactory) -> None:
        self.region = region
        self.source = event_source(region, service)
        self._clock = clock
        self._new_id = new_id

    def record(
        self,
        stream_id: UUID,
        version: int,
        head: Head,
        events: Sequence[Event],
        metadata: Metadata,
    ) -> list[RecordedEvent]:
        """`events` as recorded after `head`, the stream being at `version` (one time for all)."""
        position, prevhash = head
        recorded = []
        time = format_time(self._clock())
        subject = str(stream_id)
        for offset, event in enumerate(events, start=1):
            partial = RecordedEvent(
                id=str(self._new_id()),
                type=event.TYPE,
                source=self.source,
                subject=subject,
                time=time,
                region=self.region,
                aggregatetype=event.AGGREGATE,
                aggregateversion=version + offset,
                position=position + offset,
                actor=metadata.actor,
                correlationid=metadata.correlation_id,
                causationid=metadata.causation_id,
                prevhash=prevhash,
                hash="",
                data_json=canonical_json(event.model_dump(mode="json")),
            )
            prevhash = chain_hash(prevhash, partial.canonical_body())
            recorded.append(replace(partial, hash=prevhash))
        return recorded


@dataclass
class Facts:
    """What appends are judged against: stream versions, claim holders, used idempotency keys.

    Stream and holder are the stream id as text. A stream missing from `versions` is at 0.
    """

    versions: dict[str, int] = field(default_factory=dict)
    holders: dict[tuple[str, str], str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


@dataclass(eq=False, slots=True)
class Accepted:
    """An append that passed its checks: its events, the claims it takes, its answer."""

    request: AppendRequest
    recorded: list[RecordedEvent]
    new_claims: list[Claim]
    answer: tuple[int, Any] | None
    answer_json: str


@dataclass
class Judgement:
    """One outcome per request (its events, or its own error), what to write, the new head."""

    outcomes: list[list[RecordedEvent] | Exception]
    accepted: list[Accepted]
    head: Head


def judge(
    requests: Sequence[AppendRequest], facts: Facts, head: Head, recorder: Recorder
) -> Judgement:
    """Check each request in order and record the ones that pass, continuing the chain.

    Checks: the expected version, then the idempotency key, then the claims (a claim
    held by the request's own stream is fine); the claims it releases are freed after.
    `facts` is updated by every accepted request, so a later request of the same group
    sees what an earlier one took or freed.
    """
    outcomes: list[list[RecordedEvent] | Exception] = []
    accepted: list[Accepted] = []
    for request in requests:
        try:
            version = facts.versions.get(request.key, 0)
            if version != request.expected:
                raise ConcurrencyError(request.stream_id, request.expected, version)
            recorded = recorder.record(
                request.stream_id, version, head, request.events, request.metadata
            )
            answer, answer_json = None, ""
            idem = request.idempotency
            if idem is not None:
                if idem.key in facts.used:
                    raise IdempotencyReplay(idem.key)
                answer = idem.answer(recorded)
                answer_json = json.dumps(answer[1])
            mine: list[Claim] = []
            for claim in request.claims:
                holder = facts.holders.get((claim.scope, claim.key))
                if holder is None:
                    if claim not in mine:
                        mine.append(claim)
                elif holder != request.key:
                    raise DuplicateKeyError(claim.scope, claim.key, UUID(holder))
        except Exception as exc:  # noqa: BLE001 - this append's own failure
            outcomes.append(exc)
            continue
        outcomes.append(recorded)
        accepted.append(Accepted(request, recorded, mine, answer, answer_json))
        head = (recorded[-1].position, recorded[-1].hash)
        facts.versions[request.key] = version + len(recorded)
        for claim in mine:
            facts.holders[(claim.scope, claim.key)] = request.key
        for claim in request.releases:  # only what this stream holds is released
            if facts.holders.get((claim.scope, claim.key)) == request.key:
                del facts.holders[(claim.scope, claim.key)]
        if idem is not None:
            facts.used.add(idem.key)
    return Judgement(outcomes, accepted, head)
