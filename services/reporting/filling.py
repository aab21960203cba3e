"""Filling a table of a generation from a query: at once into an empty table, indexes after.

A table still empty (a generation built from the first event: the usual
case) is filled with its primary key and indexes set aside and built
afterwards, each in one sort: several times faster than keeping them up row
by row. Not when the generation answers queries meanwhile (`indexes_aside`
false): dropping an index would lock them out, and a report holding its
tables in the other order would deadlock. A table that already has rows gets
the query's rows through its `ON CONFLICT` clause.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg


async def fill(
    conn: asyncpg.Connection, table: str, rows: str, *, on_conflict: str, indexes_aside: bool
) -> None:
    """`INSERT INTO table AS t <rows>`, with `on_conflict` unless `table` is empty (`rows` then
    yields each key once)."""
    if not await conn.fetchval(f"SELECT NOT EXISTS (SELECT FROM {table})"):
        await conn.execute(f"INSERT INTO {table} AS t {rows} {on_conflict}")
    elif indexes_aside:
        async with indexes_set_aside(conn, table):
            await conn.execute(f"INSERT INTO {table} {rows}")
    else:
        await conn.execute(f"INSERT INTO {table} {rows}")


@contextlib.asynccontextmanager
async def indexes_set_aside(conn: asyncpg.Connection, table: str) -> AsyncIterator[None]:
    """Drop `table`'s primary key and indexes, and build them again after the block."""
    keys = await conn.fetch(
        "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint"
        " WHERE conrelid = $1::regclass AND contype = 'p'",
        table,
    )
    indexes = await conn.fetch(
        "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition"
        " FROM pg_index WHERE indrelid = $1::regclass AND NOT indisprimary",
        table,
    )
    for row in indexes:
        await conn.execute(f"DROP INDEX {row['name']}")
    for row in keys:
        await conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{row["conname"]}"')
    yield
    for row in keys:
        await conn.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{row["conname"]}" {row["definition"]}'
        )
    for row in indexes:
        await conn.execute(row["definition"])
