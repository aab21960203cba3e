"""The regions' leaf links to the hub: direct, or through a LinkProxy a fault test can cut."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Sequence

from shared.devstack.linkproxy import LinkProxy
from shared.devstack.nats import HOST, NatsServer


class LeafLinks:
    """Where each region's leaf link connects, and (when `cuttable`) the proxies that cut it."""

    def __init__(self, hub: Sequence[NatsServer], *, cuttable: bool) -> None:
        self.hub = hub
        self.cuttable = cuttable
        self.proxies: dict[tuple[str, str], LinkProxy] = {}  # (region, hub node) -> proxy

    def ports(self, region: str) -> list[int]:
        """The ports the region's link connects to: the hub's leaf ports, or proxies in front."""
        if not self.cuttable:
            return [node.leaf_port for node in self.hub]
        for node in self.hub:
            if (region, node.name) not in self.proxies:
                proxy = LinkProxy(node.leaf_port)
                proxy.start()
                self.proxies[(region, node.name)] = proxy
        return [self.proxies[(region, node.name)].port for node in self.hub]

    def cut(self, region: str) -> None:
        """Break the region's links while both sides run (needs `cuttable`)."""
        if not self.cuttable:
            raise RuntimeError("start the topology with cuttable=True to cut links")
        for (name, _), proxy in self.proxies.items():
            if name == region:
                proxy.cut()

    def restore(self, region: str) -> None:
        for (name, _), proxy in self.proxies.items():
            if name == region:
                proxy.restore()

    def cut_regions(self) -> set[str]:
        """The regions whose link is cut now."""
        return {region for (region, _), proxy in self.proxies.items() if proxy.is_cut}

    def stop(self) -> None:
        for proxy in self.proxies.values():
            proxy.stop()
        self.proxies.clear()


def leaf_count(monitor_port: int) -> int:
    """How many leaf connections a hub node reports (0 when it does not answer)."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{monitor_port}/leafz", timeout=1) as answer:
            return int(json.load(answer).get("leafnodes", 0))
    except (OSError, ValueError):
        return 0
