"""<state>/stack-servers.json: the servers a dev stack runs, for other processes to find or stop."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from shared.devstack.processes import is_running, stop_pid

FILE_NAME = "stack-servers.json"
STOP_SIGNALS = {"nats": signal.SIGTERM, "postgres": signal.SIGINT}  # graceful / fast shutdown


@dataclass(frozen=True)
class ServerStatus:
    name: str
    url: str
    running: bool
    external: bool
    pid: int | None


def process_identity(pid: int) -> dict[str, Any]:
    """pid plus start time, so a reused pid is not taken for the process that wrote the record."""
    return {"pid": pid, "created": psutil.Process(pid).create_time()}


def owner_alive(record: dict[str, Any]) -> bool:
    owner = record.get("owner") or {}
    try:
        return bool(psutil.Process(owner["pid"]).create_time() == owner["created"])
    except (KeyError, TypeError, psutil.NoSuchProcess):
        return False


def write(state_dir: Path, record: dict[str, Any]) -> None:
    path = state_dir / FILE_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=2) + "\n")
    os.replace(temporary, path)


def read(state_dir: Path) -> dict[str, Any] | None:
    try:
        loaded = json.loads((state_dir / FILE_NAME).read_text())
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def remove(state_dir: Path) -> None:
    (state_dir / FILE_NAME).unlink(missing_ok=True)


def remove_if_owner(state_dir: Path, pid: int) -> None:
    """Forget the record if process pid wrote it (not one written since by a newer stack)."""
    current = read(state_dir)
    if current and (current.get("owner") or {}).get("pid") == pid:
        remove(state_dir)


def kind(name: str) -> str:
    """ "nats" for every NATS server ("nats", "nats-hub", "nats-jatim"), else the name."""
    return name.split("-", 1)[0]


def servers(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The servers of a record: "postgres", "nats" (a plain server or the hub), "nats-<name>"."""
    return {
        name: value
        for name, value in record.items()
        if kind(name) in STOP_SIGNALS and isinstance(value, dict) and "url" in value
    }


def server_running(server: dict[str, Any]) -> bool:
    marker = server.get("marker")
    return bool(not server.get("external") and marker and is_running(server.get("pid"), marker))


def statuses(state_dir: Path) -> list[ServerStatus]:
    """What the record says, checked against the live processes."""
    record = read(state_dir) or {}
    return [
        ServerStatus(
            name=name,
            url=server.get("url", ""),
            running=server_running(server),
            external=bool(server.get("external")),
            pid=server.get("pid"),
        )
        for name, server in servers(record).items()
    ]


def stop_recorded(state_dir: Path) -> list[str]:
    """Stop the servers the record names (if still ours), forget them; the names that ran."""
    record = read(state_dir) or {}
    remove(state_dir)  # first: an owning `stack up` sees it gone and knows the stop was asked for
    return [name for name, server in servers(record).items() if _stop(name, server)]


def _stop(name: str, server: dict[str, Any]) -> bool:
    pid, marker = server.get("pid"), server.get("marker")
    if server.get("external") or not pid or not marker:
        return False
    ran = stop_pid(pid, marker, STOP_SIGNALS[kind(name)], 30.0)
    for folder in server.get("empty_after_stop", []):
        with suppress(OSError):
            Path(folder).rmdir()
    return ran


def reusable(
    previous: dict[str, Any],
    nats_url: str | None,
    database_url: str | None,
    regions: Sequence[str] | None,
) -> bool:
    """Whether a live process runs a stack here that has the servers we need, up."""
    needed = [
        name for name, override in (("nats", nats_url), ("postgres", database_url)) if not override
    ]
    if not nats_url:  # no regions asked for: whatever shape runs will do
        shape = (previous.get("topology") or {}).get("regions")
        if regions and sorted(shape or ()) != sorted(regions):
            return False
        needed += [name for name in servers(previous) if name.startswith("nats-")]
    return owner_alive(previous) and all(
        name in previous and (previous[name].get("external") or server_running(previous[name]))
        for name in needed
    )
