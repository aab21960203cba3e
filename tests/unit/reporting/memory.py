"""The reporting fold run in memory, batch by batch, states kept as the database keeps them
(JSON), and the report assembled from sums over the scope: the SQL path without SQL."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from datetime import date
from typing import Any

from services.reporting.fold import Fold, wanted_ids
from services.reporting.report.evaluation import assemble, change_domain_scores
from shared.readmodel import Delivered


class MemoryProjection:
    def __init__(self) -> None:
        self.states: dict[str, str] = {}
        self.counters: dict[tuple[str, date, str, str], int] = defaultdict(int)
        self.ambassadors: dict[tuple[str, str, date, str], int] = defaultdict(int)
        self.evaluations: dict[str, dict[str, Any]] = {}
        self.durations: dict[tuple[str, str], dict[str, Any]] = {}

    def apply(self, batch: list[Delivered]) -> None:
        known = {i: json.loads(self.states[i]) for i in wanted_ids(batch) if i in self.states}
        changes = Fold(known).apply_all(batch)
        for sid, state in changes.states.items():
            self.states[sid] = json.dumps(state)
        for key, n in changes.counters.items():
            self.counters[key] += n
        for key, n in changes.ambassadors.items():
            self.ambassadors[key] += n
        self.evaluations.update(json.loads(json.dumps(changes.evaluations)))
        self.durations.update(changes.durations)

    def feed(self, items: list[Delivered], batch: int = 3) -> MemoryProjection:
        for i in range(0, len(items), batch):
            self.apply(items[i : i + batch])
        return self

    def sums(self, region: str | None) -> dict[str, int]:
        """Every metric summed over the whole history of `region` (None: the nation)."""
        sums: dict[str, int] = defaultdict(int)
        for (r, _day, _unit, metric), n in self.counters.items():
            if region is None or r == region:
                sums[metric] += n
        return dict(sums)

    def report(
        self, region: str | None = None, start: date | None = None, end: date | None = None
    ) -> dict[str, Any]:
        def inside(r: str, day: date) -> bool:
            return (
                (region is None or r == region)
                and (start is None or day >= start)
                and (end is None or day <= end)
            )

        sums: dict[str, int] = defaultdict(int)
        for (r, day, _unit, metric), n in self.counters.items():
            if inside(r, day):
                sums[metric] += n
        latest: dict[str, dict[str, Any]] = {}
        for row in self.evaluations.values():
            if row["voided"] or not inside(row["region"], date.fromisoformat(row["evaluated_on"])):
                continue
            best = latest.get(row["program_id"])
            if best is None or (row["evaluated_on"], row["position"]) > (
                best["evaluated_on"],
                best["position"],
            ):
                latest[row["program_id"]] = row
        days: dict[str, list[int]] = defaultdict(list)
        for row in self.durations.values():
            if inside(row["region"], row["left_on"]):
                days[row["step"]].append(row["days"])
        return assemble(
            region=region,
            start=start,
            end=end,
            sums=sums,
            change_domains=change_domain_scores(r["scores"] for r in latest.values()),
            as_of={},
            medians={s: float(statistics.median(d)) for s, d in days.items()},
        )
