"""Recording what a program did: activities, monitoring visits and evaluations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.programs.commands import (
    CompleteProgram,
    DiscontinueProgram,
    EvaluateProgram,
    RecordActivity,
    RecordMonitoring,
)
from services.programs.domain.program import decide, decider
from services.programs.events import ActivityHeld, MonitoringRecorded
from services.programs.stages import STEPS, Stage
from services.programs.values import ChangeScores, ParticipantCounts
from shared.events import Event

from .given import ACTOR, TODAY, World, then

CC, IP = Stage.CONTINUED_COLLABORATION, Stage.INDEPENDENT_PROGRAM
CROWD = ParticipantCounts(male_adult=20, female_adult=5, male_elderly=2, female_child=1)


def activity(held_on: date = date(2025, 3, 1), **changes: Any) -> RecordActivity:
    data: dict[str, Any] = {"held_on": held_on, "sessions": 2, "participants": CROWD}
    return RecordActivity(**{**data, "volunteer_hours": 6, **changes})


def held(held_on: date = date(2025, 3, 1)) -> ActivityHeld:
    return ActivityHeld(
        held_on=held_on, sessions=2, participants=CROWD, volunteer_hours=6, recorded_by=ACTOR
    )


def ended(w: World, history: list[Event], command: Any) -> list[Event]:
    return history + decide(command, decider.fold(history), w.context)


def test_activities_count_from_continued_collaboration_on() -> None:
    w = World()
    for position in STEPS[1:]:
        then(w.at(*position), activity(), w.context, [held()])
    error = then(w.at(Stage.INITIAL_APPROACH), activity(), w.context, "activity_too_early")
    assert error.details == {"stage": "initial_approach"}


def test_activities_fall_within_the_programs_dates() -> None:
    w = World()  # the program runs 2025-01-01 to 2025-12-31; today is 2025-11-20
    then(w.at(CC), activity(date(2025, 1, 1)), w.context, [held(date(2025, 1, 1))])
    then(w.at(CC), activity(date(2024, 12, 31)), w.context, "activity_outside_period")
    late = w.ctx(today=date(2026, 2, 1))
    then(w.at(CC), activity(date(2025, 12, 31)), late, [held(date(2025, 12, 31))])
    then(w.at(CC), activity(date(2026, 1, 1)), late, "activity_outside_period")


def test_activities_are_not_recorded_ahead() -> None:
    w = World()
    then(w.at(CC), activity(TODAY), w.context, [held(TODAY)])
    then(w.at(CC), activity(TODAY + timedelta(days=1)), w.context, "date_in_future")


@pytest.mark.parametrize("end", [CompleteProgram(summary="x"), DiscontinueProgram(reason="x")])
def test_no_activity_or_monitoring_after_the_end(end: Any) -> None:
    w = World()
    history = ended(w, w.at(CC), end)
    then(history, activity(), w.context, "program_closed")
    then(
        history,
        RecordMonitoring(visited_on=TODAY, findings="ok", rating=4),
        w.context,
        "program_closed",
    )


def test_unknown_program_has_no_records() -> None:
    w = World()
    then([], activity(), w.context, "program_not_found")
    then(
        [],
        RecordMonitoring(visited_on=TODAY, findings="ok", rating=4),
        w.context,
        "program_not_found",
    )
    then(
        [],
        EvaluateProgram(
            scores=ChangeScores(individual=3, institutional=3, policy=3),
            participants_completed=1,
            recommendations="r",
        ),
        w.context,
        "program_not_found",
    )


@pytest.mark.parametrize(
    "changes",
    [{"sessions": 0}, {"volunteer_hours": -1}, {"participants": {"male_child": -1}}, {"note": ""}],
)
def test_activity_values_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        activity(**changes)


def test_state_keeps_running_totals() -> None:
    w = World()
    history = w.at(CC) + [held(), held(date(2025, 3, 2))]
    history.append(MonitoringRecorded(visited_on=TODAY, findings="ok", rating=4, recorded_by=ACTOR))
    totals = decider.fold(history).totals
    assert (totals.activities, totals.sessions, totals.volunteer_hours) == (2, 4, 12)
    assert totals.participants.total == 56 and totals.participants.female == 12
    assert totals.participants.children == 2 and totals.participants.male == 44
    assert (totals.monitoring_visits, totals.last_rating) == (1, 4)


def test_monitoring_is_rated_one_to_five_and_not_ahead() -> None:
    w = World()
    for rating in (1, 5):
        command = RecordMonitoring(visited_on=TODAY, findings="ok", rating=rating)
        expected = MonitoringRecorded(
            visited_on=TODAY, findings="ok", rating=rating, recorded_by=ACTOR
        )
        then(w.at(Stage.INITIAL_APPROACH), command, w.context, [expected])
    for rating in (0, 6):
        with pytest.raises(ValidationError):
            RecordMonitoring(visited_on=TODAY, findings="ok", rating=rating)
    late = RecordMonitoring(visited_on=TODAY + timedelta(days=1), findings="ok", rating=3)
    then(w.at(CC), late, w.context, "date_in_future")
