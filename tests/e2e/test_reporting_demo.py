"""End to end: partners and programs as processes, loaded with the demo data through their HTTP
APIs, reporting in the same stack; the report of the region equals what an independent count
of the region's events on NATS finds (tests/e2e/reporting_oracle.py)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from sahabat.demo_data import load_demo_data
from sahabat.processes import start_service, wait_ready
from tests.e2e.reporting_oracle import figures, matches
from tests.integration.programs.kit import fresh_region
from tests.integration.reporting.conftest import reporting
from tests.integration.support import stream_messages

pytestmark = pytest.mark.e2e


async def test_report_of_the_demo_equals_the_events(stack, nc, tmp_path, service_settings):
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
        await asyncio.to_thread(load_demo_data, urls, region=region, progress=lambda _: None)
        messages = await stream_messages(nc, "PAS_EVENTS", f"pas.events.{region}.>")
        events = [json.loads(msg.data) for msg in messages]
        last = {e["source"].rsplit("/", 1)[1]: e["position"] for e in events}
        assert last.get("programs", 0) > 50
        today = datetime.now(UTC).date()
        async with reporting(service_settings("reporting")) as client:
            headers = {f"X-{s.capitalize()}-Position": f"{region}/{n}" for s, n in last.items()}
            for start, end in (
                (None, None),
                (today - timedelta(days=30), today),
                (None, today - timedelta(days=45)),
            ):
                params = {"region": region}
                if start:
                    params["from"] = start.isoformat()
                if end:
                    params["to"] = end.isoformat()
                answer = await client.get("/reports/evaluation", params=params, headers=headers)
                assert answer.status_code == 200, answer.text
                report = answer.json()
                assert report["as_of"][f"{region}/programs"] == last["programs"]
                assert matches(report, figures(events, region, start, end)) == []
            whole = (await client.get("/reports/evaluation", params={"region": region})).json()
            assert whole["programs"]["completed"] >= 1 and whole["participation"]["activities"]
    finally:
        for service in running:
            service.stop()
