"""`.sahabat/stack.json`: where the demo's servers and services are, for people and scripts.

The shape is a contract (issue 10): the first keys stay as they were (one
region's view), `hub` and `regions` describe the multi-region shape.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.devstack.stack import StackInfo
from shared.jetstream import ALL_EVENTS_STREAM

FILE_NAME = "stack.json"


@dataclass(frozen=True)
class Connection:
    """How a process reaches one NATS server: URL, identity (env variables) and stream."""

    nats_url: str
    stream: str
    env: dict[str, str]


def region_connection(info: StackInfo, region: str) -> Connection:
    """A region's services: the region's own server and identity, or the one plain server."""
    if info.topology is None:
        return Connection(info.nats_url, ALL_EVENTS_STREAM, {"PAS_STREAM": ALL_EVENTS_STREAM})
    own = info.topology.regions[region]
    return Connection(
        own.nats_url,
        own.stream,
        {
            "PAS_STREAM": own.stream,
            "PAS_NATS_USER": own.credentials.user,
            "PAS_NATS_PASSWORD": own.credentials.password,
        },
    )


def hub_connection(info: StackInfo) -> Connection:
    """Reporting at the hub: the hub's stream of all regions, read-only identity."""
    if info.topology is None:
        return Connection(info.nats_url, ALL_EVENTS_STREAM, {"PAS_STREAM": ALL_EVENTS_STREAM})
    topology = info.topology
    return Connection(
        topology.hub_url,
        topology.stream,
        {
            "PAS_STREAM": topology.stream,
            "PAS_NATS_USER": topology.reporting.user,
            "PAS_NATS_PASSWORD": topology.reporting.password,
        },
    )


def stack_document(
    info: StackInfo,
    regions: list[str],
    services: dict[str, dict[str, str]],
    hub_services: dict[str, str],
) -> dict[str, Any]:
    """stack.json: services[region] are each region's service URLs, hub_services the hub's."""
    first = regions[0]
    hub: dict[str, Any] = {
        "nats_url": info.nats_url,
        "stream": hub_connection(info).stream,
        "services": hub_services,
    }
    if info.topology is not None:
        hub["credentials"] = _credentials(info.topology.auditor.options())  # read-only
    region_entries: dict[str, Any] = {}
    for region in regions:
        connection = region_connection(info, region)
        entry: dict[str, Any] = {
            "nats_url": connection.nats_url,
            "stream": connection.stream,
            "services": services.get(region, {}),
        }
        if info.topology is not None:
            entry["credentials"] = _credentials(info.topology.regions[region].credentials.options())
        region_entries[region] = entry
    return {
        "nats_url": info.nats_url,
        "database_url": info.database_url,
        "region": first,
        "services": {**services.get(first, {}), **hub_services},
        "hub": hub,
        "regions": region_entries,
    }


def _credentials(options: dict[str, str]) -> dict[str, str]:
    return {"user": options["user"], "password": options["password"]}


def write(state: Path, document: dict[str, Any]) -> None:
    path = state / FILE_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=2) + "\n")
    temporary.chmod(0o600)  # passwords
    os.replace(temporary, path)


def read(state: Path) -> dict[str, Any] | None:
    try:
        loaded = json.loads((state / FILE_NAME).read_text())
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None
