"""Handlers of the ambassador commands: appoint, end the term."""

from __future__ import annotations

from uuid import UUID

from services.partners.commands import AppointAmbassador, EndAmbassadorTerm
from services.partners.domain import ambassador
from shared.commands import Answer, CommandCall, idempotent


def _context(call: CommandCall) -> ambassador.AmbassadorContext:
    return ambassador.AmbassadorContext(today=call.today(), region=call.region)


@idempotent
async def appoint_ambassador(*, call: CommandCall, command: AppointAmbassador) -> Answer:
    """Appoint an ambassador of the region for a term, under a new id."""
    ambassador_id, loaded = call.start(ambassador.decider)
    events = ambassador.decider.decide(command, loaded.state, _context(call))
    return await call.append(ambassador_id, loaded, events, status=201)


@idempotent
async def end_ambassador_term(
    *, call: CommandCall, ambassador_id: UUID, command: EndAmbassadorTerm
) -> Answer:
    """End an ambassador's term, completed or early."""
    loaded = await call.target(ambassador.decider, ambassador_id)
    events = ambassador.decider.decide(command, loaded.state, _context(call))
    return await call.append(ambassador_id, loaded, events)
