"""An event store in memory, for unit tests of handlers: no server, same contract.

It records and judges appends with the PostgreSQL store's own pure step
(shared.eventstore.recording), so positions, versions, the hash chain and the
errors are the same; tests/contract/ runs one suite against both. It has no
inline projections (they are SQL) and nothing survives the process.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any
from uuid import UUID

from shared.envelope import RecordedEvent, event_source, log_name
from shared.events import Event
from shared.eventstore.recording import EMPTY_HEAD, AppendRequest, Facts, Head, Recorder, judge
from shared.eventstore.types import Claim, IdempotentAnswer, Metadata, Snapshot
from shared.ids import Clock, IdFactory, utc_now, uuid7


class InMemoryEventStore:
    """The event log of `service` in `region`, kept in lists and dicts."""

    def __init__(
        self,
        *,
        region: str,
        service: str,
        clock: Clock = utc_now,
        new_id: IdFactory = uuid7,
    ) -> None:
        self.region = region
        self.service = service
        self.log = log_name(region, service)
        self.source = event_source(region, service)
        self._recorder = Recorder(region=region, service=service, clock=clock, new_id=new_id)
        self._events: list[RecordedEvent] = []
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._facts = Facts()
        self._answers: dict[str, tuple[str, int, str]] = {}
        self._head: Head = EMPTY_HEAD
        self._snapshots: dict[str, Snapshot] = {}

    async def setup(self) -> None:
        """Nothing to create."""

    async def close(self) -> None:
        """Nothing in flight: every append completes in its call."""

    async def append(
        self,
        stream_id: UUID,
        expected_version: int,
        events: Sequence[Event],
        metadata: Metadata,
        *,
        claims: Sequence[Claim] = (),
        idempotency: IdempotentAnswer | None = None,
        releases: Sequence[Claim] = (),
        snapshot: Snapshot | None = None,
    ) -> list[RecordedEvent]:
        """Append `events` to a stream at `expected_version`; return them as recorded."""
        if not events:
            return []
        await asyncio.sleep(0)  # let concurrent callers interleave, as with a server
        request = AppendRequest.of(
            stream_id, expected_version, events, metadata, claims, idempotency, releases, snapshot
        )
        # judge() updates the facts only for an append it accepts, and nothing after it
        # can fail here: accepted means committed.
        judged = judge([request], self._facts, self._head, self._recorder)
        outcome = judged.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        accepted = judged.accepted[0]
        self._events.extend(outcome)
        self._streams.setdefault(request.key, []).extend(outcome)
        self._head = judged.head
        kept = self._snapshots.get(request.key)
        if snapshot is not None and (kept is None or kept.version < snapshot.version):
            self._snapshots[request.key] = snapshot
        if idempotency is not None and accepted.answer is not None:
            self._answers[idempotency.key] = (
                idempotency.request_hash,
                accepted.answer[0],
                accepted.answer_json,
            )
            idempotency.stored = accepted.answer
        return outcome

    async def read_stream(self, stream_id: UUID, after_version: int = 0) -> list[RecordedEvent]:
        """The events of one stream after `after_version`, in version order."""
        return list(self._streams.get(str(stream_id), ())[after_version:])

    async def read_snapshot(self, stream_id: UUID) -> Snapshot | None:
        """The latest snapshot kept for a stream, if any."""
        return self._snapshots.get(str(stream_id))

    async def read_log(
        self, after: int = 0, *, batch: int = 1000, until: int | None = None
    ) -> AsyncIterator[list[RecordedEvent]]:
        """The log from position `after + 1` on, in batches (up to `until` if given)."""
        while True:
            last = len(self._events) if until is None else min(until, len(self._events))
            chunk = self._events[after : min(after + batch, last)]
            if not chunk:
                return
            yield chunk
            after = chunk[-1].position
            if len(chunk) < batch:
                return

    async def head(self) -> Head:
        """The last position and hash of this log."""
        return self._head

    async def claim_holder(self, claim: Claim) -> UUID | None:
        """The stream holding a unique key, if any."""
        holder = self._facts.holders.get((claim.scope, claim.key))
        return None if holder is None else UUID(holder)

    async def remembered(self, key: str) -> tuple[str, int, Any] | None:
        """(request_hash, status, body) stored for an idempotency key, if any."""
        row = self._answers.get(key)
        if row is None:
            return None
        return row[0], row[1], json.loads(row[2])
