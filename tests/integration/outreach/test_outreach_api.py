"""The outreach API on real NATS and PostgreSQL: the ambassador rules learnt from partners'
events (term ended, other region, unknown once caught up), an outreach event with its coverage
and prospects, a prospect with its history, lists and their filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from nats.aio.client import Client as NATS

from services.partners.app import create as create_partners
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.programs.kit import fresh_region

from .kit import ACTOR, ok, services, today

pytestmark = pytest.mark.integration


async def test_ambassador_rules_answer_why(
    nc: NATS, service_settings: Callable[..., Settings]
) -> None:
    region, elsewhere = await fresh_region(nc), await fresh_region(nc)
    async with services(service_settings, region) as s:
        ambassador, _ = await s.appoint()
        ended = await ok(
            await s.partners.post(
                f"/ambassadors/{ambassador}/end-term",
                headers=ACTOR,
                json={"reason": "early", "ended_on": str(today() - timedelta(days=10))},
            )
        )
        async with running_app(create_partners(service_settings("partners", elsewhere))) as other:
            body = {
                "person": {"name": "Duta Lain", "phone": "+62 811-222-333"},
                "term_starts_on": str(today() - timedelta(days=30)),
                "term_ends_on": str(today() + timedelta(days=300)),
            }
            stranger = await ok(await other.post("/ambassadors", json=body, headers=ACTOR), 201)
        wait = ACTOR | {"X-Partners-Position": str(ended["position"])}
        held = {
            "title": "Seminar",
            "channel": "seminar",
            "held_on": str(today()),
            "place": {"name": "Aula", "regency": "Kota Surabaya"},
            "audience": {"students": 9},
        }
        refused = await s.outreach.post(
            "/outreach/held", json={**held, "lead_ambassador_id": ambassador}, headers=wait
        )
        problem = refused.json()
        assert refused.status_code == 422 and problem["code"] == "ambassador_term_ended"
        assert "sudah berakhir" in problem["detail"] and problem["detail_en"]
        assert problem["details"]["term_ended_on"] == str(today() - timedelta(days=10))

        async def answered(lead: str) -> dict[str, object]:
            for _ in range(100):  # the other region's appointment reaches this read model
                got = await s.outreach.post(
                    "/outreach/held", headers=wait, json={**held, "lead_ambassador_id": lead}
                )
                if got.json()["code"] != "ambassador_not_yet_known":
                    return got.json()  # type: ignore[no-any-return]
            raise AssertionError("never learnt the ambassador")

        other_region = await answered(stranger["id"])
        assert other_region["code"] == "ambassador_other_region"
        assert other_region["details"]["ambassador_region"] == elsewhere  # type: ignore[index]
        unknown = await s.outreach.post(
            "/outreach/held",
            headers=wait,
            json={**held, "lead_ambassador_id": "0190a0a0-0000-7000-8000-000000000001"},
        )
        assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_ambassador"


async def test_an_outreach_event_shows_its_coverage_prospects_and_lists_filter(
    nc: NATS, service_settings: Callable[..., Settings]
) -> None:
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        ambassador, position = await s.appoint()
        outreach_id = (await s.held(ambassador, position, channel="exhibition"))["id"]
        coverage = {
            "outlet": "TV Lokal",
            "medium": "tv",
            "title": "Pameran karya",
            "link": "https://tv.example.id/pameran",
            "published_on": str(today()),
            "estimated_reach": 50000,
        }
        await ok(
            await s.outreach.post(
                f"/outreach/{outreach_id}/coverage", json=coverage, headers=ACTOR
            ),
            201,
        )
        again = await s.outreach.post(
            f"/outreach/{outreach_id}/coverage",
            headers=ACTOR,
            json={**coverage, "link": "http://www.tv.example.id/pameran/"},
        )
        assert again.status_code == 409 and again.json()["details"]["first_outlet"] == "TV Lokal"
        prospect_id = await s.prospect(outreach_id, ambassador, name="Sanggar Seni Rakyat")
        declined = await ok(
            await s.outreach.post(
                f"/prospects/{prospect_id}/decline",
                headers=ACTOR | {"If-Match": '"1"'},
                json={"reason": "Belum siap tahun ini"},
            )
        )
        assert declined["version"] == 2

        doc = await ok(await s.outreach.get(f"/outreach/{outreach_id}"))
        assert doc["status"] == "held" and doc["coverage_reach"] == 50000
        assert [p["name"] for p in doc["prospects"]] == ["Sanggar Seni Rakyat"]
        assert doc["prospects"][0]["status"] == "declined"
        one = await ok(await s.outreach.get(f"/prospects/{prospect_id}"))
        assert [h["type"] for h in one["history"]] == [
            "pas.outreach.prospect_identified.v1",
            "pas.outreach.prospect_declined.v1",
        ]

        listed = await ok(
            await s.outreach.get(
                "/outreach",
                params={
                    "region": region,
                    "ambassador_id": ambassador,
                    "channel": "exhibition",
                    "status": "held",
                    "from": str(today() - timedelta(days=2)),
                    "to": str(today()),
                },
            )
        )
        assert [i["outreach_id"] for i in listed["items"]] == [outreach_id]
        for miss in (
            {"channel": "seminar"},
            {"status": "planned"},
            {"from": str(today() + timedelta(days=1))},
        ):
            assert (await ok(await s.outreach.get("/outreach", params=miss)))["total"] == 0
        bad = await s.outreach.get("/outreach", params={"from": "2026-12-01", "to": "2026-01-01"})
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_list_period"
        prospects = await ok(await s.outreach.get("/prospects", params={"status": "declined"}))
        assert prospects["total"] == 1
        media = await ok(await s.outreach.get("/coverage", params={"medium": "tv"}))
        assert media["total"] == 1 and media["items"][0]["outreach_id"] == outreach_id
