"""`GET /reports/evaluation` and the lists behind its figures, as JSON, CSV or .xlsx."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.reporting.api.answers import Answers
from services.reporting.api.caught_up import POSITION_HEADERS, wait_until_included
from services.reporting.api.formats import (
    csv_response,
    file_name,
    json_response,
    wanted_format,
    xlsx_response,
)
from services.reporting.api.scope import Scope, ScopeQuery, parse_moment, parse_region
from services.reporting.asof import AsOfReports
from services.reporting.report import lists
from services.reporting.report.figures import evaluation_report
from services.reporting.report.over_time import over_time
from services.reporting.report.spreadsheet import workbook
from services.reporting.report.tabular import HEADER, report_rows
from services.reporting.zones import today_in, zones
from shared.http.openapi import problems
from shared.ids import format_time
from shared.regions import all_regions

router = APIRouter(prefix="/reports", tags=["reports"])
Format = Annotated[
    str | None,
    Query(
        description="`json` (default), `csv` or `xlsx`; `Accept: text/csv` also gives CSV",
        max_length=20,
    ),
]
BAD_QUERY = (
    "A query value that can never succeed (`invalid_input`, `field` names it): an unknown "
    "region, a date that is not an existing YYYY-MM-DD, `to` before `from`, an `as_of` that is "
    "not an RFC 3339 time, an unsupported `format`; or a parameter the route does not take "
    "(`unknown_query_parameter`)"
)
AsOf = Annotated[
    str | None,
    Query(
        description="RFC 3339 time: the history as it stood then (only events recorded at or "
        "before it; the evaluation report's `as_of` names each log's last position)",
        max_length=64,
    ),
]


def _today(request: Request, region: str | None, moment: datetime | None = None) -> Any:
    """The region's date now (national: WIB), or at `moment` for a report as of then."""
    return today_in(region or "dki", moment or request.app.state.runtime.clock())


async def build_report(request: Request, scope: Scope, by_region: bool) -> dict[str, Any]:
    """The evaluation report of a scope, from the active generation."""
    if scope.moment is not None:
        return await report_as_of(request, scope, by_region)
    await wait_until_included(request, scope.region)
    runtime = request.app.state.runtime
    state = request.app.state
    if getattr(state, "answers", None) is None:
        state.answers = Answers()
    answers: Answers = state.answers
    today = _today(request, scope.region)
    async with runtime.reading() as (conn, schema, projection):
        position = await answers.position(conn, projection)
        key = (schema, projection, position, scope.region, scope.start, scope.end, today, by_region)
        kept = answers.get(key) if position is not None else None
        if kept is not None:
            return kept
        report = await evaluation_report(
            conn,
            schema,
            projection,
            region=scope.region,
            start=scope.start,
            end=scope.end,
            today=today,
            with_regions=by_region,
        )
        report["over_time"] = await over_time(conn, schema, scope.region, scope.start, scope.end)
    if position is not None:
        answers.put(key, report)
    return report


async def _as_of_snapshot(request: Request, moment: Any) -> Any:
    """The temporary generation of the history as it stood at `moment` (cached)."""
    runtime = request.app.state.runtime
    state = request.app.state
    if getattr(state, "as_of_reports", None) is None:
        state.as_of_reports = AsOfReports(
            runtime.pool,
            runtime.nc,
            runtime.settings.stream,
            runtime.clock,
            part_config=runtime.part_config(),
        )
    return await state.as_of_reports.snapshot(moment)


@contextlib.asynccontextmanager
async def _list_reading(
    request: Request, moment: datetime | None
) -> AsyncIterator[tuple[asyncpg.Connection, str]]:
    """(connection, schema) a list reads: the active generation, or with `as_of` the temporary
    generation of the history as it stood then (the same one the report uses)."""
    runtime = request.app.state.runtime
    if moment is None:
        async with runtime.reading() as (conn, schema, _):
            yield conn, schema
        return
    snapshot = await _as_of_snapshot(request, moment)
    async with runtime.pool.acquire() as conn:
        yield conn, snapshot.schema


def _as_of_meta(moment: datetime | None) -> dict[str, str]:
    return {"as_of_time": format_time(moment)} if moment is not None else {}


async def report_as_of(request: Request, scope: Scope, by_region: bool) -> dict[str, Any]:
    """The report as the history stood at `scope.moment` (services.reporting.asof)."""
    runtime = request.app.state.runtime
    assert scope.moment is not None
    snapshot = await _as_of_snapshot(request, scope.moment)
    async with runtime.pool.acquire() as conn:
        report = await evaluation_report(
            conn,
            snapshot.schema,
            snapshot.projection,
            region=scope.region,
            start=scope.start,
            end=scope.end,
            today=today_in(scope.region or "dki", scope.moment),
            with_regions=by_region,
        )
        report["over_time"] = await over_time(
            conn, snapshot.schema, scope.region, scope.start, scope.end
        )
    report["as_of_time"] = format_time(scope.moment)
    return report


