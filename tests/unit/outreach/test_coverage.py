"""Media coverage on an outreach event or a media campaign; the same link twice is refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.outreach.commands import RecordCoverage
from services.outreach.events import (
    CampaignCoverageRecorded,
    MediaCoverageRecorded,
    OutreachCancelled,
)

from .given import ACTOR, REGION, TODAY, World, then

LINK = "https://surabaya.example.id/berita/pokmas-lipas-kenjeran"


def cover(**changes: Any) -> RecordCoverage:
    data: dict[str, Any] = {
        "outlet": "Radar Surabaya",
        "medium": "online",
        "title": "Warga Kenjeran peduli Lapas",
        "link": LINK,
        "published_on": date(2026, 11, 13),
        "estimated_reach": 12000,
    }
    return RecordCoverage(**{**data, **changes})


def recorded(
    w: World, model: type[MediaCoverageRecorded] = MediaCoverageRecorded, **changes: Any
) -> MediaCoverageRecorded:
    data: dict[str, Any] = {
        "outreach_id": w.outreach_id if model is MediaCoverageRecorded else None,
        "region": REGION,
        "outlet": "Radar Surabaya",
        "medium": "online",
        "title": "Warga Kenjeran peduli Lapas",
        "link": LINK,
        "published_on": date(2026, 11, 13),
        "estimated_reach": 12000,
        "recorded_by": ACTOR,
    }
    return model(**{**data, **changes})


def test_coverage_is_recorded_on_a_held_or_planned_event_naming_it() -> None:
    w = World()
    then([w.planned(), w.held()], cover(), w.context, [recorded(w)])
    then([w.planned()], cover(), w.context, [recorded(w)])


def test_the_same_link_twice_on_one_event_is_refused_naming_the_first() -> None:
    w = World()
    first = recorded(w, outlet="Jawa Pos", title="Pokmas Lipas", published_on=date(2026, 11, 12))
    again = cover(link=LINK.replace("https://", "http://www.") + "/#komentar", outlet="Lain")
    error = then([w.planned(), w.held(), first], again, w.context, "duplicate_coverage_link")
    assert error.status == 409
    assert error.details == {
        "link": LINK,
        "first_number": 1,
        "first_outlet": "Jawa Pos",
        "first_title": "Pokmas Lipas",
        "first_published_on": "2026-11-12",
    }


def test_another_link_on_the_same_event_is_fine() -> None:
    w = World()
    other = LINK + "-bagian-2"
    then(
        [w.planned(), w.held(), recorded(w)],
        cover(link=other),
        w.context,
        [recorded(w, link=other)],
    )


def test_no_coverage_on_a_cancelled_or_unknown_event_nor_dated_ahead() -> None:
    w = World()
    cancelled = OutreachCancelled(reason="x", cancelled_on=TODAY, cancelled_by=ACTOR)
    then([w.planned(), cancelled], cover(), w.context, "outreach_cancelled")
    then([], cover(), w.context, "outreach_not_found")
    ahead = cover(published_on=TODAY + timedelta(days=1))
    then([w.planned(), w.held()], ahead, w.context, "date_in_future")


def test_a_campaign_without_an_outreach_event_has_coverage_of_its_own() -> None:
    w = World()
    events = then([], cover(), w.context, [recorded(w, CampaignCoverageRecorded)], campaign=True)
    assert events[0].AGGREGATE == "media_campaign" and events[0].outreach_id is None
    then(events, cover(), w.context, "duplicate_coverage_link", campaign=True)
    then(
        events,
        cover(link=LINK + "?hal=2"),
        w.context,
        [recorded(w, CampaignCoverageRecorded, link=LINK + "?hal=2")],
        campaign=True,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"link": "ftp://x.id/a"},
        {"link": "javascript:alert(1)"},
        {"link": "https:// x"},
        {"estimated_reach": -1},
        {"medium": "billboard"},
        {"outlet": ""},
    ],
)
def test_coverage_values_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        cover(**changes)
