"""The dev stack: NATS with JetStream and PostgreSQL under one state folder, or servers of your own.

NATS is one plain server, or (with `regions`) the multi-region shape: a hub
and one server per region linked to it as leaf nodes (shared.devstack.topology).

`PAS_NATS_URL` / `PAS_DATABASE_URL` name servers of your own; those are used
and not started. When another live process already runs a stack on the same
state folder, we use its servers and leave stopping them to it. Servers left
running by a killed process are stopped before new ones start.

Stopping: `stop()` is idempotent and also runs at interpreter exit, so Ctrl-C
(KeyboardInterrupt) stops the servers; SIGTERM and SIGHUP stop them and then
end the process as they would have. The servers run in sessions of their own,
so a Ctrl-C in the terminal reaches only us and we shut them down cleanly.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.devstack import record
from shared.devstack.nats import NatsServer
from shared.devstack.postgres import PostgresServer
from shared.devstack.stop_on_exit import StopOnExit
from shared.devstack.topology import NatsTopology, TopologyInfo


@dataclass(frozen=True)
class StackInfo:
    nats_url: str  # a plain server, or the hub's
    database_url: str  # admin URL, database `postgres`
    started: tuple[str, ...]  # the servers this process started: "nats", "postgres"
    topology: TopologyInfo | None = None  # the hub and the regions, when it runs that shape


class DevStack:
    """Start, reuse or point at NATS and PostgreSQL; stop what we started."""

    def __init__(self, state_dir: Path, regions: Sequence[str] | None = None) -> None:
        """`regions`: run the multi-region shape (a hub and a server per region, see
        shared.devstack.topology) instead of one plain NATS server."""
        self.state_dir = Path(state_dir).resolve()
        self.regions = list(regions) if regions else None
        self._topology: NatsTopology | None = None
        self._nats: NatsServer | None = None
        self._postgres: PostgresServer | None = None
        self._info: StackInfo | None = None
        self._on_exit = StopOnExit(self.stop)
        self._lock = threading.RLock()  # stop() may re-enter from a signal handler

    @property
    def nats_url(self) -> str:
        return self.info.nats_url

    @property
    def database_url(self) -> str:
        return self.info.database_url

    @property
    def info(self) -> StackInfo:
        if self._info is None:
            raise RuntimeError("the dev stack is not started")
        return self._info

    def start(self, progress: Callable[[str], None] | None = None) -> StackInfo:
        """Make the servers available and wait until they answer."""
        say = progress or (lambda message: None)
        if self._info is not None:
            return self._info
        self.state_dir.mkdir(parents=True, exist_ok=True)
        nats_url = os.environ.get("PAS_NATS_URL")
        database_url = os.environ.get("PAS_DATABASE_URL")
        regions = None if nats_url else self.regions
        previous = record.read(self.state_dir)
        if previous and record.reusable(previous, nats_url, database_url, regions):
            say(f"using the stack of process {previous['owner']['pid']} in {self.state_dir}")
            topology = previous.get("topology")
            self._info = StackInfo(
                nats_url or previous["nats"]["url"],
                database_url or previous["postgres"]["url"],
                (),
                TopologyInfo.from_dict(topology) if topology and not nats_url else None,
            )
            return self._info
        if previous:
            stopped = record.stop_recorded(self.state_dir)
            if stopped:
                say(f"stopped servers left running by an earlier run: {', '.join(stopped)}")
        if regions:
            self._topology = NatsTopology(self.state_dir, regions)
        elif not nats_url:
            self._nats = NatsServer(self.state_dir)
        self._postgres = None if database_url else PostgresServer(self.state_dir)
        self._start_servers(say)
        started = tuple(
            name
            for name, server in (
                ("nats", self._nats or self._topology),
                ("postgres", self._postgres),
            )
            if server
        )
        topology_info = self._topology.info if self._topology else None
        self._info = StackInfo(
            nats_url or (topology_info.hub_url if topology_info else _url(self._nats)),
            database_url or _url(self._postgres),
            started,
            topology_info,
        )
        self._write_record()
        self._on_exit.install()
        return self._info

    def stop(self) -> None:
        """Stop the servers this process started; safe to call twice, from a signal handler too."""
        with self._lock:
            nats, postgres, self._nats, self._postgres = self._nats, self._postgres, None, None
            topology, self._topology = self._topology, None
            started = self._info is not None and bool(self._info.started)
            self._info = None
        if postgres:
            postgres.stop()
        if nats:
            nats.stop()
        if topology:
            topology.stop()
        if started:
            record.remove_if_owner(self.state_dir, os.getpid())
        self._on_exit.release()

    def __enter__(self) -> DevStack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _start_servers(self, say: Callable[[str], None]) -> None:
        servers = [server for server in (self._nats, self._topology, self._postgres) if server]
        for server in servers:
            say(f"starting {_server_name(server)} in {self.state_dir}")
        with ThreadPoolExecutor(max(len(servers), 1)) as pool:
            futures = {_server_name(each): pool.submit(_timed, each.start) for each in servers}
            try:
                for server_name, future in futures.items():
                    say(f"{server_name} ready in {future.result():.1f} s")
            except BaseException:
                for future in futures.values():
                    future.exception()  # let the other start finish before stopping it
                self.stop()
                raise

    def _write_record(self) -> None:
        if not self._info or not self._info.started:
            return  # nothing of ours to find or stop
        entries: dict[str, Any] = {"owner": record.process_identity(os.getpid())}
        nats_servers = self._topology.servers if self._topology else [self._nats]
        for key, server, url in (
            ("nats", nats_servers[0], self._info.nats_url),
            ("postgres", self._postgres, self._info.database_url),
        ):
            entries[key] = _entry(server, url)
        for server in nats_servers[1:]:
            assert server is not None
            entries[server.name] = _entry(server, server.url)
        if self._topology:
            entries["topology"] = self._topology.info.to_dict()
        if self._postgres:
            entries["postgres"]["empty_after_stop"] = [str(self._postgres.socket_dir)]
        record.write(self.state_dir, entries)


def _entry(server: NatsServer | PostgresServer | None, url: str) -> dict[str, Any]:
    if server is None:
        return {"url": url, "external": True}
    entry = {"url": url, "pid": server.pid, "marker": server.marker, "port": server.port}
    if isinstance(server, NatsServer):
        entry["monitor_port"] = server.monitor_port
    return entry


def _server_name(server: NatsServer | NatsTopology | PostgresServer) -> str:
    if isinstance(server, NatsTopology):
        return f"nats (hub and {', '.join(server.regions)})"
    return "nats" if isinstance(server, NatsServer) else "postgres"


def _url(server: NatsServer | PostgresServer | None) -> str:
    assert server is not None, "no override and no server"
    return server.url


def _timed(start: Callable[[], object]) -> float:
    began = time.monotonic()
    start()
    return time.monotonic() - began
