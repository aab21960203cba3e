"""Building a generation from the first event: each batch appends, the end adds up.

A generation being built answers no query, and one a crash leaves unfinished
is dropped (generations.ensure) or built again (a first catch-up: runtime.py;
`BUILDING` marks it), so while it is built its batches need not keep the
tables ready to read:

* the states the stream is busy with and the counter deltas are kept in
  memory from batch to batch (services/reporting/carried.py); states are
  written when they leave it (new ones appended by binary COPY, the others
  updated in one statement), deltas appended to an unlogged staging table;
* ambassador and step-duration rows are appended to unlogged staging tables
  (no index, no update);
* `programs` and `agreements` are not written per batch: they are read off
  the states once at the end.

`finish` then adds everything up in a few statements, on two connections at
once (the merge has the machine to itself), and the generation goes on batch
by batch like any other (services/reporting/projection.py).
"""

from __future__ import annotations

import asyncio

import asyncpg

from services.reporting import counters
from services.reporting.carried import Carried, write_states
from services.reporting.filling import fill
from services.reporting.fold import Changes

STAGING = """
CREATE UNLOGGED TABLE IF NOT EXISTS {s}.ambassador_deltas (
    ambassador_id text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL, day date NOT NULL,
    metric text COLLATE "C" NOT NULL, n bigint NOT NULL
);
CREATE UNLOGGED TABLE IF NOT EXISTS {s}.duration_rows (
    ordinal bigint GENERATED ALWAYS AS IDENTITY, program_id text COLLATE "C" NOT NULL,
    step text COLLATE "C" NOT NULL, region text NOT NULL, unit_code text NOT NULL,
    track text NOT NULL, entered_on date NOT NULL, left_on date NOT NULL, days integer NOT NULL
);
"""
"""Besides `counter_deltas` (services/reporting/counters.py); created with every generation."""

DURATION_COLUMNS = (
    "program_id",
    "step",
    "region",
    "unit_code",
    "track",
    "entered_on",
    "left_on",
    "days",
)


async def write(conn: asyncpg.Connection, s: str, changes: Changes, carried: Carried) -> None:
    """A batch of a generation being built: what leaves `carried` and what is not kept there
    (services/reporting/carried.py), and the rows appended to the staging tables."""
    new, known = carried.settle(changes.states)
    await write_states(conn, s, new, known)
    carried.step.deltas = changes.counters  # type: ignore[union-attr]
    if carried.stage_now():
        await counters.stage(conn, s, carried.deltas)
    ambassadors = [(*key, n) for key, n in changes.ambassadors.items() if n]
    if ambassadors:
        await conn.copy_records_to_table("ambassador_deltas", schema_name=s, records=ambassadors)
    if changes.durations:
        await conn.copy_records_to_table(
            "duration_rows",
            schema_name=s,
            columns=DURATION_COLUMNS,
            records=[
                tuple(row[name] for name in DURATION_COLUMNS) for row in changes.durations.values()
            ],
        )


async def write_carried(conn: asyncpg.Connection, s: str, carried: Carried) -> None:
    """Everything `carried` still holds, into the tables (before adding up)."""
    new, known = carried.remaining()
    await write_states(conn, s, new, known)
    await counters.stage(conn, s, carried.deltas)


