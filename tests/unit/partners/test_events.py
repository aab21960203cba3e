"""The partners events as a contract: types, registry, personal data, immutability, no floats."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.partners import events as ev
from services.partners.values import (
    Contact,
    Instrument,
    PartnerKind,
    PartnerStatus,
    Person,
    SignedLevel,
    TermEndReason,
    Track,
)
from shared.events import PERSONAL, Event, parse_type, personal_fields

CONTACT = Contact(
    person_name="Siti Rahayu",
    phone="+62 812-3456-7890",
    email="siti@example.id",
    address="Surabaya",
)
PARTNER_ID = uuid4()
SAMPLES: list[Event] = [
    ev.PartnerRegistered(
        kind=PartnerKind.INDIVIDUAL,
        nik="3578012345678901",
        region="jatim",
        contact=CONTACT,
        interests=(Track.INDEPENDENCE, Track.REINTEGRATION),
        referral=uuid4(),
    ),
    ev.PartnerVerified(),
    ev.PartnerProfileUpdated(contact=CONTACT, interests=(Track.PERSONALITY_DEVELOPMENT,)),
    ev.PartnerSuspended(reason="under investigation"),
    ev.PartnerReinstated(status=PartnerStatus.VERIFIED),
    ev.PartnerWithdrawn(reason="moved away"),
    ev.AgreementSigned(
        partner_id=PARTNER_ID,
        instrument=Instrument.PKS,
        number="PAS-1/2026",
        scope="vocational training",
        signed_level=SignedLevel.UPT,
        unit_code="LPJATIM01",
        starts_on=date(2026, 1, 1),
        ends_on=date(2030, 12, 31),
    ),
    ev.AgreementRenewed(
        partner_id=PARTNER_ID, previous_ends_on=date(2030, 12, 31), ends_on=date(2035, 12, 31)
    ),
    ev.AgreementTerminated(
        partner_id=PARTNER_ID, reason="partner closed", effective_on=date(2027, 1, 1)
    ),
    ev.AgreementExpired(partner_id=PARTNER_ID, ends_on=date(2030, 12, 31)),
    ev.AmbassadorAppointed(
        person=Person(name="Dewi Lestari", email="dewi@example.id"),
        region="jatim",
        term_starts_on=date(2026, 1, 1),
        term_ends_on=date(2027, 12, 31),
    ),
    ev.AmbassadorTermEnded(ended_on=date(2027, 12, 31), reason=TermEndReason.TERM_COMPLETED),
]
NAMES = [
    "partner_registered",
    "partner_verified",
    "partner_profile_updated",
    "partner_suspended",
    "partner_reinstated",
    "partner_withdrawn",
    "agreement_signed",
    "agreement_renewed",
    "agreement_terminated",
    "agreement_expired",
    "ambassador_appointed",
    "ambassador_term_ended",
]
PERSONAL_FIELDS = {
    ev.PartnerRegistered: {"nik", "contact"},
    ev.PartnerProfileUpdated: {"contact"},
    ev.AmbassadorAppointed: {"person"},
}


def test_the_registry_holds_all_twelve_events_by_their_firm_names() -> None:
    assert sorted(parse_type(model.TYPE)[1] for model in ev.registry.models()) == sorted(NAMES)
    assert {type(sample) for sample in SAMPLES} == set(ev.registry.models())


@pytest.mark.parametrize("model", ev.registry.models(), ids=lambda m: m.__name__)
def test_types_and_aggregates(model: type[Event]) -> None:
    assert re.fullmatch(r"pas\.partners\.[a-z_]+\.v1", model.TYPE)
    service, name, version = parse_type(model.TYPE)
    assert (service, version) == ("partners", 1)
    assert name.split("_")[0] == model.AGGREGATE
    assert model.AGGREGATE in {"partner", "agreement", "ambassador"}


@pytest.mark.parametrize("model", ev.registry.models(), ids=lambda m: m.__name__)
def test_personal_fields_are_marked(model: type[Event]) -> None:
    expected = PERSONAL_FIELDS.get(model, set())
    assert personal_fields(model) == expected
    properties = model.model_json_schema()["properties"]
    assert {name for name, schema in properties.items() if schema.get(PERSONAL)} == expected


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_events_are_frozen(event: Event) -> None:
    name = next(iter(type(event).model_fields), "anything")
    with pytest.raises(ValidationError, match="frozen"):
        setattr(event, name, None)
    for field in type(event).model_fields:
        assert not isinstance(getattr(event, field), list | dict | set), f"{field} is mutable"


def _no_floats(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_no_floats(item) for item in value.values())
    if isinstance(value, list):
        return all(_no_floats(item) for item in value)
    return not isinstance(value, float)


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_data_has_no_floats_and_round_trips(event: Event) -> None:
    data = event.model_dump(mode="json")
    assert _no_floats(data)
    assert ev.registry.load(event.TYPE, data) == event
    assert ev.registry.load_json(event.TYPE, event.model_dump_json()) == event


def test_the_aggregate_s_own_id_is_not_in_the_data() -> None:
    for model in ev.registry.models():
        assert not {"id", f"{model.AGGREGATE}_id"} & set(model.model_fields)


def test_every_agreement_event_names_its_partner() -> None:
    for model in ev.registry.models():
        if model.AGGREGATE == "agreement":
            assert "partner_id" in model.model_fields


def test_region_is_a_slug() -> None:
    with pytest.raises(ValidationError):
        ev.PartnerRegistered(
            kind=PartnerKind.MEDIA, name="Radar", region="Jawa Timur", contact=CONTACT
        )


def test_contact_needs_a_phone_or_an_email() -> None:
    with pytest.raises(ValidationError):
        Contact(person_name="Siti", address="Surabaya")
