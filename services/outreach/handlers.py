"""The outreach service's command handlers: one function a command.

Each takes its `CommandCall` (shared.commands) and the command as keyword
arguments, loads each aggregate it needs once, builds the context (the
region's "today" from the injected clock, new ids from the injected factory,
what the ambassadors read model knows), decides and appends. Routes
(services/outreach/api) and the conversion reaction only translate to these.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from uuid import UUID

from services.outreach.commands import (
    CancelOutreach,
    ConvertProspect,
    DeclineProspect,
    HoldOutreach,
    IdentifyProspect,
    PlanOutreach,
    RecordCoverage,
    RecordHeldOutreach,
)
from services.outreach.domain import coverage, outreach, prospect
from services.outreach.domain.ambassadors import AmbassadorFacts
from services.outreach.domain.context import OutreachContext
from services.outreach.domain.outreach_state import OutreachState
from shared.commands import Answer, CommandCall, idempotent
from shared.decider import DomainError

AmbassadorLookup = Callable[[Iterable[UUID]], Awaitable[Mapping[UUID, AmbassadorFacts | None]]]
"""What the ambassadors read model knows of some ids (None: not seen yet).

`caught_up` (of the handlers taking a lookup): the read model has applied the
partners position the caller relies on, so an ambassador it does not know does
not exist (422 `unknown_ambassador`, not 409 "not yet known")."""


async def _context(
    call: CommandCall,
    *,
    ambassadors: AmbassadorLookup | None = None,
    named: Iterable[UUID] = (),
    outreach_id: UUID | None = None,
    met_at: OutreachState | None = None,
    caught_up: bool = False,
) -> OutreachContext:
    known = await ambassadors(named) if ambassadors is not None else {}
    return OutreachContext(
        today=call.today(),
        actor=call.metadata.actor,
        region=call.region,
        ambassadors=known,
        ambassadors_complete=caught_up,
        outreach_id=outreach_id,
        outreach=met_at,
    )


@idempotent
async def plan_outreach(
    *,
    call: CommandCall,
    command: PlanOutreach,
    ambassadors: AmbassadorLookup,
    caught_up: bool = False,
) -> Answer:
    """Plan an outreach event under a new id."""
    outreach_id, loaded = call.start(outreach.decider)
    team = (command.lead_ambassador_id, *command.co_ambassador_ids)
    context = await _context(call, ambassadors=ambassadors, named=team, caught_up=caught_up)
    events = outreach.decider.decide(command, loaded.state, context)
    return await call.append(outreach_id, loaded, events, status=201)


@idempotent
async def record_held_outreach(
    *,
    call: CommandCall,
    command: RecordHeldOutreach,
    ambassadors: AmbassadorLookup,
    caught_up: bool = False,
) -> Answer:
    """Record an outreach event held without a plan, under a new id."""
    outreach_id, loaded = call.start(outreach.decider)
    team = (command.lead_ambassador_id, *command.co_ambassador_ids)
    context = await _context(call, ambassadors=ambassadors, named=team, caught_up=caught_up)
    events = outreach.decider.decide(command, loaded.state, context)
    return await call.append(outreach_id, loaded, events, status=201)


@idempotent
async def hold_outreach(
    *,
    call: CommandCall,
    outreach_id: UUID,
    command: HoldOutreach,
    ambassadors: AmbassadorLookup,
    caught_up: bool = False,
) -> Answer:
    """Record that a planned outreach event took place."""
    loaded = await call.target(outreach.decider, outreach_id)
    plan = loaded.state.plan
    lead = command.lead_ambassador_id or (plan.lead_ambassador_id if plan else None)
    co = command.co_ambassador_ids
    if co is None:
        co = plan.co_ambassador_ids if plan else ()
    team = ([lead] if lead else []) + list(co)
    context = await _context(call, ambassadors=ambassadors, named=team, caught_up=caught_up)
    events = outreach.decider.decide(command, loaded.state, context)
    return await call.append(outreach_id, loaded, events)


@idempotent
async def cancel_outreach(
    *, call: CommandCall, outreach_id: UUID, command: CancelOutreach
) -> Answer:
    """Cancel a planned outreach event, with the reason."""
    loaded = await call.target(outreach.decider, outreach_id)
    events = outreach.decider.decide(command, loaded.state, await _context(call))
    return await call.append(outreach_id, loaded, events)


@idempotent
async def record_coverage(
    *, call: CommandCall, outreach_id: UUID, command: RecordCoverage
) -> Answer:
    """Record media coverage of an outreach event."""
    loaded = await call.target(outreach.decider, outreach_id)
    context = await _context(call, outreach_id=outreach_id)
    events = outreach.decider.decide(command, loaded.state, context)
    return await call.append(outreach_id, loaded, events, status=201)


@idempotent
async def record_campaign_coverage(
    *, call: CommandCall, command: RecordCoverage, campaign_id: UUID | None = None
) -> Answer:
    """Record media coverage of a campaign without an outreach event: a new campaign
    (`campaign_id` None) or one already recorded."""
    if campaign_id is None:
        campaign_id, loaded = call.start(coverage.decider)
    else:
        loaded = await call.target(coverage.decider, campaign_id)
        if not loaded.state.exists:
            raise DomainError("campaign_not_found", "no such media campaign", status=404)
    events = coverage.decider.decide(command, loaded.state, await _context(call))
    return await call.append(campaign_id, loaded, events, status=201)


@idempotent
async def identify_prospect(
    *,
    call: CommandCall,
    command: IdentifyProspect,
    ambassadors: AmbassadorLookup,
    caught_up: bool = False,
) -> Answer:
    """Record a prospect met at a held outreach event, under a new id."""
    prospect_id, loaded = call.start(prospect.decider)
    met_at = await call.load(outreach.decider, command.outreach_id)
    context = await _context(
        call,
        ambassadors=ambassadors,
        caught_up=caught_up,
        named=[command.ambassador_id],
        outreach_id=command.outreach_id,
        met_at=met_at.state,
    )
    events = prospect.decider.decide(command, loaded.state, context)
    return await call.append(prospect_id, loaded, events, status=201)


@idempotent
async def decline_prospect(
    *, call: CommandCall, prospect_id: UUID, command: DeclineProspect
) -> Answer:
    """Record that a prospect declined, with the reason."""
    loaded = await call.target(prospect.decider, prospect_id)
    events = prospect.decider.decide(command, loaded.state, await _context(call))
    return await call.append(prospect_id, loaded, events)


@idempotent
async def convert_prospect(
    *, call: CommandCall, prospect_id: UUID, command: ConvertProspect
) -> Answer:
    """Record that a prospect became a partner (the conversion reaction calls this)."""
    loaded = await call.target(prospect.decider, prospect_id)
    events = prospect.decider.decide(command, loaded.state, await _context(call))
    return await call.append(prospect_id, loaded, events)