# Programs and agreements: each state parsed once by jsonb_to_record (`state::jsonb` under
# `->>` in a flattened subquery was parsed once per member taken, ~5x the cost).
_PROGRAMS = (
    "programs",
    """SELECT id, v.region, v.unit_code, v.track, coalesce(v.title, ''), v.status, v.step,
    nullif(v.since, '')::date, nullif(v.proposed_on, '')::date
FROM {s}.states, jsonb_to_record(state::jsonb) AS v (region text, unit_code text, track text,
    title text, status text, step text, since text, proposed_on text)
WHERE kind = 'program'""",
    """ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, step = EXCLUDED.step,
    since = EXCLUDED.since, region = EXCLUDED.region, unit_code = EXCLUDED.unit_code,
    track = EXCLUDED.track, title = EXCLUDED.title, proposed_on = EXCLUDED.proposed_on""",
)
_AGREEMENTS = (
    "agreements",
    """SELECT id, v.region, v.bucket::date, v.status, v.instrument, v.partner_id, v.number,
    v.unit_code, v.starts_on::date, v.ends_on::date
FROM {s}.states, jsonb_to_record(state::jsonb) AS v (region text, bucket text, status text,
    instrument text, partner_id text, number text, unit_code text, starts_on text, ends_on text)
WHERE kind = 'agreement' AND v.bucket IS NOT NULL""",
    "ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, ends_on = EXCLUDED.ends_on",
)
_AMBASSADORS = (
    "ambassador_day",
    "SELECT ambassador_id, region, day, metric, sum(n) FROM {s}.ambassador_deltas"
    " GROUP BY 1, 2, 3, 4",
    "ON CONFLICT (ambassador_id, region, day, metric)"
    " DO UPDATE SET value = t.value + EXCLUDED.value",
)
_DURATIONS = (
    "step_durations",
    """SELECT DISTINCT ON (program_id, step) program_id, step, region, unit_code, track,
    entered_on, left_on, days
FROM {s}.duration_rows ORDER BY program_id, step, ordinal DESC""",
    """ON CONFLICT (program_id, step) DO UPDATE SET entered_on = EXCLUDED.entered_on,
    left_on = EXCLUDED.left_on, days = EXCLUDED.days""",
)
_HISTOGRAM = (
    "step_days_total",
    "SELECT region, step, days, count(*) FROM {s}.duration_rows GROUP BY 1, 2, 3",
    "ON CONFLICT (region, step, days) DO UPDATE SET value = t.value + EXCLUDED.value",
)
"""A program's every departure from a step counts once in the histogram, as batch by batch."""
_VERSION = """
INSERT INTO {s}.versions AS t VALUES ('step_days_total', 1)
ON CONFLICT (name) DO UPDATE SET value = t.value + 1
"""


async def _fill(
    conn: asyncpg.Connection, s: str, what: tuple[str, str, str], *, indexes_aside: bool
) -> None:
    table, rows, on_conflict = what
    await fill(
        conn, f"{s}.{table}", rows.format(s=s), on_conflict=on_conflict, indexes_aside=indexes_aside
    )


BUILDING = "bulk_build"
"""The `versions` row of a generation whose bulk build has begun and not yet been added up."""


async def begin(conn: asyncpg.Connection, s: str) -> None:
    """Mark generation schema `s` as being built (with its first batch)."""
    await conn.execute(
        f"INSERT INTO {s}.versions VALUES ('{BUILDING}', 1) ON CONFLICT (name) DO NOTHING"
    )


async def has_staged(pool: asyncpg.Pool, s: str) -> bool:
    """Whether a bulk build of `s` began and was not added up (a build cut short)."""
    async with pool.acquire() as conn:
        return await staged_in(conn, s)


async def staged_in(conn: asyncpg.Connection, s: str) -> bool:
    """`has_staged`, read on `conn` (in its transaction): a build still adding up."""
    return bool(
        await conn.fetchval(
            f"SELECT EXISTS (SELECT FROM {s}.versions WHERE name = '{BUILDING}')"
            f" OR EXISTS (SELECT FROM {s}.counter_deltas)"
            f" OR EXISTS (SELECT FROM {s}.ambassador_deltas)"
            f" OR EXISTS (SELECT FROM {s}.duration_rows)"
        )
    )


async def finish(pool: asyncpg.Pool, s: str, *, answering: bool = False) -> None:
    """Add up what was staged and read the programs and agreements off the states, in two
    halves of about equal cost at once. `answering`: the generation answers queries meanwhile
    (a first start), so its indexes stay in place."""
    aside = not answering

    async def days() -> None:
        async with pool.acquire() as conn, conn.transaction():
            await counters.merge_staged(conn, s, tables=counters.DAY, indexes_aside=aside)

    async def the_rest() -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SET LOCAL work_mem = '256MB'")
            await counters.merge_staged(conn, s, tables=counters.NOT_DAY, indexes_aside=aside)
            for what in (_AMBASSADORS, _DURATIONS, _HISTOGRAM, _AGREEMENTS, _PROGRAMS):
                await _fill(conn, s, what, indexes_aside=aside)
            await conn.execute(_VERSION.format(s=s))

    await asyncio.gather(days(), the_rest())
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f"TRUNCATE {s}.counter_deltas, {s}.ambassador_deltas, {s}.duration_rows")
        await conn.execute(f"DELETE FROM {s}.versions WHERE name = '{BUILDING}'")
