"""Participants far above the plan need the officer's confirmation, which the event keeps."""

from __future__ import annotations

from datetime import date

import pytest

from services.programs.commands import RecordActivity
from services.programs.domain.plausibility import participants_limit
from services.programs.events import ActivityHeld
from services.programs.stages import Stage
from services.programs.values import ParticipantCounts

from .given import ACTOR, World, then

CC = Stage.CONTINUED_COLLABORATION


@pytest.mark.parametrize(("planned", "limit"), [(1, 11), (5, 15), (10, 20), (30, 60), (200, 400)])
def test_far_above_is_twice_the_plan_and_at_least_ten_more(planned: int, limit: int) -> None:
    assert participants_limit(planned) == limit


def activity(total: int, confirmed: bool = False) -> RecordActivity:
    return RecordActivity(
        held_on=date(2025, 3, 1),
        sessions=1,
        participants_confirmed=confirmed,
        participants=ParticipantCounts(male_adult=total),
    )


def held(total: int, confirmed: bool = False) -> ActivityHeld:
    return ActivityHeld(
        held_on=date(2025, 3, 1),
        sessions=1,
        volunteer_hours=0,
        participants=ParticipantCounts(male_adult=total),
        participants_confirmed=confirmed,
        recorded_by=ACTOR,
    )


def test_up_to_the_limit_needs_no_confirmation() -> None:
    w = World()  # 30 planned: the limit is 60
    then(w.at(CC), activity(60), w.context, [held(60)])


def test_above_the_limit_is_refused_unless_confirmed_and_the_event_keeps_the_confirmation() -> None:
    w = World()
    error = then(w.at(CC), activity(61), w.context, "participants_implausible")
    assert error.field == "participants"
    assert error.details == {"participants": 61, "planned_participants": 30, "limit": 60}
    then(w.at(CC), activity(300, confirmed=True), w.context, [held(300, confirmed=True)])


def test_old_activity_events_without_the_flag_still_read() -> None:
    data = held(3).model_dump(mode="json")
    del data["participants_confirmed"]
    assert ActivityHeld.model_validate(data).participants_confirmed is False
