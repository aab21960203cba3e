"""Routes for program commands: propose, advance a stage, record activities, monitoring and
evaluations, complete, discontinue.

Send `X-Actor`; `If-Match` with the ETag to guard against changes made meanwhile;
`Idempotency-Key` to make retries safe; `X-Partners-Position` to wait for a
partner change just made in the partners service (propose and advance).
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import partial
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.programs import commands as c
from services.programs import handlers
from services.programs.api.caught_up import PartnersCaughtUp, explain
from services.programs.handlers import PartnerFactsLookup
from services.programs.readmodels import partner_facts
from shared.commands import Answer
from shared.decider import DomainError
from shared.http.commands import Command, Runtime, respond
from shared.runtime import ServiceRuntime

router = APIRouter(prefix="/programs", tags=["programs"])


def _facts(runtime: ServiceRuntime) -> PartnerFactsLookup:
    return partial(partner_facts, runtime.pool)


async def _answer(handled: Awaitable[Answer], runtime: ServiceRuntime) -> Answer:
    """The handler's answer; a partner the read model has not seen is explained."""
    try:
        return await handled
    except DomainError as exc:
        raise await explain(exc, runtime) from exc


@router.post("", status_code=201, summary="Propose a program at a unit, led by a partner")
async def propose(
    body: c.ProposeProgram, cmd: Command, runtime: Runtime, waited: PartnersCaughtUp
) -> JSONResponse:
    # Having waited for the caller's position, a partner still unknown does not exist.
    handled = handlers.propose_program(
        call=cmd, command=body, partner_facts=_facts(runtime), partners_complete=waited is not None
    )
    answer = await _answer(handled, runtime)
    return respond(answer, location=f"/programs/{answer.body['id']}")


@router.post("/{program_id}/advance", summary="Move a program one step forward on the stage path")
async def advance(
    program_id: UUID,
    body: c.AdvanceStage,
    cmd: Command,
    runtime: Runtime,
    waited: PartnersCaughtUp,
) -> JSONResponse:
    handled = handlers.advance_stage(
        call=cmd,
        program_id=program_id,
        command=body,
        partner_facts=_facts(runtime),
        partners_complete=waited is not None,
    )
    return respond(await _answer(handled, runtime))


@router.post("/{program_id}/activities", summary="Record sessions held (participants as counts)")
async def record_activity(
    program_id: UUID, body: c.RecordActivity, cmd: Command, runtime: Runtime
) -> JSONResponse:
    handled = handlers.record_activity(call=cmd, program_id=program_id, command=body)
    return respond(await _answer(handled, runtime))


@router.post("/{program_id}/monitoring", summary="Record a monitoring visit")
async def record_monitoring(
    program_id: UUID, body: c.RecordMonitoring, cmd: Command, runtime: Runtime
) -> JSONResponse:
    handled = handlers.record_monitoring(call=cmd, program_id=program_id, command=body)
    return respond(await _answer(handled, runtime))


@router.post("/{program_id}/evaluation", summary="Evaluate on the three change domains")
async def evaluate(
    program_id: UUID, body: c.EvaluateProgram, cmd: Command, runtime: Runtime
) -> JSONResponse:
    handled = handlers.evaluate_program(call=cmd, program_id=program_id, command=body)
    return respond(await _answer(handled, runtime))


@router.post("/{program_id}/complete", summary="End a program as completed")
async def complete(
    program_id: UUID, body: c.CompleteProgram, cmd: Command, runtime: Runtime
) -> JSONResponse:
    handled = handlers.complete_program(call=cmd, program_id=program_id, command=body)
    return respond(await _answer(handled, runtime))


@router.post("/{program_id}/discontinue", summary="Stop a program early, with the reason")
async def discontinue(
    program_id: UUID, body: c.DiscontinueProgram, cmd: Command, runtime: Runtime
) -> JSONResponse:
    handled = handlers.discontinue_program(call=cmd, program_id=program_id, command=body)
    return respond(await _answer(handled, runtime))
