"""Where the CLI finds public keys: `--keys` (files or service URLs), else the stack's services."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sahabat.events_tail import hub_of
from shared.settings import DEFAULT_STREAM, checkpoint_stream_for, nats_options


def _service_urls(state: Path) -> list[str]:
    stack_file = state / "stack.json"
    if not stack_file.exists():
        return []
    stack = json.loads(stack_file.read_text())
    urls = list(stack.get("services", {}).values())
    urls += list(stack.get("hub", {}).get("services", {}).values())
    for region in stack.get("regions", {}).values():
        urls += list(region.get("services", {}).values())
    return sorted(set(urls))


def _fetch(client: httpx.Client, source: str) -> list[dict[str, Any]]:
    if source.startswith(("http://", "https://")):
        url = source if source.endswith("/audit/keys") else source.rstrip("/") + "/audit/keys"
        response = client.get(url)
        response.raise_for_status()
        doc = response.json()
    else:
        doc = json.loads(Path(source).read_text())
    return list(doc.get("keys", []))


def public_keys(state: Path, sources: list[str] | None, region: str | None) -> list[dict[str, Any]]:
    """The public keys of `region` (all regions if None), de-duplicated by key id."""
    found: dict[str, dict[str, Any]] = {}
    # One client for every source: each new client loads the CA bundle again (0.4 s each
    # on a busy machine, seven times for the demo's services).
    with httpx.Client(timeout=5) as client:
        for source in sources or _service_urls(state):
            try:
                keys = _fetch(client, source)
            except (OSError, httpx.HTTPError, ValueError):
                continue
            for key in keys:
                if region is None or key.get("region") == region:
                    found.setdefault(key["key_id"], key)
    return sorted(found.values(), key=lambda k: (k["region"], k["service"], k["valid_from"]))


@dataclass(frozen=True)
class NatsTarget:
    """Where the auditor's CLI reads: URL, identity, events stream and checkpoint stream."""

    url: str
    options: dict[str, str]
    stream: str
    checkpoint_stream: str


def nats_target(
    state: Path, url: str | None, stream: str | None, checkpoint_stream: str | None
) -> NatsTarget:
    """--nats-url (identity from PAS_NATS_*), else PAS_NATS_URL, else the demo's hub (read-only).

    The checkpoint stream is the one beside the events stream unless named.
    """
    if url:
        env = os.environ
        options = nats_options(
            env.get("PAS_NATS_USER"), env.get("PAS_NATS_PASSWORD"), env.get("PAS_NATS_CREDS")
        )
        found_stream = os.environ.get("PAS_STREAM", DEFAULT_STREAM)
    else:
        url, found_stream, options = hub_of(state)
    stream = stream or found_stream
    checkpoint_stream = (
        checkpoint_stream
        or os.environ.get("PAS_CHECKPOINT_STREAM")
        or checkpoint_stream_for(stream)
    )
    return NatsTarget(url, options, stream, checkpoint_stream)
