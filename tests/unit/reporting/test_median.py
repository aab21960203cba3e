"""The whole-history median from a histogram of days equals the median of the days themselves
(PostgreSQL's percentile_cont(0.5), Python's statistics.median)."""

from __future__ import annotations

import random
import statistics
from collections import Counter

import pytest

from services.reporting.report.figures import _median


@pytest.mark.parametrize("seed", range(5))
def test_median_of_a_histogram(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        days = [rng.randint(0, 60) for _ in range(rng.randint(1, 40))]
        # as the table holds it: per region, so one value may come in several rows
        rows = [(d, n) for d, n in Counter(days).items() for _ in range(1)]
        split = [(d, 1) for d in days]
        assert _median(rows) == statistics.median(days)
        assert _median(split) == statistics.median(days)
