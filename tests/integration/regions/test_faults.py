"""Faults on real servers: a region offline, a region's server killed under load.

Every test leaves the servers running and linked again (the `shape` fixture).
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from services.partners.app import create
from shared.devstack.topology import NatsTopology, TopologyInfo
from shared.relay import OutboxRelay
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.regions.kit import connect, count, msg_ids, positions, wait_count
from tests.integration.support import Kit, eventually

pytestmark = pytest.mark.integration

HEADERS = {"X-Actor": "budi@kanwil-jatim"}


def _partner(i: int) -> dict[str, object]:
    return {
        "kind": "community_organization",
        "name": f"Pokmas Lipas Desa Nomor {i}",
        "contact": {"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
        "interests": ["reintegration"],
    }


async def test_a_region_offline_keeps_taking_commands_and_the_hub_catches_up_once_in_order(
    topology: NatsTopology,
    shape: TopologyInfo,
    hub: NATS,
    service_settings: Callable[..., Settings],
) -> None:
    jatim = shape.regions["jatim"]
    settings = dataclasses.replace(
        service_settings("partners", "jatim"),
        nats_url=jatim.nats_url,
        stream=jatim.stream,
        checkpoint_stream=jatim.checkpoints_stream,
        nats_user=jatim.credentials.user,
        nats_password=jatim.credentials.password,
    )
    subject = "pas.events.jatim.partners.>"
    app = create(settings)
    async with running_app(app) as client:
        for i in range(5):
            assert (
                await client.post("/partners", json=_partner(i), headers=HEADERS)
            ).status_code == 201
        assert await wait_count(hub, shape.stream, subject, 5, 15) == 5

        topology.cut_link("jatim")  # both sides run, the line between them is down
        for i in range(5, 30):
            answer = await client.post("/partners", json=_partner(i), headers=HEADERS)
            assert answer.status_code == 201, answer.text
        relay = app.state.runtime.relay
        assert await eventually(lambda: _no_lag(relay), 15)  # in the region's stream
        region = await connect(jatim.nats_url, jatim.admin)
        try:
            assert await count(region, jatim.stream, subject) == 30
        finally:
            await region.close()

        await asyncio.sleep(1.0)
        assert await count(hub, shape.stream, subject) == 5  # nothing reached the hub
        topology.restore_link("jatim")
    auditor = await connect(shape.hub_url, shape.auditor)
    try:
        assert await wait_count(auditor, shape.stream, subject, 30, 30) == 30
        await asyncio.sleep(1.0)  # nothing more arrives: once
        assert await positions(auditor, shape.stream, subject, 30) == list(range(1, 31))
    finally:
        await auditor.close()


async def test_after_a_hub_restart_sourcing_resumes_by_itself_once_in_order(
    topology: NatsTopology, shape: TopologyInfo
) -> None:
    """The hub stopped while a region publishes; restarted, it sources what it missed by
    itself (nats-server retries a failed source with a backoff: this takes up to a minute)."""
    jatim = shape.regions["jatim"]
    token = f"t{uuid.uuid4().hex[:8]}"
    subject = f"pas.events.jatim.{token}.>"
    region = await connect(jatim.nats_url, jatim.credentials)
    js = region.jetstream()
    try:
        for i in range(10):
            await js.publish(
                f"pas.events.jatim.{token}.x", b"%d" % i, headers={"Nats-Msg-Id": f"{token}-{i}"}
            )
        auditor = await connect(shape.hub_url, shape.auditor)
        assert await wait_count(auditor, shape.stream, subject, 10, 15) == 10
        await auditor.close()
        await asyncio.to_thread(topology.stop_hub)
        for i in range(10, 40):  # the region works on
            await js.publish(
                f"pas.events.jatim.{token}.x", b"%d" % i, headers={"Nats-Msg-Id": f"{token}-{i}"}
            )
        await asyncio.to_thread(topology.start_hub, True)
        await asyncio.to_thread(topology.wait_linked)
        auditor = await connect(shape.hub_url, shape.auditor)
        try:
            assert await wait_count(auditor, shape.stream, subject, 40, 120) == 40
            await asyncio.sleep(1.0)
            ids = await msg_ids(auditor, shape.stream, subject, 40)
            assert ids == [f"{token}-{i}" for i in range(40)]
        finally:
            await auditor.close()
    finally:
        await region.close()


async def _no_lag(relay: OutboxRelay) -> bool:
    return await relay.lag() == 0


async def test_a_regions_server_killed_under_load_loses_nothing(
    topology: NatsTopology, shape: TopologyInfo, pool: asyncpg.Pool
) -> None:
    """Two logs append while their relays publish; jatim's server is killed (SIGKILL: what it
    acked but had not synced may be gone) and restarted. The relays' reconcile re-publishes
    what the stream lost; the region's stream and the hub end with every event once."""
    jatim = shape.regions["jatim"]
    kits = [Kit(pool, region="jatim"), Kit(pool, region="jatim")]
    for kit in kits:
        await kit.store.setup()
    nc = await connect(jatim.nats_url, jatim.credentials)
    relays = [
        OutboxRelay(
            kit.store, nc, stream=jatim.stream, batch_size=200, poll_interval=0.2, ack_timeout=2.0
        )
        for kit in kits
    ]
    running = [asyncio.ensure_future(relay.run()) for relay in relays]
    total = 600
    try:

        async def append(kit: Kit) -> None:
            for _ in range(total // 20):
                await kit.append(20)
                await asyncio.sleep(0.01)

        appending = asyncio.gather(*(append(kit) for kit in kits))
        await eventually(lambda: _published(relays, 150), 20)
        region = topology.region_servers["jatim"]
        await asyncio.to_thread(region.kill)
        await asyncio.sleep(0.5)  # commands go on meanwhile: PostgreSQL takes them
        await asyncio.to_thread(region.start, keep_ports=True)
        await appending
        for relay in relays:
            assert await eventually(lambda relay=relay: _no_lag(relay), 60)
    finally:
        for relay in relays:
            relay.stop()
        await asyncio.gather(*running, return_exceptions=True)
        await nc.close()
    topology.wait_linked()
    admin = await connect(jatim.nats_url, jatim.admin)
    auditor = await connect(shape.hub_url, shape.auditor)
    try:
        for kit in kits:
            ids = [event.id for event in await _log(kit)]
            assert await msg_ids(admin, jatim.stream, kit.subjects, total) == ids
            assert await wait_count(auditor, shape.stream, kit.subjects, total, 30) == total
            assert sorted(await msg_ids(auditor, shape.stream, kit.subjects, total)) == sorted(ids)
    finally:
        await admin.close()
        await auditor.close()


async def _published(relays: list[OutboxRelay], at_least: int) -> bool:
    return sum(relay.published for relay in relays) >= at_least


async def _log(kit: Kit) -> list[object]:
    return [event async for batch in kit.store.read_log(0, batch=1000) for event in batch]
