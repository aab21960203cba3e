"""Routes that read programs: one program with its timeline and history; lists, filtered, paged."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.programs.domain import program
from services.programs.records import records
from services.programs.stages import Phase, Stage
from services.programs.timeline import label, timeline
from services.programs.values import Region, Track
from shared.http.commands import Runtime
from shared.http.documents import Limit, Offset, history_entry, query_page, row_dict
from shared.http.problems import Problem

router = APIRouter(prefix="/programs", tags=["programs"])
Status = Literal["active", "completed", "discontinued"]


@router.get("/{program_id}", summary="A program: its state, its stage timeline and its history")
async def get_program(program_id: UUID, runtime: Runtime) -> JSONResponse:
    loaded = await runtime.commands.load(program.decider, program_id)
    state = loaded.state
    if not state.exists:
        raise Problem(404, "program_not_found", f"Program {program_id} tidak ditemukan.")
    phase = state.phase.value if state.phase else None
    body = {
        "id": str(program_id),
        "version": loaded.version,
        "status": state.status,
        "stage": state.stage.value,
        "phase": phase,
        "label": label(state.stage.value, phase),
        "state": state.model_dump(mode="json", exclude={"timeline", "records", "record_of"}),
        "timeline": timeline(state, loaded.history, runtime.clock().date()),
        "records": records(state, loaded.history),
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


@router.get("", summary="List programs by region, unit, stage, phase, track, partner and status")
async def list_programs(
    runtime: Runtime,
    region: Region | None = None,
    unit_id: UUID | None = None,
    stage: Stage | None = None,
    phase: Phase | None = None,
    track: Track | None = None,
    partner_id: Annotated[UUID | None, Query(description="Lead or co-partner")] = None,
    status: Status | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    return await query_page(
        runtime.pool,
        columns="p.*, u.name AS unit_name",
        source="programs_view p LEFT JOIN units_view u ON u.unit_id = p.unit_id",
        where="($1::text IS NULL OR p.region = $1) AND ($2::uuid IS NULL OR p.unit_id = $2)"
        " AND ($3::text IS NULL OR p.stage = $3) AND ($4::text IS NULL OR p.phase = $4)"
        " AND ($5::text IS NULL OR p.track = $5) AND ($6::uuid IS NULL"
        " OR p.lead_partner_id = $6 OR $6 = ANY(p.co_partner_ids))"
        " AND ($7::text IS NULL OR p.status = $7)",
        args=(
            region,
            unit_id,
            stage and stage.value,
            phase and phase.value,
            track and track.value,
            partner_id,
            status,
        ),
        order_by="p.proposed_at, p.program_id",
        limit=limit,
        offset=offset,
        item=_list_item,
    )


def _list_item(row: Any) -> dict[str, Any]:
    item = row_dict(row)
    item["co_partner_ids"] = [str(pid) for pid in row["co_partner_ids"]]
    item["label"] = label(row["stage"], row["phase"])
    return item