@router.get(
    "/evaluation",
    summary="The evaluation report of a region (or the nation) and period",
    responses=problems(
        {
            409: "The report has not applied the position sent in an `X-<Service>-Position` "
            "header within 5 s (`report_not_caught_up`, `field` names the header): retry shortly",
            422: BAD_QUERY + "; a position header that is not `<position>` or "
            "`<region>/<position>` (the national report needs the region)",
        }
    ),
    openapi_extra={"parameters": POSITION_HEADERS},
)
async def evaluation(
    request: Request,
    scope: ScopeQuery,
    format: Format = None,
    by_region: Annotated[
        bool, Query(description="also each region's report, under `regions`")
    ] = False,
    as_of: AsOf = None,
) -> Response:
    """Partners, agreements, ambassadors, the stage funnel, participation, change domains,
    outreach and prospects of the scope. Each event counts on its own date (the region's local
    date); current states are as the history stands now. Send `X-Partners-Position`,
    `X-Programs-Position` or `X-Outreach-Position` to wait for a write just made."""
    kind = wanted_format(request, format, ("json", "csv", "xlsx"))
    scope = dataclasses.replace(scope, moment=parse_moment(as_of))
    report = await build_report(request, scope, by_region)
    name = file_name("laporan_evaluasi", scope.region, scope.start, scope.end)
    if kind == "csv":
        return csv_response(HEADER, report_rows(report), name)
    if kind == "xlsx":
        return xlsx_response(workbook(report), name)
    return json_response(report)


def _listing(
    kind: str,
    columns: tuple[str, ...],
    items: list[dict[str, Any]],
    name: str,
    **meta: Any,
) -> Response:
    if kind == "csv":
        return csv_response(columns, ([item[c] for c in columns] for item in items), name)
    return json_response({**meta, "count": len(items), "items": items})


@router.get(
    "/agreements/expiring",
    summary="Active agreements ending within N days",
    responses=problems({422: BAD_QUERY}),
)
async def agreements_expiring(
    request: Request,
    format: Format = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    within_days: Annotated[int, Query(ge=0, le=3660)] = 60,
    as_of: AsOf = None,
) -> Response:
    """With `as_of`: the agreements active then and ending within N days of that day."""
    kind = wanted_format(request, format, ("json", "csv"))
    code = parse_region(region)
    moment = parse_moment(as_of)
    today = _today(request, code, moment)
    async with _list_reading(request, moment) as (conn, schema):
        items = await lists.expiring_agreements(conn, schema, code, today, within_days)
    return _listing(
        kind,
        lists.AGREEMENT_COLUMNS,
        items,
        file_name("perjanjian_berakhir", code, None, None),
        region=code,
        today=today.isoformat(),
        within_days=within_days,
        **_as_of_meta(moment),
    )


@router.get(
    "/programs/stuck",
    summary="Open programs in their current step longer than N days",
    responses=problems({422: BAD_QUERY}),
)
async def programs_stuck(
    request: Request,
    format: Format = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    days: Annotated[int, Query(ge=0, le=36600)] = 90,
    as_of: AsOf = None,
) -> Response:
    """With `as_of`: the programs open then, in their step of then for more than N days by
    that day."""
    kind = wanted_format(request, format, ("json", "csv"))
    code = parse_region(region)
    moment = parse_moment(as_of)
    today = _today(request, code, moment)
    async with _list_reading(request, moment) as (conn, schema):
        items = await lists.stuck_programs(conn, schema, code, today, days)
    return _listing(
        kind,
        lists.PROGRAM_COLUMNS,
        items,
        file_name("program_tertahan", code, None, None),
        region=code,
        today=today.isoformat(),
        days=days,
        **_as_of_meta(moment),
    )


@router.get(
    "/ambassadors",
    summary="Each ambassador's results in the period",
    responses=problems({422: BAD_QUERY}),
)
async def ambassadors(
    request: Request, scope: ScopeQuery, format: Format = None, as_of: AsOf = None
) -> Response:
    """Outreach led, its audience, prospects identified and their conversions (with `as_of`:
    as the history stood then, from the same temporary generation as the report)."""
    kind = wanted_format(request, format, ("json", "csv"))
    moment = parse_moment(as_of)
    async with _list_reading(request, moment) as (conn, schema):
        items = await lists.ambassador_results(conn, schema, scope.region, scope.start, scope.end)
    return _listing(
        kind,
        lists.AMBASSADOR_COLUMNS,
        items,
        file_name("hasil_duta", scope.region, scope.start, scope.end),
        region=scope.region,
        **{
            "from": scope.start and scope.start.isoformat(),
            "to": scope.end and scope.end.isoformat(),
        },
        **_as_of_meta(moment),
    )


@router.get("/regions", summary="The 33 regions (Kanwil) with their time zones")
async def regions() -> list[dict[str, str]]:
    return [
        {"code": r.code, "name": r.name, "timezone": zones().get(r.code, "")} for r in all_regions()
    ]
