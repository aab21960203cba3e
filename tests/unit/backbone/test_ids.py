"""uuid7 and the time format of the envelope."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.ids import format_time, utc_now, uuid7


def test_uuid7_version_and_variant() -> None:
    value = uuid7()
    assert isinstance(value, uuid.UUID)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert str(value)[14] == "7"


def test_uuid7_carries_the_unix_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after + 1


def test_uuid7_is_monotonic_and_unique() -> None:
    values = [uuid7() for _ in range(10_000)]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))
    assert all(a.int < b.int for a, b in zip(values, values[1:], strict=False))
    assert all(str(a) < str(b) for a, b in zip(values, values[1:], strict=False))
    assert all(v.version == 7 and v.variant == uuid.RFC_4122 for v in values)


def test_format_time_microseconds_and_z() -> None:
    moment = datetime(2026, 1, 24, 3, 15, 0, 123456, tzinfo=UTC)
    assert format_time(moment) == "2026-01-24T03:15:00.123456Z"
    assert format_time(datetime(2026, 1, 24, 3, 15, tzinfo=UTC)) == "2026-01-24T03:15:00.000000Z"
    wib = timezone(timedelta(hours=7))
    assert (
        format_time(datetime(2026, 1, 24, 10, 15, 0, 5, tzinfo=wib))
        == "2026-01-24T03:15:00.000005Z"
    )
    assert format_time(utc_now()).endswith("Z")
    assert utc_now().tzinfo is not None


def test_naive_datetime_refused() -> None:
    with pytest.raises(ValueError):
        format_time(datetime(2026, 1, 24, 3, 15))
