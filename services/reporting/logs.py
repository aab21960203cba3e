"""Which rows of a generation each log (a region's service) contributes, to take them out.

The fold never lets one log's events read another log's states: a handler
reads the event's own aggregate and the records of that aggregate
(services/reporting/fold/). So a log's contribution to a generation is
exactly its region's rows of its service's metrics and tables, and can be
replaced by a replay of that log alone. An as-of report uses it
(services/reporting/asof.py): a copy of the live generation, with the logs
that have events after the moment taken out and replayed up to it.
tests/unit/reporting/test_logs.py checks these sets against the fold.
"""

from __future__ import annotations

import asyncpg

METRICS: dict[str, tuple[str, ...]] = {
    "partners": ("partners.", "agreements.", "ambassadors."),
    "programs": ("programs.", "participation.", "monitoring.", "change_domains."),
    "outreach": ("outreach.", "prospects."),
}
"""The counter metrics each service's events count (by their first name)."""
TABLES: dict[str, tuple[str, ...]] = {
    "partners": ("agreements",),
    "programs": ("programs", "evaluations", "step_durations", "step_days_total"),
    "outreach": ("ambassador_day",),
}
"""The other tables each service's events write, each with a `region` column."""
COUNTERS = ("counters_day", "counters_month", "counters_total", "counters_unit_month")


def log_name(source: str) -> str:
    """`jatim/programs` of the source `/pas/jatim/programs`."""
    return source.removeprefix("/pas/")


async def take_out(conn: asyncpg.Connection, schema: str, logs: set[str]) -> None:
    """Delete every row the logs `logs` (`region/service`) contributed to generation `schema`
    (its answering tables; its states are not kept by a copy)."""
    for log in sorted(logs):
        region, _, service = log.partition("/")
        if service not in METRICS:
            raise ValueError(f"no such service in reporting's logs: {log}")
        patterns = [f"{prefix}%" for prefix in METRICS[service]]
        for table in COUNTERS:
            await conn.execute(
                f"DELETE FROM {schema}.{table} WHERE region = $1 AND metric LIKE ANY($2::text[])",
                region,
                patterns,
            )
        for table in TABLES[service]:
            await conn.execute(f"DELETE FROM {schema}.{table} WHERE region = $1", region)
        await conn.execute(f"DELETE FROM {schema}.log_heads WHERE source = $1", f"/pas/{log}")
