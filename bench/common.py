"""What every measurement shares: the result rows, medians and percentiles, timing, tokens."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


# Regions for the bench's own logs: every region but `jatim`, which the HTTP service uses.
def bench_regions() -> list[str]:
    from shared.regions import REGION_CODES

    return sorted(code for code in REGION_CODES if code != "jatim")


def now() -> float:
    return time.perf_counter()


def median(values: Sequence[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100), nearest-rank on the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def token() -> str:
    return uuid.uuid4().hex[:8]


@dataclass
class Target:
    """A goal for a figure: `value` in the figure's unit and/or `ratio` to its raw limit."""

    value: float | None = None
    ratio: float | None = None
    lower_is_better: bool = False

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        if value is None:
            return None
        ok = True
        if self.value is not None:
            ok = ok and (value <= self.value if self.lower_is_better else value >= self.value)
        if self.ratio is not None and ratio is not None:
            ok = ok and ratio >= self.ratio
        return ok

    def text(self) -> str:
        parts = []
        if self.value is not None:
            parts.append(("<= " if self.lower_is_better else ">= ") + fmt(self.value))
        if self.ratio is not None:
            parts.append(f">= {self.ratio:.2f}x")
        return ", ".join(parts)


@dataclass
class Row:
    """One figure of the report: its runs, median, raw limit and ratio, target."""

    group: str
    name: str
    unit: str
    runs: list[float] = field(default_factory=list)
    limit_name: str | None = None
    limit_runs: list[float] = field(default_factory=list)
    target: Target | None = None
    note: str = ""
    higher_is_better: bool = True

    @property
    def value(self) -> float | None:
        return median(self.runs)

    @property
    def limit(self) -> float | None:
        return median(self.limit_runs)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.limit:
            return None
        if self.higher_is_better:
            return self.value / self.limit
        return self.limit / self.value if self.value else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value, self.ratio)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(
            median=self.value,
            limit_median=self.limit,
            ratio=self.ratio,
            met=self.met,
            target=None
            if self.target is None
            else {**asdict(self.target), "text": self.target.text()},
        )
        return out


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
