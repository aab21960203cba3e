"""Splitting a period into whole months (read from the monthly counters) and edge days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

EARLIEST = date(1, 1, 1)
LATEST = date(9999, 12, 31)
_LAST_MONTH = date(9999, 12, 1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Split:
    """Months `[month_from, month_to)` whole in the period; days `[start, month_from)` and
    `[month_to, end]` around them (either may be empty)."""

    start: date
    end: date
    month_from: date
    month_to: date


def split(start: date | None, end: date | None) -> Split:
    lo = start or EARLIEST
    hi = end or LATEST
    month_from = lo if lo.day == 1 else _next_month(lo)
    if end is None:
        month_to = _LAST_MONTH
    elif _next_month(hi) - timedelta(days=1) == hi:
        month_to = _next_month(hi)
    else:
        month_to = hi.replace(day=1)
    if month_from >= month_to:  # no whole month inside: days only
        return Split(lo, hi, hi + timedelta(days=1), hi + timedelta(days=1))
    return Split(lo, hi, month_from, month_to)
