"""Prospects: identified at a held outreach event, then declined or converted (by the system)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.outreach.commands import ConvertProspect, DeclineProspect, IdentifyProspect
from services.outreach.domain import prospect
from services.outreach.events import OutreachCancelled, ProspectConverted, ProspectDeclined

from .given import ACTOR, CONTACT, TODAY, World, then


def identify(w: World, **changes: Any) -> IdentifyProspect:
    data: dict[str, Any] = {
        "outreach_id": w.outreach_id,
        "ambassador_id": w.lead,
        "kind": "community_organization",
        "name": "Karang Taruna Kenjeran",
        "contact": CONTACT,
        "interests": ("reintegration",),
        "identified_on": date(2026, 11, 12),
    }
    return IdentifyProspect(**{**data, **changes})


def test_a_prospect_is_identified_at_a_held_event_by_an_ambassador_in_term() -> None:
    w = World()
    then([], identify(w), w.at_outreach(), [w.identified()])
    then([], identify(w, identified_on=None), w.at_outreach(), [w.identified(identified_on=TODAY)])


def test_not_at_an_event_only_planned_cancelled_or_unknown() -> None:
    w = World()
    error = then([], identify(w), w.at_outreach(w.planned()), "outreach_not_held")
    assert error.details["status"] == "planned"
    cancelled = OutreachCancelled(reason="x", cancelled_on=TODAY, cancelled_by=ACTOR)
    then([], identify(w), w.at_outreach(w.planned(), cancelled), "outreach_not_held")
    error = then([], identify(w), w.ctx(outreach=None), "unknown_outreach")
    assert error.status == 422 and error.field == "outreach_id"


def test_not_at_an_event_of_another_region() -> None:
    w = World()
    elsewhere = w.at_outreach(w.held(region="bali", was_planned=False))
    error = then([], identify(w), elsewhere, "outreach_other_region")
    assert error.details["outreach_region"] == "bali"


def test_identified_on_falls_between_the_event_and_today() -> None:
    w = World()
    then([], identify(w, identified_on=date(2026, 11, 11)), w.at_outreach(), "date_too_early")
    then(
        [], identify(w, identified_on=TODAY + timedelta(days=1)), w.at_outreach(), "date_in_future"
    )


def test_a_prospect_is_identified_once() -> None:
    w = World()
    then([w.identified()], identify(w), w.at_outreach(), "prospect_exists")


def test_a_prospect_declines_once_with_a_reason() -> None:
    w = World()
    when = DeclineProspect(reason="Belum ada waktu tahun ini")
    declined = ProspectDeclined(
        reason="Belum ada waktu tahun ini", declined_on=TODAY, recorded_by=ACTOR
    )
    then([w.identified()], when, w.context, [declined])
    then([w.identified(), declined], when, w.context, "prospect_closed")
    then([], when, w.context, "prospect_not_found")
    early = DeclineProspect(reason="x", declined_on=date(2026, 11, 1))
    then([w.identified()], early, w.context, "date_too_early")


def converted(partner_event: Any = None, partner: Any = None) -> ProspectConverted:
    return ProspectConverted(
        partner_id=partner or uuid4(),
        partner_event_id=partner_event or uuid4(),
        converted_on=date(2026, 11, 19),
    )


def convert(done: ProspectConverted) -> ConvertProspect:
    return ConvertProspect(
        partner_id=done.partner_id,
        partner_event_id=done.partner_event_id,
        converted_on=done.converted_on,
    )


def test_a_prospect_converts_when_a_partner_names_it() -> None:
    w = World()
    done = converted()
    then([w.identified()], convert(done), w.context, [done])


def test_the_same_partner_event_again_changes_nothing() -> None:
    w = World()
    done = converted()
    then([w.identified(), done], convert(done), w.context, [])


def test_a_second_partner_naming_a_converted_prospect_is_refused_naming_the_first() -> None:
    w = World()
    done = converted()
    error = then(
        [w.identified(), done], convert(converted()), w.context, "prospect_already_converted"
    )
    assert error.details["partner_id"] == str(done.partner_id)


def test_a_referral_to_no_prospect_converts_nothing() -> None:
    w = World()
    error = then([], convert(converted()), w.context, "prospect_not_found")
    assert error.status == 404


def test_a_prospect_who_declined_and_registered_after_all_converts() -> None:
    w = World()
    declined = ProspectDeclined(reason="x", declined_on=TODAY, recorded_by=ACTOR)
    done = converted()
    then([w.identified(), declined], convert(done), w.context, [done])
    then([w.identified(), done], DeclineProspect(reason="x"), w.context, "prospect_closed")


def test_state_tells_the_status() -> None:
    w = World()
    assert prospect.decider.fold([]).status is None
    assert prospect.decider.fold([w.identified()]).status == "identified"
    assert prospect.decider.fold([w.identified(), converted()]).status == "converted"


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "pokmas"},
        {"name": ""},
        {"contact": {"person_name": "Siti"}},
        {"interests": ("cooking",)},
    ],
)
def test_prospect_values_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        identify(World(), **changes)
