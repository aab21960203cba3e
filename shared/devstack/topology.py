"""The multi-region NATS shape on loopback: a hub (1 node or a cluster of 3), a server per region.

Each region's server runs JetStream in the region's own domain, keeps the
region's streams and joins the hub as a leaf node with the region's identity
there; the hub's streams source every regional stream through its domain.
Passwords are generated once into `<state>/nats-secrets.json` (never in git)
and kept across runs; the configuration files are written at every start
(`shared.devstack.natsconf`). Stopping, killing and restarting single servers
is there for the fault tests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import os
import secrets
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nats

from shared.devstack import natsconf as conf
from shared.devstack.nats import HOST, NatsServer, healthy
from shared.devstack.processes import free_port, wait_until
from shared.jetstream import (
    ALL_EVENTS_STREAM,
    checkpoints_stream_for_region,
    ensure_sources,
    ensure_stream,
    hub_stream_configs,
    region_stream_configs,
    stream_for_region,
)
from shared.regions import validate_region

SECRETS_FILE = "nats-secrets.json"
DEFAULT_REGIONS = ("jatim", "jabar")


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def options(self) -> dict[str, str]:
        """Keyword arguments of `nats.connect`."""
        return {"user": self.user, "password": self.password}


@dataclass(frozen=True)
class RegionNats:
    """One region's server as its services see it."""

    region: str
    nats_url: str
    credentials: Credentials  # the region's services: its own subjects only
    admin: Credentials  # provisions the region's streams; never given to a service
    stream: str
    checkpoints_stream: str


@dataclass(frozen=True)
class TopologyInfo:
    hub_urls: tuple[str, ...]
    admin: Credentials
    reporting: Credentials  # read-only, plus its own dead letters
    auditor: Credentials  # read-only
    stream: str  # the hub's stream of all regions' events
    regions: dict[str, RegionNats]

    @property
    def hub_url(self) -> str:
        return self.hub_urls[0]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TopologyInfo:
        def creds(value: dict[str, str]) -> Credentials:
            return Credentials(**value)

        return cls(
            hub_urls=tuple(data["hub_urls"]),
            admin=creds(data["admin"]),
            reporting=creds(data["reporting"]),
            auditor=creds(data["auditor"]),
            stream=data["stream"],
            regions={
                name: RegionNats(
                    **{
                        **value,
                        "credentials": creds(value["credentials"]),
                        "admin": creds(value["admin"]),
                    }
                )
                for name, value in data["regions"].items()
            },
        )


