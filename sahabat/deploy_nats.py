"""The NATS part of the deploy files: the servers' configurations, the streams and their
provisioning script, from the dev stack's own builders."""

from __future__ import annotations

import json
from pathlib import Path

from sahabat.deploy_shape import HEADER, HUB_NODES, REGION, comment, env_secret, password_variable
from shared.devstack import natsconf as conf
from shared.jetstream import hub_stream_configs, region_stream_configs


def nats_configs() -> dict[str, str]:
    files = {}
    routes = [f"nats://{node}:6222" for node in HUB_NODES]
    for node in HUB_NODES:
        config = conf.hub_server(
            server_name=node,
            store_dir="/data",
            client=conf.Listen("0.0.0.0", 4222),
            monitor=conf.Listen("0.0.0.0", 8222),
            leaf=conf.Listen("0.0.0.0", 7422),
            regions=[REGION],
            secret=env_secret,
            cluster=(conf.Listen("0.0.0.0", 6222), [r for r in routes if node not in r]),
            sync_always=True,
        )
        files[f"deploy/nats-hub-{node[-1]}.conf"] = comment(HEADER) + config.render()
    region = conf.region_server(
        region=REGION,
        server_name=f"nats-{REGION}",
        store_dir="/data",
        client=conf.Listen("0.0.0.0", 4222),
        monitor=conf.Listen("0.0.0.0", 8222),
        leaf_urls=[conf.Secret(f"PAS_LEAF_URL_{i}", from_env=True) for i in (1, 2, 3)],
        secret=env_secret,
        sync_always=True,
    )
    files[f"deploy/nats-region-{REGION}.conf"] = comment(HEADER) + region.render()
    return files


def stream_files() -> dict[str, str]:
    files = {}
    for folder, configs in (
        ("hub", hub_stream_configs([REGION], replicas=3)),
        (REGION, region_stream_configs(REGION)),
    ):
        for config in configs:
            text = json.dumps(config.as_dict(), indent=2) + "\n"
            files[f"deploy/streams/{folder}/{config.name}.json"] = text
    return files


def provision_script(streams: dict[str, str]) -> str:
    lines = [
        "#!/bin/sh",
        comment(HEADER).rstrip(),
        "# Creates the streams once (run by the `provision` service, nats-box image).",
        "set -eu",
    ]
    servers = {
        "hub": ("nats://nats-1:4222", "hub-admin"),
        REGION: (f"nats://nats-{REGION}:4222", f"admin-{REGION}"),
    }
    for folder in (REGION, "hub"):  # a region's streams before the hub sources them
        url, secret = servers[folder]
        for path in sorted(p for p in streams if p.startswith(f"deploy/streams/{folder}/")):
            name = Path(path).stem
            lines.append(
                f'nats --server {url} --user admin --password "${password_variable(secret)}" '
                f"stream info {name} >/dev/null 2>&1 || nats --server {url} --user admin "
                f'--password "${password_variable(secret)}" stream add --config /{path}'
            )
    return "\n".join(lines) + "\n"
