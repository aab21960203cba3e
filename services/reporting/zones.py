"""Each region's time zone (WIB, WITA, WIT) and the local date of an event's `time` there.

The zones come from the reference data (`timezone` of each region in
shared/data/regions.json, an IANA name). Indonesia's three zones are whole
hours from UTC with no daylight saving, so the local date of a UTC time is
fixed by its date and hour: that is what is cached.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Jakarta"


@cache
def zones() -> dict[str, str]:
    """Region code -> IANA time zone name, from the reference data."""
    raw = json.loads(
        resources.files("shared").joinpath("data/regions.json").read_text(encoding="utf-8")
    )
    return {item["code"]: item.get("timezone", DEFAULT_ZONE) for item in raw["regions"]}


@cache
def zone_of(region: str) -> ZoneInfo:
    return ZoneInfo(zones().get(region, DEFAULT_ZONE))


@lru_cache(maxsize=65536)
def _local_date(region: str, hour: str) -> date:
    moment = datetime.strptime(hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)
    return moment.astimezone(zone_of(region)).date()


def local_date(region: str, time: str) -> date:
    """The date of an RFC 3339 UTC `time` (`2026-01-24T03:15:00.123456Z`) in `region`'s zone."""
    if len(time) >= 13 and time.endswith("Z"):
        return _local_date(region, time[:13])
    moment = datetime.fromisoformat(time.replace("Z", "+00:00"))
    return moment.astimezone(zone_of(region)).date()


def today_in(region: str, now: datetime) -> date:
    """The local date of `now` (aware) in `region`."""
    return now.astimezone(zone_of(region)).date()
