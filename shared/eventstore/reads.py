"""Reading a service log: one stream, the whole log in batches, the head, claims, answers.

`LogReads` is the read side of the PostgreSQL `EventStore` (which adds
appending); an auditor or a rebuild needs only this.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from typing import Any
from uuid import UUID

import asyncpg

from shared.envelope import RecordedEvent
from shared.events import EventRegistry
from shared.eventstore import statements as sql
from shared.eventstore.recording import EMPTY_HEAD, Head
from shared.eventstore.types import Claim, Snapshot
from shared.readmodel import Delivered, Projection

COLUMNS = (
    "position, id::text, stream_id::text, stream_type, version, type, source, region, "
    "time, data, actor, correlation_id, causation_id, prevhash, hash"
)


def row_to_event(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        id=row[1],
        type=row[5],
        source=row[6],
        subject=row[2],
        time=row[8],
        region=row[7],
        aggregatetype=row[3],
        aggregateversion=row[4],
        position=row[0],
        actor=row[10],
        correlationid=row[11],
        causationid=row[12],
        prevhash=row[13],
        hash=row[14],
        data_json=row[9],
    )


class LogReads:
    """Read queries over the log `self.log` on `self.pool`."""

    pool: asyncpg.Pool
    log: str

    async def claim_holder(self, claim: Claim) -> UUID | None:
        """The stream holding a unique key, if any."""
        async with self.pool.acquire() as conn:
            return await sql.claim_holder(conn, claim)

    async def remembered(self, key: str) -> tuple[str, int, Any] | None:
        """(request_hash, status, body) stored for an idempotency key, if any."""
        async with self.pool.acquire() as conn:
            row = await sql.remembered(conn, key)
        if row is None:
            return None
        return row[0], row[1], json.loads(row[2])

    async def read_stream(self, stream_id: UUID, after_version: int = 0) -> list[RecordedEvent]:
        """The events of one stream after `after_version` (all by default), in version order."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM pas_events WHERE stream_id = $1 AND version > $2"
                " ORDER BY version",
                stream_id,
                after_version,
            )
        return [row_to_event(row) for row in rows]

    async def read_versions(self, stream_id: UUID, versions: Sequence[int]) -> list[RecordedEvent]:
        """The events of one stream at these versions, in version order."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM pas_events WHERE stream_id = $1"
                " AND version = ANY($2::int[]) ORDER BY version",
                stream_id,
                list(versions),
            )
        return [row_to_event(row) for row in rows]

    async def read_snapshot(self, stream_id: UUID) -> Snapshot | None:
        """The latest snapshot kept for a stream, if any."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(sql.READ_SNAPSHOT, stream_id)
        return None if row is None else Snapshot(row[0], row[1], row[2])

    async def read_log(
        self, after: int = 0, *, batch: int = 1000, until: int | None = None
    ) -> AsyncIterator[list[RecordedEvent]]:
        """The log from position `after + 1` on, in batches (up to `until` if given)."""
        while True:
            async with self.pool.acquire() as conn:
                rows = await conn.fetch(
                    f"SELECT {COLUMNS} FROM pas_events WHERE log = $1 AND position > $2"
                    " AND ($4::bigint IS NULL OR position <= $4) ORDER BY position LIMIT $3",
                    self.log,
                    after,
                    batch,
                    until,
                )
            if not rows:
                return
            events = [row_to_event(row) for row in rows]
            yield events
            after = events[-1].position
            if len(rows) < batch:
                return

    async def rebuild_inline(self, projection: Projection, registry: EventRegistry) -> int:
        """Empty an inline projection and replay this log into it; return the events applied."""
        applied = 0
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM pas_log_heads WHERE log = $1 FOR UPDATE", self.log)
            await projection.reset(conn)
            after = 0
            while True:
                rows = await conn.fetch(
                    f"SELECT {COLUMNS} FROM pas_events WHERE log = $1 AND position > $2"
                    " ORDER BY position LIMIT 1000",
                    self.log,
                    after,
                )
                if not rows:
                    break
                recorded = [row_to_event(row) for row in rows]
                batch = [
                    Delivered(r.position, r, registry.load_json(r.type, r.data_json))
                    for r in recorded
                ]
                await projection.apply(conn, batch)
                applied += len(batch)
                after = recorded[-1].position
        return applied

    async def head(self) -> Head:
        """The last position and hash of this log."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(sql.READ_HEAD, self.log)
        return EMPTY_HEAD if row is None else (row[0], row[1])
