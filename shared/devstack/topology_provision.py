"""Provisioning a started topology's streams: each region's own, then the hub's sourcing ones."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Mapping, Sequence
from typing import Any

import nats

from shared.devstack.identities import Credentials
from shared.jetstream import (
    ensure_sources,
    ensure_stream,
    hub_stream_configs,
    region_stream_configs,
)


async def provision_streams(
    *,
    region_urls: Mapping[str, str],
    region_admins: Mapping[str, Credentials],
    hub_url: str,
    hub_admin: Credentials,
    regions: Sequence[str],
    hub_replicas: int,
) -> None:
    """Create (or update) every region's streams on its server, then the hub's streams."""
    for region, url in region_urls.items():
        nc = await nats.connect(url, **region_admins[region].options())
        try:
            for config in region_stream_configs(region):
                await ensure_stream(nc.jetstream(), config)
        finally:
            await nc.close()
    nc = await nats.connect(hub_url, **hub_admin.options())
    try:
        for config in hub_stream_configs(list(regions), hub_replicas):
            if config.sources:
                await ensure_sources(nc.jetstream(), config)
            else:
                await ensure_stream(nc.jetstream(), config)
    finally:
        await nc.close()


def run_to_the_end(work: Any) -> Any:
    """Run a coroutine to the end, also when called while an event loop runs (own thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()
