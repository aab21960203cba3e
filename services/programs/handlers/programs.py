"""Handlers of the program commands: propose, advance, record, evaluate, complete, discontinue.

Each loads the program once (a proposal loads its unit instead), asks the
partners read model for the partners the decision checks, decides with the
region's local date and the acting officer, and appends with the version it
loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from services.programs import commands as c
from services.programs.domain import program, unit
from services.programs.domain.program import PartnerFacts, ProgramCommand, ProgramContext
from shared.commands import Answer, CommandCall, idempotent

PartnerFactsLookup = Callable[[Iterable[UUID]], Awaitable[Mapping[UUID, PartnerFacts | None]]]
"""What the partners read model knows of some partners (None: not seen yet)."""


def _context(call: CommandCall, **known: Any) -> ProgramContext:
    return ProgramContext(today=call.today(), actor=call.metadata.actor, **known)


@idempotent
async def propose_program(
    *,
    call: CommandCall,
    command: c.ProposeProgram,
    partner_facts: PartnerFactsLookup,
    partners_complete: bool = False,
) -> Answer:
    """Propose a program at a unit under a new id; the unit and every partner are checked.

    `partners_complete`: the read model has reached the caller's partners position,
    so a partner it does not know does not exist.
    """
    place = await call.load(unit.decider, command.unit_id)
    facts = await partner_facts([command.lead_partner_id, *command.co_partner_ids])
    program_id, loaded = call.start(program.decider)
    context = _context(call, unit=place.state, partners=facts, partners_complete=partners_complete)
    events = program.decider.decide(command, loaded.state, context)
    return await call.append(program_id, loaded, events, status=201)


@idempotent
async def advance_stage(
    *,
    call: CommandCall,
    program_id: UUID,
    command: c.AdvanceStage,
    partner_facts: PartnerFactsLookup,
    partners_complete: bool = False,
) -> Answer:
    """Move a program one step on the stage path; the lead partner is checked."""
    loaded = await call.target(program.decider, program_id)
    proposal = loaded.state.proposal
    facts = {} if proposal is None else await partner_facts([proposal.lead_partner_id])
    context = _context(call, partners=facts, partners_complete=partners_complete)
    events = program.decider.decide(command, loaded.state, context)
    return await call.append(program_id, loaded, events)


async def _decide(call: CommandCall, program_id: UUID, command: ProgramCommand) -> Answer:
    loaded = await call.target(program.decider, program_id)
    events = program.decider.decide(command, loaded.state, _context(call))
    return await call.append(program_id, loaded, events)


@idempotent
async def record_activity(
    *, call: CommandCall, program_id: UUID, command: c.RecordActivity
) -> Answer:
    """Record sessions held."""
    return await _decide(call, program_id, command)


@idempotent
async def record_monitoring(
    *, call: CommandCall, program_id: UUID, command: c.RecordMonitoring
) -> Answer:
    """Record a monitoring visit."""
    return await _decide(call, program_id, command)


@idempotent
async def evaluate_program(
    *, call: CommandCall, program_id: UUID, command: c.EvaluateProgram
) -> Answer:
    """Evaluate a program on the three change domains."""
    return await _decide(call, program_id, command)


@idempotent
async def complete_program(
    *, call: CommandCall, program_id: UUID, command: c.CompleteProgram
) -> Answer:
    """End a program as completed."""
    return await _decide(call, program_id, command)


@idempotent
async def discontinue_program(
    *, call: CommandCall, program_id: UUID, command: c.DiscontinueProgram
) -> Answer:
    """Stop a program early, with the reason."""
    return await _decide(call, program_id, command)
