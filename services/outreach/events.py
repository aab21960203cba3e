"""The events of the outreach service (aggregates outreach, media_campaign, prospect): the
contract the reporting service reads (docs/events/ has their JSON Schemas).

The aggregate's own id is never in `data` (it is the CloudEvent subject);
references to other aggregates are. Event models check shapes only; the rules
live in the deciders, so a rule changed later cannot make old history
unreadable. Personal data (a prospect's name and contact) is marked with
`personal()`. No floats anywhere: `data` is hashed as JCS.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from services.outreach.values import (
    Actor,
    Audience,
    Channel,
    Contact,
    Count,
    Link,
    LongText,
    Medium,
    PartnerKind,
    Place,
    RegionCode,
    Text,
    Topic,
    Track,
)
from shared.events import Event, EventRegistry, personal


class OutreachPlanned(Event):
    """An outreach event (penjangkauan masyarakat) was planned, led by an ambassador."""

    TYPE: ClassVar[str] = "pas.outreach.outreach_planned.v1"
    AGGREGATE: ClassVar[str] = "outreach"

    region: RegionCode
    title: Text
    lead_ambassador_id: UUID
    co_ambassador_ids: tuple[UUID, ...] = ()
    channel: Channel
    planned_on: date
    place: Place
    topics: tuple[Topic, ...] = ()
    expected_audience: Count | None = None
    planned_by: Actor


class OutreachHeld(Event):
    """An outreach event took place; its audience counted by segment (never names).

    `was_planned` tells one held as planned (after `outreach_planned`) from one
    recorded only after the fact.
    """

    TYPE: ClassVar[str] = "pas.outreach.outreach_held.v1"
    AGGREGATE: ClassVar[str] = "outreach"

    region: RegionCode
    title: Text
    lead_ambassador_id: UUID
    co_ambassador_ids: tuple[UUID, ...] = ()
    channel: Channel
    held_on: date
    place: Place
    topics: tuple[Topic, ...] = ()
    audience: Audience
    was_planned: bool
    recorded_by: Actor


class OutreachCancelled(Event):
    """A planned outreach event will not take place, for the reason given."""

    TYPE: ClassVar[str] = "pas.outreach.outreach_cancelled.v1"
    AGGREGATE: ClassVar[str] = "outreach"

    reason: LongText
    cancelled_on: date
    cancelled_by: Actor


class MediaCoverageRecorded(Event):
    """A piece of media covered an outreach event (`outreach_id` set: in that outreach's
    stream) or a media campaign without one (`outreach_id` null: aggregate `media_campaign`).
    """

    TYPE: ClassVar[str] = "pas.outreach.media_coverage_recorded.v1"
    AGGREGATE: ClassVar[str] = "outreach"

    outreach_id: UUID | None = None
    region: RegionCode
    outlet: Text
    medium: Medium
    title: Text
    link: Link
    published_on: date
    estimated_reach: Count
    recorded_by: Actor


class CampaignCoverageRecorded(MediaCoverageRecorded):
    """`media_coverage_recorded` as written into a media campaign's stream (no outreach).

    The same wire type and data; only the envelope's `aggregatetype` differs
    (`media_campaign`), so it is not registered: read back, it is a
    MediaCoverageRecorded with `outreach_id` null.
    """

    AGGREGATE: ClassVar[str] = "media_campaign"


class ProspectIdentified(Event):
    """A person or organisation met at an outreach event may become a partner."""

    TYPE: ClassVar[str] = "pas.outreach.prospect_identified.v1"
    AGGREGATE: ClassVar[str] = "prospect"

    region: RegionCode
    outreach_id: UUID
    ambassador_id: UUID
    kind: PartnerKind
    name: Text = personal()
    contact: Contact = personal()
    interests: tuple[Track, ...] = ()
    identified_on: date
    note: LongText | None = None
    identified_by: Actor


class ProspectDeclined(Event):
    """The prospect does not want to become a partner (for now), for the reason given."""

    TYPE: ClassVar[str] = "pas.outreach.prospect_declined.v1"
    AGGREGATE: ClassVar[str] = "prospect"

    reason: LongText
    declined_on: date
    recorded_by: Actor


class ProspectConverted(Event):
    """The prospect became a partner: the partners service registered `partner_id` naming
    this prospect as its referral. Recorded by the service itself, once.

    `partner_event_id` is the CloudEvent id of that `partner_registered`;
    `converted_on` the local date of its time in its region.
    """

    TYPE: ClassVar[str] = "pas.outreach.prospect_converted.v1"
    AGGREGATE: ClassVar[str] = "prospect"

    partner_id: UUID
    partner_event_id: UUID
    converted_on: date


registry = EventRegistry(
    [
        OutreachPlanned,
        OutreachHeld,
        OutreachCancelled,
        MediaCoverageRecorded,
        ProspectIdentified,
        ProspectDeclined,
        ProspectConverted,
    ]
)
