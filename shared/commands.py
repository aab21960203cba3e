"""Running a command: load the stream, decide, append with the expected version.

Idempotency lives here too: with an `Idempotency-Key`, the first answer is
stored in the same transaction as the events, and a retry gets that answer
back without deciding again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from shared.decider import Decider, DomainError
from shared.envelope import RecordedEvent
from shared.events import Event, EventRegistry
from shared.eventstore import (
    Claim,
    ConcurrencyError,
    EventStore,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
)

S = TypeVar("S")


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """An aggregate's state, its stream version and its history."""

    state: S
    version: int
    history: list[RecordedEvent]


@dataclass(frozen=True)
class Answer:
    """What a command answers over HTTP."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A request's identity, to tell a retry from a different request under the same key."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def answer_body(stream_id: UUID, version: int, recorded: Sequence[RecordedEvent]) -> dict[str, Any]:
    return {
        "id": str(stream_id),
        "version": version,
        "position": recorded[-1].position if recorded else None,
        "events": [{"id": e.id, "type": e.type, "position": e.position} for e in recorded],
    }


class IdempotencyKeyReused(Exception):
    """An idempotency key sent again with a different request (answered 422)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was used for another request")
        self.key = key


class Commands:
    """Loads aggregates from the store and appends what their deciders decide."""

    def __init__(self, store: EventStore, registry: EventRegistry) -> None:
        self.store = store
        self.registry = registry

    async def load(self, decider: Decider[S], stream_id: UUID) -> Loaded[S]:
        history = await self.store.read_stream(stream_id)
        events = [self.registry.load_json(e.type, e.data_json) for e in history]
        return Loaded(decider.fold(events), len(history), history)

    async def execute(
        self,
        decider: Decider[S],
        stream_id: UUID,
        decide: Callable[[S], Sequence[Event]],
        metadata: Metadata,
        *,
        expected: int | None = None,
        claims: Sequence[Claim] = (),
        idempotency_key: str | None = None,
        request_fingerprint: str = "",
        status: int = 200,
        new_stream: bool = False,
    ) -> Answer:
        """Load → decide → append, once per idempotency key.

        `new_stream` skips the load for an id the server has just generated (it has
        no history); were it not new after all, the append's version check refuses it.
        """
        if idempotency_key is not None:
            replay = await self._replay(idempotency_key, request_fingerprint)
            if replay is not None:
                return replay
        try:
            return await self._decide_and_append(
                decider,
                stream_id,
                decide,
                metadata,
                expected=expected,
                claims=claims,
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
                status=status,
                new_stream=new_stream,
            )
        except (ConcurrencyError, DomainError):
            # A retry racing its own first attempt: that attempt committed after the replay
            # check above, so we decided on a changed state. The first answer is the
            # answer, not a conflict with ourselves.
            if idempotency_key is None:
                raise
            stored = await self.store.remembered(idempotency_key)
            if stored is None or stored[0] != request_fingerprint:
                raise
            return Answer(stored[1], stored[2], replayed=True)

    async def _decide_and_append(
        self,
        decider: Decider[S],
        stream_id: UUID,
        decide: Callable[[S], Sequence[Event]],
        metadata: Metadata,
        *,
        expected: int | None,
        claims: Sequence[Claim],
        idempotency_key: str | None,
        request_fingerprint: str,
        status: int,
        new_stream: bool,
    ) -> Answer:
        loaded = (
            Loaded(decider.initial(), 0, []) if new_stream else await self.load(decider, stream_id)
        )
        if expected is not None and expected != loaded.version:
            raise ConcurrencyError(stream_id, expected, loaded.version)
        events = decide(loaded.state)
        if not events:
            return Answer(200, answer_body(stream_id, loaded.version, []))
        idem = None
        if idempotency_key is not None:
            idem = IdempotentAnswer(
                idempotency_key,
                request_fingerprint,
                lambda rec: (status, answer_body(stream_id, loaded.version + len(rec), rec)),
            )
        try:
            recorded = await self.store.append(
                stream_id, loaded.version, events, metadata, claims=claims, idempotency=idem
            )
        except IdempotencyReplay:
            replay = await self._replay(idempotency_key or "", request_fingerprint)
            if replay is None:  # pragma: no cover - the row was committed before we failed
                raise
            return replay
        return Answer(status, answer_body(stream_id, loaded.version + len(recorded), recorded))

    async def _replay(self, key: str, request_fingerprint: str) -> Answer | None:
        stored = await self.store.remembered(key)
        if stored is None:
            return None
        stored_fingerprint, status, body = stored
        if stored_fingerprint != request_fingerprint:
            raise IdempotencyKeyReused(key)
        return Answer(status, body, replayed=True)
