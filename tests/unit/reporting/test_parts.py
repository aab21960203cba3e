"""How a split bulk build shares the regions out (services/reporting/parts.py)."""

from __future__ import annotations

from services.reporting.parts import halves, part_subjects


def test_halves_hold_about_as_many_events_and_every_region_once() -> None:
    counts = {"jatim": 900, "jabar": 800, "ntt": 300, "papua": 200, "aceh": 150, "bali": 100}
    first, second = halves(counts)
    assert sorted(first + second) == sorted(counts)
    loads = [sum(counts[r] for r in first), sum(counts[r] for r in second)]
    assert abs(loads[0] - loads[1]) <= max(counts.values()) - min(counts.values())
    assert loads == [1250, 1200] or loads == [1200, 1250]
    assert halves(counts) == (first, second)  # the same plan every time


def test_each_part_reads_its_regions_subjects() -> None:
    assert part_subjects(("aceh", "jatim")) == ["pas.events.aceh.>", "pas.events.jatim.>"]
