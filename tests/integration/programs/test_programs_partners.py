"""What programs learns from partners' events decides: suspension blocks, unknown is not absent.

A partner suspended mid-way blocks the next advance; a partner the read model
has not seen is "not yet known" (409, with what to do), never "not found"; a
wait for a position that does not come ends in a clear 503.
"""

from __future__ import annotations

import pytest

from services.programs.api import caught_up
from services.programs.app import create
from tests.conftest import running_app
from tests.integration.programs.kit import (
    ACTOR,
    fresh_region,
    ok,
    position_header,
    proposal,
    ready_partner,
    register_unit,
    services,
)

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
TO_STAGE_2 = {"to_stage": "continued_collaboration", "reason": "MoU berjalan"}
TO_STAGE_3 = {
    "to_stage": "independent_program",
    "reason": "mitra siap mandiri",
    "evidence": ["Notulen rapat 12/2025"],
}


async def test_a_partner_suspended_midway_blocks_the_next_advance(service_settings, nc):
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        lead, position = await ready_partner(s.partners)
        unit_id = await register_unit(s.programs, region)
        created = await s.programs.post(
            "/programs", json=proposal(unit_id, lead), headers=position_header(position)
        )
        program_id = (await ok(created, 201))["id"]
        advance = f"/programs/{program_id}/advance"
        await ok(await s.programs.post(advance, json=TO_STAGE_2, headers=ACTOR))

        suspended = await ok(
            await s.partners.post(
                f"/partners/{lead}/suspend", json={"reason": "Sedang diaudit"}, headers=ACTOR
            )
        )
        refused = await s.programs.post(
            advance, json=TO_STAGE_3, headers=position_header(suspended["position"])
        )
        assert refused.status_code == 409 and refused.headers["content-type"] == PROBLEM
        problem = refused.json()
        assert problem["code"] == "partner_suspended" and problem["field"] == "lead_partner_id"
        assert problem["details"]["partner_id"] == lead and problem["details"]["role"] == "lead"
        name = problem["details"]["partner_name"]  # the name beside the id
        assert name.startswith("Yayasan Peduli") and name in problem["detail"]
        assert (await ok(await s.programs.get(f"/programs/{program_id}")))["version"] == 2

        # ending a program needs no eligible partner
        reinstated = await ok(await s.partners.post(f"/partners/{lead}/reinstate", headers=ACTOR))
        moved = await ok(
            await s.programs.post(
                advance, json=TO_STAGE_3, headers=position_header(reinstated["position"])
            )
        )
        assert moved["version"] == 3
        await ok(
            await s.partners.post(
                f"/partners/{lead}/withdraw", json={"reason": "Organisasi bubar"}, headers=ACTOR
            )
        )
        stopped = await ok(
            await s.programs.post(
                f"/programs/{program_id}/discontinue",
                json={"reason": "Mitra mengundurkan diri"},
                headers=ACTOR,
            )
        )
        assert stopped["version"] == 5


async def test_unknown_partner_is_not_yet_known_and_a_late_read_model_says_so(
    service_settings, monkeypatch
):
    monkeypatch.setattr(caught_up.PARTNERS, "wait_seconds", 0.3)
    async with running_app(create(service_settings("programs"))) as programs:
        unit_id = await register_unit(programs, "jatim")
        unknown = "0194a0e4-0000-7000-8000-000000000001"
        answer = await programs.post("/programs", json=proposal(unit_id, unknown), headers=ACTOR)
        assert answer.status_code == 409 and answer.headers["content-type"] == PROBLEM
        problem = answer.json()
        assert problem["code"] == "partner_not_yet_known" and problem["field"] == "lead_partner_id"
        assert "X-Partners-Position" in problem["detail"] and "belum" in problem["detail"]
        assert isinstance(problem["partners_position_applied"], int)

        late = await programs.post(
            "/programs", json=proposal(unit_id, unknown), headers=position_header(10**12)
        )
        assert late.status_code == 503 and late.headers["content-type"] == PROBLEM
        assert late.json()["code"] == "read_model_not_caught_up"
        assert late.json()["partners_position_wanted"] == 10**12

        for bad in ("abc", "-1", "1.5"):
            wrong = await programs.post(
                "/programs",
                json=proposal(unit_id, unknown),
                headers=ACTOR | {"X-Partners-Position": bad},
            )
            assert wrong.status_code == 422 and wrong.json()["field"] == "X-Partners-Position"
        missing_unit = await programs.post(
            "/programs",
            json=proposal("0194a0e4-0000-7000-8000-0000000000ff", unknown),
            headers=ACTOR,
        )
        # An id in the body that names nothing is 422 (404 is for the id in the path).
        assert missing_unit.status_code == 422 and missing_unit.json()["code"] == "unknown_unit"
