"""Routes that read programs: one program with its timeline and history; lists, filtered, paged."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from services.programs.domain import program
from services.programs.domain.program import ProgramState
from services.programs.events import ProgramProposed, ProgramStageAdvanced
from services.programs.records import records
from services.programs.stages import Phase, Stage
from services.programs.timeline import label, timeline
from services.programs.values import Region, Track
from shared.http.commands import Runtime
from shared.http.documents import Limit, Offset, history_entry, query_page, row_dict
from shared.http.problems import Problem
from shared.runtime import ServiceRuntime
from shared.search import search_query, with_contains

router = APIRouter(prefix="/programs", tags=["programs"])
Status = Literal["active", "completed", "discontinued"]


HISTORY_PAGE = 50
"""How many of a program's latest events, and of its latest records, GET /programs/{id} shows."""
_MOVES = (ProgramProposed.TYPE, ProgramStageAdvanced.TYPE)


@router.get("/{program_id}", summary="A program: its state, its stage timeline and its history")
async def get_program(program_id: UUID, runtime: Runtime) -> JSONResponse:
    """The program as the officer sees it, at a cost that does not grow with its history.

    The state comes from its known state (shared.aggregates); only the events shown
    are read: the latest HISTORY_PAGE events (`history`), the stage moves
    (`timeline`) and the events of the latest HISTORY_PAGE records (`records`).
    A longer history is paged by GET /programs/{id}/history (a `Link: rel="next"`
    header says so); a program with no more events or records than that shows
    them all, as it always did.
    """
    loaded = await runtime.commands.current(program.decider, program_id)
    state = loaded.state
    if not state.exists:
        raise Problem(
            404,
            "program_not_found",
            f"Program {program_id} tidak ditemukan.",
            f"No program {program_id}.",
            id=str(program_id),
        )
    version = loaded.version
    store = runtime.store
    start = max(0, version - HISTORY_PAGE)
    recent = await store.read_stream(program_id, start)
    recent = recent[: version - start]  # as of the state's version, whatever came since
    shown = sorted(state.records)[-HISTORY_PAGE:]
    kept = set(shown)
    wanted = kept | {v for v, first in state.record_of.items() if first in kept}
    wanted |= {step.version for step in state.timeline}
    known = {e.aggregateversion for e in recent}
    read = [e for e in recent if e.aggregateversion in wanted]
    read += await store.read_versions(program_id, sorted(wanted - known))
    moves = sorted((e for e in read if e.type in _MOVES), key=lambda e: e.aggregateversion)
    phase = state.phase.value if state.phase else None
    names = await _names(runtime, state)
    body = {
        "id": str(program_id),
        "version": version,
        "status": state.status,
        "stage": state.stage.value,
        "phase": phase,
        "label": label(state.stage.value, phase),
        **names,
        "state": state.model_dump(mode="json", exclude={"timeline", "records", "record_of"}),
        "timeline": timeline(state, moves, runtime.today()),
        "records": records(state, read, shown),
        "history": [history_entry(e) for e in recent],
    }
    headers = {"ETag": f'"{version}"'}
    if version > len(recent):
        before = recent[0].aggregateversion if recent else version + 1
        headers["Link"] = f'</programs/{program_id}/history?before_version={before}>; rel="next"'
    return JSONResponse(body, headers=headers)


@router.get("/{program_id}/history", summary="A program's events, the latest first, paged")
async def get_history(
    program_id: UUID,
    runtime: Runtime,
    before_version: Annotated[int | None, Query(ge=1, le=2_000_000_000)] = None,
    limit: Limit = HISTORY_PAGE,
) -> JSONResponse:
    """Up to `limit` events before `before_version` (the latest when left out), in version
    order; `next_before_version` asks for the page before, null at the first event."""
    last = before_version - 1 if before_version is not None else None
    if last is None:
        loaded = await runtime.commands.current(program.decider, program_id)
        if not loaded.state.exists:
            raise _not_found(program_id)
        last = loaded.version
    first = max(1, last - limit + 1)
    events = await runtime.store.read_versions(program_id, range(first, last + 1))
    if not events and before_version is None:
        raise _not_found(program_id)
    body = {
        "id": str(program_id),
        "items": [history_entry(e) for e in events],
        "next_before_version": first if first > 1 else None,
    }
    return JSONResponse(body)


def _not_found(program_id: UUID) -> Problem:
    return Problem(
        404,
        "program_not_found",
        f"Program {program_id} tidak ditemukan.",
        f"No program {program_id}.",
        id=str(program_id),
    )


async def _names(runtime: ServiceRuntime, state: ProgramState) -> dict[str, Any]:
    """The program's unit (id, code, name) and partners (id, role, name), for the officer."""
    proposal = state.proposal
    assert proposal is not None  # the caller answered 404 for a program never proposed
    roles = [(proposal.lead_partner_id, "lead")]
    roles += [(pid, "co") for pid in proposal.co_partner_ids]
    async with runtime.pool.acquire() as conn:
        unit_name = await conn.fetchval(
            "SELECT name FROM units_view WHERE unit_id = $1", proposal.unit_id
        )
        rows = await conn.fetch(
            "SELECT partner_id, name FROM known_partners WHERE partner_id = ANY($1)",
            [pid for pid, _ in roles],
        )
    known = {row["partner_id"]: row["name"] for row in rows}
    return {
        "unit": {"id": str(proposal.unit_id), "code": proposal.unit_code, "name": unit_name},
        "partners": [{"id": str(pid), "role": role, "name": known.get(pid)} for pid, role in roles],
    }


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
    title: Annotated[str | None, search_query("the program's title")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, object]:
    where, args = with_contains(
        "($1::text IS NULL OR p.region = $1) AND ($2::uuid IS NULL OR p.unit_id = $2)"
        " AND ($3::text IS NULL OR p.stage = $3) AND ($4::text IS NULL OR p.phase = $4)"
        " AND ($5::text IS NULL OR p.track = $5) AND ($6::uuid IS NULL"
        " OR p.lead_partner_id = $6 OR $6 = ANY(p.co_partner_ids))"
        " AND ($7::text IS NULL OR p.status = $7)",
        (
            region,
            unit_id,
            stage and stage.value,
            phase and phase.value,
            track and track.value,
            partner_id,
            status,
        ),
        "p.title_search",
        title,
    )
    return await query_page(
        runtime.pool,
        columns=_LIST_COLUMNS,
        source="programs_view p LEFT JOIN units_view u ON u.unit_id = p.unit_id"
        " LEFT JOIN known_partners lp ON lp.partner_id = p.lead_partner_id",
        where=where,
        args=args,
        order_by="p.proposed_at, p.program_id",
        limit=limit,
        offset=offset,
        item=_list_item,
    )


_LIST_COLUMNS = (
    "p.*, u.name AS unit_name, lp.name AS lead_partner_name,"
    " ARRAY(SELECT kp.name FROM unnest(p.co_partner_ids) WITH ORDINALITY AS c(id, n)"
    " LEFT JOIN known_partners kp ON kp.partner_id = c.id ORDER BY c.n) AS co_partner_names"
)
"""Names beside ids: the unit's, and the partners' as the partners read model knows them
(an organisation's name; None for an individual or a partner not received yet)."""


def _list_item(row: Any) -> dict[str, Any]:
    item = row_dict(row)
    item.pop("title_search", None)
    item["co_partner_ids"] = [str(pid) for pid in row["co_partner_ids"]]
    item["co_partner_names"] = list(row["co_partner_names"])
    item["label"] = label(row["stage"], row["phase"])
    return item
