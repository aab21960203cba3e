"""The event store: a service log of events with claims and idempotency records.

* `port` - the contract (`Store`), kept by:
* `postgres` - `EventStore`, on PostgreSQL (setup and append), reading through
  `reads` (`LogReads`), committing groups of appends through `groupappend`,
  queued by `groups` (`GroupWriter`), with every SQL statement in `statements`
  (and the savepoint of a redone group in `savepoint`);
* `memory` - `InMemoryEventStore`, for unit tests of handlers;
* `recording` - the pure step both share: positions, versions, hash chain, checks;
* `types` - what callers pass and catch.
"""

from shared.eventstore.memory import InMemoryEventStore
from shared.eventstore.port import Store
from shared.eventstore.postgres import EventStore
from shared.eventstore.statements import NOTIFY_CHANNEL
from shared.eventstore.types import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
    Snapshot,
)

__all__ = [
    "NOTIFY_CHANNEL",
    "Claim",
    "ConcurrencyError",
    "DuplicateKeyError",
    "EventStore",
    "IdempotencyReplay",
    "IdempotentAnswer",
    "InMemoryEventStore",
    "Metadata",
    "Snapshot",
    "Store",
]
