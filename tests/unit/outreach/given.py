"""Given/when/then for the outreach deciders, and builders of typical histories and contexts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.outreach.commands import (
    ConvertProspect,
    DeclineProspect,
    IdentifyProspect,
    RecordCoverage,
)
from services.outreach.domain import coverage, outreach, prospect
from services.outreach.domain.ambassadors import AmbassadorFacts
from services.outreach.domain.context import OutreachContext
from services.outreach.events import OutreachHeld, OutreachPlanned, ProspectIdentified
from services.outreach.values import Audience, Contact, Place
from shared.decider import DomainError
from shared.events import Event

TODAY = date(2026, 11, 20)
ACTOR = "officer-7"
REGION = "jatim"
PLACE = Place(name="Balai Desa Kenjeran", regency="Kota Surabaya")
CROWD = Audience(general_public=40, students=25, families_of_inmates=6)
CONTACT = Contact(person_name="Siti Aminah", phone="+62 812-3456-7890")


def _module(when: Any, campaign: bool) -> Any:
    if isinstance(when, IdentifyProspect | DeclineProspect | ConvertProspect):
        return prospect
    if campaign and isinstance(when, RecordCoverage):
        return coverage
    return outreach


def then(
    given: Sequence[Event],
    when: Any,
    context: OutreachContext,
    expect: Sequence[Event] | str,
    *,
    campaign: bool = False,
) -> Any:
    """Fold `given`, decide `when`; assert the events, or the error code when `expect` is a str.

    Returns the events, or the DomainError so a test can look at its details.
    `campaign` decides coverage on a media campaign instead of an outreach event.
    """
    module = _module(when, campaign)
    state = module.decider.fold(given)
    if isinstance(expect, str):
        with pytest.raises(DomainError) as caught:
            module.decide(when, state, context)
        assert caught.value.code == expect, caught.value.message
        return caught.value
    events = module.decide(when, state, context)
    assert events == list(expect)
    for got, wanted in zip(events, expect, strict=True):
        assert type(got) is type(wanted)  # e.g. a campaign's coverage is its own aggregate
    module.decider.fold(events, state)  # what was decided must fold
    return events


def serving(
    region: str = REGION,
    starts: date = date(2025, 1, 1),
    ends: date = date(2027, 12, 31),
    ended_on: date | None = None,
    aid: UUID | None = None,
) -> AmbassadorFacts:
    """An ambassador of `region` in term 2025–2027 unless told otherwise."""
    return AmbassadorFacts(aid or uuid4(), region, starts, ends, ended_on)


class World:
    """An office in Jawa Timur with two serving ambassadors and one outreach event's id."""

    def __init__(self) -> None:
        self.lead, self.co, self.outreach_id = uuid4(), uuid4(), uuid4()
        self.context = OutreachContext(
            today=TODAY,
            actor=ACTOR,
            region=REGION,
            ambassadors={self.lead: serving(aid=self.lead), self.co: serving(aid=self.co)},
            outreach_id=self.outreach_id,
        )

    def ctx(self, **changes: Any) -> OutreachContext:
        """The context with some fields replaced."""
        return replace(self.context, **changes)

    def with_ambassador(self, aid: UUID, facts: AmbassadorFacts | None) -> OutreachContext:
        """The context with one ambassador's facts replaced (None: not seen yet)."""
        return self.ctx(ambassadors={**self.context.ambassadors, aid: facts})

    def planned(self, **changes: Any) -> OutreachPlanned:
        """The `outreach_planned` of a typical socialization on 2026-11-10."""
        data: dict[str, Any] = {
            "region": REGION,
            "title": "Sosialisasi Pokmas Lipas",
            "lead_ambassador_id": self.lead,
            "co_ambassador_ids": (self.co,),
            "channel": "socialization",
            "planned_on": date(2026, 11, 10),
            "place": PLACE,
            "topics": ("reintegrasi sosial",),
            "expected_audience": 80,
            "planned_by": ACTOR,
        }
        return OutreachPlanned(**{**data, **changes})

    def held(self, **changes: Any) -> OutreachHeld:
        """The `outreach_held` of that socialization, held as planned on 2026-11-12."""
        data: dict[str, Any] = {
            "region": REGION,
            "title": "Sosialisasi Pokmas Lipas",
            "lead_ambassador_id": self.lead,
            "co_ambassador_ids": (self.co,),
            "channel": "socialization",
            "held_on": date(2026, 11, 12),
            "place": PLACE,
            "topics": ("reintegrasi sosial",),
            "audience": CROWD,
            "was_planned": True,
            "recorded_by": ACTOR,
        }
        return OutreachHeld(**{**data, **changes})

    def outreach_state(self, *history: Event) -> outreach.OutreachState:
        """The outreach event's state after `history` (planned and held by default)."""
        return outreach.decider.fold(history or (self.planned(), self.held()))

    def at_outreach(self, *history: Event, **changes: Any) -> OutreachContext:
        """The context for a prospect met at the outreach event (held by default)."""
        return self.ctx(outreach=self.outreach_state(*history), **changes)

    def identified(self, **changes: Any) -> ProspectIdentified:
        """The `prospect_identified` of a community organisation met on 2026-11-12."""
        data: dict[str, Any] = {
            "region": REGION,
            "outreach_id": self.outreach_id,
            "ambassador_id": self.lead,
            "kind": "community_organization",
            "name": "Karang Taruna Kenjeran",
            "contact": CONTACT,
            "interests": ("reintegration",),
            "identified_on": date(2026, 11, 12),
            "identified_by": ACTOR,
        }
        return ProspectIdentified(**{**data, **changes})
