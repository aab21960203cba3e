"""Outreach events: planned, then held or cancelled; or recorded as held directly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.outreach.commands import (
    CancelOutreach,
    HoldOutreach,
    PlanOutreach,
    RecordHeldOutreach,
)
from services.outreach.events import OutreachCancelled
from services.outreach.values import Audience, Place

from .given import ACTOR, CROWD, PLACE, REGION, TODAY, World, then


def plan(w: World, **changes: Any) -> PlanOutreach:
    data: dict[str, Any] = {
        "title": "Sosialisasi Pokmas Lipas",
        "lead_ambassador_id": w.lead,
        "co_ambassador_ids": (w.co,),
        "channel": "socialization",
        "planned_on": date(2026, 11, 10),
        "place": PLACE,
        "topics": ("reintegrasi sosial",),
        "expected_audience": 80,
    }
    return PlanOutreach(**{**data, **changes})


def record_held(w: World, **changes: Any) -> RecordHeldOutreach:
    data: dict[str, Any] = {
        "title": "Sosialisasi Pokmas Lipas",
        "lead_ambassador_id": w.lead,
        "co_ambassador_ids": (w.co,),
        "channel": "socialization",
        "held_on": date(2026, 11, 12),
        "place": PLACE,
        "topics": ("reintegrasi sosial",),
        "audience": CROWD,
    }
    return RecordHeldOutreach(**{**data, **changes})


def test_an_outreach_event_is_planned_in_the_offices_region() -> None:
    w = World()
    then([], plan(w), w.context, [w.planned()])


def test_a_plan_may_be_for_a_day_ahead_while_the_ambassadors_serve() -> None:
    w = World()
    ahead = date(2027, 3, 1)
    then([], plan(w, planned_on=ahead), w.context, [w.planned(planned_on=ahead)])


def test_a_planned_event_is_held_with_its_audience_taking_the_rest_from_the_plan() -> None:
    w = World()
    when = HoldOutreach(held_on=date(2026, 11, 12), audience=CROWD)
    then([w.planned()], when, w.context, [w.held()])


def test_holding_may_correct_what_the_plan_said() -> None:
    w = World()
    other = Place(name="SMA Negeri 5", regency="Kota Surabaya")
    when = HoldOutreach(
        held_on=date(2026, 11, 12),
        audience=CROWD,
        place=other,
        channel="seminar",
        co_ambassador_ids=(),
    )
    expected = w.held(place=other, channel="seminar", co_ambassador_ids=())
    then([w.planned()], when, w.context, [expected])


def test_held_on_defaults_to_today_and_is_never_ahead() -> None:
    w = World()
    then([w.planned()], HoldOutreach(audience=CROWD), w.context, [w.held(held_on=TODAY)])
    ahead = HoldOutreach(held_on=TODAY + timedelta(days=1), audience=CROWD)
    error = then([w.planned()], ahead, w.context, "date_in_future")
    assert error.field == "held_on"


def test_an_event_not_planned_is_recorded_as_held_directly() -> None:
    w = World()
    then([], record_held(w), w.context, [w.held(was_planned=False)])
    ahead = record_held(w, held_on=TODAY + timedelta(days=1))
    then([], ahead, w.context, "date_in_future")


def test_an_event_is_held_once_and_recorded_once() -> None:
    w = World()
    then([w.planned(), w.held()], HoldOutreach(audience=CROWD), w.context, "outreach_not_planned")
    then([w.planned()], plan(w), w.context, "outreach_exists")
    then([w.planned()], record_held(w), w.context, "outreach_exists")
    then([], HoldOutreach(audience=CROWD), w.context, "outreach_not_found")


def test_only_a_planned_event_is_cancelled_with_a_reason() -> None:
    w = World()
    when = CancelOutreach(reason="Hujan deras, balai desa banjir")
    expected = OutreachCancelled(
        reason="Hujan deras, balai desa banjir", cancelled_on=TODAY, cancelled_by=ACTOR
    )
    then([w.planned()], when, w.context, [expected])
    error = then([w.planned(), w.held()], when, w.context, "outreach_not_planned")
    assert error.details == {"status": "held"}
    then([w.planned(), expected], when, w.context, "outreach_not_planned")
    then([], when, w.context, "outreach_not_found")
    ahead = CancelOutreach(reason="x", cancelled_on=TODAY + timedelta(days=1))
    then([w.planned()], ahead, w.context, "date_in_future")


def test_a_cancelled_event_is_not_held() -> None:
    w = World()
    cancelled = OutreachCancelled(reason="x", cancelled_on=TODAY, cancelled_by=ACTOR)
    error = then(
        [w.planned(), cancelled], HoldOutreach(audience=CROWD), w.context, "outreach_not_planned"
    )
    assert error.details == {"status": "cancelled"}


def test_the_lead_is_not_also_a_co_ambassador_and_nobody_is_named_twice() -> None:
    w = World()
    then([], plan(w, co_ambassador_ids=(w.lead,)), w.context, "lead_among_co_ambassadors")
    then([], plan(w, co_ambassador_ids=(w.co, w.co)), w.context, "duplicate_co_ambassador")


def test_state_tells_status_region_and_team() -> None:
    w = World()
    state = w.outreach_state(w.planned())
    assert (state.status, state.region, state.held_on) == ("planned", REGION, None)
    state = w.outreach_state()
    assert (state.status, state.held_on) == ("held", date(2026, 11, 12))
    assert state.ambassador_ids == (w.lead, w.co)


@pytest.mark.parametrize(
    "changes",
    [{"general_public": -1}, {"students": "many"}, {"visitors": 3}],
)
def test_audience_counts_are_whole_non_negative_and_by_known_segment(
    changes: dict[str, Any],
) -> None:
    with pytest.raises(ValidationError):
        Audience(**changes)


def test_audience_total_and_missing_segments_count_zero() -> None:
    assert Audience(students=3, media=2).total == 5
    assert Audience().model_dump()["families_of_inmates"] == 0


def test_channel_is_one_of_the_seven() -> None:
    w = World()
    with pytest.raises(ValidationError):
        plan(w, channel="radio_show")
