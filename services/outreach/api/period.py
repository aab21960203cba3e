"""A list's period filter (`from`, `to`, both inclusive), checked once for every list."""

from __future__ import annotations

from datetime import date

from shared.http.problems import Problem

Period = tuple[date | None, date | None]


def period(start: date | None, end: date | None) -> Period:
    """The period asked for; 422 when it ends before it starts."""
    if start is not None and end is not None and end < start:
        raise Problem(
            422,
            "invalid_list_period",
            "Tanggal akhir periode (to) tidak boleh sebelum tanggal awal (from).",
            field="to",
            detail_en="`to` is before `from`",
        )
    return start, end
