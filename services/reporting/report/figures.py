"""The report's figures from one generation's tables: sums over the scope, never the history.

Whole months come from `counters_month`, the days at the edges of the period
from `counters_day`; the change domains from each program's latest
evaluation in scope; medians from the kept step durations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import asyncpg

from services.reporting.report.evaluation import assemble, change_domain_scores, latest_scores
from services.reporting.report.periods import Split, split
from shared.regions import all_regions


def _sums_sql(s: str, group: str, p: Split, *, region: bool, metrics: bool) -> str:
    """Sums over the whole months of the period and the days around them; only the parts the
    period has, and the region / metric conditions only when asked (so indexes serve)."""
    metrics_at = 6 if region else 5
    where = (" AND region = $5" if region else "") + (
        f" AND metric = ANY(${metrics_at}::text[])" if metrics else ""
    )
    parts = []
    if p.month_from < p.month_to:
        parts.append(
            f"SELECT region, month, metric, value FROM {s}.counters_month"
            f" WHERE month >= $3 AND month < $4 AND $1::date <= $2::date{where}"
        )
    if p.start < p.month_from or p.month_to <= p.end:
        parts.append(
            f"SELECT region, date_trunc('month', day)::date AS month, metric, value"
            f" FROM {s}.counters_day WHERE ((day >= $1 AND day < $3)"
            f" OR (day >= $4 AND day <= $2)){where}"
        )
    return (
        f"SELECT {group}, sum(value)::bigint AS value FROM ({' UNION ALL '.join(parts)}) t"
        f" GROUP BY {group}"
    )


async def _fetch_sums(
    conn: asyncpg.Connection,
    s: str,
    group: str,
    region: str | None,
    start: date | None,
    end: date | None,
    metrics: tuple[str, ...] = (),
) -> list[asyncpg.Record]:
    p = split(start, end)
    sql = _sums_sql(s, group, p, region=region is not None, metrics=bool(metrics))
    args: list[Any] = [p.start, p.end, p.month_from, p.month_to]
    if region is not None:
        args.append(region)
    if metrics:
        args.append(list(metrics))
    return await conn.fetch(sql, *args)


async def metric_sums(
    conn: asyncpg.Connection, s: str, region: str | None, start: date | None, end: date | None
) -> dict[str, dict[str, int]]:
    """`{region: {metric: sum}}` over the period (the whole history from the running totals)."""
    if start is None and end is None:
        rows = await conn.fetch(
            f"SELECT region, metric, value FROM {s}.counters_total"
            + (" WHERE region = $1" if region else ""),
            *([region] if region else []),
        )
    else:
        rows = await _fetch_sums(conn, s, "region, metric", region, start, end)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        out[row["region"]][row["metric"]] = int(row["value"])
    return dict(out)


async def monthly(
    conn: asyncpg.Connection,
    s: str,
    region: str | None,
    start: date | None,
    end: date | None,
    metrics: tuple[str, ...],
) -> dict[str, dict[str, int]]:
    """`{"YYYY-MM": {metric: sum}}` of `metrics`, month by month."""
    rows = await _fetch_sums(conn, s, "month, metric", region, start, end, metrics)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for row in sorted(rows, key=lambda r: r["month"]):
        out[row["month"].strftime("%Y-%m")][row["metric"]] = int(row["value"])
    return dict(out)


Medians = dict[str, dict[str, float | None]]


def _bounds(start: date | None, end: date | None) -> tuple[date, date]:
    return start or date(1, 1, 1), end or date(9999, 12, 31)


async def latest_evaluations(
    conn: asyncpg.Connection, s: str, region: str | None, start: date | None, end: date | None
) -> list[asyncpg.Record]:
    """Each program's latest evaluation in scope (by `evaluated_on`, then recording order)."""
    lo, hi = _bounds(start, end)
    return await conn.fetch(
        f"SELECT DISTINCT ON (program_id) region, individual, institutional, policy"
        f" FROM {s}.evaluations WHERE NOT voided AND evaluated_on BETWEEN $1 AND $2"
        + (" AND region = $3" if region else "")
        + " ORDER BY program_id, evaluated_on DESC, position DESC",
        lo,
        hi,
        *([region] if region else []),
    )


async def medians(
    conn: asyncpg.Connection,
    s: str,
    region: str | None,
    start: date | None,
    end: date | None,
    *,
    per_region: bool = False,
) -> dict[str, dict[str, float | None]]:
    """Median days spent in each step, over the programs that left it in the period:
    `{"": {step: median}}` for the scope, and `{region: {...}}` too with `per_region`."""
    if start is None and end is None:
        return await _medians_whole_history(conn, s, region, per_region)
    lo, hi = _bounds(start, end)
    grouping = "GROUPING SETS ((step), (region, step))" if per_region else "step"
    # the region's condition only when asked: a prepared statement's generic plan cannot use
    # the (region, left_on) index for "$3 IS NULL OR region = $3"
    rows = await conn.fetch(
        f"SELECT {'region' if per_region else 'NULL::text AS region'}, step,"
        f" percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median"
        f" FROM {s}.step_durations WHERE left_on BETWEEN $1 AND $2"
        + (" AND region = $3" if region else "")
        + f" GROUP BY {grouping}",
        lo,
        hi,
        *([region] if region else []),
    )
    out: dict[str, dict[str, float | None]] = defaultdict(dict)
    for row in rows:
        out[row["region"] or ""][row["step"]] = round(float(row["median"]), 1)
    return out


_MEDIANS_CACHE: dict[tuple[Any, ...], tuple[int, Medians]] = {}
"""The whole history's medians by generation (its schema's identity: a schema dropped and made
again is another) and scope: kept until the histogram's version moves (a program left a step)."""


