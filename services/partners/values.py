"""Vocabulary and value objects shared by the partners events and commands.

Everything here is a string, a date or a nested model of those: event data is
hashed as JCS, so it carries no floats.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from shared.events import Model
from shared.textrules import described_pattern

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short required text: a name, a scope."""

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
"""Why something was done, in words."""

RegionCode = Annotated[
    str,
    described_pattern(
        r"^[a-z][a-z0-9]{1,29}$",
        id="kode wilayah: 2–30 huruf kecil atau angka, diawali huruf",
        en="a region code: 2–30 lowercase letters or digits, starting with a letter",
    ),
]
"""A Kanwil region code's shape (lowercase slug, a NATS subject token)."""

Nik = Annotated[str, described_pattern(r"^\d{16}$", id="16 angka", en="16 digits")]
"""An Indonesian national id number (Nomor Induk Kependudukan): 16 digits."""

Phone = Annotated[
    str,
    described_pattern(
        r"^\+?[0-9][0-9 ()-]{5,23}$",
        strip_whitespace=True,
        id="nomor telepon: 6–24 angka, boleh diawali + dan memuat spasi, tanda hubung, kurung",
        en="a phone number: 6–24 digits, an optional leading +, spaces, dashes and brackets",
    ),
]
"""A phone number: digits with optional +, spaces, dashes and brackets."""

Email = Annotated[
    str,
    described_pattern(
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        strip_whitespace=True,
        max_length=254,
        id="alamat e-mail seperti nama@domain.id",
        en="an e-mail address like name@domain.id",
    ),
]
"""An e-mail address (checked loosely: something@domain.tld)."""

Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A postal address, free text."""

AgreementNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
"""The document number of an MoU or PKS, as written on it."""

UnitCode = Annotated[
    str,
    described_pattern(
        r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$",
        id="kode UPT: 2–40 huruf, angka, titik, garis bawah atau tanda hubung, diawali huruf atau "
        "angka",
        en="a unit code: 2–40 letters, digits, dots, underscores or dashes, starting with a letter "
        "or digit",
    ),
]
"""A UPT's code as the national database (SDP) knows it."""


class PartnerKind(StrEnum):
    """What sort of person or organisation a partner is."""

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
    """A development track (pembinaan) a partner is interested in."""

    PERSONALITY_DEVELOPMENT = "personality_development"
    INDEPENDENCE = "independence"
    REINTEGRATION = "reintegration"


class Instrument(StrEnum):
    """The cooperation instrument: MoU (Nota Kesepahaman) or PKS (Perjanjian Kerja Sama)."""

    MOU = "mou"
    PKS = "pks"


class SignedLevel(StrEnum):
    """Who signed for corrections: Ditjenpas (centre), a Kanwil or a UPT."""

    DITJENPAS = "ditjenpas"
    KANWIL = "kanwil"
    UPT = "upt"


class PartnerStatus(StrEnum):
    """Where a partner stands."""

    REGISTERED = "registered"
    VERIFIED = "verified"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class AgreementStatus(StrEnum):
    """Where an agreement stands."""

    ACTIVE = "active"
    TERMINATED = "terminated"
    EXPIRED = "expired"


class TermEndReason(StrEnum):
    """Why an ambassador's term ended: it ran its course, or it was cut short."""

    TERM_COMPLETED = "term_completed"
    EARLY = "early"


class Contact(Model):
    """How to reach a partner: the person (an individual, or an organisation's contact person).

    Personal data as a whole. At least a phone number or an e-mail address.
    """

    person_name: Text | None = Field(
        default=None,
        description="The person's full name: the partner itself if an individual, "
        "else the contact person.",
    )
    phone: Phone | None = Field(default=None, description="Phone number, e.g. +62 812-3456-7890.")
    email: Email | None = Field(default=None, description="E-mail address.")
    address: Address | None = Field(default=None, description="Postal address.")

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.phone is None and self.email is None:
            raise ValueError("give a phone number or an e-mail address")
        return self


class Person(Model):
    """A named, reachable person (an ambassador). Personal data as a whole."""

    name: Text = Field(description="The person's full name.")
    phone: Phone | None = Field(default=None, description="Phone number, e.g. +62 812-3456-7890.")
    email: Email | None = Field(default=None, description="E-mail address.")

    @model_validator(mode="after")
    def _reachable(self) -> Person:
        if self.phone is None and self.email is None:
            raise ValueError("give a phone number or an e-mail address")
        return self
