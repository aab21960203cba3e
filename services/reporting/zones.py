"""Each region's time zone (WIB, WITA, WIT) and the local date of an event's `time` there.

The zones come from the reference data (`timezone` of each region in
shared/data/regions.json, an IANA name). Indonesia's three zones are whole
hours from UTC with no daylight saving, so the local date of a UTC time is
fixed by its date and hour: each region's offset is cached per UTC date.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
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
def _day_and_offset(region: str, day: str) -> tuple[date, int]:
    """The UTC date `day` and the region's offset from UTC that day, in whole hours."""
    utc = date.fromisoformat(day)
    noon = datetime(utc.year, utc.month, utc.day, 12, tzinfo=UTC).astimezone(zone_of(region))
    offset = noon.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return utc, seconds // 3600 if seconds % 3600 == 0 else 99


def local_date(region: str, time: str) -> date:
    """The date of an RFC 3339 UTC `time` (`2026-01-24T03:15:00.123456Z`) in `region`'s zone."""
    if len(time) >= 13 and time.endswith("Z") and time[10] == "T":
        utc, offset = _day_and_offset(region, time[:10])
        if offset != 99:  # a whole-hour zone (Indonesia's three): the hour decides the date
            local_hour = int(time[11:13]) + offset
            if 0 <= local_hour < 24:
                return utc
            return utc + timedelta(days=1 if local_hour >= 24 else -1)
    moment = datetime.fromisoformat(time.replace("Z", "+00:00"))
    return moment.astimezone(zone_of(region)).date()


def today_in(region: str, now: datetime) -> date:
    """The local date of `now` (aware) in `region`."""
    return now.astimezone(zone_of(region)).date()
