"""Provisioning a started topology's streams: each region's own, then the hub's sourcing ones."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import nats
from nats.errors import TimeoutError as NatsTimeout
from nats.js.errors import ServiceUnavailableError

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
        js = nc.jetstream()
        for config in hub_stream_configs(list(regions), hub_replicas):
            ensure = ensure_sources if config.sources else ensure_stream
            await _while_electing(functools.partial(ensure, js, config))
    finally:
        await nc.close()


async def _while_electing(step: Callable[[], Awaitable[None]], within: float = 90.0) -> None:
    """Run a JetStream API step, again while a freshly started cluster has no leader yet.

    A 3-node hub answers its JetStream API only once its nodes have elected a meta
    leader (and a new R3 stream its own leader): until then requests time out or
    answer 503. A single server is ready at once and never waits here.
    """
    deadline = time.monotonic() + within
    while True:
        try:
            await step()
            return
        except (NatsTimeout, ServiceUnavailableError):
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(0.5)


def run_to_the_end(work: Any) -> Any:
    """Run a coroutine to the end, also when called while an event loop runs (own thread)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()