async def _medians_whole_history(
    conn: asyncpg.Connection, s: str, region: str | None, per_region: bool
) -> Medians:
    """The whole history's medians, computed again only when the histogram has changed."""
    row = await conn.fetchrow(
        f"SELECT (SELECT value FROM {s}.versions WHERE name = 'step_days_total') AS version,"
        " current_database() AS db, inet_server_port() AS port,"
        " (SELECT oid FROM pg_namespace WHERE nspname = $1) AS schema",
        s,
    )
    version = row["version"] or 0
    key = (row["db"], row["port"], row["schema"], region, per_region)
    kept = _MEDIANS_CACHE.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    medians = await _medians_of_histogram(conn, s, region, per_region)
    if len(_MEDIANS_CACHE) > 256:
        _MEDIANS_CACHE.clear()
    _MEDIANS_CACHE[key] = (version, medians)
    return medians


async def _medians_of_histogram(
    conn: asyncpg.Connection, s: str, region: str | None, per_region: bool
) -> Medians:
    """The medians of the whole history from the days histogram, as percentile_cont(0.5): the
    mean of the values at ranks (n - 1) // 2 and n // 2. The rows are summed per step (and per
    region and step) here, each group sorted on its own: cheaper than sorting them all."""
    rows = await conn.fetch(
        f"SELECT region, step, days, value FROM {s}.step_days_total WHERE value > 0"
        + (" AND region = $1" if region else ""),
        *([region] if region else []),
    )
    groups: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row_region, step, days, value in rows:
        groups[("", step)][days] += value
        if per_region:
            groups[(row_region, step)][days] += value
    out: dict[str, dict[str, float | None]] = defaultdict(dict)
    for (key, step), histogram in groups.items():
        out[key][step] = _median(sorted(histogram.items()))
    return out


def _median(ordered: list[tuple[int, int]]) -> float:
    """The median of values given as (value, count), in value order, each value once."""
    total = sum(n for _, n in ordered)
    low_rank, high_rank = (total - 1) // 2, total // 2
    seen, low = 0, None
    for value, n in ordered:
        seen += n
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            return round((low + value) / 2, 1)  # type: ignore[operator]
    raise ValueError("an empty histogram has no median")


async def expiring(
    conn: asyncpg.Connection,
    s: str,
    region: str | None,
    start: date | None,
    end: date | None,
    today: date,
) -> dict[str, dict[str, int]]:
    """`{region: {"60": n, "90": n}}`: active agreements signed in the period that end within
    60 / 90 days of today."""
    lo, hi = _bounds(start, end)
    rows = await conn.fetch(
        f"SELECT region, count(*) FILTER (WHERE ends_on <= $4::date + 60) AS d60,"
        f" count(*) AS d90 FROM {s}.agreements WHERE status = 'active'"
        f" AND ends_on BETWEEN $4 AND $4::date + 90 AND signed_on BETWEEN $1 AND $2"
        f" AND ($3::text IS NULL OR region = $3) GROUP BY region",
        lo,
        hi,
        region,
        today,
    )
    return {row["region"]: {"60": int(row["d60"]), "90": int(row["d90"])} for row in rows}


async def as_of(conn: asyncpg.Connection, projection: str) -> dict[str, int]:
    """`{"<region>/<service>": last position applied}` from the runner's source positions."""
    rows = await conn.fetch(
        "SELECT source, position FROM pas_projection_sources WHERE projection = $1", projection
    )
    out = {}
    for row in rows:
        parts = row["source"].strip("/").split("/")  # /pas/<region>/<service>
        if len(parts) == 3:
            out[f"{parts[1]}/{parts[2]}"] = int(row["position"])
    return out


def _total(per_region: dict[str, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for sums in per_region.values():
        for metric, value in sums.items():
            total[metric] += value
    return dict(total)


async def evaluation_report(
    conn: asyncpg.Connection,
    s: str,
    projection: str,
    *,
    region: str | None,
    start: date | None,
    end: date | None,
    today: date,
    with_regions: bool = False,
) -> dict[str, Any]:
    """The whole report of one scope; with `with_regions`, each region's report beside it."""
    per_region = await metric_sums(conn, s, region, start, end)
    whole_history = start is None and end is None  # each program's latest kept by the fold
    evaluations = [] if whole_history else await latest_evaluations(conn, s, region, start, end)
    due = await expiring(conn, s, region, start, end, today)
    positions = await as_of(conn, projection)
    if region:  # a region's report names how far that region's logs are
        positions = {k: v for k, v in positions.items() if k.startswith(f"{region}/")}
    median = await medians(conn, s, region, start, end, per_region=with_regions)
    total = _total(per_region)
    report = assemble(
        region=region,
        start=start,
        end=end,
        sums=total,
        change_domains=latest_scores(total) if whole_history else change_domain_scores(evaluations),
        as_of=positions,
        medians=median.get("", {}),
        expiring={k: sum(d[k] for d in due.values()) for k in ("60", "90")},
    )
    if with_regions:
        by_region: dict[str, list[asyncpg.Record]] = defaultdict(list)
        for evaluation in evaluations:
            by_region[evaluation["region"]].append(evaluation)
        report["regions"] = {
            code: assemble(
                region=code,
                start=start,
                end=end,
                sums=per_region.get(code, {}),
                change_domains=latest_scores(per_region.get(code, {}))
                if whole_history
                else change_domain_scores(by_region.get(code, [])),
                as_of={k: v for k, v in positions.items() if k.startswith(f"{code}/")},
                expiring=due.get(code, {}),
                medians=median.get(code, {}),
            )
            for code in ([region] if region else [r.code for r in all_regions()])
        }
    return report
