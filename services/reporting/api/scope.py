"""The scope of a report from the query: region, from, to (422 `invalid_input` naming the
parameter if wrong, as every service answers a bad value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query

from shared.http.problem_text import sentences
from shared.http.problems import Problem
from shared.regions import is_region

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 1900, 2999
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Scope:
    region: str | None
    start: date | None
    end: date | None
    moment: datetime | None = None  # `as_of`: the history as it stood then (evaluation only)


def invalid(name: str, detail: str, detail_en: str) -> Problem:
    """422 `invalid_input` naming the query parameter (or header) `name`, in the shape every
    service answers a bad value with (shared.http.problems): `errors` one per field, `detail`
    in Bahasa Indonesia and `detail_en` in English; `field` names it too."""
    error = {"field": name, "message": detail, "message_en": detail_en, "type": "value_error"}
    return Problem(
        422,
        "invalid_input",
        f"Data tidak valid pada: {name}. {sentences(error)}",
        f"Invalid input in: {name}. {sentences(error, 'message_en')}",
        field=name,
        errors=[error],
    )


def parse_region(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not is_region(value):
        raise invalid(
            "region",
            f"Wilayah (Kanwil) '{value[:40]}' tidak dikenal: pakai salah satu dari 33 "
            "kode Kanwil, mis. jatim, atau kosongkan untuk nasional.",
            f"Unknown region '{value[:40]}': use one of the 33 Kanwil codes, e.g. jatim, or "
            "leave it out for the national report.",
        )
    return value


def parse_date(name: str, value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(value)  # the period arithmetic needs room around it
        return day
    except ValueError:
        raise invalid(
            name,
            f"Parameter '{name}' harus tanggal YYYY-MM-DD yang ada, tahun {FIRST_YEAR}–"
            f"{LAST_YEAR}, mis. 2026-01-31.",
            f"Parameter '{name}' must be an existing date YYYY-MM-DD in the years {FIRST_YEAR}–"
            f"{LAST_YEAR}, e.g. 2026-01-31.",
        ) from None


def scope(
    region: Annotated[
        str | None,
        Query(
            description="Kanwil code (e.g. `jatim`); absent: national, all regions", max_length=100
        ),
    ] = None,
    start: Annotated[
        str | None,
        Query(
            alias="from",
            description="First day, inclusive "
            "(YYYY-MM-DD, the region's local date); absent: from "
            "the beginning",
            max_length=100,
        ),
    ] = None,
    end: Annotated[
        str | None,
        Query(
            alias="to",
            description="Last day, inclusive (YYYY-MM-DD); absent: up to now",
            max_length=100,
        ),
    ] = None,
) -> Scope:
    """Region, from and to of the query, checked."""
    found = Scope(parse_region(region), parse_date("from", start), parse_date("to", end))
    if found.start and found.end and found.start > found.end:
        raise invalid(
            "to", "Tanggal 'to' tidak boleh sebelum 'from'.", "'to' must not be before 'from'."
        )
    return found


ScopeQuery = Annotated[Scope, Depends(scope)]


def parse_moment(value: str | None) -> datetime | None:
    """`as_of`: an RFC 3339 time with its offset (e.g. 2026-12-02T10:00:00Z)."""
    if value is None or value == "":
        return None
    try:
        if not _MOMENT.match(value):
            raise ValueError(value)
        return datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise invalid(
            "as_of",
            "Parameter 'as_of' harus waktu RFC 3339 dengan zona waktu, "
            "mis. 2026-12-02T10:00:00Z atau 2026-12-02T17:00:00+07:00.",
            "Parameter 'as_of' must be an RFC 3339 time with its offset, "
            "e.g. 2026-12-02T10:00:00Z or 2026-12-02T17:00:00+07:00.",
        ) from None
