"""A generation built from the first event (counters staged, then added up once) holds exactly
the rows that batch-by-batch folding gives, over a generated history of three regions with
corrections and voids, whatever the batch boundaries."""

from __future__ import annotations

import asyncpg

from services.reporting.projection import ReportingProjection
from services.reporting.reading import read_envelope
from shared.readmodel import Delivered
from shared.schema import PROJECTION_SCHEMA
from tests.unit.reporting.generated import generate

TABLES = (
    "counters_day",
    "counters_month",
    "counters_total",
    "counters_unit_month",
    "ambassador_day",
    "evaluations",
    "step_durations",
    "step_days_total",
    "agreements",
    "programs",
    "states",
)


def wire_history() -> list[Delivered]:
    """The generated history as reporting reads it off the wire."""
    items = []
    for item in generate(["jatim", "papua", "aceh"], 40, seed=11).items:
        read = read_envelope(item.recorded.to_cloudevent_bytes())
        assert not isinstance(read, str), read
        items.append(Delivered(item.seq, read[0], read[1]))  # type: ignore[arg-type]
    return items


async def fold(
    pool: asyncpg.Pool, generation: int, items: list[Delivered], batch: int, *, bulk: bool
) -> dict[str, list[tuple[object, ...]]]:
    projection = ReportingProjection(generation)
    async with pool.acquire() as conn:
        await conn.execute(PROJECTION_SCHEMA)
        await projection.reset(conn)
    projection.bulk = bulk
    for start in range(0, len(items), batch):
        async with pool.acquire() as conn, conn.transaction():
            await projection.apply(conn, items[start : start + batch])
    if bulk:
        await projection.finish_bulk(pool)
    tables = {}
    async with pool.acquire() as conn:
        for table in TABLES:
            tables[table] = await rows_of(conn, projection.schema, table)
    return tables


async def rows_of(conn: asyncpg.Connection, schema: str, table: str) -> list[tuple[object, ...]]:
    """A table's rows, sorted; a counter at 0 is as good as none (a +1 and its -1 in one batch
    leave no row, in two batches a row at 0)."""
    rows = [dict(row) for row in await conn.fetch(f"SELECT * FROM {schema}.{table}")]
    return sorted(tuple(row.values()) for row in rows if row.get("value", 1) != 0)


async def test_bulk_build_equals_batch_by_batch(pool: asyncpg.Pool) -> None:
    items = wire_history()
    names = {item.recorded.type.split(".")[2] for item in items}
    assert {"activity_corrected", "activity_voided", "program_evaluated"} <= names
    live = await fold(pool, 901, items, 97, bulk=False)
    built = await fold(pool, 902, items, 1000, bulk=True)
    assert len(live["counters_day"]) > 500 and live["step_durations"]
    for table in TABLES:
        assert built[table] == live[table], table


async def test_bulk_then_live_batches_add_to_the_merged_rows(pool: asyncpg.Pool) -> None:
    """After the merge a generation goes on batch by batch (the rebuild's live part)."""
    items = wire_history()
    half = len(items) // 2
    live = await fold(pool, 903, items, 250, bulk=False)
    projection = ReportingProjection(904)
    async with pool.acquire() as conn:
        await conn.execute(PROJECTION_SCHEMA)
        await projection.reset(conn)
    projection.bulk = True
    async with pool.acquire() as conn, conn.transaction():
        await projection.apply(conn, items[:half])
    await projection.finish_bulk(pool)
    assert not projection.bulk
    async with pool.acquire() as conn, conn.transaction():
        await projection.apply(conn, items[half:])
    async with pool.acquire() as conn:
        for table in TABLES:
            assert await rows_of(conn, projection.schema, table) == live[table], table
