"""The lists behind the figures: agreements expiring, programs stuck in a step, ambassadors."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

AGREEMENT_COLUMNS = (
    "agreement_id",
    "region",
    "partner_id",
    "instrument",
    "number",
    "unit_code",
    "signed_on",
    "starts_on",
    "ends_on",
    "days_left",
)
PROGRAM_COLUMNS = (
    "program_id",
    "region",
    "unit_code",
    "track",
    "title",
    "step",
    "since",
    "days_in_step",
    "proposed_on",
)
AMBASSADOR_COLUMNS = (
    "ambassador_id",
    "region",
    "outreach_led",
    "audience",
    "prospects",
    "conversions",
    "conversion_rate",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def expiring_agreements(
    conn: asyncpg.Connection, s: str, region: str | None, today: date, within_days: int
) -> list[dict[str, Any]]:
    """Active agreements that end between today and `within_days` days from today."""
    rows = await conn.fetch(
        f"SELECT id, region, partner_id, instrument, number, unit_code, signed_on, starts_on,"
        f" ends_on, ends_on - $2::date AS days_left FROM {s}.agreements"
        f" WHERE status = 'active' AND ends_on BETWEEN $2 AND $2::date + $3::int"
        f" AND ($1::text IS NULL OR region = $1) ORDER BY ends_on, id LIMIT 10000",
        region,
        today,
        within_days,
    )
    return [
        dict(zip(AGREEMENT_COLUMNS, (_plain(v) for v in row.values()), strict=True)) for row in rows
    ]


async def stuck_programs(
    conn: asyncpg.Connection, s: str, region: str | None, today: date, days: int
) -> list[dict[str, Any]]:
    """Open programs that have been in their current step more than `days` days."""
    rows = await conn.fetch(
        f"SELECT id, region, unit_code, track, title, step, since, $2::date - since AS in_step,"
        f" proposed_on FROM {s}.programs WHERE status = 'open' AND since IS NOT NULL"
        f" AND since < $2::date - $3::int AND ($1::text IS NULL OR region = $1)"
        f" ORDER BY since, id LIMIT 10000",
        region,
        today,
        days,
    )
    return [
        dict(zip(PROGRAM_COLUMNS, (_plain(v) for v in row.values()), strict=True)) for row in rows
    ]


async def ambassador_results(
    conn: asyncpg.Connection, s: str, region: str | None, start: date | None, end: date | None
) -> list[dict[str, Any]]:
    """Each ambassador's outreach led, audience, prospects and conversions in the period."""
    rows = await conn.fetch(
        f"SELECT ambassador_id, region,"
        f" sum(value) FILTER (WHERE metric = 'outreach_led') AS outreach_led,"
        f" sum(value) FILTER (WHERE metric = 'audience') AS audience,"
        f" sum(value) FILTER (WHERE metric = 'prospects') AS prospects,"
        f" sum(value) FILTER (WHERE metric = 'conversions') AS conversions"
        f" FROM {s}.ambassador_day WHERE day BETWEEN $2 AND $3"
        f" AND ($1::text IS NULL OR region = $1) GROUP BY ambassador_id, region"
        f" ORDER BY outreach_led DESC NULLS LAST, ambassador_id LIMIT 10000",
        region,
        start or date(1, 1, 1),
        end or date(9999, 12, 31),
    )
    out = []
    for row in rows:
        item = {
            k: (int(row[k] or 0) if k not in ("ambassador_id", "region") else row[k])
            for k in AMBASSADOR_COLUMNS[:-1]
        }
        item["conversion_rate"] = (
            round(item["conversions"] / item["prospects"], 4) if item["prospects"] else None
        )
        out.append(item)
    return out
