"""Handler of the unit command: register a UPT by its SDP code."""

from __future__ import annotations

from services.programs.commands import RegisterUnit
from services.programs.domain import unit
from shared.commands import Answer, CommandCall, idempotent
from shared.eventstore import Claim

CODE_SCOPE = "unit_code"
"""The claim scope of a unit's SDP code (upper case)."""


@idempotent
async def register_unit(*, call: CommandCall, command: RegisterUnit) -> Answer:
    """Register a unit of this region under a new id, claiming its code (DuplicateKeyError)."""
    unit_id, loaded = call.start(unit.decider)
    context = unit.UnitContext(today=call.today(), region=call.region)
    events = unit.decider.decide(command, loaded.state, context)
    claims = [Claim(CODE_SCOPE, command.code.upper())]
    return await call.append(unit_id, loaded, events, claims=claims, status=201)
