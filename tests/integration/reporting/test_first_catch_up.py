"""A first start reads the history in bulk (kept in memory and staged, added up at its end).
Until then a report says it includes no position and a report asked to include one waits; a
first catch-up cut short before it was added up starts over at the next start (what it kept in
memory is gone), and the figures are the same as the fold's."""

from __future__ import annotations

import asyncio

import pytest
from nats.aio.client import Client as NATS

from services.reporting import bulk
from services.reporting.api import caught_up
from shared.settings import Settings
from tests.integration.reporting.conftest import publish, reporting
from tests.integration.reporting.test_report_api import _same
from tests.unit.reporting.memory import MemoryProjection
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration


async def test_a_first_catch_up_cut_short_starts_over_at_the_next_start(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    history = build()
    await publish(private_nats[1], history.items)
    last = history.positions[("ntt", "outreach")]
    expected = MemoryProjection().feed(history.items).report()
    finish = bulk.finish

    async def cut_short(*args: object) -> None:
        raise RuntimeError("stopped before adding up")

    monkeypatch.setattr(bulk, "finish", cut_short)
    monkeypatch.setattr(caught_up, "WAIT_SECONDS", 0.5)
    async with reporting(reporting_settings) as client:
        # the history was read and staged (the positions moved), but nothing is added up
        for _ in range(200):
            progress = (await client.get("/readyz")).json()["checks"]["projection"]
            if progress["applied_here"] >= len(history.items):
                break
            await asyncio.sleep(0.05)
        report = (await client.get("/reports/evaluation")).json()
        assert report["as_of"] == {} and report["partners"]["registered"] == 0
        waited = await client.get(
            "/reports/evaluation", headers={"X-Outreach-Position": f"ntt/{last}"}
        )
        assert waited.status_code == 409  # it cannot include it yet: no figure added up
    monkeypatch.setattr(bulk, "finish", finish)
    async with reporting(reporting_settings) as client:
        answer = await client.get(
            "/reports/evaluation", headers={"X-Outreach-Position": f"ntt/{last}"}
        )
        assert answer.status_code == 200, answer.text
        _same(answer.json(), expected)
        assert answer.json()["as_of"]["ntt/outreach"] == last
