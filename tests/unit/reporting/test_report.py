"""The report's meanings on a known history: figures counted by hand, compared with the fold."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.reporting.memory import MemoryProjection
from tests.unit.reporting.scenario import build


@pytest.fixture(scope="module")
def projection() -> MemoryProjection:
    return MemoryProjection().feed(build().items, batch=3)


def test_national_all_time(projection: MemoryProjection) -> None:
    r = projection.report()
    assert r["partners"]["registered"] == 3
    assert r["partners"]["by_kind"]["community_organization"] == 1
    assert r["partners"]["by_kind"]["individual"] == 1
    assert r["partners"]["by_kind"]["business"] == 1
    assert r["partners"]["by_status"] == {
        "registered": 1,
        "verified": 1,
        "suspended": 0,
        "withdrawn": 1,
    }
    assert r["agreements"]["signed"] == 3
    assert r["agreements"]["by_instrument"] == {"mou": 1, "pks": 2}
    assert r["agreements"]["active"] == 1
    assert r["ambassadors"] == {"appointed": 2, "in_term": 1}
    p = r["programs"]
    assert p["proposed"] == 2
    assert p["reached"] == {
        "initial_approach": 2,
        "continued_collaboration": 2,
        "independent_program": 1,
        "design": 1,
        "formulation": 1,
        "planning": 1,
        "implementation": 1,
        "evaluation": 1,
    }
    assert (p["completed"], p["discontinued"]) == (1, 1)
    assert p["by_track"] == {"personality_development": 0, "independence": 1, "reintegration": 1}
    assert p["conversion"]["continued_collaboration->design"] == 0.5
    assert p["median_days_in_step"]["initial_approach"] == 18.0  # 10 and 26 days
    part = r["participation"]
    assert (part["activities"], part["sessions"], part["participants"]) == (2, 3, 21)
    assert part["by_group"] == {
        "male_child": 6,
        "male_adult": 10,
        "male_elderly": 0,
        "female_child": 0,
        "female_adult": 5,
        "female_elderly": 0,
    }
    assert part["volunteer_hours"] == 9
    # G1: latest by evaluated_on is the one of 20 March (4, 3, 2); G2 corrected to (2, 3, 4)
    assert r["change_domains"] == {
        "individual": {"evaluations": 2, "mean": 3.0},
        "institutional": {"evaluations": 2, "mean": 3.0},
        "policy": {"evaluations": 2, "mean": 3.0},
    }
    o = r["outreach"]
    assert (o["held"], o["audience"], o["media_coverage"], o["estimated_reach"]) == (2, 90, 2, 1500)
    assert o["by_channel"]["seminar"] == 1 and o["by_channel"]["socialization"] == 1
    assert sum(o["by_channel"].values()) == 2
    assert r["prospects"] == {"identified": 3, "converted": 1, "declined": 1}


def test_region_and_period(projection: MemoryProjection) -> None:
    r = projection.report("jatim", date(2026, 2, 1), date(2026, 2, 28))
    assert r["scope"] == {"region": "jatim", "from": "2026-02-01", "to": "2026-02-28"}
    assert r["partners"]["registered"] == 1  # P1 on 1 Feb local time (31 Jan in UTC)
    assert r["partners"]["by_status"]["verified"] == 1
    assert r["agreements"]["signed"] == 2 and r["agreements"]["active"] == 1
    assert r["ambassadors"] == {"appointed": 0, "in_term": 0}
    assert r["programs"]["proposed"] == 1
    assert r["programs"]["reached"]["initial_approach"] == 1
    assert r["programs"]["reached"]["continued_collaboration"] == 1
    assert r["programs"]["reached"]["design"] == 0
    part = r["participation"]  # the corrected activity moved from 2 March to 28 February
    assert (
        part["activities"],
        part["sessions"],
        part["participants"],
        part["volunteer_hours"],
    ) == (2, 3, 21, 9)
    assert r["change_domains"]["individual"] == {"evaluations": 0, "mean": None}
    assert (r["outreach"]["held"], r["outreach"]["audience"]) == (1, 60)
    assert (r["outreach"]["media_coverage"], r["outreach"]["estimated_reach"]) == (1, 1000)
    assert r["prospects"] == {"identified": 2, "converted": 1, "declined": 1}


def test_march_in_jatim(projection: MemoryProjection) -> None:
    r = projection.report("jatim", date(2026, 3, 1), date(2026, 3, 31))
    assert r["programs"]["reached"] == {
        "initial_approach": 0,
        "continued_collaboration": 0,
        "independent_program": 1,
        "design": 1,
        "formulation": 1,
        "planning": 1,
        "implementation": 1,
        "evaluation": 1,
    }
    assert r["programs"]["completed"] == 1
    assert r["participation"]["activities"] == 0
    assert r["change_domains"]["individual"] == {"evaluations": 1, "mean": 4.0}
    assert r["change_domains"]["policy"] == {"evaluations": 1, "mean": 2.0}
    assert (r["outreach"]["media_coverage"], r["outreach"]["estimated_reach"]) == (1, 500)
    assert r["outreach"]["cancelled"] == 0  # cancelled on 27 February


def test_ntt_local_dates_and_void(projection: MemoryProjection) -> None:
    r = projection.report("ntt", date(2026, 2, 11), date(2026, 2, 11))
    assert r["partners"]["registered"] == 1  # 16:30 UTC on 10 Feb is 00:30 WITA on 11 Feb
    r = projection.report("ntt")
    assert r["participation"]["activities"] == 0  # voided, and its later correction ignored
    assert r["agreements"]["by_status"]["expired"] == 1 and r["agreements"]["active"] == 0
    assert r["monitoring"] == {"visits": 1, "mean_rating": 4.0}


def test_batches_do_not_change_the_figures() -> None:
    items = build().items
    one = MemoryProjection().feed(items, batch=1).report()
    whole = MemoryProjection().feed(items, batch=len(items)).report()
    assert one == whole


def test_an_event_applied_twice_counts_once() -> None:
    items = build().items
    twice = MemoryProjection().feed(items + items, batch=4).report()
    assert twice == MemoryProjection().feed(items, batch=4).report()
