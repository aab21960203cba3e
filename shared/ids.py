"""Ids and clocks, passed in rather than called directly so tests control them."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
IdFactory = Callable[[], uuid.UUID]


def utc_now() -> datetime:
    """The real clock, always timezone-aware UTC."""
    return datetime.now(UTC)


_last_ms = 0
_seq = 0


def uuid7() -> uuid.UUID:
    """A version-7 UUID (RFC 9562): 48-bit Unix milliseconds, then random bits.

    Within one millisecond a 12-bit counter keeps ids of one process increasing.
    """
    global _last_ms, _seq
    ms = time.time_ns() // 1_000_000
    if ms <= _last_ms:
        _seq += 1
        if _seq > 0xFFF:
            _last_ms += 1
            _seq = 0
        ms = _last_ms
    else:
        _last_ms = ms
        _seq = int.from_bytes(os.urandom(2), "big") & 0x3FF
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (_seq & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def format_time(moment: datetime) -> str:
    """RFC 3339 UTC with microseconds and `Z`, exactly as hashed and stored."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
