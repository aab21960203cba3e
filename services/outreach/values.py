"""Vocabulary and value objects of the outreach service's events and commands.

Everything here is an int, a string, a date or a nested model of those: event
data is hashed as JCS, so it carries no floats. `PartnerKind` and `Track` are
this service's own copies of the partners vocabulary (a prospect is a partner
to be), never an import of the partners service's code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from shared.events import Model

RegionCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{1,29}$")]
"""A Kanwil region code's shape (checked against the reference data by the deciders)."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short required text: a title, a name, an outlet."""

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""A required free text: a reason, a note."""

Topic = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
"""One topic an outreach event covered, e.g. 'reintegrasi sosial'."""

Count = Annotated[int, Field(ge=0, le=10_000_000)]
"""A non-negative head count or reach."""

Actor = Annotated[str, Field(min_length=1, max_length=200)]
"""A staff account id (as in the envelope's `actor`), never a person's name."""

UnitCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")]
"""A UPT's code as the national database (SDP) knows it."""

Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{5,23}$")
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]


def _web_link(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("a link is an http:// or https:// address")
    return value


Link = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=8, max_length=2000, pattern=r"^\S+$"),
    AfterValidator(_web_link),
]
"""A web address (http or https) of a published piece."""


def same_link(link: str) -> str:
    """The form two links are compared in: scheme and host lowercased, no fragment, no
    trailing slash, no `www.` (so `https://www.x.id/a/` and `http://x.id/a#top` are one)."""
    parts = urlsplit(link.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    return urlunsplit(("", host, path, parts.query, ""))


class Channel(StrEnum):
    """How an outreach event reached people."""

    SOCIALIZATION = "socialization"
    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    MEDIA_CAMPAIGN = "media_campaign"
    SOCIAL_MEDIA = "social_media"
    COMMUNITY_VISIT = "community_visit"
    EXHIBITION = "exhibition"


class Medium(StrEnum):
    """Where a piece of media coverage appeared."""

    PRINT = "print"
    ONLINE = "online"
    TV = "tv"
    RADIO = "radio"
    SOCIAL = "social"


class PartnerKind(StrEnum):
    """What sort of partner a prospect would be (the partners service's kinds)."""

    INDIVIDUAL = "individual"
    COMMUNITY_ORGANIZATION = "community_organization"
    RELIGIOUS_ORGANIZATION = "religious_organization"
    EDUCATIONAL_INSTITUTION = "educational_institution"
    BUSINESS = "business"
    MEDIA = "media"
    LOCAL_GOVERNMENT = "local_government"
    MINISTRY_OR_AGENCY = "ministry_or_agency"
    INTERNATIONAL_ORGANIZATION = "international_organization"


class Track(StrEnum):
    """A development track (pembinaan) a prospect is interested in."""

    PERSONALITY_DEVELOPMENT = "personality_development"
    INDEPENDENCE = "independence"
    REINTEGRATION = "reintegration"


class Place(Model):
    """Where an outreach event took place: a unit, a school, a village... and its regency."""

    name: Text = Field(description="The place, e.g. 'Balai Desa Kenjeran' or 'SMA Negeri 5'.")
    regency: Text = Field(description="The regency or city (kabupaten/kota).")
    unit_code: UnitCode | None = Field(
        default=None, description="The UPT's code when the place is a correctional unit."
    )


class Audience(Model):
    """The audience of an outreach event by segment: counts, never names (missing = 0)."""

    general_public: Count = 0
    students: Count = 0
    religious_community: Count = 0
    business: Count = 0
    government: Count = 0
    families_of_inmates: Count = 0
    media: Count = 0
    other: Count = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in type(self).model_fields)


SEGMENTS = tuple(Audience.model_fields)
"""The audience segments, in the order reports show them."""


class Contact(Model):
    """How to reach a prospect: a person's name, phone and e-mail. Personal data as a whole;
    at least a phone number or an e-mail address."""

    person_name: Text | None = Field(default=None, description="The person to talk to.")
    phone: Phone | None = Field(default=None, description="Phone number, e.g. +62 812-3456-7890.")
    email: Email | None = Field(default=None, description="E-mail address.")

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.phone is None and self.email is None:
            raise ValueError("give a phone number or an e-mail address")
        return self
