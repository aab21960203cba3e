"""The local date of an event's time, read from the cached offset of its region that day, equals
the conversion by the region's time zone (zoneinfo), around midnight and across years."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from services.reporting.zones import local_date, zone_of
from shared.regions import all_regions


def test_local_dates_equal_zoneinfo() -> None:
    rng = random.Random(3)
    codes = [region.code for region in all_regions()]
    for _ in range(20_000):
        region = rng.choice(codes)
        moment = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 10**8))
        time = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert local_date(region, time) == moment.astimezone(zone_of(region)).date(), time


def test_the_hour_before_local_midnight() -> None:
    # 16:59 UTC is 23:59 in Jakarta (UTC+7) and 00:59 the next day in Makassar (UTC+8)
    assert str(local_date("jatim", "2026-01-31T16:59:00.000000Z")) == "2026-01-31"
    assert str(local_date("sulsel", "2026-01-31T16:59:00.000000Z")) == "2026-02-01"
    assert str(local_date("papua", "2026-01-31T15:00:00.000000Z")) == "2026-02-01"
    assert str(local_date("papua", "2026-01-31T14:59:59+00:00")) == "2026-01-31"
