"""A generation built from the first event (states and counter sums kept in memory between
batches, counters staged, then added up once) holds exactly the rows that batch-by-batch folding
gives, over a generated history of three regions with corrections and voids, whatever the batch
boundaries, the room in memory, or the batches that fail."""

from __future__ import annotations

import asyncpg
import pytest

from services.reporting.carried import Carried
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


class Failed(Exception):
    """A batch's transaction made to fail after the projection applied it."""


async def fold(
    pool: asyncpg.Pool,
    generation: int,
    items: list[Delivered],
    batch: int,
    *,
    bulk: bool,
    carried: Carried | None = None,
    fail_every: int = 0,
) -> dict[str, list[tuple[object, ...]]]:
    """The tables after `items` in batches of `batch`, as the runner applies them (`committed`
    after each commit); every `fail_every`-th batch first fails once after it was applied (its
    transaction rolls back) and is then applied again."""
    projection = ReportingProjection(generation)
    async with pool.acquire() as conn:
        await conn.execute(PROJECTION_SCHEMA)
        await projection.reset(conn)
    projection.bulk = bulk
    if carried is not None:
        projection.carried = carried
    for number, start in enumerate(range(0, len(items), batch), start=1):
        if fail_every and number % fail_every == 0:
            with pytest.raises(Failed):
                async with pool.acquire() as conn, conn.transaction():
                    await projection.apply(conn, items[start : start + batch])
                    raise Failed
        async with pool.acquire() as conn, conn.transaction():
            await projection.apply(conn, items[start : start + batch])
        projection.committed()
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


async def test_states_and_sums_kept_in_memory_leave_it_without_changing_a_row(
    pool: asyncpg.Pool,
) -> None:
    """With room for a few states and deltas only, states keep leaving memory (written) and
    coming back (read again) and deltas are staged many times; batches whose transaction fails
    leave nothing behind in memory: the same rows as batch by batch."""
    items = wire_history()
    live = await fold(pool, 905, items, 97, bulk=False)
    small = Carried(max_states=7, max_deltas=50)
    built = await fold(pool, 906, items, 61, bulk=True, carried=small, fail_every=3)
    assert small.committed == -(-len(items) // 61)
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
    projection.committed()
    await projection.finish_bulk(pool)
    assert not projection.bulk
    async with pool.acquire() as conn, conn.transaction():
        await projection.apply(conn, items[half:])
    async with pool.acquire() as conn:
        for table in TABLES:
            assert await rows_of(conn, projection.schema, table) == live[table], table
