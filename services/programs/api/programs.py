"""Routes for program commands: propose, advance a stage, record activities, monitoring and
evaluations, complete, discontinue.

Send `X-Actor`; `If-Match` with the ETag to guard against changes made meanwhile;
`Idempotency-Key` to make retries safe; `X-Partners-Position` to wait for a
partner change just made in the partners service (propose and advance).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.programs import commands as c
from services.programs.api.caught_up import PartnersCaughtUp, explain
from services.programs.domain import program, unit
from services.programs.domain.program import ProgramCommand, ProgramContext
from services.programs.readmodels import partner_facts
from shared.commands import Answer
from shared.decider import DomainError
from shared.http.commands import Command, respond
from shared.ids import uuid7

router = APIRouter(prefix="/programs", tags=["programs"])


def _context(cmd: Command, **known: Any) -> ProgramContext:
    return ProgramContext(today=cmd.today(), actor=cmd.metadata.actor, **known)


async def _run(
    cmd: Command,
    program_id: UUID,
    body: ProgramCommand,
    context: ProgramContext,
    status: int = 200,
) -> Answer:
    try:
        return await cmd.run(
            program.decider,
            program_id,
            lambda s: program.decide(body, s, context),
            status=status,
            new_stream=status == 201,
        )
    except DomainError as exc:
        raise await explain(exc, cmd.runtime) from exc


async def _simple(cmd: Command, program_id: UUID, body: ProgramCommand) -> JSONResponse:
    return respond(await _run(cmd, program_id, body, _context(cmd)))


@router.post("", status_code=201, summary="Propose a program at a unit, led by a partner")
async def propose(body: c.ProposeProgram, cmd: Command, waited: PartnersCaughtUp) -> JSONResponse:
    runtime = cmd.runtime
    loaded = await runtime.commands.load(unit.decider, body.unit_id)
    facts = await partner_facts(runtime.pool, [body.lead_partner_id, *body.co_partner_ids])
    # Having waited for the caller's position, a partner still unknown does not exist.
    context = _context(cmd, unit=loaded.state, partners=facts, partners_complete=waited is not None)
    answer = await _run(cmd, uuid7(), body, context, status=201)
    return respond(answer, location=f"/programs/{answer.body['id']}")


@router.post("/{program_id}/advance", summary="Move a program one step forward on the stage path")
async def advance(
    program_id: UUID, body: c.AdvanceStage, cmd: Command, waited: PartnersCaughtUp
) -> JSONResponse:
    loaded = await cmd.runtime.commands.load(program.decider, program_id)
    proposal = loaded.state.proposal
    facts = (
        {}
        if proposal is None
        else await partner_facts(cmd.runtime.pool, [proposal.lead_partner_id])
    )
    context = _context(cmd, partners=facts, partners_complete=waited is not None)
    return respond(await _run(cmd, program_id, body, context))


@router.post("/{program_id}/activities", summary="Record sessions held (participants as counts)")
async def record_activity(program_id: UUID, body: c.RecordActivity, cmd: Command) -> JSONResponse:
    return await _simple(cmd, program_id, body)


@router.post("/{program_id}/monitoring", summary="Record a monitoring visit")
async def record_monitoring(
    program_id: UUID, body: c.RecordMonitoring, cmd: Command
) -> JSONResponse:
    return await _simple(cmd, program_id, body)


@router.post("/{program_id}/evaluation", summary="Evaluate on the three change domains")
async def evaluate(program_id: UUID, body: c.EvaluateProgram, cmd: Command) -> JSONResponse:
    return await _simple(cmd, program_id, body)


@router.post("/{program_id}/complete", summary="End a program as completed")
async def complete(program_id: UUID, body: c.CompleteProgram, cmd: Command) -> JSONResponse:
    return await _simple(cmd, program_id, body)


@router.post("/{program_id}/discontinue", summary="Stop a program early, with the reason")
async def discontinue(program_id: UUID, body: c.DiscontinueProgram, cmd: Command) -> JSONResponse:
    return await _simple(cmd, program_id, body)
