"""GET /programs/{id} of a program with a long history: the latest events and records, the whole
timeline, and the rest of the history paged by /programs/{id}/history (issue 6 item 9)."""

from __future__ import annotations

import pytest

from services.programs.api.program_reads import HISTORY_PAGE
from tests.integration.programs.kit import (
    ACTOR,
    fresh_region,
    ok,
    position_header,
    proposal,
    ready_partner,
    register_unit,
    services,
    today,
)

pytestmark = pytest.mark.integration

ACTIVITY = {
    "sessions": 1,
    "volunteer_hours": 2,
    "participants": {"female_adult": 5},
}


async def test_a_long_history_is_paged_and_the_timeline_stays_whole(service_settings, nc):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)
        created = await s.programs.post(
            "/programs", json=proposal(unit_id, lead), headers=position_header(position)
        )
        program_id = (await ok(created, 201))["id"]
        advance = {"to_stage": "continued_collaboration", "reason": "Siap bekerja sama"}
        await ok(
            await s.programs.post(
                f"/programs/{program_id}/advance", json=advance, headers=position_header(position)
            )
        )
        extra = 7
        for n in range(HISTORY_PAGE + extra):
            activity = ACTIVITY | {"held_on": str(today()), "sessions": 1 + n % 3}
            await ok(
                await s.programs.post(
                    f"/programs/{program_id}/activities", json=activity, headers=ACTOR
                )
            )
        total = 2 + HISTORY_PAGE + extra

        got = await s.programs.get(f"/programs/{program_id}")
        doc = await ok(got)
        assert doc["version"] == total
        assert [e["version"] for e in doc["history"]] == list(
            range(total - HISTORY_PAGE + 1, total + 1)
        )
        assert [t["stage"] for t in doc["timeline"]] == [
            "initial_approach",
            "continued_collaboration",
        ]
        assert [t["position"] is not None for t in doc["timeline"]] == [True, True]
        activities = doc["records"]["activities"]
        assert len(activities) == HISTORY_PAGE
        assert activities[-1]["event_id"] == doc["history"][-1]["id"]
        assert doc["state"]["totals"]["activities"] == HISTORY_PAGE + extra
        before = total - HISTORY_PAGE + 1
        assert got.headers["link"] == (
            f'</programs/{program_id}/history?before_version={before}>; rel="next"'
        )

        older = await ok(
            await s.programs.get(
                f"/programs/{program_id}/history", params={"before_version": before}
            )
        )
        assert [e["version"] for e in older["items"]] == list(range(1, before))
        assert older["items"][0]["type"] == "pas.programs.program_proposed.v1"
        assert older["next_before_version"] is None
        latest = await ok(
            await s.programs.get(f"/programs/{program_id}/history", params={"limit": 5})
        )
        assert [e["version"] for e in latest["items"]] == list(range(total - 4, total + 1))
        assert latest["next_before_version"] == total - 4
