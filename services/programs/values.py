"""Vocabulary and value objects shared by the programs events and commands.

Everything here is an int, a string or a date: event data is hashed as JCS, so
it carries no floats.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from shared.events import Model
from shared.regions import KnownRegion
from shared.textrules import described_pattern

Region = KnownRegion
"""A Kanwil region code (lowercase slug, e.g. `jabar`), checked against the reference data."""

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
"""A unit's code as the national database (SDP) knows it."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short required text: a name, a title, a reason."""

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""A required free text: findings, a summary, recommendations."""

Score = Annotated[int, Field(ge=1, le=5)]
"""A rating or change-domain score, 1 (poor) to 5 (excellent)."""

Count = Annotated[int, Field(ge=0, le=1_000_000)]
"""A non-negative head count or number of hours."""

Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
"""A document reference or link backing a stage move."""

Actor = Annotated[str, Field(min_length=1, max_length=200)]
"""A staff account id (as in the envelope's `actor`), never a person's name."""


class UnitType(StrEnum):
    """The kind of UPT Pemasyarakatan."""

    LAPAS = "lapas"
    RUTAN = "rutan"
    LPKA = "lpka"
    BAPAS = "bapas"
    RUPBASAN = "rupbasan"
    LPP = "lpp"


class Track(StrEnum):
    """The development track (pembinaan) a program serves."""

    PERSONALITY_DEVELOPMENT = "personality_development"
    INDEPENDENCE = "independence"
    REINTEGRATION = "reintegration"


class FundingSource(StrEnum):
    """Where a program's money comes from."""

    APBN = "apbn"
    APBD = "apbd"
    PARTNER = "partner"
    GRANT = "grant"
    CSR = "csr"
    OTHER = "other"


class ParticipantCounts(Model):
    """Participants of an activity by sex and age group: counts only, never names.

    child is under 18, elderly is 60 and over, adult is in between. Totals are
    properties, not stored, so the data cannot disagree with itself.
    """

    male_child: Count = 0
    male_adult: Count = 0
    male_elderly: Count = 0
    female_child: Count = 0
    female_adult: Count = 0
    female_elderly: Count = 0

    @property
    def male(self) -> int:
        return self.male_child + self.male_adult + self.male_elderly

    @property
    def female(self) -> int:
        return self.female_child + self.female_adult + self.female_elderly

    @property
    def children(self) -> int:
        return self.male_child + self.female_child

    @property
    def total(self) -> int:
        return self.male + self.female

    def __add__(self, other: ParticipantCounts) -> ParticipantCounts:
        """Sum two counts field by field (for running totals)."""
        return ParticipantCounts.model_construct(
            **{name: getattr(self, name) + getattr(other, name) for name in _COUNT_FIELDS}
        )

    def __sub__(self, other: ParticipantCounts) -> ParticipantCounts:
        """Take `other` away field by field (a corrected or voided activity's old counts)."""
        return ParticipantCounts.model_construct(
            **{name: getattr(self, name) - getattr(other, name) for name in _COUNT_FIELDS}
        )


_COUNT_FIELDS = tuple(ParticipantCounts.model_fields)


class ChangeScores(Model):
    """An evaluation's scores on the three change domains of the framework."""

    individual: Score
    institutional: Score
    policy: Score
