"""Corrections and voids over HTTP on real PostgreSQL and NATS: new events, never edits; the
program, its list row and its records count the corrected figures; the history keeps all.

Also here: a stage move dated in the past (the timeline shows that date and when it was
recorded), participants far above the plan (confirmed or refused), and an unknown partner
once the read model has caught up (422, not "retry").
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from services.programs.views import ProgramsViews
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
PROBLEM = "application/problem+json"


def activity(**changes: object) -> dict[str, object]:
    return {
        "held_on": str(today()),
        "sessions": 2,
        "volunteer_hours": 6,
        "participants": {"male_adult": 14, "female_adult": 6},
        **changes,
    }


async def test_corrections_voids_dated_moves_plausibility_and_unknown_partners(
    service_settings, nc
):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)

        # Item 1: with the read model caught up to the caller's position, a mistyped id is
        # an unknown partner (422), not "retry".
        typo = "0194a0e4-0000-7000-8000-00000000beef"
        refused = await s.programs.post(
            "/programs", json=proposal(unit_id, typo), headers=position_header(position)
        )
        assert refused.status_code == 422 and refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "unknown_partner"
        assert refused.json()["field"] == "lead_partner_id"

        proposed = proposal(unit_id, lead, proposed_on=str(today() - timedelta(days=5)))
        created = await s.programs.post(
            "/programs", json=proposed, headers=position_header(position)
        )
        program_id = (await ok(created, 201))["id"]
        base = f"/programs/{program_id}"

        # Item 9: a move dated when it really happened; the timeline shows both dates.
        happened = today() - timedelta(days=3)
        move = {
            "to_stage": "continued_collaboration",
            "reason": "MoU berjalan",
            "on": str(happened),
        }
        await ok(await s.programs.post(f"{base}/advance", json=move, headers=ACTOR))
        step = (await ok(await s.programs.get(base)))["timeline"][1]
        assert step["entered_on"] == str(happened)
        assert step["recorded_at"].startswith(str(today()))

        # Item 6: 25 planned, so 51 participants need a confirmation, kept in the event.
        crowd = activity(participants={"male_adult": 51})
        refused = await s.programs.post(f"{base}/activities", json=crowd, headers=ACTOR)
        assert refused.status_code == 422 and refused.json()["code"] == "participants_implausible"
        assert (
            refused.json()["details"]["limit"] == 50 and refused.json()["field"] == "participants"
        )
        confirmed = await ok(
            await s.programs.post(
                f"{base}/activities", json=crowd | {"participants_confirmed": True}, headers=ACTOR
            )
        )
        big_id = confirmed["events"][0]["id"]

        first = await ok(
            await s.programs.post(f"{base}/activities", json=activity(), headers=ACTOR)
        )
        first_id = first["events"][0]["id"]

        # Item 8: correct the first activity, then correct the correction (by its own id).
        fix = activity(
            participants={"male_adult": 10, "female_adult": 6}, reason="Salah hitung peserta"
        )
        fixed = await ok(
            await s.programs.post(f"{base}/activities/{first_id}/correct", json=fix, headers=ACTOR)
        )
        assert [e["type"] for e in fixed["events"]] == ["pas.programs.activity_corrected.v1"]
        fix_id = fixed["events"][0]["id"]
        again = fix | {"sessions": 3, "reason": "Sesi ketiga terlewat"}
        await ok(
            await s.programs.post(f"{base}/activities/{fix_id}/correct", json=again, headers=ACTOR)
        )
        # ... and void the big one: it was recorded by mistake after all.
        voided = await ok(
            await s.programs.post(
                f"{base}/activities/{big_id}/void",
                json={"reason": "Tercatat dua kali"},
                headers=ACTOR,
            )
        )
        void_id = voided["events"][0]["id"]

        doc = await ok(await s.programs.get(base))
        totals = doc["state"]["totals"]
        assert (totals["activities"], totals["sessions"]) == (1, 3)
        assert sum(totals["participants"].values()) == 16
        types = [h["type"].split(".")[2] for h in doc["history"]]
        assert types[-5:] == [
            "activity_held",
            "activity_held",
            "activity_corrected",
            "activity_corrected",
            "activity_voided",
        ]
        records = doc["records"]["activities"]
        assert [(r["event_id"], r["status"]) for r in records] == [
            (big_id, "voided"),
            (first_id, "corrected"),
        ]
        assert records[1]["figures"]["sessions"] == 3 and len(records[1]["changes"]) == 2
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert (row["activities"], row["sessions"], row["participants"]) == (1, 3, 16)
        assert row["participants_female"] == 6

        # Every correction names the original on the wire.
        msgs = await stream_messages(
            nc,
            "PAS_EVENTS",
            f"pas.events.{region}.programs.activity_corrected",
            expect=2,
            timeout=10,
        )
        corrected = [json.loads(m.data) for m in msgs]
        assert [m["subject"] for m in corrected] == [program_id, program_id]
        assert [m["data"]["activity_event_id"] for m in corrected] == [first_id, first_id]

        # The rules, as problems.
        gone = await s.programs.post(
            f"{base}/activities/{void_id}/correct", json=fix, headers=ACTOR
        )
        assert gone.status_code == 409 and gone.json()["code"] == "record_voided"
        unknown = "0194a0e4-0000-7000-8000-0000000000aa"
        missing = await s.programs.post(
            f"{base}/activities/{unknown}/void", json={"reason": "x"}, headers=ACTOR
        )
        assert missing.status_code == 404 and missing.json()["code"] == "activity_not_found"
        assert missing.json()["detail"].startswith("Kegiatan tidak ditemukan")
        wrong_kind = await s.programs.post(
            f"{base}/monitoring/{first_id}/void", json={"reason": "x"}, headers=ACTOR
        )
        assert wrong_kind.status_code == 404
        assert wrong_kind.json()["code"] == "monitoring_not_found"

        # Monitoring and evaluation are corrected and voided the same way.
        visit = {"visited_on": str(today()), "findings": "Peserta antusias", "rating": 2}
        seen = await ok(await s.programs.post(f"{base}/monitoring", json=visit, headers=ACTOR))
        seen_id = seen["events"][0]["id"]
        await ok(
            await s.programs.post(
                f"{base}/monitoring/{seen_id}/correct",
                json=visit | {"rating": 4, "reason": "Nilai tertukar"},
                headers=ACTOR,
            )
        )
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert (row["monitoring_visits"], row["last_rating"]) == (1, 4)
        await ok(
            await s.programs.post(
                f"{base}/monitoring/{seen_id}/void",
                json={"reason": "Kunjungan batal"},
                headers=ACTOR,
            )
        )
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert (row["monitoring_visits"], row["last_rating"]) == (0, None)


async def test_evaluations_are_corrected_and_voided_after_completion(service_settings, nc):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)
        created = await s.programs.post(
            "/programs", json=proposal(unit_id, lead), headers=position_header(position)
        )
        base = f"/programs/{(await ok(created, 201))['id']}"
        move = {"to_stage": "continued_collaboration", "reason": "MoU berjalan"}
        await ok(await s.programs.post(f"{base}/advance", json=move, headers=ACTOR))
        await ok(
            await s.programs.post(f"{base}/complete", json={"summary": "Selesai"}, headers=ACTOR)
        )
        evaluation = {
            "scores": {"individual": 2, "institutional": 3, "policy": 2},
            "participants_completed": 17,
            "recommendations": "Lanjutkan",
        }
        done = await ok(await s.programs.post(f"{base}/evaluation", json=evaluation, headers=ACTOR))
        eval_id = done["events"][0]["id"]
        fix = evaluation | {
            "scores": {"individual": 4, "institutional": 3, "policy": 2},
            "evaluated_on": str(today()),
            "reason": "Skor salah input",
        }
        await ok(
            await s.programs.post(f"{base}/evaluation/{eval_id}/correct", json=fix, headers=ACTOR)
        )
        same = await s.programs.post(
            f"{base}/evaluation/{eval_id}/correct", json=fix, headers=ACTOR
        )
        assert same.status_code == 422 and same.json()["code"] == "correction_changes_nothing"
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert row["score_individual"] == 4
        doc = await ok(await s.programs.get(base))
        assert doc["state"]["latest_evaluation"]["scores"]["individual"] == 4
        await ok(
            await s.programs.post(
                f"{base}/evaluation/{eval_id}/void",
                json={"reason": "Evaluasi program lain"},
                headers=ACTOR,
            )
        )
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert row["score_individual"] is None and row["participants_completed"] is None
        assert (await ok(await s.programs.get(base)))["state"]["latest_evaluation"] is None


async def test_views_made_before_corrections_get_their_records_back_at_setup(service_settings, nc):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)
        created = await s.programs.post(
            "/programs", json=proposal(unit_id, lead), headers=position_header(position)
        )
        base = f"/programs/{(await ok(created, 201))['id']}"
        move = {"to_stage": "continued_collaboration", "reason": "MoU berjalan"}
        await ok(await s.programs.post(f"{base}/advance", json=move, headers=ACTOR))
        held = await ok(await s.programs.post(f"{base}/activities", json=activity(), headers=ACTOR))
        await ok(await s.programs.post(f"{base}/activities", json=activity(), headers=ACTOR))

        pool = s.programs._transport.app.state.runtime.pool  # type: ignore[attr-defined]
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("DROP TABLE program_records")  # as before corrections existed
            await ProgramsViews().setup(conn)  # what a restart on the new code runs
            assert await conn.fetchval("SELECT count(*) FROM program_records") == 2

        fix = activity(sessions=5, reason="Sesi salah catat")
        await ok(
            await s.programs.post(
                f"{base}/activities/{held['events'][0]['id']}/correct", json=fix, headers=ACTOR
            )
        )
        row = (await ok(await s.programs.get("/programs", params={"unit_id": unit_id})))["items"][0]
        assert (row["activities"], row["sessions"], row["participants"]) == (2, 7, 40)
