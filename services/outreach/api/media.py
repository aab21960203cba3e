"""Routes for media coverage without an outreach event (media campaigns), and the coverage list."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.outreach import commands as c
from services.outreach import handlers as h
from services.outreach.api.period import period
from services.outreach.domain import coverage
from services.outreach.values import Medium
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Limit, Offset, history_entry, query_page
from shared.http.problems import Problem
from shared.regions import KnownRegion

router = APIRouter(tags=["media"])


@router.post(
    "/media-campaigns",
    status_code=201,
    summary="Start a media campaign (no outreach event) with its first coverage",
)
async def start_campaign(body: c.RecordCoverage, call: Command) -> JSONResponse:
    answer = await h.record_campaign_coverage(call=call, command=body)
    return respond(answer, location=f"/media-campaigns/{answer.body['id']}")


@router.post(
    "/media-campaigns/{campaign_id}/coverage",
    status_code=201,
    summary="Record more coverage of a media campaign",
)
async def add_coverage(campaign_id: UUID, body: c.RecordCoverage, call: Command) -> JSONResponse:
    return respond(
        await h.record_campaign_coverage(call=call, command=body, campaign_id=campaign_id)
    )


@router.get("/media-campaigns/{campaign_id}", summary="A media campaign: coverage and history")
async def get_campaign(campaign_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(coverage.decider, campaign_id)
    if not loaded.state.exists:
        raise Problem(
            404,
            "campaign_not_found",
            f"Kampanye media {campaign_id} tidak ditemukan.",
            detail_en=f"no media campaign {campaign_id}",
        )
    body = {
        "id": str(campaign_id),
        "version": loaded.version,
        "coverage": [e.model_dump(mode="json") for e in loaded.state.coverage],
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


@router.get("/coverage", summary="List media coverage (of outreach events and campaigns)")
async def list_coverage(
    runtime: Runtime,
    region: KnownRegion | None = None,
    outreach_id: UUID | None = None,
    medium: Medium | None = None,
    from_: Annotated[date | None, Query(alias="from", description="Published on or after")] = None,
    to: Annotated[date | None, Query(description="Published on or before")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    start, end = period(from_, to)
    return await query_page(
        runtime.pool,
        columns="*",
        source="coverage_view",
        where="($1::text IS NULL OR region = $1) AND ($2::uuid IS NULL OR outreach_id = $2)"
        " AND ($3::text IS NULL OR medium = $3) AND ($4::date IS NULL OR published_on >= $4)"
        " AND ($5::date IS NULL OR published_on <= $5)",
        args=(region, outreach_id, medium and medium.value, start, end),
        order_by="published_on, event_id",
        limit=limit,
        offset=offset,
    )
