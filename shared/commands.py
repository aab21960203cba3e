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
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, ParamSpec, TypeVar
from uuid import UUID

from shared.aggregates import Aggregates, Loaded
from shared.answers import (
    Answer,
    IdempotencyKeyReused,
    fingerprint,
)
from shared.command_call import CommandCall, CommandMeta
from shared.decider import Decider
from shared.events import EventRegistry
from shared.eventstore import (
    Store,
)
from shared.ids import Clock, IdFactory
from shared.regions import local_date

__all__ = [
    "Answer",
    "CommandCall",
    "CommandMeta",
    "Commands",
    "IdempotencyKeyReused",
    "Loaded",
    "fingerprint",
    "idempotent",
]

S = TypeVar("S")
P = ParamSpec("P")


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
