"""`sahabat deploy-files`: docker-compose.yml and deploy/ generated from what the dev stack runs.

The NATS configurations come from the same builders as the dev stack's
(`shared.devstack.natsconf.hub_server` / `region_server`: identities,
permissions, domains, leaf links), the stream definitions from the same
functions (`shared.jetstream`): a hub cluster of 3 (streams R3, `sync_interval:
always`), one region (jatim) as a leaf node, the region's services and
reporting at the hub. Passwords are never in these files: each is an
environment variable (`PAS_<NAME>_PASSWORD`, from an `.env` file next to the
compose file or the orchestrator's secrets). `--check` fails if the files in
the tree differ from what would be generated (a test runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from sahabat.deploy_compose import compose_text
from sahabat.deploy_nats import nats_configs, provision_script, stream_files
from sahabat.deploy_shape import password_variable

__all__ = ["deploy_files", "password_variable", "write_deploy_files"]


def deploy_files() -> dict[str, str]:
    streams = stream_files()
    return {
        "docker-compose.yml": compose_text(),
        **nats_configs(),
        **streams,
        "deploy/provision.sh": provision_script(streams),
    }


def write_deploy_files(root: Path, check: bool = False) -> int:
    """Write the files (or, with check, list those that differ); 1 when something differs."""
    stale = []
    for relative, text in deploy_files().items():
        path = root / relative
        if path.exists() and path.read_text() == text:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if check and stale:
        print("out of date (run `sahabat deploy-files`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0
