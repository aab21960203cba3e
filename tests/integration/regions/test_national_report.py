"""End to end on the multi-region shape: two regions' services as processes on their own
servers with their own identities, one of them cut off from the hub while its demo data is
loaded; reporting at the hub, read-only. Each region's report at the hub equals an independent
count of that region's own stream (read from the region's server), and the national report is
the sum of the regions' reports."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sahabat.demo_data import load_demo_data
from sahabat.processes import ServiceProcess, start_service, wait_ready
from sahabat.stackfile import region_connection
from shared.devstack.stack import StackInfo
from shared.devstack.topology import NatsTopology
from shared.settings import Settings
from tests.e2e.reporting_oracle import figures, matches
from tests.integration.regions.kit import connect
from tests.integration.reporting.conftest import reporting
from tests.integration.support import stream_messages

pytestmark = pytest.mark.e2e

REGIONS = ("bali", "ntb")


async def test_regions_report_at_the_hub_as_their_own_streams_and_the_nation_sums_them(
    topology: NatsTopology,
    stack: StackInfo,
    tmp_path: Path,
    service_settings: Callable[..., Settings],
) -> None:
    info = StackInfo(topology.info.hub_url, stack.database_url, (), topology.info)
    running: list[ServiceProcess] = []
    try:
        urls: dict[str, dict[str, str]] = {}
        for region in REGIONS:
            connection = region_connection(info, region)
            started = [
                start_service(
                    name,
                    region=region,
                    nats_url=connection.nats_url,
                    database_url=stack.database_url,
                    log_dir=tmp_path,
                    extra_env={
                        **connection.env,
                        "PAS_HTTP_WORKERS": "1",
                        "PAS_STATE_DIR": str(tmp_path / "keys"),
                    },
                )
                for name in ("partners", "programs")
            ]
            running += started
            for service in started:
                await asyncio.to_thread(wait_ready, service, 90)
            urls[region] = {service.name: service.url for service in started}
        topology.cut_link("ntb")  # ntb works on its own while its data goes in
        for region in REGIONS:
            await asyncio.to_thread(
                load_demo_data, urls[region], region=region, progress=lambda _: None
            )
        own = {region: await _own_events(topology, region) for region in REGIONS}
        assert all(len(events) > 100 for events in own.values())
        topology.restore_link("ntb")

        hub = topology.info
        settings = dataclasses.replace(
            service_settings("reporting"),
            nats_url=hub.hub_url,
            stream=hub.stream,
            nats_user=hub.reporting.user,
            nats_password=hub.reporting.password,
        )
        async with reporting(settings) as client:
            last = {
                (region, e["source"].rsplit("/", 1)[1]): e["position"]
                for region, events in own.items()
                for e in events
            }

            async def caught_up() -> dict[str, Any]:
                for _ in range(600):
                    answer = await client.get("/reports/evaluation", params={"by_region": "true"})
                    report: dict[str, Any] = answer.json()
                    as_of = report.get("as_of", {})
                    if all(as_of.get(f"{r}/{s}") == n for (r, s), n in last.items()):
                        return report
                    await asyncio.sleep(0.2)
                raise AssertionError(f"reporting did not catch up: {report.get('as_of')}")

            national = await caught_up()
            for region in REGIONS:
                answer = await client.get("/reports/evaluation", params={"region": region})
                assert matches(answer.json(), figures(own[region], region, None, None)) == []
            regions = national["regions"]
            for key in ("registered",):
                assert national["partners"][key] == sum(
                    regions[r]["partners"][key] for r in regions
                )
            for kind, count in national["partners"]["by_status"].items():
                assert count == sum(regions[r]["partners"]["by_status"][kind] for r in regions)
            for part in ("partners", "agreements", "programs", "participation"):
                counts = _counts(national[part])
                assert counts, part
                for path, value in counts.items():  # every count; ratios and medians are not sums
                    assert value == sum(_counts(regions[r][part]).get(path, 0) for r in regions), (
                        part,
                        path,
                    )
    finally:
        for service in running:
            service.stop()


async def _own_events(topology: NatsTopology, region: str) -> list[dict[str, Any]]:
    """Every event of the region, read from its own server (not the hub)."""
    own = topology.info.regions[region]
    nc = await connect(own.nats_url, own.credentials)
    try:
        msgs = await stream_messages(nc, own.stream, f"pas.events.{region}.>", timeout=30)
        return [json.loads(msg.data) for msg in msgs]
    finally:
        await nc.close()


def _counts(report: Any, path: str = "") -> dict[str, int]:
    """The integer figures of a report part by their path (counts add up across regions)."""
    if isinstance(report, dict):
        found: dict[str, int] = {}
        for key, value in report.items():
            found.update(_counts(value, f"{path}/{key}"))
        return found
    if isinstance(report, int) and not isinstance(report, bool):
        return {path: report}
    return {}
