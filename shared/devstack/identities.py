"""Who connects to the multi-region shape and how: identities, URLs, streams; their passwords.

Passwords are generated once into `<state>/nats-secrets.json` (0600, never in
git) and kept across runs.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from shared.jetstream import (
    ALL_EVENTS_STREAM,
    checkpoints_stream_for_region,
    stream_for_region,
)

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


def topology_info(
    hub_urls: Sequence[str], region_urls: Mapping[str, str], passwords: Mapping[str, str]
) -> TopologyInfo:
    """Who connects how: the hub's administrator and readers, each region's identities."""
    return TopologyInfo(
        hub_urls=tuple(hub_urls),
        admin=Credentials("admin", passwords["hub-admin"]),
        reporting=Credentials("reporting", passwords["reporting"]),
        auditor=Credentials("auditor", passwords["auditor"]),
        stream=ALL_EVENTS_STREAM,
        regions={
            region: RegionNats(
                region=region,
                nats_url=url,
                credentials=Credentials(region, passwords[region]),
                admin=Credentials("admin", passwords[f"admin-{region}"]),
                stream=stream_for_region(region),
                checkpoints_stream=checkpoints_stream_for_region(region),
            )
            for region, url in region_urls.items()
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
