"""Figures month by month (participants by group, outreach held, programs proposed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from services.reporting.report import vocabulary as v
from services.reporting.report.figures import monthly

METRICS = (
    *(f"participation.by_group.{group}" for group in v.GROUPS),
    "participation.participants",
    "outreach.held",
    "programs.proposed",
)
"""Exact names, so the (metric, month) index serves; a group outside the vocabulary is in the
report's totals but not charted month by month."""


async def over_time(
    conn: asyncpg.Connection, s: str, region: str | None, start: date | None, end: date | None
) -> dict[str, Any]:
    """`{"months": [...], "participants_by_group": {group: [...]}, ...}`, months in order;
    the months at the edges count only the days inside the period."""
    by_month = await monthly(conn, s, region, start, end, METRICS)
    months = sorted(by_month)
    groups = list(v.GROUPS) + sorted(
        {
            m.rsplit(".", 1)[1]
            for sums in by_month.values()
            for m in sums
            if m.startswith("participation.by_group.")
        }
        - set(v.GROUPS)
    )
    return {
        "months": months,
        "participants": [by_month[m].get("participation.participants", 0) for m in months],
        "participants_by_group": {
            g: [by_month[m].get(f"participation.by_group.{g}", 0) for m in months] for g in groups
        },
        "outreach_held": [by_month[m].get("outreach.held", 0) for m in months],
        "programs_proposed": [by_month[m].get("programs.proposed", 0) for m in months],
    }
