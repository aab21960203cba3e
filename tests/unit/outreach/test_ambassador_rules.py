"""Only an ambassador of the office's region, in term on the day, leads, joins or identifies;
a refusal names why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import uuid4

import pytest

from services.outreach.commands import HoldOutreach, IdentifyProspect, PlanOutreach

from .given import CONTACT, CROWD, PLACE, World, serving, then

ON = date(2026, 11, 10)


def plan(w: World, on: date = ON) -> PlanOutreach:
    return PlanOutreach(
        title="Seminar",
        lead_ambassador_id=w.lead,
        co_ambassador_ids=(w.co,),
        channel="seminar",
        planned_on=on,
        place=PLACE,
    )


@pytest.mark.parametrize("role", ["lead", "co"])
def test_an_ambassador_not_seen_yet_is_not_yet_known_never_unknown(role: str) -> None:
    w = World()
    aid = w.lead if role == "lead" else w.co
    error = then([], plan(w), w.with_ambassador(aid, None), "ambassador_not_yet_known")
    assert error.status == 409
    assert error.details == {"ambassador_id": str(aid), "role": role}
    assert error.field == ("lead_ambassador_id" if role == "lead" else "co_ambassador_ids")


def test_an_ambassador_of_another_region_is_refused_naming_both_regions() -> None:
    w = World()
    error = then(
        [],
        plan(w),
        w.with_ambassador(w.lead, serving("bali", aid=w.lead)),
        "ambassador_other_region",
    )
    assert (error.details["ambassador_region"], error.details["region"]) == ("bali", "jatim")


def test_a_term_not_begun_on_the_day_is_refused() -> None:
    w = World()
    later = serving(starts=date(2026, 11, 11), aid=w.co)
    error = then([], plan(w), w.with_ambassador(w.co, later), "ambassador_term_not_begun")
    assert error.details["term_starts_on"] == "2026-11-11"
    then(
        [],
        plan(w, on=date(2026, 11, 11)),
        w.with_ambassador(w.co, later),
        [
            w.planned(
                planned_on=date(2026, 11, 11),
                expected_audience=None,
                topics=(),
                title="Seminar",
                channel="seminar",
            )
        ],
    )


def test_a_term_over_or_ended_early_is_refused() -> None:
    w = World()
    over = serving(ends=date(2026, 11, 9), aid=w.lead)
    error = then([], plan(w), w.with_ambassador(w.lead, over), "ambassador_term_ended")
    assert error.details["term_ended_on"] == "2026-11-09"
    early = serving(ended_on=date(2026, 6, 30), aid=w.lead)
    error = then([], plan(w), w.with_ambassador(w.lead, early), "ambassador_term_ended")
    assert error.details["term_ended_on"] == "2026-06-30"
    last_day = serving(ended_on=ON, aid=w.lead)
    then(
        [],
        plan(w),
        w.with_ambassador(w.lead, last_day),
        [w.planned(expected_audience=None, topics=(), title="Seminar", channel="seminar")],
    )


def test_holding_checks_the_team_on_the_day_it_was_held() -> None:
    w = World()
    gone = serving(ended_on=date(2026, 11, 11), aid=w.lead)
    when = HoldOutreach(held_on=date(2026, 11, 12), audience=CROWD)
    then([w.planned()], when, w.with_ambassador(w.lead, gone), "ambassador_term_ended")
    replaced = HoldOutreach(
        held_on=date(2026, 11, 12), audience=CROWD, lead_ambassador_id=w.co, co_ambassador_ids=()
    )
    then(
        [w.planned()],
        replaced,
        w.with_ambassador(w.lead, gone),
        [w.held(lead_ambassador_id=w.co, co_ambassador_ids=())],
    )


def test_the_ambassador_identifying_a_prospect_serves_in_the_region_on_the_day() -> None:
    w = World()
    stranger = uuid4()
    when = IdentifyProspect(
        outreach_id=w.outreach_id,
        ambassador_id=stranger,
        kind="business",
        name="CV Maju",
        contact=CONTACT,
    )
    then([], when, w.at_outreach(), "ambassador_not_yet_known")
    context = w.at_outreach(ambassadors={stranger: serving("ntb", aid=stranger)})
    then([], when, context, "ambassador_other_region")
    context = w.at_outreach(ambassadors={stranger: serving(ends=date(2026, 1, 1), aid=stranger)})
    error = then([], when, context, "ambassador_term_ended")
    assert error.details["role"] == "identifier" and error.field == "ambassador_id"


def test_once_caught_up_with_the_callers_position_an_unseen_ambassador_does_not_exist() -> None:
    w = World()
    context = w.with_ambassador(w.lead, None)
    error = then([], plan(w), replace(context, ambassadors_complete=True), "unknown_ambassador")
    assert error.status == 422 and error.details["role"] == "lead"
