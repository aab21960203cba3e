"""The commands of the partners service; they double as the HTTP request bodies.

The target aggregate's id and the region come from the URL (the handler passes the
region in the decider's context), never from the body; references to other
aggregates (`SignAgreement.partner_id`) are fields. Shapes are checked here, rules
in the deciders.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from services.partners.values import (
    AgreementNumber,
    Contact,
    Instrument,
    Nik,
    PartnerKind,
    Person,
    SignedLevel,
    TermEndReason,
    Text,
    Track,
    UnitCode,
)
from shared.events import CommandModel

CommandReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)
]
"""A reason given by staff: a few words at least."""


def _canonical_tracks(tracks: tuple[Track, ...]) -> tuple[Track, ...]:
    return tuple(sorted(set(tracks)))


Interests = Annotated[tuple[Track, ...], AfterValidator(_canonical_tracks)]
"""Tracks, deduplicated and sorted, so equal sets compare equal."""


class RegisterPartner(CommandModel):
    """Register a person or organisation as a partner of the region addressed."""

    kind: PartnerKind = Field(description="What sort of partner this is.")
    name: Text | None = Field(
        default=None,
        description="The organisation's name. Leave out for an individual: "
        "their name is contact.person_name.",
    )
    nik: Nik | None = Field(
        default=None,
        description="An individual's national id number (NIK, 16 digits); "
        "required for individuals only.",
    )
    contact: Contact = Field(description="How to reach the partner (personal data).")
    interests: Interests = Field(
        min_length=1, description="The development tracks the partner wants to support."
    )
    referral: UUID | None = Field(
        default=None, description="The outreach prospect this partner came from, if any."
    )


class VerifyPartner(CommandModel):
    """Mark a registered partner as verified (identity and standing checked)."""


class UpdatePartnerProfile(CommandModel):
    """Change some of a partner's profile; leave out what stays. Kind and NIK never change."""

    name: Text | None = Field(
        default=None, description="The organisation's new name (organisations only)."
    )
    contact: Contact | None = Field(
        default=None, description="The new contact, replacing the old one as a whole."
    )
    interests: Interests | None = Field(
        default=None, min_length=1, description="The new set of tracks, replacing the old one."
    )


class SuspendPartner(CommandModel):
    """Suspend a partner for now: no new agreements until reinstated."""

    reason: CommandReason = Field(description="Why the partner is suspended.")


class ReinstatePartner(CommandModel):
    """Lift a suspension; the partner returns to the status it had before."""


class WithdrawPartner(CommandModel):
    """Withdraw a partner for good."""

    reason: CommandReason = Field(description="Why the partner leaves.")


class SignAgreement(CommandModel):
    """Record an MoU or PKS signed with a verified partner."""

    partner_id: UUID = Field(description="The partner that signed.")
    instrument: Instrument = Field(
        description="mou (Nota Kesepahaman) or pks (Perjanjian Kerja Sama)."
    )
    number: AgreementNumber = Field(description="The document number, as written on it.")
    scope: Text = Field(description="What the cooperation covers, in a line.")
    signed_level: SignedLevel = Field(
        description="Who signed for corrections. mou: ditjenpas or kanwil; pks: ditjenpas or upt."
    )
    unit_code: UnitCode | None = Field(
        default=None,
        description="The UPT's SDP code; required when signed_level is upt, else left out.",
    )
    starts_on: date = Field(description="First day the agreement is valid.")
    ends_on: date = Field(
        description="Last day the agreement is valid (after starts_on, not in the past)."
    )


class RenewAgreement(CommandModel):
    """Extend an active agreement to a later end date."""

    ends_on: date = Field(
        description="The new last day; after the current one and not in the past."
    )


class TerminateAgreement(CommandModel):
    """End an active agreement early."""

    reason: CommandReason = Field(description="Why the agreement is terminated.")
    effective_on: date | None = Field(
        default=None,
        description="First day the agreement is no longer valid; today when left out. "
        "Between starts_on and ends_on.",
    )


class ExpireAgreement(CommandModel):
    """Expire an agreement whose end date has passed; a no-op otherwise (for the sweeper)."""


class AppointAmbassador(CommandModel):
    """Appoint a person as cooperation ambassador (Duta Kerja Sama) of the region addressed."""

    person: Person = Field(description="Who is appointed (personal data).")
    term_starts_on: date = Field(description="First day of the term.")
    term_ends_on: date = Field(description="Last day of the term; after term_starts_on.")


class EndAmbassadorTerm(CommandModel):
    """End an ambassador's term: completed (on or after its last day) or early."""

    reason: TermEndReason = Field(description="term_completed once the term has run, or early.")
    ended_on: date | None = Field(
        default=None,
        description="Last day served. For early: today when left out, before term_ends_on. "
        "For term_completed: term_ends_on (leave out).",
    )


PartnerCommand = (
    RegisterPartner
    | VerifyPartner
    | UpdatePartnerProfile
    | SuspendPartner
    | ReinstatePartner
    | WithdrawPartner
)
AgreementCommand = SignAgreement | RenewAgreement | TerminateAgreement | ExpireAgreement
AmbassadorCommand = AppointAmbassador | EndAmbassadorTerm
