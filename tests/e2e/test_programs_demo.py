"""End to end: the partners and programs services as processes, loaded with the demo data.

The demo loader goes through both HTTP APIs; programs learns the partners from
NATS (waiting with X-Partners-Position) and ends up with programs on every
stage and phase, two completed and evaluated, one discontinued. A second load
adds nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest

from sahabat.demo_data import load_demo_data
from sahabat.demo_programs import load_programs
from sahabat.processes import start_service, wait_ready
from tests.integration.programs.kit import fresh_region

pytestmark = pytest.mark.e2e


async def test_demo_programs_cover_every_stage_and_load_once(stack, nc, tmp_path):
    region = await fresh_region(nc)
    running = [
        start_service(
            name,
            region=region,
            nats_url=stack.nats_url,
            database_url=stack.database_url,
            log_dir=tmp_path,
        )
        for name in ("partners", "programs")
    ]
    try:
        for service in running:
            await asyncio.to_thread(wait_ready, service, 60)
        urls = {service.name: service.url for service in running}
        said: list[str] = []
        await asyncio.to_thread(load_demo_data, urls, region=region, progress=said.append)
        async with httpx.AsyncClient(base_url=urls["programs"], timeout=10) as api:
            programs = (await api.get("/programs", params={"limit": 100})).json()["items"]
            units = (await api.get("/units")).json()
            steps = Counter((p["stage"], p["phase"]) for p in programs)
            assert {stage for stage, _ in steps} == {
                "initial_approach",
                "continued_collaboration",
                "independent_program",
                "completed",
                "discontinued",
            }
            assert {phase for _, phase in steps} - {None} == {
                "design",
                "formulation",
                "planning",
                "implementation",
                "evaluation",
            }
            assert 8 <= len(programs) <= 12 and units["total"] >= 5
            completed = [p for p in programs if p["status"] == "completed"]
            assert len(completed) == 2 and all(p["score_individual"] for p in completed)
            assert sum(p["participants"] for p in programs) > 0
            barista = next(p for p in programs if p["title"].startswith("Pelatihan Barista"))
            doc = (await api.get(f"/programs/{barista['program_id']}")).json()
            assert [t["days"] > 0 for t in doc["timeline"][:-1]] == [True] * 7

            await asyncio.to_thread(load_programs, urls, {}, region, said.append)
            await asyncio.to_thread(load_demo_data, urls, region=region, progress=said.append)
            assert (await api.get("/programs")).json()["total"] == len(programs)
        assert "demo programs already loaded (kept from the last run)" in said
    finally:
        for service in running:
            service.stop()
