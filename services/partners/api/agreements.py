"""Routes for agreements (MoU / PKS): sign, renew, terminate; lists and expiring ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.partners import handlers
from services.partners.commands import RenewAgreement, SignAgreement, TerminateAgreement
from services.partners.domain import agreement
from services.partners.values import AgreementStatus
from shared.decider import DomainError
from shared.eventstore import DuplicateKeyError
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Offset, aggregate_document, query_page, row_dict
from shared.search import search_query, with_contains

router = APIRouter(prefix="/agreements", tags=["agreements"])
_COLUMNS = (
    "a.agreement_id, a.partner_id, p.display_name AS partner_name, a.region, a.instrument,"
    " a.number, a.signed_level, a.starts_on, a.ends_on, a.status, a.version"
)
_SOURCE = "agreements_view a LEFT JOIN partners_view p ON p.partner_id = a.partner_id"
"""Agreements with their partner's name beside its id."""


@router.post("", status_code=201, summary="Sign an agreement (MoU or PKS) with a verified partner")
async def sign(body: SignAgreement, cmd: Command) -> JSONResponse:
    try:
        answer = await handlers.sign_agreement(call=cmd, command=body)
    except DuplicateKeyError as exc:
        raise DomainError(
            "duplicate_agreement_number",
            f"{body.instrument.value} number {body.number!r} at {body.signed_level.value} level "
            f"already belongs to agreement {exc.holder}",
            status=409,
            field="number",
            details={"existing_agreement_id": str(exc.holder)},
        ) from exc
    return respond(answer, location=f"/agreements/{answer.body['id']}")


@router.get("/expiring", summary="Active agreements ending within N days")
async def expiring(
    runtime: Runtime,
    within_days: Annotated[int, Query(ge=0, le=3650)] = 90,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> dict[str, object]:
    today = runtime.today()
    until = today + timedelta(days=within_days)
    return await query_page(
        runtime.pool,
        columns=_COLUMNS,
        source=_SOURCE,
        where="a.status = 'active' AND a.ends_on >= $1 AND a.ends_on <= $2",
        args=(today, until),
        order_by="a.ends_on, a.agreement_id",
        limit=limit,
        offset=offset,
        item=lambda r: row_dict(r) | {"days_left": (r["ends_on"] - today).days},
    )


@router.get("/{agreement_id}", summary="An agreement: its state and its event history")
async def get_agreement(agreement_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(agreement.decider, agreement_id)
    return aggregate_document(agreement_id, loaded, kind="agreement", exists=loaded.state.exists)


@router.get("", summary="List agreements, by partner and status, paged")
async def list_agreements(
    runtime: Runtime,
    partner_id: UUID | None = None,
    status: AgreementStatus | None = None,
    number: Annotated[str | None, search_query("the agreement's number")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    where, args = with_contains(
        "($1::uuid IS NULL OR a.partner_id = $1) AND ($2::text IS NULL OR a.status = $2)",
        (partner_id, status.value if status else None),
        "lower(a.number)",
        number,
    )
    return await query_page(
        runtime.pool,
        columns=_COLUMNS,
        source=_SOURCE,
        where=where,
        args=args,
        order_by="a.starts_on, a.agreement_id",
        limit=limit,
        offset=offset,
    )


@router.post("/{agreement_id}/renew", summary="Renew an active agreement to a later end date")
async def renew(agreement_id: UUID, body: RenewAgreement, cmd: Command) -> JSONResponse:
    answer = await handlers.renew_agreement(call=cmd, agreement_id=agreement_id, command=body)
    return respond(answer)


@router.post("/{agreement_id}/terminate", summary="Terminate an active agreement, with the reason")
async def terminate(agreement_id: UUID, body: TerminateAgreement, cmd: Command) -> JSONResponse:
    answer = await handlers.terminate_agreement(call=cmd, agreement_id=agreement_id, command=body)
    return respond(answer)
