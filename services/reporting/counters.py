"""The counters of a generation: a batch's deltas added by day, month, unit and month, and in
total, by PostgreSQL.

Live, each batch's deltas (already summed per region, local date, unit and
metric by the fold) go over once and one statement adds them to the four
tables (`add`). While a generation is built from the first event, the deltas
are only appended to an unlogged table (`stage`, binary COPY: no index, no
update) and added up once at the end (`merge_staged`): a row of
`counters_day` is then written once instead of once per batch that touched it.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from services.reporting.filling import fill

Deltas = dict[tuple[str, date, str, str], int]  # (region, local date, unit, metric) -> n

_ADD = """
WITH d AS MATERIALIZED ({source}), by_day AS (
    INSERT INTO {s}.counters_day AS t
    SELECT region, day, metric, sum(n) FROM d GROUP BY region, day, metric
    ON CONFLICT (region, day, metric) DO UPDATE SET value = t.value + EXCLUDED.value
), by_month AS (
    INSERT INTO {s}.counters_month AS t
    SELECT region, date_trunc('month', day)::date, metric, sum(n) FROM d GROUP BY 1, 2, 3
    ON CONFLICT (region, month, metric) DO UPDATE SET value = t.value + EXCLUDED.value
), by_unit AS (
    INSERT INTO {s}.counters_unit_month AS t
    SELECT region, unit, date_trunc('month', day)::date, metric, sum(n) FROM d
    WHERE unit <> '' GROUP BY 1, 2, 3, 4
    ON CONFLICT (region, unit, month, metric) DO UPDATE SET value = t.value + EXCLUDED.value
)
INSERT INTO {s}.counters_total AS t
SELECT region, metric, sum(n) FROM d GROUP BY region, metric
ON CONFLICT (region, metric) DO UPDATE SET value = t.value + EXCLUDED.value
"""
_ARRAYS = (
    "SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::bigint[])"
    " AS d (region, day, unit, metric, n)"
)


def staging_table(s: str) -> str:
    """The unlogged table of staged deltas in schema `s` (part of every generation's tables)."""
    return (
        f"CREATE UNLOGGED TABLE IF NOT EXISTS {s}.counter_deltas"
        ' (region text COLLATE "C" NOT NULL, day date NOT NULL, unit text COLLATE "C" NOT NULL,'
        ' metric text COLLATE "C" NOT NULL, n bigint NOT NULL);'
    )


async def add(conn: asyncpg.Connection, s: str, deltas: Deltas) -> None:
    """Add a batch's deltas to the four tables (one statement)."""
    keys = [key for key, n in deltas.items() if n]
    if not keys:
        return
    regions, days, units, metrics = zip(*keys, strict=True)
    await conn.execute(
        _ADD.format(source=_ARRAYS, s=s), regions, days, units, metrics, [deltas[k] for k in keys]
    )


async def stage(conn: asyncpg.Connection, s: str, deltas: Deltas) -> None:
    """Append a batch's deltas to the staging table (added up by `merge_staged`)."""
    records = [(*key, n) for key, n in deltas.items() if n]
    if records:
        await conn.copy_records_to_table("counter_deltas", schema_name=s, records=records)


async def merge_staged(
    conn: asyncpg.Connection,
    s: str,
    *,
    tables: tuple[str, ...] | None = None,
    indexes_aside: bool = True,
) -> None:
    """Add every staged delta to the four tables (or only those in `tables`); the caller empties
    the staging table. An empty table is filled with its indexes built after the rows, unless
    `indexes_aside` is false (services/reporting/filling.py)."""
    await conn.execute("SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '256MB'")
    for table, key, select in _MERGE:
        if tables is not None and table not in tables:
            continue
        sums, name = select.format(s=s), f"{s}.{table}"
        months_merged = tables is None or "counters_month" in tables
        if (
            table == "counters_total"
            and months_merged
            and await conn.fetchval(f"SELECT NOT EXISTS (SELECT FROM {name})")
        ):  # the months just merged hold the same sums in far fewer rows
            sums = f"SELECT region, metric, sum(value) FROM {s}.counters_month GROUP BY 1, 2"
        await fill(
            conn,
            name,
            sums,
            on_conflict=f"ON CONFLICT ({', '.join(key)})"
            " DO UPDATE SET value = t.value + EXCLUDED.value",
            indexes_aside=indexes_aside,
        )


DAY = ("counters_day",)
NOT_DAY = ("counters_month", "counters_unit_month", "counters_total")

# Rows go in in key order: a region's days and months lie together on disk, so a report of one
# region and period reads a few pages, not one page a row (38 ms -> 4 ms a report at 1,000,000
# events, the table larger than PostgreSQL's buffers).
_MERGE = (
    (
        "counters_day",
        ("region", "day", "metric"),
        "SELECT region, day, metric, sum(n) FROM {s}.counter_deltas GROUP BY 1, 2, 3"
        " ORDER BY 1, 2, 3",
    ),
    (
        "counters_month",
        ("region", "month", "metric"),
        "SELECT region, date_trunc('month', day)::date AS month, metric, sum(n)"
        " FROM {s}.counter_deltas GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
    (
        "counters_unit_month",
        ("region", "unit", "month", "metric"),
        "SELECT region, unit, date_trunc('month', day)::date AS month, metric, sum(n)"
        " FROM {s}.counter_deltas WHERE unit <> '' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    ),
    (
        "counters_total",
        ("region", "metric"),
        "SELECT region, metric, sum(n) FROM {s}.counter_deltas GROUP BY 1, 2",
    ),
)
