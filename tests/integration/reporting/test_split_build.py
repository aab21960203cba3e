"""A bulk build split over two processes by region (services/reporting/parts.py): the first
catch-up and a rebuild give the fold's figures and positions, count every event once, and a
second process that fails fails the rebuild while the generation answering goes on."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from nats.aio.client import Client as NATS

from services.reporting import parts
from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.reporting.conftest import NOW, publish
from tests.integration.reporting.test_report_api import _same
from tests.unit.reporting.memory import MemoryProjection
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration


async def rebuilt(client: Any) -> dict[str, Any]:
    started = await client.post("/admin/rebuild")
    assert started.status_code == 202, started.text
    while True:
        progress = (await client.get("/admin/rebuild")).json()
        if progress["rebuild"]["state"] != "building":
            return progress  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)


async def test_a_split_catch_up_and_rebuild_give_the_folds_figures(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parts, "LEAST_EVENTS", 0)
    history = build()
    await publish(private_nats[1], history.items)
    split = await parts.plan(private_nats[1], reporting_settings.stream)
    assert split is not None and sorted(split.regions[0] + split.regions[1]) == ["jatim", "ntt"]
    expected = MemoryProjection().feed(history.items).report()
    last = {
        log: position
        for (region, service), position in history.positions.items()
        for log in [f"{region}/{service}"]
    }
    runtime = ReportingRuntime(reporting_settings, clock=lambda: NOW)
    async with running_app(create(reporting_settings, runtime)) as client:
        answer = await client.get(
            "/reports/evaluation", headers={"X-Outreach-Position": f"ntt/{last['ntt/outreach']}"}
        )
        assert answer.status_code == 200, answer.text
        _same(answer.json(), expected)
        assert answer.json()["as_of"] == last
        assert runtime._parts[1].final == len(history.items)  # each event once, in two parts
        ready = (await client.get("/readyz")).json()["checks"]["projection"]
        assert ready["applied_here"] == len(history.items)
        progress = await rebuilt(client)
        assert progress["rebuild"]["state"] == "switched", progress
        assert progress["rebuild"]["applied"] == len(history.items)
        assert progress["rebuild"]["processes"] == 2
        assert (
            progress["rebuild"]["read_seconds"] > 0 and progress["rebuild"]["added_up_seconds"] > 0
        )
        assert runtime._parts[2].final == len(history.items)
        after = (await client.get("/reports/evaluation")).json()
        _same(after, expected)
        assert after["as_of"] == last
        async with runtime.pool.acquire() as conn:  # the parts' checkpoints are gone
            names = await conn.fetch("SELECT projection FROM pas_projection_checkpoints")
        assert sorted(row[0] for row in names if row[0].startswith("reporting_g")) == [
            "reporting_g1",
            "reporting_g2",
        ]


async def test_a_failing_second_process_fails_the_rebuild_and_the_answers_go_on(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = build()
    await publish(private_nats[1], history.items)
    expected = MemoryProjection().feed(history.items).report()
    runtime = ReportingRuntime(reporting_settings, clock=lambda: NOW)
    async with running_app(create(reporting_settings, runtime)) as client:
        answer = await client.get("/reports/evaluation", headers={"X-Outreach-Position": "ntt/1"})
        assert answer.status_code == 200
        monkeypatch.setattr(parts, "LEAST_EVENTS", 0)
        monkeypatch.setattr(
            runtime,
            "part_config",
            lambda: {"database_url": "postgresql://nobody@127.0.0.1:1/none", "nats_url": "x"},
        )
        progress = await rebuilt(client)
        assert progress["rebuild"]["state"] == "failed"
        assert "second part of the build failed" in progress["rebuild"]["error"]
        assert progress["active_generation"] == 1
        _same((await client.get("/reports/evaluation")).json(), expected)
