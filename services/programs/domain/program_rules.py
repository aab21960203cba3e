"""Small guards shared by the program decisions; each raises DomainError or returns."""

from __future__ import annotations

from datetime import date

from services.programs.domain.program_context import ProgramContext
from services.programs.domain.program_state import ProgramState
from services.programs.events import ProgramProposed
from services.programs.stages import is_terminal
from shared.decider import DomainError


def require_exists(state: ProgramState) -> ProgramProposed:
    """The program's proposal; 404 if the program was never proposed."""
    if not state.exists or state.proposal is None:
        raise DomainError("program_not_found", "no such program", status=404)
    return state.proposal


def require_active(state: ProgramState) -> None:
    """409 if the program has ended (completed or discontinued): nothing comes after."""
    if is_terminal(state.stage):
        raise DomainError(
            "program_closed",
            f"the program is {state.stage.value}",
            status=409,
            details={"status": state.stage.value},
        )


def not_future(day: date, context: ProgramContext, field_name: str) -> None:
    """422 if `day` is after today."""
    if day > context.today:
        raise DomainError(
            "date_in_future",
            f"{field_name} cannot be in the future",
            field=field_name,
            details={"today": context.today.isoformat()},
        )


def not_before_last_move(day: date, state: ProgramState, field_name: str) -> None:
    """422 if `day` is before the date the program entered its current step."""
    last = state.last_moved_on
    if last is not None and day < last:
        raise DomainError(
            "date_before_previous_step",
            f"{field_name} is before the program entered its current step",
            field=field_name,
            details={"previous_step_on": last.isoformat()},
        )
