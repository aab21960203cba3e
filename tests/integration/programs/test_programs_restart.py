"""Restarting the programs service loses nothing and re-applies nothing.

The partners read model's checkpoint lives in PostgreSQL: a new process goes
on from it, applies only what arrived meanwhile, and the rows stay as they
were. The programs service's own events stay in its log and on NATS once.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

import asyncpg
import pytest

from services.partners.app import create as create_partners
from services.programs.app import create as create_programs
from tests.conftest import running_app
from tests.integration.programs.kit import (
    ACTOR,
    fresh_region,
    ok,
    position_header,
    proposal,
    ready_partner,
    register_unit,
)
from tests.integration.support import eventually, stream_messages

pytestmark = pytest.mark.integration
NAME = "programs_partners"


async def relay_done(programs) -> bool:
    """Whether the relay has published every event appended so far."""
    return (await programs.get("/readyz")).json()["checks"]["relay"]["lag"] == 0


async def snapshot(database_url: str) -> dict[str, object]:
    conn = await asyncpg.connect(database_url)
    try:
        checkpoint = await conn.fetchrow(
            "SELECT stream_seq, applied FROM pas_projection_checkpoints WHERE projection = $1", NAME
        )
        return {
            "partners": [
                tuple(r)
                for r in await conn.fetch("SELECT * FROM known_partners ORDER BY partner_id")
            ],
            "agreements": [
                tuple(r)
                for r in await conn.fetch("SELECT * FROM known_agreements ORDER BY agreement_id")
            ],
            "programs": [
                tuple(r)
                for r in await conn.fetch("SELECT * FROM programs_view ORDER BY program_id")
            ],
            "stream_seq": checkpoint["stream_seq"],
            "applied": checkpoint["applied"],
        }
    finally:
        await conn.close()


async def test_restart_loses_nothing_and_reapplies_nothing(service_settings, nc):
    region = await fresh_region(nc)
    programs_settings = service_settings("programs", region)
    async with AsyncExitStack() as stack:
        partners = await stack.enter_async_context(
            running_app(create_partners(service_settings("partners", region)))
        )
        lead, position = await ready_partner(partners)
        async with running_app(create_programs(programs_settings)) as programs:
            unit_id = await register_unit(programs, region)
            first = (
                await ok(
                    await programs.post(
                        "/programs", json=proposal(unit_id, lead), headers=position_header(position)
                    ),
                    201,
                )
            )["id"]
        before = await snapshot(programs_settings.database_url)

        # while programs is down, the partners service goes on
        other, other_position = await ready_partner(partners)
        async with running_app(create_programs(programs_settings)) as programs:
            second = (
                await ok(
                    await programs.post(
                        "/programs",
                        json=proposal(unit_id, other),
                        headers=position_header(other_position),
                    ),
                    201,
                )
            )["id"]
            ready = await ok(await programs.get("/readyz"))
            await ok(
                await programs.post(
                    f"/programs/{first}/advance",
                    headers=ACTOR,
                    json={"to_stage": "continued_collaboration", "reason": "lanjut"},
                )
            )
            listed = await ok(await programs.get("/programs", params={"unit_id": unit_id}))
            assert await eventually(lambda: relay_done(programs), timeout=10)
        after = await snapshot(programs_settings.database_url)

    kept = {row[0]: row for row in after["partners"]}
    assert all(kept[row[0]] == row for row in before["partners"])  # nothing re-applied
    assert {row[0] for row in after["agreements"]} >= {row[0] for row in before["agreements"]}
    assert len(after["partners"]) == len(before["partners"]) + 1
    assert lead in {str(pid) for pid in kept} and other in {str(pid) for pid in kept}
    assert after["stream_seq"] > before["stream_seq"]
    # only the three partner events made meanwhile (register, verify, sign) were applied
    applied_here = ready["checks"]["projections"][NAME]["applied_here"]
    assert after["applied"] - before["applied"] == applied_here == 3
    assert [p["program_id"] for p in listed["items"]] == [first, second]
    assert len(after["programs"]) == len(before["programs"]) + 1

    # unit, two proposals, one advance: each once on NATS, whether the first process
    # published its proposal before it stopped or the second one did
    msgs = await stream_messages(
        nc, "PAS_EVENTS", f"pas.events.{region}.programs.>", expect=4, timeout=10
    )
    assert len(msgs) == 4 and len({m.headers["Nats-Msg-Id"] for m in msgs}) == 4
