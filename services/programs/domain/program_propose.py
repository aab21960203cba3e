"""The decision that starts a program: proposing it at a unit, led by an eligible partner."""

from __future__ import annotations

from uuid import UUID

from services.programs.commands import ProposeProgram
from services.programs.domain.program_context import ProgramContext, check_partner
from services.programs.domain.program_rules import not_future
from services.programs.domain.program_state import ProgramState
from services.programs.events import ProgramProposed
from shared.decider import DomainError
from shared.events import Event


def propose(command: ProposeProgram, state: ProgramState, context: ProgramContext) -> list[Event]:
    """Propose a program at an existing unit with eligible partners."""
    if state.exists:
        raise DomainError("program_exists", "this program was already proposed", status=409)
    unit = context.unit
    if unit is None or not unit.exists or unit.code is None or unit.region is None:
        raise DomainError(
            "unknown_unit",
            f"no unit {command.unit_id}: check unit_id",
            field="unit_id",
            details={"unit_id": str(command.unit_id)},
        )
    if command.ends_on <= command.starts_on:
        raise DomainError("invalid_period", "ends_on must be after starts_on", field="ends_on")
    if command.lead_partner_id in command.co_partner_ids:
        raise DomainError(
            "lead_among_co_partners",
            "the lead partner cannot also be a co-partner",
            field="co_partner_ids",
            details={"partner_id": str(command.lead_partner_id)},
        )
    seen: set[UUID] = set()
    for partner_id in command.co_partner_ids:
        if partner_id in seen:
            raise DomainError(
                "duplicate_co_partner",
                "a co-partner is named twice",
                field="co_partner_ids",
                details={"partner_id": str(partner_id)},
            )
        seen.add(partner_id)
    proposed_on = command.proposed_on or context.today
    not_future(proposed_on, context, "proposed_on")
    check_partner(
        context,
        command.lead_partner_id,
        role="lead",
        on=context.today,
        field_name="lead_partner_id",
    )
    for partner_id in command.co_partner_ids:
        check_partner(context, partner_id, role="co", on=context.today, field_name="co_partner_ids")
    data = command.model_dump(exclude={"proposed_on"})
    return [
        ProgramProposed(
            **data,
            unit_code=unit.code,
            region=unit.region,
            proposed_on=proposed_on,
            proposed_by=context.actor,
        )
    ]
