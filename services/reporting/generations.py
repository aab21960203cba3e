"""Generations of the projections: which one answers, and building a new one beside it.

Queries read the active generation's number and its tables in one
REPEATABLE READ transaction, so a switch never shows them half of one and
half of another. A rebuild creates generation N+1, replays the stream into
it from the first event while N keeps answering and keeps up, lets N+1 catch
up with the live stream, then switches the `active` row in one transaction.
The old schema is dropped a while later, once queries that started on it
have finished.
"""

from __future__ import annotations

import asyncpg

from services.reporting.schema import (
    CONTROL,
    PROJECTION_VERSION,
    part_name,
    projection_name,
    schema_name,
)
from shared.schema import PROJECTION_SCHEMA


async def ensure(pool: asyncpg.Pool) -> int:
    """Create the control table (and generation 1 if none); drop unfinished builds; the active
    generation's number."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('reporting_generations'))")
        await conn.execute(PROJECTION_SCHEMA)
        await conn.execute(CONTROL)
        for row in await conn.fetch(
            "SELECT generation FROM reporting_generations WHERE state IN ('building', 'retired')"
        ):
            await drop(conn, row["generation"])
        active = await conn.fetchval(
            "SELECT generation FROM reporting_generations WHERE state = 'active'"
        )
        if active is None:
            active = 1
            await conn.execute(
                "INSERT INTO reporting_generations"
                " (generation, state, switched_at, projection_version)"
                " VALUES (1, 'active', now(), $1)",
                PROJECTION_VERSION,
            )
        return int(active)


async def active(conn: asyncpg.Connection) -> int:
    value = await conn.fetchval(
        "SELECT generation FROM reporting_generations WHERE state = 'active'"
    )
    return int(value or 1)


async def is_current(pool: asyncpg.Pool, generation: int) -> bool:
    """Whether `generation` was made by this code's PROJECTION_VERSION."""
    async with pool.acquire() as conn:
        return await is_current_in(conn, generation)


async def is_current_in(conn: asyncpg.Connection, generation: int) -> bool:
    """`is_current`, read on `conn` (in its transaction)."""
    version = await conn.fetchval(
        "SELECT projection_version FROM reporting_generations WHERE generation = $1", generation
    )
    return bool(version == PROJECTION_VERSION)


async def begin_build(pool: asyncpg.Pool) -> int:
    """Register a new generation being built; its number."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('reporting_generations'))")
        building = await conn.fetchval(
            "SELECT generation FROM reporting_generations WHERE state = 'building'"
        )
        if building is not None:
            raise RebuildRunning(int(building))
        number = int(
            await conn.fetchval(
                "SELECT coalesce(max(generation), 0) + 1 FROM reporting_generations"
            )
        )
        await conn.execute(
            "INSERT INTO reporting_generations (generation, state, projection_version)"
            " VALUES ($1, 'building', $2)",
            number,
            PROJECTION_VERSION,
        )
        return number


async def switch(pool: asyncpg.Pool, new: int) -> int:
    """Make `new` the active generation in one transaction; the one it replaces."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('reporting_generations'))")
        old = await active(conn)
        await conn.execute(
            "UPDATE reporting_generations SET state = 'retired' WHERE state = 'active'"
        )
        await conn.execute(
            "UPDATE reporting_generations SET state = 'active', switched_at = now()"
            " WHERE generation = $1",
            new,
        )
        return old


async def drop(conn: asyncpg.Connection, generation: int) -> None:
    """Remove a generation's tables, checkpoint and positions."""
    await conn.execute(f"DROP SCHEMA IF EXISTS {schema_name(generation)} CASCADE")
    names = [projection_name(generation), part_name(generation, 0), part_name(generation, 1)]
    await conn.execute(
        "DELETE FROM pas_projection_sources WHERE projection = ANY($1::text[])", names
    )
    await conn.execute(
        "DELETE FROM pas_projection_checkpoints WHERE projection = ANY($1::text[])", names
    )
    await conn.execute("DELETE FROM reporting_generations WHERE generation = $1", generation)


async def abandon(pool: asyncpg.Pool, generation: int) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await drop(conn, generation)


class RebuildRunning(Exception):
    """A rebuild is already under way."""

    def __init__(self, generation: int) -> None:
        super().__init__(f"generation {generation} is being built")
        self.generation = generation
