"""Where a projection stands: its stream sequence, and the last log position of each source.

Both are written in the transaction that applies a batch, so PostgreSQL (not
the consumer) remembers where a projection is; the highest position per source
(e.g. `/pas/jatim/partners`) lets a service wait until it has seen an event it
was told about (`ProjectionRunner.wait_for_source_position`).
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from shared.readmodel import Delivered, Projection
from shared.schema import PROJECTION_SCHEMA

_STORE = (
    "UPDATE pas_projection_checkpoints SET stream_seq = greatest(stream_seq, $2),"
    " applied = applied + $3, updated_at = now() WHERE projection = $1"
)
_STORE_WITH_SOURCES = (
    "WITH sources AS (INSERT INTO pas_projection_sources (projection, source, position)"
    " SELECT $1, s.source, s.position FROM unnest($4::text[], $5::bigint[])"
    " AS s(source, position) ON CONFLICT (projection, source) DO UPDATE"
    " SET position = greatest(pas_projection_sources.position, EXCLUDED.position)) " + _STORE
)


class ProjectionCheckpoints:
    """The checkpoint rows of one projection."""

    def __init__(self, pool: asyncpg.Pool, name: str) -> None:
        self.pool = pool
        self.name = name

    async def setup(self, projection: Projection) -> None:
        """Create the tables (idempotent), the projection's own, and its checkpoint row."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('pas_schema'))")
            await conn.execute(PROJECTION_SCHEMA)
            await projection.setup(conn)
            await conn.execute(
                "INSERT INTO pas_projection_checkpoints (projection, stream_seq)"
                " VALUES ($1, 0) ON CONFLICT DO NOTHING",
                self.name,
            )

    async def read(self) -> int:
        """The stream sequence applied so far."""
        async with self.pool.acquire() as conn:
            seq = await conn.fetchval(
                "SELECT stream_seq FROM pas_projection_checkpoints WHERE projection = $1",
                self.name,
            )
        return int(seq or 0)

    async def reset(self, conn: asyncpg.Connection) -> None:
        """Back to the start (in the caller's transaction, with the projection's reset)."""
        await conn.execute("DELETE FROM pas_projection_sources WHERE projection = $1", self.name)
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = 0, applied = 0,"
            " updated_at = now() WHERE projection = $1",
            self.name,
        )

    async def store(self, conn: asyncpg.Connection, seq: int, applied: int) -> None:
        """Move the checkpoint to `seq` (never back), counting `applied` events."""
        await conn.execute(_STORE, self.name, seq, applied)

    async def store_with_sources(
        self, conn: asyncpg.Connection, batch: Sequence[Delivered], seq: int
    ) -> None:
        """The highest position of each source in the batch and the checkpoint (as `store`),
        in one statement: one round trip."""
        highest: dict[str, int] = {}
        for item in batch:
            source = item.recorded.source
            highest[source] = max(highest.get(source, 0), item.recorded.position)
        await conn.execute(
            _STORE_WITH_SOURCES, self.name, seq, len(batch), list(highest), list(highest.values())
        )

    async def source_position(self, source: str) -> int:
        """The highest log position applied from `source` (e.g. `/pas/jatim/partners`)."""
        async with self.pool.acquire() as conn:
            value = await conn.fetchval(
                "SELECT position FROM pas_projection_sources WHERE projection = $1 AND source = $2",
                self.name,
                source,
            )
        return int(value or 0)
