"""The program decider: a program's rules, from proposal through the stages to its end.

Decisions a reader should know, with the reason for each:

* Partner checks (known, verified, not suspended or withdrawn, agreement valid)
  apply to the lead and every co-partner on proposal, on *today*: the proposer
  vouches for the partners now, whatever the start date. On every stage move
  they apply to the lead partner on the move's date, so a lead suspended
  midway blocks the next step. Completing and discontinuing have no partner
  checks: a program must be able to end whatever became of its partners.
* Evidence is required for every move into stage 3 (entering it, and each
  phase move); the move from initial approach to continued collaboration may
  rest on the reason alone.
* Activities count from continued collaboration on: during the initial
  approach the partner is only being approached, so nothing is held yet.
* Every named partner must be *verified*, not merely registered: an
  unverified partner cannot hold an agreement, and saying so is clearer than
  "no valid agreement".
* Moves are dated; a move cannot predate the step before it, so time spent in
  each stage is never negative.
* A wrong target step is 409 `invalid_transition` (the caller's idea of the
  current step is stale, as when two people advance at once); a target behind
  the current step is 422 `stage_backwards`, a rule no reload can satisfy.
* Evaluations are allowed in the stage-3 evaluation phase and after
  completion (a stage-2 program that completed may be evaluated too), never
  after discontinuation.
* An activity whose participants are far above the planned number needs the
  officer's confirmation (domain/plausibility.py says what "far" is and why).
* Activities, monitoring visits and evaluations are corrected or voided by new
  events, never edited (domain/program_corrections.py has those rules).
"""

from __future__ import annotations

from services.programs.commands import (
    AdvanceStage,
    CompleteProgram,
    DiscontinueProgram,
    EvaluateProgram,
    ProposeProgram,
    RecordActivity,
    RecordMonitoring,
)
from services.programs.commands_corrections import (
    CorrectActivity,
    CorrectEvaluation,
    CorrectMonitoring,
    VoidRecord,
)
from services.programs.domain.program_context import AgreementPeriod, PartnerFacts, ProgramContext
from services.programs.domain.program_corrections import correct, void
from services.programs.domain.program_moves import advance, end
from services.programs.domain.program_propose import propose
from services.programs.domain.program_records import evaluate, record_activity, record_monitoring
from services.programs.domain.program_state import (
    ProgramState,
    State,
    TimelineEntry,
    Totals,
    evolve,
    initial,
)
from shared.decider import Decider
from shared.events import Event

__all__ = [
    "AgreementPeriod",
    "PartnerFacts",
    "ProgramCommand",
    "ProgramContext",
    "ProgramState",
    "State",
    "TimelineEntry",
    "Totals",
    "decide",
    "decider",
    "evolve",
    "initial",
]

ProgramCommand = (
    ProposeProgram
    | AdvanceStage
    | RecordActivity
    | RecordMonitoring
    | EvaluateProgram
    | CompleteProgram
    | DiscontinueProgram
    | CorrectActivity
    | CorrectMonitoring
    | CorrectEvaluation
    | VoidRecord
)
"""Every command the program decider takes."""


def decide(command: ProgramCommand, state: ProgramState, context: ProgramContext) -> list[Event]:
    """The events a program command yields; raises DomainError when refused."""
    match command:
        case CorrectActivity() | CorrectMonitoring() | CorrectEvaluation():
            return correct(command, state, context)  # before RecordActivity, its base
        case VoidRecord():
            return void(command, state, context)
        case ProposeProgram():
            return propose(command, state, context)
        case AdvanceStage():
            return advance(command, state, context)
        case RecordActivity():
            return record_activity(command, state, context)
        case RecordMonitoring():
            return record_monitoring(command, state, context)
        case EvaluateProgram():
            return evaluate(command, state, context)
        case CompleteProgram() | DiscontinueProgram():
            return end(command, state, context)
    raise TypeError(f"not a program command: {type(command).__name__}")


decider: Decider[ProgramCommand, ProgramState, ProgramContext] = Decider(
    initial=initial, evolve=evolve, decide=decide, snapshot_version=2
)
"""snapshot_version 2: timeline entries carry the version of their move."""
