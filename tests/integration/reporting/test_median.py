"""The whole-history medians, computed by PostgreSQL from the histogram of days, equal the median
of the days themselves (Python's statistics.median, PostgreSQL's percentile_cont(0.5)): for the
nation, for each region, and for one region asked alone."""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict

import asyncpg
import pytest

from services.reporting.report.figures import medians
from services.reporting.schema import schema_name, tables
from shared.schema import PROJECTION_SCHEMA

REGIONS = ("jatim", "papua", "aceh")
STEPS = ("initial_approach", "design", "evaluation")


@pytest.mark.parametrize("seed", range(3))
async def test_medians_of_the_histogram(pool: asyncpg.Pool, seed: int) -> None:
    rng = random.Random(seed)
    generation = 950 + seed
    s = schema_name(generation)
    days: dict[tuple[str, str], list[int]] = defaultdict(list)
    for region in REGIONS:
        for step in STEPS:
            days[(region, step)] = [rng.randint(0, 90) for _ in range(rng.randint(1, 41))]
    async with pool.acquire() as conn:
        await conn.execute(PROJECTION_SCHEMA)
        await conn.execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")
        await conn.execute(tables(generation))
        rows = [
            (region, step, day, n)
            for (region, step), values in days.items()
            for day, n in Counter(values).items()
        ]
        rows.append(("aceh", "design", 999, 0))  # a count back at 0 counts for nothing
        await conn.executemany(f"INSERT INTO {s}.step_days_total VALUES ($1, $2, $3, $4)", rows)
        answer = await medians(conn, s, None, None, None, per_region=True)
        alone = await medians(conn, s, "papua", None, None)
    for step in STEPS:
        nation = [d for region in REGIONS for d in days[(region, step)]]
        assert answer[""][step] == round(statistics.median(nation), 1)
        for region in REGIONS:
            assert answer[region][step] == round(statistics.median(days[(region, step)]), 1)
        assert alone[""][step] == round(statistics.median(days[("papua", step)]), 1)
    assert set(alone) == {""}


async def test_cached_medians_follow_new_step_moves(pool: asyncpg.Pool) -> None:
    """The whole history's medians are kept between queries, and computed again once a batch
    has moved programs out of a step."""
    from services.reporting.projection import ReportingProjection
    from services.reporting.report.figures import _medians_of_histogram
    from tests.integration.reporting.test_bulk_build import wire_history

    items = wire_history()
    projection = ReportingProjection(960)
    async with pool.acquire() as conn:
        await conn.execute(PROJECTION_SCHEMA)
        await projection.reset(conn)
    seen = []
    for part in (items[: len(items) // 3], items[len(items) // 3 :]):
        async with pool.acquire() as conn, conn.transaction():
            await projection.apply(conn, part)
        async with pool.acquire() as conn:
            cached = await medians(conn, projection.schema, None, None, None, per_region=True)
            again = await medians(conn, projection.schema, None, None, None, per_region=True)
            fresh = await _medians_of_histogram(conn, projection.schema, None, True)
        assert cached == fresh and again is cached
        seen.append(fresh)
    assert seen[0] != seen[1]
