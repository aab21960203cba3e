"""Correcting and voiding activities, monitoring visits and evaluations: new events, never edits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.programs.commands import CompleteProgram, DiscontinueProgram
from services.programs.commands_corrections import (
    CorrectActivity,
    CorrectEvaluation,
    CorrectMonitoring,
    RecordKind,
    VoidRecord,
)
from services.programs.domain.program import decide, decider
from services.programs.events import ActivityHeld, MonitoringRecorded, ProgramEvaluated
from services.programs.events_corrections import (
    ActivityCorrected,
    ActivityVoided,
    EvaluationCorrected,
    EvaluationVoided,
    MonitoringCorrected,
    MonitoringVoided,
)
from services.programs.stages import Phase, Stage
from services.programs.values import ChangeScores, ParticipantCounts
from shared.events import Event

from .given import ACTOR, TODAY, World, event_id, event_versions, then

CC = Stage.CONTINUED_COLLABORATION
CROWD = ParticipantCounts(male_adult=20, female_adult=5)
RIGHT = ParticipantCounts(male_adult=12, female_adult=5)
SCORES = ChangeScores(individual=4, institutional=3, policy=2)


def held(on: date = date(2025, 3, 1), crowd: ParticipantCounts = CROWD) -> ActivityHeld:
    return ActivityHeld(
        held_on=on, sessions=2, participants=crowd, volunteer_hours=6, recorded_by=ACTOR
    )


def visit(rating: int = 4) -> MonitoringRecorded:
    return MonitoringRecorded(visited_on=TODAY, findings="ok", rating=rating, recorded_by=ACTOR)


def evaluated(individual: int = 4) -> ProgramEvaluated:
    return ProgramEvaluated(
        scores=SCORES.model_copy(update={"individual": individual}),
        participants_completed=20,
        recommendations="more",
        evaluated_on=TODAY,
        evaluated_by="evaluator-1",
    )


def fix_activity(record: int, **changes: Any) -> CorrectActivity:
    data: dict[str, Any] = {
        "held_on": date(2025, 3, 1),
        "sessions": 2,
        "participants": RIGHT,
        "volunteer_hours": 6,
        "reason": "salah hitung",
    }
    return CorrectActivity(activity_event_id=event_id(record), **{**data, **changes})


def activity_corrected(record: int, **changes: Any) -> ActivityCorrected:
    data: dict[str, Any] = {
        "held_on": date(2025, 3, 1),
        "sessions": 2,
        "participants": RIGHT,
        "volunteer_hours": 6,
        "reason": "salah hitung",
        "corrected_by": ACTOR,
    }
    return ActivityCorrected(
        activity_event_id=event_id(record), record_version=record, **{**data, **changes}
    )


def void(kind: RecordKind, record: int, reason: str = "tercatat dua kali") -> VoidRecord:
    return VoidRecord(kind=kind, record_event_id=event_id(record), reason=reason)


class Program:
    """A program in continued collaboration (versions 1-2), then what the test adds."""

    def __init__(self, *events: Event, at: tuple[Stage, Phase | None] = (CC, None)) -> None:
        self.world = World()
        self.history: list[Event] = [*self.world.at(*at), *events]

    @property
    def version(self) -> int:
        return len(self.history)

    def ctx(self, **changes: Any) -> Any:
        return self.world.ctx(event_versions=event_versions(self.history), **changes)

    def then(self, when: Any, expect: Any, **ctx: Any) -> Any:
        return then(self.history, when, self.ctx(**ctx), expect)

    def add(self, when: Any) -> list[Event]:
        events = decide(when, decider.fold(self.history), self.ctx())
        self.history.extend(events)
        return events


def test_an_activity_is_corrected_with_full_figures_reason_and_who() -> None:
    p = Program(held())  # the activity is version 3
    p.then(fix_activity(3), [activity_corrected(3)])


def test_totals_count_the_corrected_figures_and_the_history_keeps_both() -> None:
    p = Program(held(), held(date(2025, 3, 2)))
    p.add(fix_activity(3, sessions=3, volunteer_hours=1))
    totals = decider.fold(p.history).totals
    assert (totals.activities, totals.sessions, totals.volunteer_hours) == (2, 5, 7)
    assert totals.participants == RIGHT + CROWD
    assert [type(e) for e in p.history[2:]] == [ActivityHeld, ActivityHeld, ActivityCorrected]
    record = decider.fold(p.history).records[3]
    assert record.corrections == 1 and record.figures.participants == RIGHT


def test_a_correction_of_a_correction_names_the_original() -> None:
    p = Program(held())
    p.add(fix_activity(3))  # version 4 is the first correction
    again = fix_activity(4, sessions=1)  # named by the correction's id
    p.then(again, [activity_corrected(3, sessions=1)])
    p.add(again)
    assert decider.fold(p.history).totals.sessions == 1


def test_a_voided_activity_counts_nowhere_and_cannot_be_touched_again() -> None:
    p = Program(held(), held(date(2025, 3, 2)))
    p.then(
        void(RecordKind.ACTIVITY, 4),
        [
            ActivityVoided(
                activity_event_id=event_id(4),
                record_version=4,
                reason="tercatat dua kali",
                voided_by=ACTOR,
            )
        ],
    )
    p.add(void(RecordKind.ACTIVITY, 4))
    totals = decider.fold(p.history).totals
    assert (totals.activities, totals.sessions, totals.participants) == (1, 2, CROWD)
    error = p.then(fix_activity(4), "record_voided")
    assert error.status == 409 and error.details["record_event_id"] == str(event_id(4))
    p.then(void(RecordKind.ACTIVITY, 4), "record_voided")
    p.then(void(RecordKind.ACTIVITY, 5), "record_voided")  # named by the void's own id


def test_a_corrected_then_voided_activity_takes_its_corrected_figures_out() -> None:
    p = Program(held())
    p.add(fix_activity(3, sessions=5))
    p.add(void(RecordKind.ACTIVITY, 3))
    totals = decider.fold(p.history).totals
    assert (totals.activities, totals.sessions, totals.participants.total) == (0, 0, 0)


@pytest.mark.parametrize("kind", list(RecordKind))
def test_an_unknown_record_is_404(kind: RecordKind) -> None:
    p = Program(held(), visit(), evaluated(), at=(Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION))
    error = p.then(void(kind, 999), f"{kind.value}_not_found")
    assert error.status == 404
    # the proposal (version 1) is an event of this program, but not a record
    p.then(void(kind, 1), f"{kind.value}_not_found")


def test_an_id_of_another_kind_of_record_is_not_found() -> None:
    p = Program(visit())  # the monitoring visit is version 3
    p.then(fix_activity(3), "activity_not_found")
    p.then(void(RecordKind.EVALUATION, 3), "evaluation_not_found")


def test_a_correction_must_change_something() -> None:
    p = Program(held())
    p.then(fix_activity(3, participants=CROWD), "correction_changes_nothing")


def test_corrected_figures_obey_the_rules_of_recording() -> None:
    p = Program(held())
    p.then(fix_activity(3, held_on=TODAY + timedelta(days=1)), "date_in_future")
    p.then(fix_activity(3, held_on=date(2024, 12, 31)), "activity_outside_period")
    crowd = ParticipantCounts(male_adult=61)  # 30 planned: the limit is 60
    p.then(fix_activity(3, participants=crowd), "participants_implausible")
    p.then(
        fix_activity(3, participants=crowd, participants_confirmed=True),
        [activity_corrected(3, participants=crowd, participants_confirmed=True)],
    )


@pytest.mark.parametrize("end", [CompleteProgram(summary="x"), DiscontinueProgram(reason="x")])
def test_records_of_an_ended_program_can_still_be_corrected_and_voided(end: Any) -> None:
    p = Program(held())
    p.add(end)
    p.then(fix_activity(3), [activity_corrected(3)])
    p.then(
        void(RecordKind.ACTIVITY, 3),
        [
            ActivityVoided(
                activity_event_id=event_id(3),
                record_version=3,
                reason="tercatat dua kali",
                voided_by=ACTOR,
            )
        ],
    )


def test_an_unknown_program_has_nothing_to_correct() -> None:
    w = World()
    then([], fix_activity(3), w.context, "program_not_found")
    then([], void(RecordKind.MONITORING, 3), w.context, "program_not_found")


def test_monitoring_is_corrected_and_voided_and_the_last_rating_follows() -> None:
    p = Program(visit(4), visit(2))  # versions 3 and 4
    fix = CorrectMonitoring(
        monitoring_event_id=event_id(4),
        visited_on=TODAY,
        findings="baik",
        rating=5,
        reason="nilai tertukar",
    )
    p.then(
        fix,
        [
            MonitoringCorrected(
                monitoring_event_id=event_id(4),
                record_version=4,
                visited_on=TODAY,
                findings="baik",
                rating=5,
                reason="nilai tertukar",
                corrected_by=ACTOR,
            )
        ],
    )
    p.add(fix)
    assert decider.fold(p.history).totals.last_rating == 5
    p.add(void(RecordKind.MONITORING, 4))
    totals = decider.fold(p.history).totals
    assert (totals.monitoring_visits, totals.last_rating) == (1, 4)
    late = fix.model_copy(
        update={"monitoring_event_id": event_id(3), "visited_on": TODAY + timedelta(days=1)}
    )
    p.then(late, "date_in_future")


def test_an_evaluation_is_corrected_and_voided_and_the_latest_follows() -> None:
    p = Program(evaluated(2), evaluated(3), at=(Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION))
    first, second = p.version - 1, p.version
    fix = CorrectEvaluation(
        evaluation_event_id=event_id(second),
        scores=SCORES,
        participants_completed=18,
        recommendations="lanjutkan",
        evaluated_on=TODAY,
        reason="skor salah input",
    )
    p.then(
        fix,
        [
            EvaluationCorrected(
                evaluation_event_id=event_id(second),
                record_version=second,
                scores=SCORES,
                participants_completed=18,
                recommendations="lanjutkan",
                evaluated_on=TODAY,
                reason="skor salah input",
                corrected_by=ACTOR,
            )
        ],
    )
    p.add(fix)
    latest = decider.fold(p.history).latest_evaluation
    assert latest is not None and latest.participants_completed == 18
    assert (
        latest.evaluated_by == "evaluator-1"
    )  # who evaluated stays; the correction says who fixed
    p.add(void(RecordKind.EVALUATION, second))
    latest = decider.fold(p.history).latest_evaluation
    assert latest is not None and latest.scores.individual == 2
    p.add(void(RecordKind.EVALUATION, first))
    assert decider.fold(p.history).latest_evaluation is None
    assert isinstance(p.history[-1], EvaluationVoided)
    assert p.history[-1].evaluation_event_id == event_id(first)


def test_voids_name_the_record_by_its_first_event_also_when_given_a_correction() -> None:
    p = Program(visit())
    p.add(
        CorrectMonitoring(
            monitoring_event_id=event_id(3), visited_on=TODAY, findings="f", rating=1, reason="r"
        )
    )
    p.then(
        void(RecordKind.MONITORING, 4),
        [
            MonitoringVoided(
                monitoring_event_id=event_id(3),
                record_version=3,
                reason="tercatat dua kali",
                voided_by=ACTOR,
            )
        ],
    )
