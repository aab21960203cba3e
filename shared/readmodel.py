"""What a projection is: tables kept from events, fed in order, inside a transaction.

The same projection can run inline (in the event store's append transaction,
for a service's own views: read-your-writes) or from a JetStream stream
through the projection runner (for what a service learns from others).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import asyncpg

from shared.envelope import RecordedEvent
from shared.events import Event, EventRegistry


@dataclass(frozen=True, slots=True)
class Delivered:
    """A typed event with its envelope and its sequence (stream seq., or log position inline).

    `raw` is the message as it came, when the reader kept it: a dead letter then carries
    those bytes instead of an envelope written again from `recorded`."""

    seq: int
    recorded: RecordedEvent
    event: Event
    raw: bytes | None = None


class Projection(Protocol):
    """Tables kept from events. `apply` runs inside the caller's transaction and is idempotent.

    A projection may also have `committed()`: called once the transaction of its last
    `apply` has committed (not after one that rolled back), e.g. to take in what it keeps in
    memory between batches.
    """

    name: str
    subjects: Sequence[str]
    registry: EventRegistry

    async def setup(self, conn: asyncpg.Connection) -> None: ...

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None: ...

    async def reset(self, conn: asyncpg.Connection) -> None: ...


class TableProjection:
    """A Projection over plain tables: `schema` creates them, `tables` are emptied on reset,
    and events are applied one at a time, in order, by `apply_one`.

    Subclasses set `name`, `subjects`, `schema`, `tables` and a `registry`, and
    write `apply_one` idempotently (e.g. guarded by the aggregate's version).
    """

    name: str
    subjects: Sequence[str]
    registry: EventRegistry
    schema: str
    tables: Sequence[str]

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(self.schema)

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute(f"TRUNCATE {', '.join(self.tables)}")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        for item in batch:
            await self.apply_one(conn, item)

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        raise NotImplementedError
