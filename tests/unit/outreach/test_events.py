"""The outreach events as a contract: firm names, aggregates, personal data, no floats."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.outreach import events as ev
from shared.events import PERSONAL, Event, parse_type, personal_fields

from .given import ACTOR, CONTACT, CROWD, PLACE, World

NAMES = {
    "outreach_planned",
    "outreach_held",
    "outreach_cancelled",
    "media_coverage_recorded",
    "prospect_identified",
    "prospect_declined",
    "prospect_converted",
}
PERSONAL_FIELDS: dict[type[Event], set[str]] = {ev.ProspectIdentified: {"name", "contact"}}
W = World()
COVERAGE: dict[str, Any] = {
    "region": "jatim",
    "outlet": "RRI Surabaya",
    "medium": "radio",
    "title": "Dialog",
    "link": "https://rri.example.id/a",
    "published_on": date(2026, 11, 1),
    "estimated_reach": 5000,
    "recorded_by": ACTOR,
}
SAMPLES: list[Event] = [
    W.planned(),
    W.held(),
    ev.OutreachCancelled(reason="Banjir", cancelled_on=date(2026, 11, 1), cancelled_by=ACTOR),
    ev.MediaCoverageRecorded(outreach_id=uuid4(), **COVERAGE),
    W.identified(note="Tertarik mengisi kelas"),
    ev.ProspectDeclined(reason="Sibuk", declined_on=date(2026, 11, 2), recorded_by=ACTOR),
    ev.ProspectConverted(
        partner_id=uuid4(), partner_event_id=uuid4(), converted_on=date(2026, 11, 3)
    ),
]


def test_the_registry_holds_the_seven_events_by_their_firm_names() -> None:
    assert {parse_type(model.TYPE)[1] for model in ev.registry.models()} == NAMES
    assert {type(sample) for sample in SAMPLES} == set(ev.registry.models())


@pytest.mark.parametrize("model", ev.registry.models(), ids=lambda m: m.__name__)
def test_types_and_aggregates(model: type[Event]) -> None:
    service, name, version = parse_type(model.TYPE)
    assert (service, version) == ("outreach", 1)
    assert re.fullmatch(r"[a-z_]+", name)
    assert ("prospect" if name.startswith("prospect") else "outreach") == model.AGGREGATE


def test_campaign_coverage_is_the_same_event_in_its_own_aggregate() -> None:
    campaign = ev.CampaignCoverageRecorded(**COVERAGE)
    assert campaign.TYPE == ev.MediaCoverageRecorded.TYPE
    assert campaign.AGGREGATE == "media_campaign"
    loaded = ev.registry.load_json(campaign.TYPE, campaign.model_dump_json())
    assert loaded.model_dump() == campaign.model_dump() and loaded.outreach_id is None


@pytest.mark.parametrize("model", ev.registry.models(), ids=lambda m: m.__name__)
def test_personal_fields_are_marked(model: type[Event]) -> None:
    expected = PERSONAL_FIELDS.get(model, set())
    assert personal_fields(model) == expected
    properties = model.model_json_schema()["properties"]
    assert {name for name, schema in properties.items() if schema.get(PERSONAL)} == expected


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_events_are_frozen_and_round_trip_without_floats(event: Event) -> None:
    name = next(iter(type(event).model_fields))
    with pytest.raises(ValidationError, match="frozen"):
        setattr(event, name, None)
    data = event.model_dump(mode="json")
    assert "float" not in repr({type(v).__name__ for v in _leaves(data)})
    assert ev.registry.load(event.TYPE, data) == event
    assert ev.registry.load_json(event.TYPE, event.model_dump_json()) == event


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_the_aggregate_s_own_id_is_not_in_the_data() -> None:
    """Except coverage's `outreach_id`, by the contract: null tells a campaign's coverage."""
    for model in ev.registry.models():
        own = {"id", f"{model.AGGREGATE}_id"} & set(model.model_fields)
        assert own == ({"outreach_id"} if model is ev.MediaCoverageRecorded else set())


def test_held_carries_every_audience_segment_as_a_count() -> None:
    data = W.held().model_dump(mode="json")
    assert data["audience"] == {
        "general_public": 40,
        "students": 25,
        "religious_community": 0,
        "business": 0,
        "government": 0,
        "families_of_inmates": 6,
        "media": 0,
        "other": 0,
    }
    assert CROWD.total == 71 and data["place"] == PLACE.model_dump(mode="json")


def test_contact_needs_a_phone_or_an_email() -> None:
    assert CONTACT.phone
    with pytest.raises(ValidationError):
        ev.ProspectIdentified(**{**W.identified().model_dump(), "contact": {"person_name": "X"}})
