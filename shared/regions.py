"""The 33 regions (Kanwil Ditjenpas) and the dated reference data of the provinces they serve.

A region code is part of every event envelope and NATS subject, so it lives
here in shared/. The data is in shared/data/regions.json, notes included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Region:
    code: str  # lowercase slug, a NATS subject token: "jatim"
    name: str  # "Kanwil Ditjenpas Jawa Timur"
    timezone: str  # IANA zone: "Asia/Jakarta" (WIB), "Asia/Makassar", "Asia/Jayapura"


@dataclass(frozen=True)
class Province:
    name: str
    kemendagri_code: str  # Kemendagri kode wilayah: "91" Papua
    bps_code: str  # BPS code, differs for the Papua provinces: "94" Papua


@dataclass(frozen=True)
class _Served:
    region: str
    province: Province
    valid_from: date
    valid_to: date | None  # exclusive; None while it still holds

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


def _load() -> tuple[dict[str, Region], list[_Served]]:
    raw: dict[str, Any] = json.loads(
        resources.files("shared").joinpath("data/regions.json").read_text(encoding="utf-8")
    )
    regions = {
        item["code"]: Region(item["code"], item["name"], item["timezone"])
        for item in raw["regions"]
    }
    provinces = {item["kemendagri_code"]: Province(**item) for item in raw["provinces"]}
    served = [
        _Served(
            region=regions[item["region"]].code,  # a KeyError here means broken reference data
            province=provinces[item["province"]],
            valid_from=date.fromisoformat(item["valid_from"]),
            valid_to=date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None,
        )
        for item in raw["served_by"]
    ]
    return regions, served


_REGIONS, _SERVED = _load()
REGION_CODES: frozenset[str] = frozenset(_REGIONS)


def is_region(code: object) -> bool:
    return isinstance(code, str) and code in REGION_CODES


def validate_region(code: object) -> str:
    """The code itself if it names one of the 33 Kanwil; otherwise ValueError saying which ones."""
    if not is_region(code):
        raise ValueError(
            f"unknown region {code!r}: a region must be one of the 33 Kanwil Ditjenpas codes "
            f"({', '.join(_REGIONS)})"
        )
    assert isinstance(code, str)
    return code


def known_region(code: object) -> str:
    """`validate_region` for pydantic models and query parameters: an unknown code is the
    validation error `unknown_region`, naming it and the valid ones."""
    if not is_region(code):
        raise PydanticCustomError(
            "unknown_region",
            "unknown region {region}: a region must be one of the 33 Kanwil Ditjenpas codes"
            " ({expected})",
            {
                "region": repr(code) if not isinstance(code, str) else code,
                "expected": ", ".join(_REGIONS),
            },
        )
    assert isinstance(code, str)
    return code


KnownRegion = Annotated[str, AfterValidator(known_region)]
"""A Kanwil region code checked against the reference data (422 `unknown_region` if not)."""


def region(code: str) -> Region:
    return _REGIONS[validate_region(code)]


def all_regions() -> list[Region]:
    """The 33 regions in the order of the reference list (west to east)."""
    return list(_REGIONS.values())


def provinces_served(code: str, on: date) -> list[Province]:
    """The provinces region `code` serves on that day."""
    validate_region(code)
    return [row.province for row in _SERVED if row.region == code and row.holds_on(on)]


def region_serving(kemendagri_code: str, on: date) -> Region | None:
    """The region that serves a province (by Kemendagri code) on that day, if any."""
    for row in _SERVED:
        if row.province.kemendagri_code == kemendagri_code and row.holds_on(on):
            return _REGIONS[row.region]
    return None


def time_zone(code: str) -> ZoneInfo:
    """The IANA time zone of region `code` (WIB, WITA or WIT)."""
    return ZoneInfo(region(code).timezone)


def local_date(code: str, instant: datetime) -> date:
    """The date it is in region `code` at `instant` (timezone-aware): the region's "today".

    17:30 UTC is already the next day in WIB (UTC+7), and 15:30 UTC in WIT (UTC+9).
    """
    if instant.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return instant.astimezone(time_zone(code)).date()
