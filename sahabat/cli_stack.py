"""The `sahabat stack up|down|status` verbs: the dev stack (NATS + PostgreSQL) of a state folder."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from shared.devstack import DevStack, StackInfo, statuses, stop_recorded
from shared.devstack.record import read
from shared.devstack.topology import SECRETS_FILE

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def stack_up(state_dir: Path, regions: Sequence[str] | None = None) -> int:
    """Run the dev stack in the foreground until Ctrl-C, then stop it cleanly.

    With regions: a hub and one NATS server per region (leaf nodes), see
    shared.devstack.topology; the URLs and identities are printed.
    """
    stop_requested = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_requested.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
    stack = DevStack(state_dir, regions)
    try:
        info = stack.start(progress=lambda message: print(message, flush=True))
        _print_urls(info)
        if not info.started:
            print("Already up (another process owns it); `sahabat stack down` stops it.")
            return 0
        print("Ctrl-C stops them all.", flush=True)
        return _wait(stack, state_dir, stop_requested)
    finally:
        stack.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stack_down(state_dir: Path) -> int:
    """Stop the servers recorded in <state>/stack-servers.json."""
    stopped = stop_recorded(state_dir)
    print(f"stopped {', '.join(stopped)}" if stopped else f"no dev stack running in {state_dir}")
    return 0


def stack_status(state_dir: Path) -> int:
    """Print each recorded server, whether it runs, and its URL; 0 when all of them run."""
    found = statuses(state_dir)
    if not found:
        print(f"no dev stack recorded in {state_dir}")
    for status in found:
        state = "external" if status.external else "running" if status.running else "not running"
        pid = f" (pid {status.pid})" if status.pid and status.running else ""
        print(f"{status.name:<11} {state:<12} {status.url}{pid}")
    for variable in ("PAS_NATS_URL", "PAS_DATABASE_URL"):
        if os.environ.get(variable):
            print(f"{variable} is set: services use {os.environ[variable]}")
    return 0 if found and all(s.running or s.external for s in found) else 1


def _print_urls(info: StackInfo) -> None:
    topology = info.topology
    if topology is None:
        print(f"NATS        {info.nats_url}")
    else:
        print(
            f"NATS hub    {topology.hub_url}  stream {topology.stream} (all regions); "
            f"read-only user {topology.auditor.user}, password in {SECRETS_FILE}"
        )
        for region, own in topology.regions.items():
            print(f"NATS {region:<6} {own.nats_url}  stream {own.stream}; user {region}")
    print(f"PostgreSQL  {info.database_url}")
    if topology is None:
        print(f"  export PAS_NATS_URL={info.nats_url}")
    else:
        own = next(iter(topology.regions.values()))
        print(f"  # a service of region {own.region}:")
        print(
            f"  export PAS_REGION={own.region} PAS_NATS_URL={own.nats_url} PAS_STREAM={own.stream}"
        )
        print(
            f"  export PAS_NATS_USER={own.credentials.user} "
            f"PAS_NATS_PASSWORD={own.credentials.password}"
        )
    print(f"  export PAS_DATABASE_URL={info.database_url}", flush=True)


def _wait(stack: DevStack, state_dir: Path, stop_requested: threading.Event) -> int:
    """Wait for a stop signal; notice servers that went away (`stack down`, a crash)."""
    while not stop_requested.wait(1.0):
        down = [s.name for s in statuses(state_dir) if not (s.running or s.external)]
        if read(state_dir) is None:
            print("stopped by `sahabat stack down`")
            return 0
        if down:
            print(f"{', '.join(down)} stopped unexpectedly; see the logs in {state_dir}")
            return 1
    print("stopping", flush=True)
    stack.stop()
    return 0
