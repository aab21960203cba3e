"""Routes for partners (Sahabat Pemasyarakatan): register, verify, profile, suspend, withdraw."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.partners import handlers
from services.partners.commands import (
    RegisterPartner,
    ReinstatePartner,
    SuspendPartner,
    UpdatePartnerProfile,
    VerifyPartner,
    WithdrawPartner,
)
from services.partners.domain import partner
from services.partners.lookups import active_agreements
from services.partners.values import PartnerKind, PartnerStatus
from shared.eventstore import DuplicateKeyError
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Offset, aggregate_document, query_page
from shared.http.problems import Problem
from shared.regions import KnownRegion
from shared.runtime import ServiceRuntime
from shared.search import search_query, with_contains

router = APIRouter(prefix="/partners", tags=["partners"])


@router.post("", status_code=201, summary="Register a partner (daftarkan Sahabat Pemasyarakatan)")
async def register(body: RegisterPartner, cmd: Command, runtime: Runtime) -> JSONResponse:
    try:
        answer = await handlers.register_partner(call=cmd, command=body)
    except DuplicateKeyError as exc:
        raise await _duplicate(runtime, exc.holder) from exc
    return respond(answer, location=f"/partners/{answer.body['id']}")


async def _duplicate(runtime: ServiceRuntime, holder: UUID) -> Problem:
    """409 naming the partner already registered: its id, and its name if an organisation's.

    An individual's name is not given: whoever types a NIK would learn whose it is.
    """
    row = await runtime.pool.fetchrow(
        "SELECT kind, display_name FROM partners_view WHERE partner_id = $1", holder
    )
    name = row["display_name"] if row is not None and row["kind"] != "individual" else None
    named = f"{name} ({holder})" if name else str(holder)
    return Problem(
        409,
        "duplicate_partner",
        f"Mitra ini sudah terdaftar sebagai {named} (NIK sama, atau nama dan jenis organisasi "
        "sama di wilayah ini).",
        f"This partner is already registered as {named} (the same NIK, or the same name and "
        "kind in this region).",
        existing_partner_id=str(holder),
        existing_partner_name=name,
    )


@router.get("/{partner_id}", summary="A partner: its state and its event history")
async def get_partner(partner_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(partner.decider, partner_id)
    return aggregate_document(partner_id, loaded, kind="partner", exists=loaded.state.exists)


@router.get("", summary="List partners, filtered by region, kind and status, paged")
async def list_partners(
    runtime: Runtime,
    region: KnownRegion | None = None,
    kind: PartnerKind | None = None,
    status: PartnerStatus | None = None,
    name: Annotated[str | None, search_query("the partner's name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    where, args = with_contains(
        "($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR kind = $2)"
        " AND ($3::text IS NULL OR status = $3)",
        (region, kind.value if kind else None, status.value if status else None),
        "name_search",
        name,
    )
    return await query_page(
        runtime.pool,
        source="partners_view",
        columns="partner_id, region, kind, status, display_name, interests, registered_at,"
        " updated_at, version",
        where=where,
        args=args,
        order_by="registered_at, partner_id",
        limit=limit,
        offset=offset,
    )


@router.post("/{partner_id}/verify", summary="Verify a registered partner")
async def verify(partner_id: UUID, cmd: Command, body: VerifyPartner | None = None) -> JSONResponse:
    command = body or VerifyPartner()
    return respond(await handlers.verify_partner(call=cmd, partner_id=partner_id, command=command))


@router.post("/{partner_id}/profile", summary="Update a partner's profile (only changed fields)")
async def update_profile(
    partner_id: UUID, body: UpdatePartnerProfile, cmd: Command, runtime: Runtime
) -> JSONResponse:
    try:
        answer = await handlers.update_partner_profile(
            call=cmd, partner_id=partner_id, command=body
        )
    except DuplicateKeyError as exc:
        raise await _duplicate(runtime, exc.holder) from exc
    return respond(answer)


@router.post("/{partner_id}/suspend", summary="Suspend a partner, with the reason")
async def suspend(partner_id: UUID, body: SuspendPartner, cmd: Command) -> JSONResponse:
    return respond(await handlers.suspend_partner(call=cmd, partner_id=partner_id, command=body))


@router.post("/{partner_id}/reinstate", summary="Reinstate a suspended partner")
async def reinstate(
    partner_id: UUID, cmd: Command, body: ReinstatePartner | None = None
) -> JSONResponse:
    command = body or ReinstatePartner()
    answer = await handlers.reinstate_partner(call=cmd, partner_id=partner_id, command=command)
    return respond(answer)


@router.post("/{partner_id}/withdraw", summary="Withdraw a partner (final)")
async def withdraw(
    partner_id: UUID, body: WithdrawPartner, cmd: Command, runtime: Runtime
) -> JSONResponse:
    answer = await handlers.withdraw_partner(
        call=cmd,
        partner_id=partner_id,
        command=body,
        active_agreements=active_agreements(runtime.pool),
    )
    return respond(answer)
