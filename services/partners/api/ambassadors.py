"""Routes for cooperation ambassadors (Duta Kerja Sama): appoint, end the term, list."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.partners import handlers
from services.partners.commands import AppointAmbassador, EndAmbassadorTerm
from services.partners.domain import ambassador
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Offset, aggregate_document, query_page

router = APIRouter(prefix="/ambassadors", tags=["ambassadors"])


@router.post("", status_code=201, summary="Appoint a cooperation ambassador for a term")
async def appoint(body: AppointAmbassador, cmd: Command) -> JSONResponse:
    answer = await handlers.appoint_ambassador(call=cmd, command=body)
    return respond(answer, location=f"/ambassadors/{answer.body['id']}")


@router.get("/{ambassador_id}", summary="An ambassador: state and event history")
async def get_ambassador(ambassador_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(ambassador.decider, ambassador_id)
    return aggregate_document(ambassador_id, loaded, kind="ambassador", exists=loaded.state.exists)


@router.get("", summary="List ambassadors, serving or all, paged")
async def list_ambassadors(
    runtime: Runtime,
    serving: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    return await query_page(
        runtime.pool,
        columns="*",
        source="ambassadors_view",
        where="($1::bool IS NULL OR (ended_on IS NULL) = $1)",
        args=(serving,),
        order_by="term_starts_on, ambassador_id",
        limit=limit,
        offset=offset,
    )


@router.post("/{ambassador_id}/end-term", summary="End an ambassador's term")
async def end_term(ambassador_id: UUID, body: EndAmbassadorTerm, cmd: Command) -> JSONResponse:
    answer = await handlers.end_ambassador_term(call=cmd, ambassador_id=ambassador_id, command=body)
    return respond(answer)
