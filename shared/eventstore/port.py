"""The event-store contract: what the command path and the log's readers use.

Two implementations keep it, proven by one contract test suite
(tests/contract/test_event_store.py): `EventStore` on PostgreSQL and
`InMemoryEventStore` for unit tests of handlers. Both assign positions
gap-free, extend the same hash chain (shared.eventstore.recording) and raise
the same errors:

* `ConcurrencyError` - the stream is not at `expected_version`;
* `IdempotencyReplay` - the idempotency key was used by a committed append;
* `DuplicateKeyError` - a claim is held by another stream (a stream may claim
  its own key again).

A failed append takes no position and leaves no trace (no events, claims or
idempotency record).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol
from uuid import UUID

from shared.envelope import RecordedEvent
from shared.events import Event
from shared.eventstore.types import Claim, IdempotentAnswer, Metadata, Snapshot


class Store(Protocol):
    """The event log of one service in one region (one hash chain)."""

    region: str
    service: str
    log: str  # "<region>/<service>"
    source: str  # the CloudEvents source of its events

    async def setup(self) -> None:
        """Make the store ready (idempotent)."""
        ...

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
        """Append `events` to a stream at `expected_version`, with its claims, the claims it
        releases (held by this stream), its answer and its new snapshot, all or nothing;
        return the events as recorded (nothing for no events)."""
        ...

    async def read_stream(self, stream_id: UUID, after_version: int = 0) -> list[RecordedEvent]:
        """The events of one stream after `after_version` (all by default), in version order."""
        ...

    async def read_snapshot(self, stream_id: UUID) -> Snapshot | None:
        """The latest snapshot kept for a stream, if any."""
        ...

    def read_log(
        self, after: int = 0, *, batch: int = 1000, until: int | None = None
    ) -> AsyncIterator[list[RecordedEvent]]:
        """The log from position `after + 1` on, in batches (up to `until` if given)."""
        ...

    async def head(self) -> tuple[int, str]:
        """The last position of the log and its hash ((0, 64 zeros) when empty)."""
        ...

    async def claim_holder(self, claim: Claim) -> UUID | None:
        """The stream holding a unique key, if any."""
        ...

    async def remembered(self, key: str) -> tuple[str, int, Any] | None:
        """(request_hash, status, body) stored for an idempotency key, if any."""
        ...

    async def close(self) -> None:
        """Wait for appends in flight (optional: the store stays usable)."""
        ...
