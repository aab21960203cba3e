"""The state of a program as its events fold it: position, timeline, totals, outcome."""

from __future__ import annotations

from datetime import date

from services.programs.domain.program_ledger import CHANGE_EVENTS, Ledger, Record, Totals, apply
from services.programs.events import (
    ProgramCompleted,
    ProgramDiscontinued,
    ProgramEvaluated,
    ProgramProposed,
    ProgramStageAdvanced,
)
from services.programs.stages import START, Phase, Stage, is_terminal
from shared.events import Event, Model

__all__ = ["ProgramState", "Record", "State", "TimelineEntry", "Totals", "evolve", "initial"]


class TimelineEntry(Model):
    """One step a program entered: where, on which date, by whom, why, with what evidence.

    Dates come from the events (`proposed_on`, `on`); the envelope's recording
    times, if wanted, are the handler's to add.
    """

    stage: Stage
    phase: Phase | None = None
    entered_on: date
    by: str
    reason: str | None = None
    evidence: tuple[str, ...] = ()
    version: int = 0
    """The program version the move made (its event's aggregateversion)."""


class ProgramState(Model):
    """What the program decider knows about one program."""

    version: int = 0
    exists: bool = False
    proposal: ProgramProposed | None = None
    stage: Stage = START[0]
    phase: Phase | None = START[1]
    timeline: tuple[TimelineEntry, ...] = ()
    totals: Totals = Totals()
    latest_evaluation: ProgramEvaluated | None = None
    records: dict[int, Record] = {}
    """Activities, monitoring visits and evaluations by the version their first event made."""
    record_of: dict[int, int] = {}
    """The version of every record event (first, correction, void) -> its record's key."""
    outcome: ProgramCompleted | ProgramDiscontinued | None = None

    @property
    def status(self) -> str:
        """`active` on the path, else `completed` or `discontinued`."""
        return self.stage.value if is_terminal(self.stage) else "active"

    @property
    def last_moved_on(self) -> date | None:
        """The date the current step was entered."""
        return self.timeline[-1].entered_on if self.timeline else None


State = ProgramState
_LEDGER = tuple(Ledger.model_fields)


def initial() -> ProgramState:
    """A program not yet proposed."""
    return ProgramState()


def evolve(state: ProgramState, event: Event) -> ProgramState:
    """The program after `event`; every event counts toward `version`."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case ProgramProposed():
            entry = TimelineEntry(
                stage=START[0],
                phase=START[1],
                entered_on=event.proposed_on,
                by=event.proposed_by,
                version=state.version + 1,
            )
            update.update(exists=True, proposal=event, timeline=(entry,))
        case ProgramStageAdvanced():
            entry = TimelineEntry(
                stage=event.to_stage,
                phase=event.to_phase,
                entered_on=event.on,
                by=event.advanced_by,
                reason=event.reason,
                evidence=event.evidence,
                version=state.version + 1,
            )
            update.update(
                stage=event.to_stage, phase=event.to_phase, timeline=(*state.timeline, entry)
            )
        case _ if isinstance(event, CHANGE_EVENTS):
            ledger = Ledger.model_construct(**{name: getattr(state, name) for name in _LEDGER})
            update.update(dict(apply(ledger, state.version + 1, event)))
        case ProgramCompleted() | ProgramDiscontinued():
            update["outcome"] = event
    return state.model_copy(update=update)
