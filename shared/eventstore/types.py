"""What the event store's callers pass and catch: metadata, claims, idempotent answers, errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from shared.envelope import RecordedEvent


class ConcurrencyError(Exception):
    """The stream moved on since the caller read it."""

    def __init__(self, stream_id: UUID, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateKeyError(Exception):
    """A uniqueness claim is already held by another stream."""

    def __init__(self, scope: str, key: str, holder: UUID) -> None:
        super().__init__(f"{scope} {key!r} already belongs to {holder}")
        self.scope = scope
        self.key = key
        self.holder = holder


class IdempotencyReplay(Exception):
    """The request's idempotency key was used first by a request that already committed."""


@dataclass(frozen=True)
class Claim:
    """A unique key (within a scope) held by one stream for good."""

    scope: str
    key: str


@dataclass(frozen=True)
class Metadata:
    """Who and what caused the events being appended."""

    actor: str
    correlation_id: str | None = None
    causation_id: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """An aggregate's decider state after `version` events of its stream, as JSON.

    `schema_version` names the shape of the state (the decider's `snapshot_version`):
    a snapshot of another shape is ignored and the state is rebuilt from the events.
    A snapshot is a cache: the stream stays the truth.
    """

    schema_version: int
    version: int
    state_json: str


@dataclass
class IdempotentAnswer:
    """Stores the answer to a request in the same transaction as its events."""

    key: str
    request_hash: str
    answer: Callable[[list[RecordedEvent]], tuple[int, Any]]
    stored: tuple[int, Any] | None = field(default=None)
