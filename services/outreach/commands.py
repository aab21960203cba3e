"""The commands of the outreach service; they double as the HTTP request bodies.

The target aggregate's id comes from the URL and the region from the office
(the handler's context), never from the body; references to other aggregates
(`lead_ambassador_id`, `outreach_id`) are fields. Dates left out mean "today"
in the region. Shapes are checked here, rules in the deciders.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field

from services.outreach.values import (
    Audience,
    Channel,
    Contact,
    Count,
    Link,
    LongText,
    Medium,
    PartnerKind,
    Place,
    Text,
    Topic,
    Track,
)
from shared.events import CommandModel


def _unique(items: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(dict.fromkeys(items))


Ambassadors = Annotated[
    tuple[UUID, ...],
    Field(max_length=20, description="Other ambassadors taking part (not the lead)."),
]
Topics = Annotated[
    tuple[Topic, ...],
    Field(max_length=30, description="Topics covered, e.g. 'reintegrasi sosial'."),
    AfterValidator(_unique),
]
Interests = Annotated[
    tuple[Track, ...],
    Field(max_length=3, description="Tracks the prospect is interested in."),
    AfterValidator(lambda tracks: tuple(sorted(set(tracks)))),
]


class PlanOutreach(CommandModel):
    """Plan an outreach event, led by an ambassador of this region."""

    title: Text = Field(description="What the event is, e.g. 'Sosialisasi Pokmas Lipas'.")
    lead_ambassador_id: UUID = Field(description="The ambassador (Duta Kerja Sama) leading it.")
    co_ambassador_ids: Ambassadors = ()
    channel: Channel = Field(
        description="socialization, seminar, workshop, media_campaign, "
        "social_media, community_visit or exhibition."
    )
    planned_on: date = Field(description="The day it is to take place.")
    place: Place
    topics: Topics = ()
    expected_audience: Count | None = Field(default=None, description="How many are expected.")


class HoldOutreach(CommandModel):
    """Record that a planned outreach event took place, with its audience by segment.

    Fields left out are taken from the plan.
    """

    held_on: date | None = Field(default=None, description="When it took place; default today.")
    audience: Audience = Field(description="Head counts by segment (never names).")
    title: Text | None = None
    lead_ambassador_id: UUID | None = None
    co_ambassador_ids: Ambassadors | None = None
    channel: Channel | None = None
    place: Place | None = None
    topics: Topics | None = None


class RecordHeldOutreach(CommandModel):
    """Record an outreach event that took place without having been planned here."""

    title: Text
    lead_ambassador_id: UUID = Field(description="The ambassador (Duta Kerja Sama) who led it.")
    co_ambassador_ids: Ambassadors = ()
    channel: Channel
    held_on: date = Field(description="When it took place; not in the future.")
    place: Place
    topics: Topics = ()
    audience: Audience = Field(description="Head counts by segment (never names).")


class CancelOutreach(CommandModel):
    """Cancel a planned outreach event, with the reason."""

    reason: LongText = Field(description="Why it will not take place.")
    cancelled_on: date | None = Field(default=None, description="Default today.")


class RecordCoverage(CommandModel):
    """Record a piece of media coverage of an outreach event or of a media campaign."""

    outlet: Text = Field(description="The newspaper, station, site or account.")
    medium: Medium = Field(description="print, online, tv, radio or social.")
    title: Text = Field(description="The piece's headline or title.")
    link: Link = Field(description="Where it can be seen (http or https).")
    published_on: date = Field(description="When it appeared; not in the future.")
    estimated_reach: Count = Field(description="Readers, viewers or listeners reached (estimate).")


class IdentifyProspect(CommandModel):
    """Record a person or organisation met at a held outreach event who may become a partner."""

    outreach_id: UUID = Field(description="The outreach event where the prospect was met.")
    ambassador_id: UUID = Field(description="The ambassador who identified the prospect.")
    kind: PartnerKind = Field(description="What sort of partner the prospect would be.")
    name: Text = Field(description="The person's or organisation's name (personal data).")
    contact: Contact = Field(description="How to reach the prospect (personal data).")
    interests: Interests = ()
    identified_on: date | None = Field(default=None, description="Default today.")
    note: LongText | None = Field(default=None, description="Anything worth knowing.")


class DeclineProspect(CommandModel):
    """Record that a prospect does not want to become a partner, with the reason."""

    reason: LongText = Field(description="Why the prospect declined.")
    declined_on: date | None = Field(default=None, description="Default today.")


class ConvertProspect(CommandModel):
    """Record that the prospect became a partner (issued by the service itself, never over HTTP).

    It carries the `partner_registered` that named the prospect as referral.
    """

    partner_id: UUID
    partner_event_id: UUID
    converted_on: date
