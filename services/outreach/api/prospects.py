"""Routes for prospects: identify, decline, read one with its history, list.

Conversion has no route: the service records it by itself when the partners
service registers a partner naming the prospect as `referral`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.outreach import commands as c
from services.outreach import handlers as h
from services.outreach.api.caught_up import PartnersCaughtUp, ambassadors, explained
from services.outreach.api.period import Period, period
from services.outreach.domain import prospect
from services.outreach.values import PartnerKind
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Limit, Offset, history_entry, query_page, row_dict
from shared.http.problems import Problem
from shared.regions import KnownRegion

router = APIRouter(prefix="/prospects", tags=["prospects"])
Status = Literal["identified", "declined", "converted"]


@router.post("", status_code=201, summary="Identify a prospect met at a held outreach event")
async def identify(
    body: c.IdentifyProspect, call: Command, runtime: Runtime, waited: PartnersCaughtUp
) -> JSONResponse:
    handling = h.identify_prospect(
        call=call,
        command=body,
        ambassadors=ambassadors(runtime),
        caught_up=waited is not None,
    )
    answer = await explained(handling, runtime)
    return respond(answer, location=f"/prospects/{answer.body['id']}")


@router.post("/{prospect_id}/decline", summary="Record that a prospect declined, with the reason")
async def decline(prospect_id: UUID, body: c.DeclineProspect, call: Command) -> JSONResponse:
    return respond(await h.decline_prospect(call=call, prospect_id=prospect_id, command=body))


@router.get("/{prospect_id}", summary="A prospect: its state, status and full history")
async def get_prospect(prospect_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(prospect.decider, prospect_id)
    state = loaded.state
    if not state.exists:
        raise Problem(
            404,
            "prospect_not_found",
            f"Calon mitra {prospect_id} tidak ditemukan.",
            detail_en=f"no prospect {prospect_id}",
        )
    body = {
        "id": str(prospect_id),
        "version": loaded.version,
        "status": state.status,
        "partner_id": str(state.converted.partner_id) if state.converted else None,
        "state": state.model_dump(mode="json"),
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


@router.get("", summary="List prospects by region, outreach, ambassador, kind, status, period")
async def list_prospects(
    runtime: Runtime,
    region: KnownRegion | None = None,
    outreach_id: UUID | None = None,
    ambassador_id: UUID | None = None,
    kind: PartnerKind | None = None,
    status: Status | None = None,
    from_: Annotated[date | None, Query(alias="from", description="Identified on or after")] = None,
    to: Annotated[date | None, Query(description="Identified on or before")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    span: Period = period(from_, to)
    return await query_page(
        runtime.pool,
        columns="*",
        source="prospects_view",
        where="($1::text IS NULL OR region = $1) AND ($2::uuid IS NULL OR outreach_id = $2)"
        " AND ($3::uuid IS NULL OR ambassador_id = $3) AND ($4::text IS NULL OR kind = $4)"
        " AND ($5::text IS NULL OR status = $5) AND ($6::date IS NULL OR identified_on >= $6)"
        " AND ($7::date IS NULL OR identified_on <= $7)",
        args=(region, outreach_id, ambassador_id, kind and kind.value, status, *span),
        order_by="identified_on, prospect_id",
        limit=limit,
        offset=offset,
        item=row_dict,
    )
