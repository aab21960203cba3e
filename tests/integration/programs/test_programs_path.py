"""The whole stage path against real NATS and PostgreSQL, partners learned from their service.

A partner registered, verified and under agreement in the partners service is
usable here once its events arrive (X-Partners-Position waits for them); the
program then walks propose -> every stage and phase -> evaluate -> complete,
and every event is on NATS as a valid CloudEvent, in order.
"""

from __future__ import annotations

import json

import pytest
from cloudevents.v1.http import from_json

from services.programs.stages import STEPS
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
from tests.integration.support import stream_messages

pytestmark = pytest.mark.integration

ACTIVITY = {
    "held_on": None,
    "sessions": 2,
    "volunteer_hours": 6,
    "participants": {"male_adult": 14, "male_elderly": 1, "female_adult": 3},
}


async def walk_to_the_end(programs, program_id: str, position: int) -> None:
    """Advance through every step, with an activity, monitoring and an evaluation on the way."""
    version = 1
    for stage, phase in STEPS[1:]:
        body = {
            "to_stage": stage.value,
            "to_phase": phase and phase.value,
            "reason": f"siap masuk {phase or stage}",
            "evidence": ["BA/2025/017"],
        }
        headers = position_header(position) | {"If-Match": f'"{version}"'}
        version = (
            await ok(
                await programs.post(f"/programs/{program_id}/advance", json=body, headers=headers)
            )
        )["version"]
        if stage.value == "continued_collaboration":
            activity = ACTIVITY | {"held_on": str(today())}
            await ok(
                await programs.post(
                    f"/programs/{program_id}/activities", json=activity, headers=ACTOR
                )
            )
            visit = {"visited_on": str(today()), "findings": "Peserta antusias", "rating": 4}
            version = (
                await ok(
                    await programs.post(
                        f"/programs/{program_id}/monitoring", json=visit, headers=ACTOR
                    )
                )
            )["version"]
    evaluation = {
        "scores": {"individual": 4, "institutional": 3, "policy": 2},
        "participants_completed": 17,
        "recommendations": "Lanjutkan angkatan kedua",
    }
    await ok(
        await programs.post(f"/programs/{program_id}/evaluation", json=evaluation, headers=ACTOR)
    )
    ended = await ok(
        await programs.post(
            f"/programs/{program_id}/complete", json={"summary": "17 peserta lulus"}, headers=ACTOR
        )
    )
    assert [e["type"] for e in ended["events"]] == [
        "pas.programs.program_stage_advanced.v1",
        "pas.programs.program_completed.v1",
    ]


async def test_partner_usable_once_its_events_arrive_and_the_whole_path(service_settings, nc):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, lead_pos = await ready_partner(s.partners)
        co, co_pos = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)
        created = await s.programs.post(
            "/programs",
            json=proposal(unit_id, lead, co),
            headers=position_header(max(lead_pos, co_pos)),
        )
        program_id = (await ok(created, 201))["id"]
        assert created.headers["location"] == f"/programs/{program_id}"
        await walk_to_the_end(s.programs, program_id, lead_pos)

        doc = await ok(await s.programs.get(f"/programs/{program_id}"))
        assert doc["status"] == "completed" and doc["version"] == 12
        steps = [(t["stage"], t["phase"]) for t in doc["timeline"]]
        assert steps == [(st.value, ph and ph.value) for st, ph in STEPS] + [("completed", None)]
        assert all(t["by"] == ACTOR["X-Actor"] and t["recorded_at"] for t in doc["timeline"])
        assert [t["days"] for t in doc["timeline"]] == [0] * 7 + [None]
        assert doc["timeline"][2]["evidence"] == ["BA/2025/017"]
        assert doc["state"]["totals"]["participants"]["male_adult"] == 14
        assert doc["state"]["latest_evaluation"]["scores"]["policy"] == 2

        for params in (
            {"partner_id": co},
            {"unit_id": unit_id, "status": "completed"},
            {"region": region, "track": "independence", "stage": "completed"},
        ):
            listed = await ok(await s.programs.get("/programs", params=params))
            assert [p["program_id"] for p in listed["items"]] == [program_id], params
        row = listed["items"][0]
        assert (row["participants"], row["sessions"], row["score_individual"]) == (18, 2, 4)
        assert row["unit_name"] == "Lapas Kelas I Surabaya" and row["co_partner_ids"] == [co]
        assert (await ok(await s.programs.get("/programs", params={"phase": "design"})))[
            "total"
        ] == 0

        history = doc["history"]
        msgs = await stream_messages(
            nc, "PAS_EVENTS", f"pas.events.{region}.programs.>", expect=len(history) + 1, timeout=10
        )
    events = [from_json(m.data) for m in msgs]
    mine = [e for e in events if e["subject"] == program_id]
    assert [e["id"] for e in mine] == [h["id"] for h in history]
    assert [e["aggregateversion"] for e in mine] == list(range(1, 13))
    positions = [e["position"] for e in mine]
    assert positions == sorted(positions) == [h["position"] for h in history]
    for event, msg in zip(
        mine, (m for m in msgs if json.loads(m.data)["subject"] == program_id), strict=True
    ):
        assert event["specversion"] == "1.0" and event["source"] == f"/pas/{region}/programs"
        assert event["datacontenttype"] == "application/json" and event["region"] == region
        assert event["aggregatetype"] == "program" and event["actor"] == ACTOR["X-Actor"]
        assert msg.headers["Nats-Msg-Id"] == event["id"]
        assert msg.subject == f"pas.events.{region}.programs.{event['type'].split('.')[2]}"
    assert mine[0].data["lead_partner_id"] == lead
