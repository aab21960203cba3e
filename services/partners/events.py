"""The events of the partners service (aggregates partner, agreement, ambassador): the contract.

The aggregate's own id is never in `data` (it is the CloudEvent subject); references
to other aggregates are, so a consumer keeps a read model from these events alone.
Event models check shapes only; the rules live in the deciders, so a rule changed
later cannot make old history unreadable. For the same reason `region` is checked
here as a slug, not against the reference data (the decider does that when the
event is first made). No floats anywhere: `data` is hashed as JCS.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar
from uuid import UUID

from services.partners.values import (
    AgreementNumber,
    Contact,
    Instrument,
    Nik,
    PartnerKind,
    PartnerStatus,
    Person,
    Reason,
    RegionCode,
    SignedLevel,
    TermEndReason,
    Text,
    Track,
    UnitCode,
)
from shared.events import Event, EventRegistry, personal


class PartnerRegistered(Event):
    """A person or organisation became a partner of a region; its status is `registered`.

    `name` is an organisation's name (not personal data); an individual has none
    here, their name is `contact.person_name`, so erasing a person never erases an
    organisation's name.
    """

    TYPE: ClassVar[str] = "pas.partners.partner_registered.v1"
    AGGREGATE: ClassVar[str] = "partner"

    kind: PartnerKind
    name: Text | None = None
    nik: Nik | None = personal(default=None)
    region: RegionCode
    contact: Contact = personal()
    interests: tuple[Track, ...] = ()
    referral: UUID | None = None


class PartnerVerified(Event):
    """Staff checked the partner's identity and standing; the partner may now sign agreements."""

    TYPE: ClassVar[str] = "pas.partners.partner_verified.v1"
    AGGREGATE: ClassVar[str] = "partner"


class PartnerProfileUpdated(Event):
    """Some of the partner's profile changed; only the changed fields are set, None is unchanged."""

    TYPE: ClassVar[str] = "pas.partners.partner_profile_updated.v1"
    AGGREGATE: ClassVar[str] = "partner"

    name: Text | None = None
    contact: Contact | None = personal(default=None)
    interests: tuple[Track, ...] | None = None


class PartnerSuspended(Event):
    """The partner may not take part for now (no new agreements), for the reason given."""

    TYPE: ClassVar[str] = "pas.partners.partner_suspended.v1"
    AGGREGATE: ClassVar[str] = "partner"

    reason: Reason


class PartnerReinstated(Event):
    """A suspension was lifted; `status` is the status the partner returns to."""

    TYPE: ClassVar[str] = "pas.partners.partner_reinstated.v1"
    AGGREGATE: ClassVar[str] = "partner"

    status: PartnerStatus


class PartnerWithdrawn(Event):
    """The partner left for good; nothing happens to it after this."""

    TYPE: ClassVar[str] = "pas.partners.partner_withdrawn.v1"
    AGGREGATE: ClassVar[str] = "partner"

    reason: Reason


class AgreementSigned(Event):
    """A partner signed an MoU or PKS valid from `starts_on` to `ends_on` (both inclusive).

    `unit_code` names the UPT when the agreement was signed at unit level.
    """

    TYPE: ClassVar[str] = "pas.partners.agreement_signed.v1"
    AGGREGATE: ClassVar[str] = "agreement"

    partner_id: UUID
    instrument: Instrument
    number: AgreementNumber
    scope: Text
    signed_level: SignedLevel
    unit_code: UnitCode | None = None
    starts_on: date
    ends_on: date


class AgreementRenewed(Event):
    """An active agreement now runs until `ends_on` (it ran until `previous_ends_on`)."""

    TYPE: ClassVar[str] = "pas.partners.agreement_renewed.v1"
    AGGREGATE: ClassVar[str] = "agreement"

    partner_id: UUID
    previous_ends_on: date
    ends_on: date


class AgreementTerminated(Event):
    """An agreement was ended early; it is no longer valid from `effective_on` (inclusive)."""

    TYPE: ClassVar[str] = "pas.partners.agreement_terminated.v1"
    AGGREGATE: ClassVar[str] = "agreement"

    partner_id: UUID
    reason: Reason
    effective_on: date


class AgreementExpired(Event):
    """An agreement ran out: `ends_on` passed while it was active. Raised by the service."""

    TYPE: ClassVar[str] = "pas.partners.agreement_expired.v1"
    AGGREGATE: ClassVar[str] = "agreement"

    partner_id: UUID
    ends_on: date


class AmbassadorAppointed(Event):
    """A person became a cooperation ambassador (Duta Kerja Sama) of a region for a term."""

    TYPE: ClassVar[str] = "pas.partners.ambassador_appointed.v1"
    AGGREGATE: ClassVar[str] = "ambassador"

    person: Person = personal()
    region: RegionCode
    term_starts_on: date
    term_ends_on: date


class AmbassadorTermEnded(Event):
    """An ambassador's term ended; `ended_on` is the last day served (inclusive)."""

    TYPE: ClassVar[str] = "pas.partners.ambassador_term_ended.v1"
    AGGREGATE: ClassVar[str] = "ambassador"

    ended_on: date
    reason: TermEndReason


registry = EventRegistry(
    [
        PartnerRegistered,
        PartnerVerified,
        PartnerProfileUpdated,
        PartnerSuspended,
        PartnerReinstated,
        PartnerWithdrawn,
        AgreementSigned,
        AgreementRenewed,
        AgreementTerminated,
        AgreementExpired,
        AmbassadorAppointed,
        AmbassadorTermEnded,
    ]
)
