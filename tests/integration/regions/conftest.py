"""The multi-region shape on real servers: a hub and the regions jatim and jabar, once a session.

Tests that stop, kill or cut a server put it back before they end (`restored`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import nats
import pytest
from nats.aio.client import Client as NATS

from shared.devstack.topology import NatsTopology, TopologyInfo


@pytest.fixture(scope="session")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsTopology]:
    running = NatsTopology(
        tmp_path_factory.mktemp("regions"), ["jatim", "jabar", "bali", "ntb"], cuttable=True
    )
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def shape(topology: NatsTopology) -> Iterator[TopologyInfo]:
    """The topology's info; afterwards every server runs again and every leaf link is up."""
    yield topology.info
    for server in topology.servers:
        if not server.running:
            server.start(keep_ports=True)
    for proxy in topology.proxies.values():
        proxy.restore()
    topology.wait_linked()


@pytest.fixture
async def hub(topology: NatsTopology) -> AsyncIterator[NATS]:
    """The hub as an auditor sees it (read-only)."""
    client = await nats.connect(topology.info.hub_url, **topology.info.auditor.options())
    try:
        yield client
    finally:
        await client.close()
