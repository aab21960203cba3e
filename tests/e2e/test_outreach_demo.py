"""End to end: partners and outreach as processes (each with its worker processes), loaded with
the demo data; then the region's whole history read from NATS as an outside consumer would.

Every event parses with the CloudEvents SDK; the outreach log's positions are
gap-free and its hash chain links; every converted prospect has exactly one
`prospect_converted`, matching a `partner_registered` whose referral names it.
A second load adds nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx
import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event

from sahabat.demo_data import load_demo_data
from sahabat.processes import start_service, wait_ready
from shared.canonical import ZERO_HASH
from tests.conftest import STREAM
from tests.integration.programs.kit import fresh_region
from tests.integration.support import stream_messages

pytestmark = pytest.mark.e2e


def _data(event: object) -> dict[str, object]:
    data = event.get_data()  # type: ignore[attr-defined]
    return json.loads(data) if isinstance(data, bytes | str) else data  # type: ignore[no-any-return]


async def test_demo_outreach_converts_each_prospect_once(stack, nc, tmp_path):
    region = await fresh_region(nc)
    running = [
        start_service(
            name,
            region=region,
            nats_url=stack.nats_url,
            database_url=stack.database_url,
            log_dir=tmp_path,
        )
        for name in ("partners", "outreach")
    ]
    try:
        for service in running:
            await asyncio.to_thread(wait_ready, service, 60)
        urls = {service.name: service.url for service in running}
        said: list[str] = []
        await asyncio.to_thread(load_demo_data, urls, region=region, progress=said.append)
        assert any("4 of 4 prospects became partners" in line for line in said), said

        msgs = await stream_messages(nc, STREAM, f"pas.events.{region}.>", timeout=10)
        events = [
            from_http_event(HTTPMessage(headers=dict(m.headers or {}), body=m.data)) for m in msgs
        ]
        names = Counter(e.get_type().split(".")[2] for e in events)
        assert names["outreach_planned"] == 8 and names["outreach_held"] == 10
        assert names["outreach_cancelled"] == 1 and names["media_coverage_recorded"] == 7
        assert names["prospect_identified"] == 8 and names["prospect_declined"] == 2

        outreach = [e for e in events if e.get_type().startswith("pas.outreach.")]
        assert [e.get_extension("position") for e in outreach] == list(range(1, len(outreach) + 1))
        prev = ZERO_HASH
        for event in outreach:
            assert event.get_extension("prevhash") == prev
            prev = event.get_extension("hash")
            assert event.get_source() == f"/pas/{region}/outreach"

        referrals = {
            _data(e)["referral"]: e
            for e in events
            if e.get_type() == "pas.partners.partner_registered.v1" and _data(e).get("referral")
        }
        converted = [e for e in events if e.get_type() == "pas.outreach.prospect_converted.v1"]
        assert len(converted) == 4
        assert Counter(e.get_subject() for e in converted).most_common(1)[0][1] == 1
        for event in converted:
            cause = referrals[event.get_subject()]
            assert _data(event)["partner_id"] == cause.get_subject()
            assert _data(event)["partner_event_id"] == cause.get_id()
            assert event.get_extension("causationid") == cause.get_id()
            assert event.get_extension("aggregatetype") == "prospect"

        async with httpx.AsyncClient(base_url=urls["outreach"], timeout=10) as api:
            total = (await api.get("/outreach")).json()["total"]
            assert total == 12
            await asyncio.to_thread(load_demo_data, urls, region=region, progress=said.append)
            assert (await api.get("/outreach")).json()["total"] == total
            channels = {i["channel"] for i in (await api.get("/outreach")).json()["items"]}
            assert len(channels) == 7
    finally:
        for service in running:
            service.stop()
