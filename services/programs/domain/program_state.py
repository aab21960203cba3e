"""The state of a program as its events fold it: position, timeline, totals, outcome."""

from __future__ import annotations

from datetime import date

from services.programs.events import (
    ActivityHeld,
    MonitoringRecorded,
    ProgramCompleted,
    ProgramDiscontinued,
    ProgramEvaluated,
    ProgramProposed,
    ProgramStageAdvanced,
)
from services.programs.stages import START, Phase, Stage, is_terminal
from services.programs.values import ParticipantCounts
from shared.events import Event, Model


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


class Totals(Model):
    """Running totals of what a program did."""

    activities: int = 0
    sessions: int = 0
    participants: ParticipantCounts = ParticipantCounts()
    volunteer_hours: int = 0
    monitoring_visits: int = 0
    last_rating: int | None = None


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


def initial() -> ProgramState:
    """A program not yet proposed."""
    return ProgramState()


def evolve(state: ProgramState, event: Event) -> ProgramState:
    """The program after `event`; every event counts toward `version`."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case ProgramProposed():
            entry = TimelineEntry(
                stage=START[0], phase=START[1], entered_on=event.proposed_on, by=event.proposed_by
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
            )
            update.update(
                stage=event.to_stage, phase=event.to_phase, timeline=(*state.timeline, entry)
            )
        case ActivityHeld():
            totals = state.totals
            update["totals"] = totals.model_copy(
                update={
                    "activities": totals.activities + 1,
                    "sessions": totals.sessions + event.sessions,
                    "participants": totals.participants + event.participants,
                    "volunteer_hours": totals.volunteer_hours + event.volunteer_hours,
                }
            )
        case MonitoringRecorded():
            visits = state.totals.monitoring_visits + 1
            update["totals"] = state.totals.model_copy(
                update={"monitoring_visits": visits, "last_rating": event.rating}
            )
        case ProgramEvaluated():
            update["latest_evaluation"] = event
        case ProgramCompleted() | ProgramDiscontinued():
            update["outcome"] = event
    return state.model_copy(update=update)
