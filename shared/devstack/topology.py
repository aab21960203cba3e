"""The multi-region NATS shape on loopback: a hub (1 node or a cluster of 3), a server per region.

Each region's server runs JetStream in the region's own domain, keeps the
region's streams and joins the hub as a leaf node with the region's identity
there; the hub's streams source every regional stream through its domain.
Identities and passwords are in `shared.devstack.identities`; the configuration
files are written at every start (`shared.devstack.natsconf`). Stopping, killing
and restarting single servers, and cutting a leaf link, are there for the fault
tests and the benchmarks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from shared.devstack.identities import (
    DEFAULT_REGIONS,
    SECRETS_FILE,
    Credentials,
    RegionNats,
    TopologyInfo,
    load_secrets,
    topology_info,
)

__all__ = [
    "DEFAULT_REGIONS",
    "SECRETS_FILE",
    "Credentials",
    "NatsTopology",
    "RegionNats",
    "TopologyInfo",
]
from shared.devstack.leaf_links import LeafLinks, leaf_count
from shared.devstack.linkproxy import LinkProxy
from shared.devstack.nats import NatsServer, healthy
from shared.devstack.processes import free_port, in_parallel, wait_until
from shared.devstack.topology_config import hub_config, region_config
from shared.devstack.topology_provision import provision_streams, run_to_the_end
from shared.regions import validate_region


class NatsTopology:
    """A hub and one leaf server per region, started and provisioned on loopback."""

    def __init__(
        self,
        state_dir: Path,
        regions: Sequence[str] = DEFAULT_REGIONS,
        *,
        hub_nodes: int = 1,
        sync_always: bool = False,
        cuttable: bool = False,
    ) -> None:
        """`cuttable`: each leaf link goes through a LinkProxy, so that `cut_link` can break
        it while both servers run (fault tests, benchmarks)."""
        if hub_nodes not in (1, 3):
            raise ValueError("a hub has 1 node (dev) or 3 (a cluster)")
        self.state_dir = Path(state_dir).resolve()
        self.regions = [validate_region(region) for region in regions]
        if not self.regions or len(set(self.regions)) != len(self.regions):
            raise ValueError(f"regions must be distinct and at least one: {list(regions)}")
        self.sync_always = sync_always
        names = ["hub-admin", "reporting", "auditor", "sys"]
        for region in self.regions:
            names += [region, f"admin-{region}", f"leaf-{region}"]
        self.secrets = load_secrets(self.state_dir, names)
        hub_names = ["nats-hub"] if hub_nodes == 1 else [f"nats-hub-{i}" for i in (1, 2, 3)]
        self.hub = [
            NatsServer(self.state_dir, name, self._hub_config, leaf=True) for name in hub_names
        ]
        self.links = LeafLinks(self.hub, cuttable=cuttable)
        self.region_servers = {
            region: NatsServer(self.state_dir, f"nats-{region}", self._region_config)
            for region in self.regions
        }

    # --- configuration -----------------------------------------------------------------

    def _hub_config(self, node: NatsServer) -> str:
        return hub_config(
            node,
            hub=self.hub,
            regions=self.regions,
            passwords=self.secrets,
            sync_always=self.sync_always,
        )

    def _region_config(self, server: NatsServer) -> str:
        return region_config(
            server,
            link_ports=self.links.ports(server.name.removeprefix("nats-")),
            passwords=self.secrets,
            sync_always=self.sync_always,
        )

    # --- what clients need -------------------------------------------------------------

    @property
    def info(self) -> TopologyInfo:
        region_urls = {region: server.url for region, server in self.region_servers.items()}
        return topology_info([node.url for node in self.hub], region_urls, self.secrets)

    @property
    def proxies(self) -> dict[tuple[str, str], LinkProxy]:
        """(region, hub node) -> the proxy of that leaf link (only when `cuttable`)."""
        return self.links.proxies

    @property
    def servers(self) -> list[NatsServer]:
        return [*self.hub, *self.region_servers.values()]

    # --- running -----------------------------------------------------------------------

    def start(self, progress: Callable[[str], None] | None = None) -> TopologyInfo:
        """Start the hub, then the regions; wait for the leaf links; provision the streams."""
        say = progress or (lambda message: None)
        try:
            self.start_hub()
            say(f"hub ready ({len(self.hub)} node{'s' if len(self.hub) > 1 else ''})")
            in_parallel([server.start for server in self.region_servers.values()])
            say(f"regions ready: {', '.join(self.regions)}")
            self.wait_linked()
            run_to_the_end(
                provision_streams(
                    region_urls={r: server.url for r, server in self.region_servers.items()},
                    region_admins={
                        r: Credentials("admin", self.secrets[f"admin-{r}"]) for r in self.regions
                    },
                    hub_url=self.hub[0].url,
                    hub_admin=self.info.admin,
                    regions=self.regions,
                    hub_replicas=3 if len(self.hub) >= 3 else 1,
                )
            )
        except BaseException:
            self.stop()
            raise
        return self.info

    def start_hub(self, keep_ports: bool = False) -> None:
        if len(self.hub) > 1 and not keep_ports:
            for node in self.hub:
                node.assign_ports()
                node.cluster_port = node.cluster_port or free_port()
        keep = keep_ports or len(self.hub) > 1  # a cluster's ports are set above
        in_parallel([functools.partial(node.start, keep_ports=keep) for node in self.hub])
        if len(self.hub) > 1 and not wait_until(
            lambda: all(healthy(node.monitor_port) for node in self.hub if node.running), 60, 0.2
        ):
            raise RuntimeError(f"the hub cluster did not become healthy; see {self.state_dir}")

    def cut_link(self, region: str) -> None:
        """Break a region's leaf link while both sides run (needs `cuttable`)."""
        self.links.cut(region)
        if not wait_until(lambda: self.leaf_links() <= self._linked_count(), 15, 0.05):
            raise RuntimeError(f"the leaf link of {region} is still up")

    def restore_link(self, region: str) -> None:
        self.links.restore(region)
        self.wait_linked()

    def _linked_count(self) -> int:
        cut = self.links.cut_regions()
        return sum(
            1
            for region, server in self.region_servers.items()
            if server.running and region not in cut
        )

    def stop_hub(self) -> None:
        in_parallel([node.stop for node in self.hub])

    def wait_linked(self, timeout: float = 30.0) -> None:
        """Wait until every running region's server has its leaf link to the hub."""
        wanted = self._linked_count()
        if not wait_until(lambda: self.leaf_links() >= wanted, timeout, 0.1):
            raise RuntimeError(
                f"leaf links missing ({self.leaf_links()}/{wanted}); "
                f"see the logs in {self.state_dir}"
            )

    def leaf_links(self) -> int:
        """How many leaf connections the hub's running nodes have."""
        return sum(leaf_count(node.monitor_port) for node in self.hub if node.running)

    def stop(self) -> None:
        """Stop every server (regions first); safe to call twice."""
        in_parallel([server.stop for server in self.region_servers.values()])
        self.stop_hub()
        self.links.stop()
