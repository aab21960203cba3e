"""Reactions (process managers): another service's event in, a command of this service out,
exactly once in effect.

A reaction is a projection fed by the shared ProjectionRunner: it reads the
events it reacts to from JetStream in order, from its checkpoint, and for each
one issues a command through the service's own command path (handler, decider,
event store). "Exactly once" rests on three guards, each covering what the
others cannot:

* The command carries an idempotency key derived from the causing event's id
  (`reaction:<name>:<event id>`). The event store keeps the key with the
  events in one transaction, so the same event delivered again — a re-sent
  message, a replay after a restart between the append and the checkpoint, or
  a second process of the service reading the same stream — gets the first
  answer back and appends nothing. Two processes racing on one event: one
  append wins, the other finds the key taken and replays its answer.
* The envelope records why: actor `system:<component>`, causation id = the
  causing event's id, correlation id carried over.
* The decider itself should treat the same cause twice as nothing to do (it
  sees the cause in its state), so even a key lost to a future clean-up of
  stored answers changes nothing.

What the command refuses (a DomainError) is the reaction's to record, in its
own tables and in the runner's transaction (`react` gets that connection):
e.g. a list of causes that matched nothing, for officers to look at.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from shared.commands import CommandCall, CommandMeta, Commands
from shared.eventstore import ConcurrencyError, Metadata
from shared.readmodel import Delivered, TableProjection

ATTEMPTS = 5
"""How often a command refused by a concurrent change is decided again on the new state."""


class Reaction(TableProjection):
    """A process manager run by the projection runner. Subclasses set `name`, `subjects`,
    `registry`, `schema`, `tables` and `actor`, and write `react`.

    `bind` gives it the service's command path (the runtime does, before the
    runner starts). Rebuilding a reaction (empty its tables, replay) issues
    every command again, and every one answers from its stored key: nothing new.
    """

    actor: str
    _commands: Commands | None = None

    def bind(self, commands: Commands) -> None:
        """Use `commands` (the service's command path) for the commands this reaction issues."""
        self._commands = commands

    def call_for(self, item: Delivered) -> CommandCall:
        """The command call for a reaction to `item`: keyed by its id, caused by it."""
        if self._commands is None:
            raise RuntimeError(f"reaction {self.name} is not bound to a command path")
        cause = item.recorded
        key = f"reaction:{self.name}:{cause.id}"
        metadata = Metadata(
            actor=self.actor, correlation_id=cause.correlationid or cause.id, causation_id=cause.id
        )
        return self._commands.call(
            CommandMeta(metadata=metadata, idempotency_key=key, fingerprint=key)
        )

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        """React to each event in order; a command that lost a race is decided again."""
        for item in batch:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    await self.react(conn, item)
                    break
                except ConcurrencyError:
                    if attempt == ATTEMPTS:
                        raise

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        await self.apply(conn, [item])

    async def react(self, conn: asyncpg.Connection, item: Delivered) -> None:
        """Issue the command `item` calls for (through `call_for(item)`); record refusals."""
        raise NotImplementedError
