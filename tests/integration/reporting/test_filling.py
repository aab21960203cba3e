"""Filling a generation's table from a query (services/reporting/filling.py): an empty table gets
the rows with its primary key and indexes built after them (the same indexes, the key still
enforced), or kept in place when asked; a table with rows gets them through ON CONFLICT."""

from __future__ import annotations

import asyncpg
import pytest

from services.reporting.filling import fill

TABLE = "filling_test.sums"
ROWS = "SELECT k, sum(n) FROM filling_test.deltas GROUP BY k"
ADD = "ON CONFLICT (k) DO UPDATE SET value = t.value + EXCLUDED.value"


async def _fresh(conn: asyncpg.Connection) -> None:
    await conn.execute(
        "DROP SCHEMA IF EXISTS filling_test CASCADE; CREATE SCHEMA filling_test;"
        " CREATE TABLE filling_test.sums (k text PRIMARY KEY, value bigint NOT NULL);"
        " CREATE INDEX sums_value ON filling_test.sums (value);"
        " CREATE TABLE filling_test.deltas (k text NOT NULL, n bigint NOT NULL);"
        " INSERT INTO filling_test.deltas VALUES ('a', 1), ('b', 2), ('a', 3), ('c', 5);"
    )


async def _indexes(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch(
        "SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index"
        " WHERE indrelid = 'filling_test.sums'::regclass ORDER BY 1"
    )
    return [row["d"] for row in rows]


@pytest.mark.parametrize("aside", [True, False])
async def test_an_empty_table_is_filled_and_keeps_its_indexes(
    pool: asyncpg.Pool, aside: bool
) -> None:
    async with pool.acquire() as conn:
        await _fresh(conn)
        before = await _indexes(conn)
        async with conn.transaction():
            await fill(conn, TABLE, ROWS, on_conflict=ADD, indexes_aside=aside)
        assert dict(await conn.fetch(f"SELECT k, value FROM {TABLE}")) == {"a": 4, "b": 2, "c": 5}
        assert await _indexes(conn) == before and len(before) == 2
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(f"INSERT INTO {TABLE} VALUES ('a', 1)")
        await conn.execute("DROP SCHEMA filling_test CASCADE")


async def test_a_table_with_rows_adds_through_on_conflict(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await _fresh(conn)
        await conn.execute(f"INSERT INTO {TABLE} VALUES ('a', 10), ('z', 7)")
        async with conn.transaction():
            await fill(conn, TABLE, ROWS, on_conflict=ADD, indexes_aside=True)
        got = dict(await conn.fetch(f"SELECT k, value FROM {TABLE}"))
        assert got == {"a": 14, "b": 2, "c": 5, "z": 7}
        await conn.execute("DROP SCHEMA filling_test CASCADE")
