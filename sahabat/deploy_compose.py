"""docker-compose.yml of the deployed shape, written as block YAML without a YAML library."""

from __future__ import annotations

import json
from typing import Any

from sahabat.deploy_shape import (
    HEADER,
    HUB_NODES,
    NATS_IMAGE,
    REGION,
    REGIONAL_SERVICES,
    comment,
    password_variable,
    required,
)


def compose() -> dict[str, Any]:
    hub_env = {
        password_variable(name): required(name)
        for name in ("hub-admin", "reporting", "auditor", "sys", f"leaf-{REGION}")
    }
    services: dict[str, Any] = {}
    for node in HUB_NODES:
        services[node] = {
            "image": NATS_IMAGE,
            "restart": "unless-stopped",
            "command": ["-c", "/etc/nats/nats.conf"],
            "environment": hub_env,
            "volumes": [
                f"./deploy/nats-hub-{node[-1]}.conf:/etc/nats/nats.conf:ro",
                f"{node}:/data",
            ],
        }
    services["nats-1"]["ports"] = ["7422:7422"]  # where the regions' leaf links come in
    leaf = f"leaf-{REGION}"
    services[f"nats-{REGION}"] = {
        "image": NATS_IMAGE,
        "restart": "unless-stopped",
        "command": ["-c", "/etc/nats/nats.conf"],
        "environment": {
            **{
                password_variable(name): required(name)
                for name in (REGION, f"admin-{REGION}", "sys")
            },
            **{
                f"PAS_LEAF_URL_{i}": f"nats://{leaf}:{required(leaf)}@{node}:7422"
                for i, node in enumerate(HUB_NODES, 1)
            },
        },
        "volumes": [
            f"./deploy/nats-region-{REGION}.conf:/etc/nats/nats.conf:ro",
            f"nats-{REGION}:/data",
        ],
        "depends_on": list(HUB_NODES),
    }
    services["provision"] = {
        "image": "natsio/nats-box:latest",
        "restart": "no",
        "command": ["sh", "/deploy/provision.sh"],
        "environment": {
            password_variable(name): required(name) for name in ("hub-admin", f"admin-{REGION}")
        },
        "volumes": ["./deploy:/deploy:ro"],
        "depends_on": [*HUB_NODES, f"nats-{REGION}"],
    }
    services["postgres"] = {
        "image": "postgres:16",
        "restart": "unless-stopped",
        "environment": {"POSTGRES_USER": "sahabat", "POSTGRES_PASSWORD": required("postgres")},
        "volumes": ["postgres:/var/lib/postgresql/data"],
    }
    database = f"postgresql://sahabat:{required('postgres')}@postgres:5432/postgres"
    ready = {
        "postgres": {"condition": "service_started"},
        "provision": {"condition": "service_completed_successfully"},
    }
    for name, port in REGIONAL_SERVICES:
        services[name] = _service(
            name,
            port,
            ready,
            {
                "PAS_REGION": REGION,
                "PAS_NATS_URL": f"nats://nats-{REGION}:4222",
                "PAS_NATS_USER": REGION,
                "PAS_NATS_PASSWORD": required(REGION),
                "PAS_STREAM": f"PAS_EVENTS_{REGION.upper()}",
                "PAS_DATABASE_URL": database,
                # the checkpoint signing key lives here (issue 11): on a volume, so that a
                # new container signs with the same key instead of an unannounced new one
                "PAS_STATE_DIR": "/var/lib/sahabat",
            },
        )
        services[name]["volumes"] = [f"{name}-state:/var/lib/sahabat"]
    services["reporting"] = _service(
        "reporting",
        8010,
        ready,
        {
            "PAS_REGION": REGION,
            "PAS_NATS_URL": "nats://nats-1:4222",
            "PAS_NATS_USER": "reporting",
            "PAS_NATS_PASSWORD": required("reporting"),
            "PAS_STREAM": "PAS_EVENTS",
            "PAS_DATABASE_URL": database,
            # POST /admin/rebuild needs it as a bearer token; empty: open, with a warning
            "PAS_ADMIN_TOKEN": "${PAS_ADMIN_TOKEN:-}",
        },
    )
    states = [f"{name}-state" for name, _ in REGIONAL_SERVICES]
    volumes: dict[str, dict[str, Any]] = {
        name: {} for name in (*HUB_NODES, f"nats-{REGION}", "postgres", *states)
    }
    return {"name": "sahabat", "services": services, "volumes": volumes}


def _service(name: str, port: int, ready: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    return {
        "build": ".",
        "restart": "unless-stopped",
        "command": ["python", "-m", f"services.{name}"],
        "environment": {**env, "PAS_HTTP_HOST": "0.0.0.0", "PAS_HTTP_PORT": "8000"},
        "ports": [f"{port}:8000"],
        "depends_on": ready,
    }


def compose_text() -> str:
    intro = comment(
        HEADER + "\nThe production shape of one regional office (jatim) and the central hub: a\n"
        "3-node NATS JetStream cluster (domain hub) whose streams replicate 3 times and sync\n"
        "every write (`sync_interval: always`), the region's own NATS server (domain jatim)\n"
        "linked to it as a leaf node, the streams (deploy/streams, created by `provision`),\n"
        "the region's services with the region's identity, reporting at the hub, read-only.\n"
        "Every password is an environment variable (PAS_*_PASSWORD), never in this file."
    )
    return intro + to_yaml(compose())


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML of dicts, lists and scalars (strings double-quoted, JSON style)."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}\n"
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 1)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
        return "".join(lines)
    if isinstance(value, list):
        return "".join(f"{pad}- {_scalar(item)}\n" for item in value)
    return _scalar(value) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, bool | int):
        return json.dumps(value)
    return json.dumps(str(value))
