"""The program decisions that record what happened: activities, monitoring, evaluation."""

from __future__ import annotations

from datetime import date

from services.programs.commands import EvaluateProgram, RecordActivity, RecordMonitoring
from services.programs.domain.plausibility import check_participants
from services.programs.domain.program_context import ProgramContext
from services.programs.domain.program_rules import not_future, require_active, require_exists
from services.programs.domain.program_state import ProgramState
from services.programs.events import (
    ActivityHeld,
    MonitoringRecorded,
    ProgramEvaluated,
    ProgramProposed,
)
from services.programs.stages import Phase, Stage, index_of
from shared.decider import DomainError
from shared.events import Event


def record_activity(
    command: RecordActivity, state: ProgramState, context: ProgramContext
) -> list[Event]:
    """Record sessions held, from continued collaboration on, within the program's dates."""
    proposal = require_exists(state)
    require_active(state)
    if index_of(state.stage, state.phase) == 0:
        raise DomainError(
            "activity_too_early",
            "activities are recorded from continued collaboration on",
            status=409,
            details={"stage": state.stage.value},
        )
    check_activity_figures(command, proposal, context)
    return [ActivityHeld(**command.model_dump(), recorded_by=context.actor)]


def check_activity_figures(
    command: RecordActivity, proposal: ProgramProposed, context: ProgramContext
) -> None:
    """An activity's date (not ahead, within the program) and plausible counts."""
    not_future(command.held_on, context, "held_on")
    if not proposal.starts_on <= command.held_on <= proposal.ends_on:
        raise DomainError(
            "activity_outside_period",
            "held_on is outside the program's dates",
            field="held_on",
            details={
                "starts_on": proposal.starts_on.isoformat(),
                "ends_on": proposal.ends_on.isoformat(),
            },
        )
    check_participants(
        command.participants, proposal.planned_participants, command.participants_confirmed
    )


def record_monitoring(
    command: RecordMonitoring, state: ProgramState, context: ProgramContext
) -> list[Event]:
    """Record a monitoring visit to an active program."""
    require_exists(state)
    require_active(state)
    not_future(command.visited_on, context, "visited_on")
    return [MonitoringRecorded(**command.model_dump(), recorded_by=context.actor)]


def evaluate(command: EvaluateProgram, state: ProgramState, context: ProgramContext) -> list[Event]:
    """Evaluate a program in the stage-3 evaluation phase or once completed."""
    require_exists(state)
    position = (state.stage, state.phase)
    if position != (Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION) and state.stage != Stage.COMPLETED:
        raise DomainError(
            "evaluation_not_allowed",
            "a program is evaluated in the evaluation phase of stage 3 or once completed",
            status=409,
            details={"stage": state.stage.value, "phase": state.phase and state.phase.value},
        )
    evaluated_on: date = command.evaluated_on or context.today
    not_future(evaluated_on, context, "evaluated_on")
    data = command.model_dump(exclude={"evaluated_on"})
    return [ProgramEvaluated(**data, evaluated_on=evaluated_on, evaluated_by=context.actor)]
