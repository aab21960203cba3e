"""The full path on real NATS and PostgreSQL: ambassador appointed (partners) -> outreach held ->
prospect identified -> partner registered with referral (partners) -> prospect_converted
(outreach), every event a CloudEvent in order; then the same partner event delivered again, the
outreach service restarted in between, and two outreach processes: still exactly one
conversion. A referral to no prospect is listed for officers."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from nats.aio.client import Client as NATS

from services.outreach.app import create as create_outreach
from services.outreach.reactions import ProspectConversion
from shared.regions import local_date
from shared.settings import Settings
from tests.conftest import STREAM, running_app
from tests.integration.programs.kit import fresh_region
from tests.integration.support import eventually, stream_messages

from .kit import Services, ok, services

pytestmark = pytest.mark.integration


def cloudevent(msg: Any) -> Any:
    assert msg.headers["Content-Type"] == "application/cloudevents+json"
    return from_http_event(HTTPMessage(headers=dict(msg.headers), body=msg.data))


async def region_events(nc: NATS, region: str, expect: int) -> list[Any]:
    msgs = await stream_messages(nc, STREAM, f"pas.events.{region}.>", expect=expect, timeout=10)
    return [cloudevent(msg) for msg in msgs]


async def conversions(nc: NATS, region: str, prospect_id: str) -> list[Any]:
    msgs = await stream_messages(
        nc, STREAM, f"pas.events.{region}.outreach.prospect_converted", timeout=2
    )
    return [e for e in map(cloudevent, msgs) if e.get_subject() == prospect_id]


async def converted(s: Services, prospect_id: str) -> bool:
    body = (await s.outreach.get(f"/prospects/{prospect_id}")).json()
    return body.get("status") == "converted"


async def reaction_caught_up(pool_url: str, nc: NATS, region: str) -> None:
    """Wait until the conversion reaction has read the region's last partner_registered."""
    subject = f"pas.events.{region}.partners.partner_registered"
    last = (await nc.jetstream().get_last_msg(STREAM, subject)).seq or 0

    async def done() -> bool:
        conn = await asyncpg.connect(pool_url)
        try:
            seq = await conn.fetchval(
                "SELECT stream_seq FROM pas_projection_checkpoints WHERE projection = $1",
                ProspectConversion.name,
            )
        finally:
            await conn.close()
        return (seq or 0) >= last

    assert await eventually(done, timeout=15)


async def test_full_path_to_one_conversion_despite_redelivery_restart_and_two_processes(
    nc: NATS, service_settings: Callable[..., Settings]
) -> None:
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        ambassador, position = await s.appoint()
        held = await s.held(ambassador, position)
        outreach_id = held["id"]
        prospect_id = await s.prospect(outreach_id, ambassador)
        partner = await s.register_partner(prospect_id)
        assert await eventually(lambda: converted(s, prospect_id), timeout=15)

        events = await region_events(nc, region, expect=5)
        kinds = [(e.get_type(), e.get_subject()) for e in events]
        assert kinds == [
            ("pas.partners.ambassador_appointed.v1", ambassador),
            ("pas.outreach.outreach_held.v1", outreach_id),
            ("pas.outreach.prospect_identified.v1", prospect_id),
            ("pas.partners.partner_registered.v1", partner["id"]),
            ("pas.outreach.prospect_converted.v1", prospect_id),
        ]
        registered, conversion = events[3], events[4]
        for event in events:
            service = event.get_type().split(".")[1]
            assert event.get_source() == f"/pas/{region}/{service}"
            assert event.get_extension("region") == region
        assert [e.get_extension("position") for e in events if "outreach" in e.get_type()] == [
            1,
            2,
            3,
        ]
        assert conversion.get_extension("aggregatetype") == "prospect"
        assert conversion.get_extension("aggregateversion") == 2
        assert conversion.get_extension("actor") == "system:outreach-conversion"
        assert conversion.get_extension("causationid") == registered.get_id()
        data = conversion.get_data()
        data = json.loads(data) if isinstance(data, bytes | str) else data
        assert data["partner_id"] == partner["id"]
        assert data["partner_event_id"] == registered.get_id()
        assert data["converted_on"] == local_date(region, registered.get_time()).isoformat()
        assert events[1].get_data()["lead_ambassador_id"] == ambassador

        # Delivered again (a re-send after JetStream's duplicate window): nothing new.
        raw = await stream_messages(
            nc, STREAM, f"pas.events.{region}.partners.partner_registered", expect=1
        )
        headers = dict(raw[0].headers or {})
        headers["Nats-Msg-Id"] = f"redelivery-{uuid.uuid4()}"
        await nc.jetstream().publish(raw[0].subject, raw[0].data, headers=headers)
        await reaction_caught_up(s.outreach_settings.database_url, nc, region)
        assert len(await conversions(nc, region, prospect_id)) == 1

    # A restart between the append and the checkpoint: the reaction reads the partner event
    # again from an older checkpoint (here: from the start), with the conversion already stored.
    conn = await asyncpg.connect(s.outreach_settings.database_url)
    try:
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = 0 WHERE projection = $1",
            ProspectConversion.name,
        )
    finally:
        await conn.close()
    async with running_app(create_outreach(s.outreach_settings)) as outreach:
        await reaction_caught_up(s.outreach_settings.database_url, nc, region)
        body = await ok(await outreach.get(f"/prospects/{prospect_id}"))
        assert body["status"] == "converted" and body["version"] == 2
    assert len(await conversions(nc, region, prospect_id)) == 1


async def test_two_outreach_processes_convert_once_and_unmatched_referrals_are_listed(
    nc: NATS, service_settings: Callable[..., Settings]
) -> None:
    region = await fresh_region(nc)
    async with services(service_settings, region) as s:
        ambassador, position = await s.appoint()
        outreach_id = (await s.held(ambassador, position))["id"]
        prospects = [await s.prospect(outreach_id, ambassador) for _ in range(3)]
        async with running_app(create_outreach(s.outreach_settings)) as second:
            partners = [await s.register_partner(p) for p in prospects]
            unknown = str(uuid.uuid4())
            stray = await s.register_partner(unknown)
            again = await s.register_partner(prospects[0])  # a second partner, same prospect
            for p in prospects:
                assert await eventually(lambda p=p: converted(s, p), timeout=15)
            await reaction_caught_up(s.outreach_settings.database_url, nc, region)
            await asyncio.sleep(0.5)  # let the second process finish what it read
            listed = await ok(await second.get("/referrals/unmatched"))
        for p in prospects:
            assert len(await conversions(nc, region, p)) == 1
        firsts = {
            (await ok(await s.outreach.get(f"/prospects/{p}")))["partner_id"] for p in prospects
        }
        assert firsts == {p["id"] for p in partners}
        reasons = {item["partner_id"]: item for item in listed["items"]}
        assert reasons[stray["id"]]["reason"] == "unknown_prospect"
        assert reasons[stray["id"]]["referral"] == unknown
        assert reasons[again["id"]]["reason"] == "prospect_already_converted"
        assert reasons[again["id"]]["details"]["partner_id"] == partners[0]["id"]
        assert listed["total"] == 2
