"""Bad input is a 422 problem naming the field, never a 500; units are unique by code."""

from __future__ import annotations

import pytest

from services.programs.app import create
from tests.conftest import running_app
from tests.integration.programs.kit import ACTOR, ok, proposal, register_unit

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
SOME_ID = "0194a0e4-0000-7000-8000-000000000002"


def fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    return {e["field"] for e in body.get("errors", [])} | (
        {body["field"]} - {None} if "field" in body else set()
    )


async def test_bad_input_is_422_with_the_field_named(service_settings):
    async with running_app(create(service_settings("programs"))) as programs:
        unit_id = await register_unit(programs, "jatim", code="LP.SBY-1")
        post = programs.post
        assert fields(
            await post(
                "/programs",
                json=proposal(unit_id, SOME_ID, title="", planned_participants=0),
                headers=ACTOR,
            )
        ) == {"title", "planned_participants"}
        assert fields(
            await post("/programs", json=proposal("not-a-uuid", SOME_ID), headers=ACTOR)
        ) == {"unit_id"}
        assert (
            fields(
                await post(
                    "/programs",
                    content=b"{not json",
                    headers=ACTOR | {"content-type": "application/json"},
                )
            )
            != set()
        )
        assert fields(await post("/programs", json=proposal(unit_id, SOME_ID))) == {"X-Actor"}
        assert fields(
            await post(
                f"/programs/{SOME_ID}/advance",
                json={"to_stage": "stage_9", "reason": "x"},
                headers=ACTOR,
            )
        ) == {"to_stage"}
        assert fields(
            await post(
                f"/programs/{SOME_ID}/activities",
                headers=ACTOR,
                json={"held_on": "2025-13-01", "sessions": 1, "participants": {"male_adult": -2}},
            )
        ) == {"held_on", "participants.male_adult"}
        assert fields(
            await post(
                f"/programs/{SOME_ID}/evaluation",
                headers=ACTOR,
                json={
                    "scores": {"individual": 6, "institutional": 1, "policy": 1},
                    "participants_completed": 1,
                    "recommendations": "x",
                },
            )
        ) == {"scores.individual"}
        assert fields(await post("/programs/nope/monitoring", headers=ACTOR, json={})) >= {
            "program_id"
        }
        assert fields(
            await post(
                f"/programs/{SOME_ID}/complete",
                json={"summary": "x"},
                headers=ACTOR | {"If-Match": "abc"},
            )
        ) == {"If-Match"}
        assert fields(await programs.get("/programs", params={"limit": 0, "track": "x"})) == {
            "limit",
            "track",
        }
        assert fields(
            await programs.get(
                "/programs", params={"region": "atlantis", "offset": 10**20, "partner_id": "x"}
            )
        ) == {"region", "offset", "partner_id"}
        assert fields(await programs.get("/units", params={"type": "prison"})) == {"type"}
        assert fields(
            await post(
                "/units",
                headers=ACTOR,
                json={"code": "x y", "name": "Rutan", "type": "prison", "region": "atlantis"},
            )
        ) == {"code", "type", "region"}
        assert fields(
            await post(
                "/units",
                headers=ACTOR,
                json={
                    "code": "RT-BALI",
                    "name": "Rutan Denpasar",
                    "type": "rutan",
                    "region": "bali",
                },
            )
        ) == {"region"}

        missing = await programs.get(f"/programs/{SOME_ID}")
        assert missing.status_code == 404 and missing.json()["code"] == "program_not_found"
        gone = await post(
            f"/programs/{SOME_ID}/activities",
            headers=ACTOR,
            json={"held_on": "2025-01-01", "sessions": 1, "participants": {"male_adult": 2}},
        )
        assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM


async def test_units_register_list_and_unique_code(service_settings):
    async with running_app(create(service_settings("programs"))) as programs:
        first = await register_unit(
            programs, "jatim", code="LPKA.BLITAR", type="lpka", name="LPKA Kelas I Blitar"
        )
        await register_unit(
            programs, "jatim", code="BAPAS.SBY", type="bapas", name="Bapas Kelas I Surabaya"
        )
        again = await programs.post(
            "/units",
            headers=ACTOR,
            json={"code": "lpka.blitar", "name": "LPKA Blitar", "type": "lpka", "region": "jatim"},
        )
        assert again.status_code == 409 and again.json()["existing_unit_id"] == first
        listed = await ok(await programs.get("/units", params={"type": "lpka"}))
        assert [u["unit_id"] for u in listed["items"]] == [first] and listed["total"] == 1
        assert (await ok(await programs.get("/units")))["total"] == 2
        doc = await programs.get(f"/units/{first}")
        assert (await ok(doc))["state"]["code"] == "LPKA.BLITAR" and doc.headers["etag"] == '"1"'
        key = ACTOR | {"Idempotency-Key": "unit-rupbasan-1"}
        body = {
            "code": "RUPBASAN.SBY",
            "name": "Rupbasan Surabaya",
            "type": "rupbasan",
            "region": "jatim",
        }
        made = await ok(await programs.post("/units", headers=key, json=body), 201)
        replay = await programs.post("/units", headers=key, json=body)
        assert replay.status_code == 201 and replay.json()["id"] == made["id"]
        assert replay.headers["idempotent-replayed"] == "true"
