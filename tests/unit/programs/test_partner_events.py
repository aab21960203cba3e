"""The programs service's reading of partners events, checked against the partners contract.

Tests may look at both services; the services themselves never import each other.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from services.partners import events as partners
from services.programs.readmodels import partner_events as seen
from services.programs.readmodels.facts import _period
from services.programs.readmodels.partners import PartnersReadModel


def test_every_partners_event_type_is_read_here() -> None:
    assert {m.TYPE for m in partners.registry.models()} == {m.TYPE for m in seen.registry.models()}


def test_only_the_needed_fields_are_read_and_extra_ones_ignored() -> None:
    event = partners.PartnerRegistered(
        kind="business",
        name="PT Kopi Nusantara",
        region="jatim",
        contact={"person_name": "Budi", "email": "budi@example.org"},
        interests=("independence",),
    )
    read = seen.registry.load_json(event.TYPE, event.model_dump_json())
    assert isinstance(read, seen.Registered)
    assert (read.region, read.kind) == ("jatim", "business")
    assert not hasattr(read, "contact")


def test_an_organisations_name_is_read_and_an_individual_has_none() -> None:
    registered = {"region": "jatim", "kind": "business", "name": "PT Maju", "contact": {}}
    read = seen.registry.load("pas.partners.partner_registered.v1", registered)
    assert isinstance(read, seen.Registered) and read.name == "PT Maju"
    person = {"region": "jatim", "kind": "individual", "contact": {"person_name": "Sari"}}
    assert seen.registry.load("pas.partners.partner_registered.v1", person).name is None
    renamed = seen.registry.load("pas.partners.partner_profile_updated.v1", {"name": "PT Maju 2"})
    assert isinstance(renamed, seen.ProfileUpdated) and renamed.name == "PT Maju 2"


def test_ambassador_events_are_read_and_skipped() -> None:
    data = {
        "person": {"name": "Sari"},
        "region": "jatim",
        "term_starts_on": "2025-01-01",
        "term_ends_on": "2026-01-01",
    }
    read = seen.registry.load("pas.partners.ambassador_appointed.v1", data)
    assert isinstance(read, seen.Skipped)


def test_subjects_cover_every_region() -> None:
    assert PartnersReadModel.subjects == ("pas.events.*.partners.>",)


def row(status: str, effective_on: date | None = None) -> Any:
    """A known_agreements row as asyncpg gives it (read by key)."""
    return {
        "partner_id": uuid4(),
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 12, 31),
        "status": status,
        "effective_on": effective_on,
    }


def test_agreement_periods_from_the_read_model() -> None:
    assert _period(row("active")) == (date(2025, 1, 1), date(2025, 12, 31))
    assert _period(row("expired")) == (date(2025, 1, 1), date(2025, 12, 31))
    assert _period(row("terminated", date(2025, 6, 1))) == (date(2025, 1, 1), date(2025, 5, 31))
    assert _period(row("terminated", date(2025, 1, 1))) is None
