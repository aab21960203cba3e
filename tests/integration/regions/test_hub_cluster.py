"""A 3-node hub losing a node while the regions publish: nothing lost, sourcing resumes by itself.

The hub's streams replicate 3 times; the node that leads the stream of all
regions is killed mid-way (SIGKILL) and comes back after the publishing ended.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest

from shared.devstack.topology import NatsTopology
from tests.integration.regions.kit import connect, msg_ids, wait_count

pytestmark = pytest.mark.integration

REGIONS = ["jatim", "jabar"]
PER_REGION = 1500


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsTopology]:
    running = NatsTopology(tmp_path_factory.mktemp("hub3"), REGIONS, hub_nodes=3)
    running.start()
    try:
        yield running
    finally:
        running.stop()


async def test_losing_the_leading_hub_node_loses_nothing(cluster: NatsTopology) -> None:
    info = cluster.info
    token = f"t{uuid.uuid4().hex[:8]}"
    admin = await connect(info.hub_url, info.admin)
    stream = await admin.jetstream().stream_info(info.stream)
    assert stream.config.num_replicas == 3 and stream.cluster is not None
    leader = next(node for node in cluster.hub if node.name == stream.cluster.leader)
    await admin.close()

    async def publish(region: str, killed: asyncio.Event) -> None:
        own = info.regions[region]
        nc = await connect(own.nats_url, own.credentials)
        js = nc.jetstream()
        try:
            for start in range(0, PER_REGION, 100):
                acks = [
                    await js.publish_async(
                        f"pas.events.{region}.{token}.x",
                        b"{}",
                        headers={"Nats-Msg-Id": f"{region}-{i}"},
                    )
                    for i in range(start, start + 100)
                ]
                await asyncio.gather(*acks)
                if start >= PER_REGION // 2 and region == REGIONS[0] and not killed.is_set():
                    await asyncio.to_thread(leader.kill)
                    killed.set()
                await asyncio.sleep(0.02)
        finally:
            await nc.close()

    killed = asyncio.Event()
    await asyncio.gather(*(publish(region, killed) for region in REGIONS))
    assert killed.is_set()
    survivor = next(node for node in cluster.hub if node.running)
    auditor = await connect(survivor.url, info.auditor)
    try:
        for region in REGIONS:
            subject = f"pas.events.{region}.{token}.>"
            assert await wait_count(auditor, info.stream, subject, PER_REGION, 90) == PER_REGION
            ids = await msg_ids(auditor, info.stream, subject, PER_REGION)
            assert ids == [f"{region}-{i}" for i in range(PER_REGION)]  # once, in order
        after = await auditor.jetstream().stream_info(info.stream)
        assert after.cluster is not None and after.cluster.leader != leader.name
    finally:
        await auditor.close()
    await asyncio.to_thread(leader.start, keep_ports=True)
