"""One command being handled: the caller's guards bound to the process's command path.

A handler gets a `CommandCall` (from `Commands.call`): it loads what it needs
(`target` for the aggregate addressed, guarded by If-Match; `load` for others;
`start` for a new one), decides, and `append`s with the version it loaded;
`once` runs it at most once per idempotency key.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from shared.aggregates import Aggregates, Loaded
from shared.answers import Answer, IdempotencyKeyReused, answer_body, stored_answer
from shared.decider import Decider, DomainError
from shared.events import Event, EventRegistry
from shared.eventstore import (
    Claim,
    ConcurrencyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
    Store,
)
from shared.ids import IdFactory

S = TypeVar("S")


@dataclass(frozen=True)
class CommandMeta:
    """Who sent a command and under which guards.

    `expected` is the version the caller believes the addressed aggregate has
    (If-Match), `idempotency_key` and `fingerprint` tell a retry from a new request.
    """

    metadata: Metadata
    expected: int | None = None
    idempotency_key: str | None = None
    fingerprint: str = ""


class CommandPath(Protocol):
    """What a command call uses of its process's command path (shared.commands.Commands)."""

    store: Store
    registry: EventRegistry
    aggregates: Aggregates
    ids: IdFactory
    region: str

    def today(self) -> date: ...


class CommandCall:
    """One command being handled: load, decide, append, with the caller's guards."""

    def __init__(self, commands: CommandPath, meta: CommandMeta) -> None:
        self.commands = commands
        self.meta = meta

    @property
    def region(self) -> str:
        """The region this process serves (the one addressed)."""
        return self.commands.region

    @property
    def metadata(self) -> Metadata:
        return self.meta.metadata

    def today(self) -> date:
        """The region's local date now."""
        return self.commands.today()

    def new_id(self) -> UUID:
        """A fresh id from the injected id factory."""
        return self.commands.ids()

    async def load(self, decider: Decider[Any, S, Any], stream_id: UUID) -> Loaded[S]:
        """Another aggregate the decision needs (not guarded by If-Match)."""
        return await self.commands.aggregates.load(decider, stream_id)

    async def target(self, decider: Decider[Any, S, Any], stream_id: UUID) -> Loaded[S]:
        """The aggregate the command addresses; ConcurrencyError unless it is at If-Match."""
        loaded = await self.commands.aggregates.load(decider, stream_id)
        self._check_expected(stream_id, loaded.version)
        return loaded

    def start(self, decider: Decider[Any, S, Any]) -> tuple[UUID, Loaded[S]]:
        """A new aggregate: a fresh id and the initial state, nothing to read.

        Were the id not new after all, the append's version check refuses it.
        """
        stream_id = self.new_id()
        self._check_expected(stream_id, 0)
        return stream_id, Loaded(decider.initial(), 0, [], decider)

    def _check_expected(self, stream_id: UUID, version: int) -> None:
        expected = self.meta.expected
        if expected is not None and expected != version:
            raise ConcurrencyError(stream_id, expected, version)

    async def append(
        self,
        stream_id: UUID,
        loaded: Loaded[Any],
        events: Sequence[Event],
        *,
        claims: Sequence[Claim] = (),
        releases: Sequence[Claim] = (),
        status: int = 200,
        metadata: Metadata | None = None,
        answers: bool = True,
    ) -> Answer:
        """Append what was decided on `loaded`, expecting its version; the command's answer.

        Nothing decided appends nothing (200 with the current version). With an
        idempotency key, the answer is stored with the events unless `answers` is
        False (a follow-up append of the same command, as a withdrawal's terminations).
        `releases` are claims the stream gives up. The new state is kept for the next
        load (and stored as a snapshot when one is due).
        """
        if not events:
            return Answer(200, answer_body(stream_id, loaded.version, []))
        key = self.meta.idempotency_key if answers else None
        idem = None
        if key is not None:
            answer = functools.partial(stored_answer, status, stream_id, loaded.version)
            idem = IdempotentAnswer(key, self.meta.fingerprint, answer)
        aggregates = self.commands.aggregates
        state, snapshot = aggregates.decided(loaded, list(events))
        try:
            recorded = await self.commands.store.append(
                stream_id,
                loaded.version,
                events,
                metadata or self.meta.metadata,
                claims=claims,
                idempotency=idem,
                releases=releases,
                snapshot=snapshot,
            )
        except IdempotencyReplay:
            replay = await self._replay(key or "")
            if replay is None:  # pragma: no cover - the row was committed before we failed
                raise
            return replay
        version = loaded.version + len(recorded)
        aggregates.appended(stream_id, loaded, state, version, snapshot is not None)
        return Answer(status, answer_body(stream_id, version, recorded))

    async def once(self, attempt: Callable[[], Awaitable[Answer]]) -> Answer:
        """Run `attempt` unless this idempotency key already has an answer; then that answer."""
        key = self.meta.idempotency_key
        if key is not None:
            replay = await self._replay(key)
            if replay is not None:
                return replay
        try:
            return await attempt()
        except (ConcurrencyError, DomainError):
            # A retry racing its own first attempt: that attempt committed after the replay
            # check above, so we decided on a changed state. The first answer is the
            # answer, not a conflict with ourselves.
            if key is None:
                raise
            stored = await self.commands.store.remembered(key)
            if stored is None or stored[0] != self.meta.fingerprint:
                raise
            return Answer(stored[1], stored[2], replayed=True)

    async def _replay(self, key: str) -> Answer | None:
        stored = await self.commands.store.remembered(key)
        if stored is None:
            return None
        stored_fingerprint, status, body = stored
        if stored_fingerprint != self.meta.fingerprint:
            raise IdempotencyKeyReused(key)
        return Answer(status, body, replayed=True)