def load_secrets(state_dir: Path, names: Sequence[str]) -> dict[str, str]:
    """The password of each name, generated the first time (kept in the state folder, 0600)."""
    path = state_dir / SECRETS_FILE
    try:
        known: dict[str, str] = json.loads(path.read_text())
    except (OSError, ValueError):
        known = {}
    missing = [name for name in names if name not in known]
    if missing:
        known.update({name: secrets.token_urlsafe(18) for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(known, indent=2) + "\n")
        temporary.chmod(0o600)
        os.replace(temporary, path)
    return known


class NatsTopology:
    """A hub and one leaf server per region, started and provisioned on loopback."""

    def __init__(
        self,
        state_dir: Path,
        regions: Sequence[str] = DEFAULT_REGIONS,
        *,
        hub_nodes: int = 1,
        sync_always: bool = False,
    ) -> None:
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
        self.region_servers = {
            region: NatsServer(self.state_dir, f"nats-{region}", self._region_config)
            for region in self.regions
        }

    # --- configuration -----------------------------------------------------------------

    def _secret(self, name: str) -> conf.Secret:
        return conf.Secret(self.secrets[name])

    def _hub_config(self, node: NatsServer) -> str:
        clustered = len(self.hub) > 1
        return conf.ServerConfig(
            server_name=node.name,
            domain=conf.HUB_DOMAIN,
            store_dir=str(node.store_dir),
            client=conf.Listen(HOST, node.port),
            monitor=conf.Listen(HOST, node.monitor_port),
            users=[
                conf.administrator("admin", self._secret("hub-admin")),
                conf.reader("reporting", self._secret("reporting"), deadletters="reporting"),
                conf.reader("auditor", self._secret("auditor")),
            ],
            leaf_listen=conf.Listen(HOST, node.leaf_port),
            leaf_users=[
                conf.leaf_user(f"leaf-{r}", self._secret(f"leaf-{r}"), r) for r in self.regions
            ],
            cluster_name="pas-hub" if clustered else None,
            cluster_listen=conf.Listen(HOST, node.cluster_port) if clustered else None,
            cluster_routes=[
                f"nats://{HOST}:{peer.cluster_port}" for peer in self.hub if peer is not node
            ]
            if clustered
            else (),
            sync_always=self.sync_always,
            system_password=self._secret("sys"),
        ).render()

    def _region_config(self, server: NatsServer) -> str:
        region = server.name.removeprefix("nats-")
        leaf = f"leaf-{region}"
        return conf.ServerConfig(
            server_name=server.name,
            domain=region,
            store_dir=str(server.store_dir),
            client=conf.Listen(HOST, server.port),
            monitor=conf.Listen(HOST, server.monitor_port),
            users=[
                conf.administrator("admin", self._secret(f"admin-{region}")),
                conf.region_writer(region, self._secret(region), region),
            ],
            leaf_remotes=[
                conf.Secret(f"nats://{leaf}:{self.secrets[leaf]}@{HOST}:{node.leaf_port}")
                for node in self.hub
            ],
            sync_always=self.sync_always,
            system_password=self._secret("sys"),
        ).render()

    # --- what clients need -------------------------------------------------------------

    @property
    def info(self) -> TopologyInfo:
        return TopologyInfo(
            hub_urls=tuple(node.url for node in self.hub),
            admin=Credentials("admin", self.secrets["hub-admin"]),
            reporting=Credentials("reporting", self.secrets["reporting"]),
            auditor=Credentials("auditor", self.secrets["auditor"]),
            stream=ALL_EVENTS_STREAM,
            regions={
                region: RegionNats(
                    region=region,
                    nats_url=server.url,
                    credentials=Credentials(region, self.secrets[region]),
                    admin=Credentials("admin", self.secrets[f"admin-{region}"]),
                    stream=stream_for_region(region),
                    checkpoints_stream=checkpoints_stream_for_region(region),
                )
                for region, server in self.region_servers.items()
            },
        )

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
            _in_parallel([server.start for server in self.region_servers.values()])
            say(f"regions ready: {', '.join(self.regions)}")
            self.wait_linked()
            _run_async(self._provision())
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
        _in_parallel([functools.partial(node.start, keep_ports=keep) for node in self.hub])
        if len(self.hub) > 1 and not wait_until(
            lambda: all(healthy(node.monitor_port) for node in self.hub if node.running), 60, 0.2
        ):
            raise RuntimeError(f"the hub cluster did not become healthy; see {self.state_dir}")

    def stop_hub(self) -> None:
        _in_parallel([node.stop for node in self.hub])

    def wait_linked(self, timeout: float = 30.0) -> None:
        """Wait until every running region's server has its leaf link to the hub."""
        wanted = sum(1 for server in self.region_servers.values() if server.running)
        if not wait_until(lambda: self.leaf_links() >= wanted, timeout, 0.1):
            raise RuntimeError(
                f"leaf links missing ({self.leaf_links()}/{wanted}); "
                f"see the logs in {self.state_dir}"
            )

    def leaf_links(self) -> int:
        """How many leaf connections the hub's running nodes have."""
        return sum(_leaf_count(node.monitor_port) for node in self.hub if node.running)

    def stop(self) -> None:
        """Stop every server (regions first); safe to call twice."""
        _in_parallel([server.stop for server in self.region_servers.values()])
        self.stop_hub()

    async def _provision(self) -> None:
        for region, server in self.region_servers.items():
            admin = Credentials("admin", self.secrets[f"admin-{region}"])
            nc = await nats.connect(server.url, **admin.options())
            try:
                for config in region_stream_configs(region):
                    await ensure_stream(nc.jetstream(), config)
            finally:
                await nc.close()
        nc = await nats.connect(self.hub[0].url, **self.info.admin.options())
        try:
            replicas = 3 if len(self.hub) >= 3 else 1
            for config in hub_stream_configs(self.regions, replicas):
                if config.sources:
                    await ensure_sources(nc.jetstream(), config)
                else:
                    await ensure_stream(nc.jetstream(), config)
        finally:
            await nc.close()


def _leaf_count(monitor_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{monitor_port}/leafz", timeout=1) as answer:
            return int(json.load(answer).get("leafnodes", 0))
    except (OSError, ValueError):
        return 0


def _in_parallel(starts: Sequence[Callable[[], None]]) -> None:
    if not starts:
        return
    with concurrent.futures.ThreadPoolExecutor(len(starts)) as pool:
        for future in [pool.submit(start) for start in starts]:
            future.result()


def _run_async(work: Any) -> Any:
    """Run a coroutine to the end, also when called while an event loop runs (own thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()
