"""Routes for units (UPT Pemasyarakatan): register one by its SDP code, list, show."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.programs import handlers
from services.programs.commands import RegisterUnit
from services.programs.domain import unit
from services.programs.values import Region, UnitType
from shared.eventstore import DuplicateKeyError
from shared.http.commands import Command, Runtime, respond
from shared.http.documents import Limit, Offset, aggregate_document, query_page
from shared.http.problems import Problem

router = APIRouter(prefix="/units", tags=["units"])


@router.post("", status_code=201, summary="Register a unit (UPT) of this region by its SDP code")
async def register(body: RegisterUnit, cmd: Command) -> JSONResponse:
    try:
        answer = await handlers.register_unit(call=cmd, command=body)
    except DuplicateKeyError as exc:
        raise Problem(
            409,
            "duplicate_unit",
            f"UPT dengan kode {body.code} sudah terdaftar sebagai {exc.holder}.",
            f"A unit with the code {body.code} is already registered as {exc.holder}.",
            field="code",
            existing_unit_id=str(exc.holder),
        ) from exc
    return respond(answer, location=f"/units/{answer.body['id']}")


@router.get("/{unit_id}", summary="A unit: its state and its event history")
async def get_unit(unit_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(unit.decider, unit_id)
    return aggregate_document(unit_id, loaded, kind="unit", exists=loaded.state.exists)


@router.get("", summary="List units, by region, type and code, paged")
async def list_units(
    runtime: Runtime,
    region: Region | None = None,
    type: UnitType | None = None,
    code: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    return await query_page(
        runtime.pool,
        columns="unit_id, code, name, type, region, registered_at, version",
        source="units_view",
        where="($1::text IS NULL OR region = $1) AND"
        " ($2::text IS NULL OR type = $2) AND ($3::text IS NULL OR upper(code) = upper($3))",
        args=(region, type and type.value, code),
        order_by="type, name, unit_id",
        limit=limit,
        offset=offset,
    )
