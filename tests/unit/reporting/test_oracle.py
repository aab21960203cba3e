"""The fold agrees with an independent, naive count of the same events (tests/e2e/
reporting_oracle.py) on generated histories, in every kind of scope."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest

from tests.e2e.reporting_oracle import figures, matches
from tests.unit.reporting.generated import generate
from tests.unit.reporting.memory import MemoryProjection
from tests.unit.reporting.scenario import build


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_history(seed: int) -> None:
    history = generate(["jatim", "ntt", "papua"], 40, seed=seed)
    events = [json.loads(item.recorded.to_cloudevent_bytes()) for item in history.items]
    projection = MemoryProjection().feed(history.items, batch=97)
    rng = random.Random(seed)
    scopes = [(None, None, None), ("ntt", None, None)]
    for _ in range(12):
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
        scopes.append(
            (
                rng.choice([None, "jatim", "ntt", "papua"]),
                rng.choice([None, start]),
                rng.choice([None, start + timedelta(days=rng.randint(0, 200))]),
            )
        )
    for scope in scopes:
        assert matches(projection.report(*scope), figures(events, *scope)) == [], scope


def test_known_scenario() -> None:
    history = build()
    events = [json.loads(item.recorded.to_cloudevent_bytes()) for item in history.items]
    projection = MemoryProjection().feed(history.items)
    for scope in (
        (None, None, None),
        ("jatim", date(2026, 2, 1), date(2026, 2, 28)),
        ("ntt", date(2026, 2, 11), date(2026, 3, 1)),
    ):
        assert matches(projection.report(*scope), figures(events, *scope)) == [], scope
