"""Routes that read outreach events: one with its coverage and prospects; lists, filtered."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.outreach.api.period import period
from services.outreach.domain import outreach
from services.outreach.values import Channel
from shared.http.commands import Runtime
from shared.http.documents import Limit, Offset, history_entry, query_page, row_dict
from shared.http.problems import Problem
from shared.regions import KnownRegion

router = APIRouter(prefix="/outreach", tags=["outreach"])
Status = Literal["planned", "held", "cancelled"]


def _list_item(row: Any) -> dict[str, Any]:
    item = row_dict(row)
    item["co_ambassador_ids"] = [str(aid) for aid in row["co_ambassador_ids"]]
    return item


@router.get(
    "/{outreach_id}", summary="An outreach event: state, media coverage, prospects and history"
)
async def get_outreach(outreach_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(outreach.decider, outreach_id)
    state = loaded.state
    if not state.exists:
        raise Problem(
            404,
            "outreach_not_found",
            f"Kegiatan penjangkauan {outreach_id} tidak ditemukan.",
            detail_en=f"no outreach event {outreach_id}",
        )
    async with runtime.pool.acquire() as conn:
        prospects = await conn.fetch(
            "SELECT prospect_id, kind, name, ambassador_id, status, identified_on, closed_on,"
            " partner_id, version FROM prospects_view WHERE outreach_id = $1"
            " ORDER BY identified_on, prospect_id",
            outreach_id,
        )
    coverage = [e.model_dump(mode="json", exclude={"outreach_id"}) for e in state.coverage]
    body = {
        "id": str(outreach_id),
        "version": loaded.version,
        "status": state.status,
        "state": state.model_dump(mode="json", exclude={"coverage"}),
        "coverage": coverage,
        "coverage_reach": sum(e.estimated_reach for e in state.coverage),
        "prospects": [row_dict(row) for row in prospects],
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


@router.get("", summary="List outreach events by region, ambassador, channel, status and period")
async def list_outreach(
    runtime: Runtime,
    region: KnownRegion | None = None,
    ambassador_id: Annotated[UUID | None, Query(description="Lead or co-ambassador")] = None,
    channel: Channel | None = None,
    status: Status | None = None,
    from_: Annotated[
        date | None,
        Query(alias="from", description="On or after (held on, or planned on while not held)"),
    ] = None,
    to: Annotated[date | None, Query(description="On or before")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    start, end = period(from_, to)
    return await query_page(
        runtime.pool,
        columns="*",
        source="outreach_view",
        where="($1::text IS NULL OR region = $1) AND ($2::uuid IS NULL"
        " OR lead_ambassador_id = $2 OR $2 = ANY(co_ambassador_ids))"
        " AND ($3::text IS NULL OR channel = $3) AND ($4::text IS NULL OR status = $4)"
        " AND ($5::date IS NULL OR on_date >= $5) AND ($6::date IS NULL OR on_date <= $6)",
        args=(region, ambassador_id, channel and channel.value, status, start, end),
        order_by="on_date, outreach_id",
        limit=limit,
        offset=offset,
        item=_list_item,
    )
