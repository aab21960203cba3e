"""A copy of a generation's answering tables into another, at one consistent moment.

The as-of reports (services/reporting/asof.py) use it when the live
generation already holds exactly the history recorded by the moment asked
for: the copy is that moment's temporary generation, with nothing to replay.
The tables are read in one REPEATABLE READ snapshot, exported to a second
connection so that both halves copy at once, each table filled with its
indexes built after its rows (services/reporting/filling.py). The states and
the staging tables are not copied: a temporary generation only answers.
"""

from __future__ import annotations

import asyncio

import asyncpg

from services.reporting.filling import fill

NOT_COPIED = frozenset({"states", "counter_deltas", "ambassador_deltas", "duration_rows"})
FIRST_HALF = frozenset({"counters_day", "programs", "evaluations"})
"""The day counters (most rows) and a few small tables; the rest is the other half."""


async def answering_tables(conn: asyncpg.Connection, schema: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1"
        " AND table_type = 'BASE TABLE' ORDER BY 1",
        schema,
    )
    return [row["table_name"] for row in rows if row["table_name"] not in NOT_COPIED]


async def copy_tables(
    pool: asyncpg.Pool, snapshot_id: str, source: str, target: str, tables: list[str]
) -> None:
    """Fill `target`'s (empty) `tables` from `source`'s as of the exported `snapshot_id`."""

    async def half(names: list[str]) -> None:
        async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
            await conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot_id}'")
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for name in names:
                await fill(
                    conn,
                    f"{target}.{name}",
                    f"SELECT * FROM {source}.{name}",
                    on_conflict="",
                    indexes_aside=True,
                )

    await asyncio.gather(
        half([t for t in tables if t in FIRST_HALF]),
        half([t for t in tables if t not in FIRST_HALF]),
    )
