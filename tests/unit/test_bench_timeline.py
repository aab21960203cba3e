"""The reporting bench publishes a generated history as logs record it: in time order."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from bench.timeline import (
    corrections_before_originals,
    in_time_order,
    merged,
    publishable,
    spill,
)
from tests.unit.reporting.generated import generate


def test_each_log_and_aggregate_is_renumbered_in_time_order() -> None:
    given = [item.recorded for item in generate(["jatim", "papua"], 60, recorded_times=True).items]
    events = in_time_order(given)
    assert Counter(e.id for e in events) == Counter(e.id for e in given)
    times = [e.time for e in events]
    assert times == sorted(times)
    positions: dict[str, list[int]] = defaultdict(list)
    versions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for e in events:
        positions[e.source].append(e.position)
        versions[e.aggregatetype, e.subject].append(e.aggregateversion)
    assert len(positions) == 6  # two regions, three services
    for numbers in [*positions.values(), *versions.values()]:
        assert numbers == list(range(1, len(numbers) + 1))
    assert sum(e.type.endswith("activity_corrected.v1") for e in events) > 0
    assert corrections_before_originals(events) == 0
    # the data is what was generated: only the order and its numbers changed
    by_id = {e.id: e for e in given}
    assert all(by_id[e.id].data_json == e.data_json for e in events)


def test_regions_are_interleaved_by_time(tmp_path: Path) -> None:
    paths = []
    for i, region in enumerate(("aceh", "bali", "jatim")):
        history = generate([region], 15, seed=i, recorded_times=True)
        events = in_time_order(item.recorded for item in history.items)
        paths.append(tmp_path / region)
        assert spill(publishable(events), paths[-1]) == len(events)
    messages = list(merged(paths))
    times = [m[0] for m in messages]
    assert times == sorted(times)
    assert len({m[1].split(".")[2] for m in messages[:50]}) == 3  # not region after region
    assert len({m[3] for m in messages}) == len(messages)
