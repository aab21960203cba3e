"""The program decisions that move it along the stage path: advance, complete, discontinue.

Every move is a `program_stage_advanced`; ending a program emits that move and
then `program_completed` or `program_discontinued`, in one decision.
"""

from __future__ import annotations

from services.programs.commands import AdvanceStage, CompleteProgram, DiscontinueProgram
from services.programs.domain.program_context import ProgramContext, check_partner
from services.programs.domain.program_rules import (
    not_before_last_move,
    not_future,
    require_active,
    require_exists,
)
from services.programs.domain.program_state import ProgramState
from services.programs.events import ProgramCompleted, ProgramDiscontinued, ProgramStageAdvanced
from services.programs.stages import (
    Phase,
    Stage,
    can_complete,
    index_of,
    is_terminal,
    next_step,
    normalize,
)
from shared.decider import DomainError
from shared.events import Event


def _where(stage: Stage, phase: Phase | None) -> dict[str, str | None]:
    return {"stage": stage.value, "phase": phase.value if phase else None}


def advance(command: AdvanceStage, state: ProgramState, context: ProgramContext) -> list[Event]:
    """Move the program exactly one step forward, with a reason and (in stage 3) evidence."""
    proposal = require_exists(state)
    require_active(state)
    to_stage, to_phase = normalize(command.to_stage, command.to_phase)
    details = {
        "from": _where(state.stage, state.phase),
        "to": _where(to_stage, to_phase),
        "expected": None,
    }
    expected = next_step(state.stage, state.phase)
    if expected is not None:
        details["expected"] = _where(*expected)
    if is_terminal(to_stage):
        raise DomainError(
            "end_via_complete_or_discontinue",
            "a program ends through the complete or discontinue command",
            field="to_stage",
            details=details,
        )
    current, target = index_of(state.stage, state.phase), index_of(to_stage, to_phase)
    if current is None or target is None:
        raise DomainError(
            "unknown_step", "no such step on the stage path", field="to_phase", details=details
        )
    if target < current:
        raise DomainError(
            "stage_backwards", "a program never moves back", field="to_stage", details=details
        )
    if target != current + 1:
        raise DomainError(
            "invalid_transition",
            "a program moves exactly one step forward",
            status=409,
            field="to_stage",
            details=details,
        )
    if to_stage is Stage.INDEPENDENT_PROGRAM and not command.evidence:
        raise DomainError(
            "evidence_required", "moves within stage 3 need evidence", field="evidence"
        )
    on = command.on or context.today
    not_future(on, context, "on")
    not_before_last_move(on, state, "on")
    check_partner(
        context, proposal.lead_partner_id, role="lead", on=on, field_name="lead_partner_id"
    )
    return [
        ProgramStageAdvanced(
            from_stage=state.stage,
            from_phase=state.phase,
            to_stage=to_stage,
            to_phase=to_phase,
            reason=command.reason,
            evidence=command.evidence,
            advanced_by=context.actor,
            on=on,
        )
    ]


def end(
    command: CompleteProgram | DiscontinueProgram, state: ProgramState, context: ProgramContext
) -> list[Event]:
    """End the program: completed (from stage 2 or the stage-3 evaluation phase) or discontinued."""
    require_exists(state)
    require_active(state)
    if isinstance(command, CompleteProgram):
        if not can_complete(state.stage, state.phase):
            raise DomainError(
                "completion_not_allowed",
                "a program completes from continued collaboration or the stage-3 evaluation phase",
                status=409,
                details=_where(state.stage, state.phase),
            )
        to_stage, on, reason, field_name = (
            Stage.COMPLETED,
            command.completed_on,
            command.summary,
            "completed_on",
        )
    else:
        to_stage, on, reason, field_name = (
            Stage.DISCONTINUED,
            command.discontinued_on,
            command.reason,
            "discontinued_on",
        )
    on = on or context.today
    not_future(on, context, field_name)
    not_before_last_move(on, state, field_name)
    moved = ProgramStageAdvanced(
        from_stage=state.stage,
        from_phase=state.phase,
        to_stage=to_stage,
        reason=reason,
        evidence=command.evidence,
        advanced_by=context.actor,
        on=on,
    )
    if isinstance(command, CompleteProgram):
        return [moved, ProgramCompleted(completed_on=on, summary=command.summary)]
    return [moved, ProgramDiscontinued(discontinued_on=on, reason=command.reason)]
