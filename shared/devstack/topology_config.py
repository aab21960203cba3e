"""The configuration text of the topology's servers on loopback: a hub node, a region's server."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.devstack import natsconf as conf
from shared.devstack.nats import HOST, NatsServer


def hub_config(
    node: NatsServer,
    *,
    hub: Sequence[NatsServer],
    regions: Sequence[str],
    passwords: Mapping[str, str],
    sync_always: bool,
) -> str:
    """A hub node's configuration; in a cluster (more than one node) with routes to its peers."""
    peers = [f"nats://{HOST}:{peer.cluster_port}" for peer in hub if peer is not node]
    return conf.hub_server(
        server_name=node.name,
        store_dir=str(node.store_dir),
        client=conf.Listen(HOST, node.port),
        monitor=conf.Listen(HOST, node.monitor_port),
        leaf=conf.Listen(HOST, node.leaf_port),
        regions=list(regions),
        secret=lambda name: conf.Secret(passwords[name]),
        cluster=(conf.Listen(HOST, node.cluster_port), peers) if len(hub) > 1 else None,
        sync_always=sync_always,
    ).render()


def region_config(
    server: NatsServer,
    *,
    link_ports: Sequence[int],
    passwords: Mapping[str, str],
    sync_always: bool,
) -> str:
    """A region's server configuration, its leaf link going to `link_ports` on loopback."""
    region = server.name.removeprefix("nats-")
    leaf = f"leaf-{region}"
    return conf.region_server(
        region=region,
        server_name=server.name,
        store_dir=str(server.store_dir),
        client=conf.Listen(HOST, server.port),
        monitor=conf.Listen(HOST, server.monitor_port),
        leaf_urls=[
            conf.Secret(f"nats://{leaf}:{passwords[leaf]}@{HOST}:{port}") for port in link_ports
        ],
        secret=lambda name: conf.Secret(passwords[name]),
        sync_always=sync_always,
    ).render()
