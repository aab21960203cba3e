"""How a split bulk build shares the regions out (services/reporting/parts.py)."""

from __future__ import annotations

from services.reporting.parts import halves
from services.reporting.projection import ReportingProjection


def test_halves_hold_about_as_many_events_and_every_region_once() -> None:
    counts = {"jatim": 900, "jabar": 800, "ntt": 300, "papua": 200, "aceh": 150, "bali": 100}
    first, second = halves(counts)
    assert sorted(first + second) == sorted(counts)
    loads = [sum(counts[r] for r in first), sum(counts[r] for r in second)]
    assert abs(loads[0] - loads[1]) <= max(counts.values()) - min(counts.values())
    assert loads == [1250, 1200] or loads == [1200, 1250]
    assert halves(counts) == (first, second)  # the same plan every time


def test_a_part_keeps_its_regions_events_by_their_subject() -> None:
    keep = ReportingProjection(3, name="reporting_g3_p1", regions=("aceh", "jatim")).keep
    assert keep is not None
    assert keep(b"pas.events.jatim.programs.activity_held")
    assert keep(b"pas.events.aceh.partners.partner_registered")
    assert not keep(b"pas.events.jateng.programs.activity_held")
    assert not keep(b"pas.events")
    assert ReportingProjection(3).keep is None
