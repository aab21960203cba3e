"""The command path: what a handler uses to load, decide and append, once per idempotency key.

A service's handlers (services/<service>/handlers) each take a `CommandCall`:
what the caller sent (metadata, If-Match, Idempotency-Key) bound to the event
store, the clock and the id factory of the process. A handler loads each
aggregate it needs once, builds its decider's context, decides, and appends
with the version it loaded:

    @idempotent
    async def suspend_partner(*, call, partner_id, command) -> Answer:
        loaded = await call.target(partner.decider, partner_id)
        context = partner.PartnerContext(today=call.today(), region=call.region)
        events = partner.decider.decide(command, loaded.state, context)
        return await call.append(partner_id, loaded, events)

Idempotency (`idempotent`): with an `Idempotency-Key`, the first answer is
stored in the same transaction as the events, and a retry gets that answer
back without deciding again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from shared.aggregates import Aggregates, Loaded
from shared.decider import Decider, DomainError
from shared.envelope import RecordedEvent
from shared.events import Event, EventRegistry
from shared.eventstore import (
    Claim,
    ConcurrencyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
    Store,
)
from shared.ids import Clock, IdFactory
from shared.regions import local_date

S = TypeVar("S")
P = ParamSpec("P")


@dataclass(frozen=True)
class Answer:
    """What a command answers over HTTP."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


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
    """The command path of one service process: its store, clock, id factory and region."""

    def __init__(
        self,
        store: Store,
        registry: EventRegistry,
        *,
        clock: Clock,
        ids: IdFactory,
        region: str,
    ) -> None:
        self.store = store
        self.registry = registry
        self.clock = clock
        self.ids = ids
        self.region = region
        self.aggregates = Aggregates(store, registry)

    def today(self) -> date:
        """The region's local date now (WIB, WITA or WIT), by the injected clock."""
        return local_date(self.region, self.clock())

    async def current(self, decider: Decider[Any, S, Any], stream_id: UUID) -> Loaded[S]:
        """An aggregate's current state, folding only the events after its known state."""
        return await self.aggregates.load(decider, stream_id)

    async def load(self, decider: Decider[Any, S, Any], stream_id: UUID) -> Loaded[S]:
        """An aggregate folded from its whole stream, with that stream (to show its history)."""
        history = await self.store.read_stream(stream_id)
        events = [self.registry.load_json(e.type, e.data_json) for e in history]
        return Loaded(decider.fold(events), len(history), history)

    def call(self, meta: CommandMeta) -> CommandCall:
        """The means to run one command sent with `meta`."""
        return CommandCall(self, meta)


class CommandCall:
    """One command being handled: load, decide, append, with the caller's guards."""

    def __init__(self, commands: Commands, meta: CommandMeta) -> None:
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
            answer = functools.partial(_stored_answer, status, stream_id, loaded.version)
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


def _stored_answer(
    status: int, stream_id: UUID, version: int, recorded: list[RecordedEvent]
) -> tuple[int, dict[str, Any]]:
    return status, answer_body(stream_id, version + len(recorded), recorded)


def idempotent(handler: Callable[P, Awaitable[Answer]]) -> Callable[P, Awaitable[Answer]]:
    """Makes a command handler answer a retry (same Idempotency-Key) with its first answer.

    The handler takes its `CommandCall` as the keyword argument `call`.
    """

    @functools.wraps(handler)
    async def handle_once(*args: P.args, **kwargs: P.kwargs) -> Answer:
        call = kwargs.get("call")
        if not isinstance(call, CommandCall):
            raise TypeError(f"{handler.__name__} takes its CommandCall as call=...")
        return await call.once(functools.partial(handler, *args, **kwargs))

    return handle_once
