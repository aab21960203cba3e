"""Admin verbs over one service log: verify its hash chain, rebuild its views."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

from shared.databases import database_url as url_on_server
from shared.devstack.stack import DevStack
from shared.eventstore import EventStore
from shared.regions import validate_region
from shared.verify import verify_log


@contextmanager
def database_of(state: Path, region: str, service: str, explicit: str | None) -> Iterator[str]:
    """The database of `service` in `region`: explicit, else on PAS_DATABASE_URL, else the
    dev stack's in `state` (started for the while if it is not running)."""
    if explicit:
        yield explicit
        return
    server = os.environ.get("PAS_DATABASE_URL")
    if server:
        yield url_on_server(server, f"sahabat_{service}_{region}")
        return
    if not (state / "pgdata").exists():
        raise SystemExit(
            f"no database in {state}: pass --database-url, set PAS_DATABASE_URL "
            "or run `sahabat demo` first"
        )
    with DevStack(state) as stack:
        yield url_on_server(stack.database_url, f"sahabat_{service}_{region}")


def verify(state: Path, *, region: str, service: str, database_url: str | None) -> int:
    """Print whether the chain of one log holds, or its first broken position."""
    region = validate_region(region)
    with database_of(state, region, service, database_url) as url:
        try:
            return asyncio.run(_verify(url, region, service))
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"cannot read {service} log of {region}: {exc}", file=sys.stderr)
            return 2


async def _verify(url: str, region: str, service: str) -> int:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        store = EventStore(pool, region=region, service=service)
        head, _ = await store.head()
        began = time.perf_counter()

        def progress(done: int) -> None:
            if sys.stderr.isatty():
                print(f"\r  memeriksa {done:,}/{head:,} peristiwa", end="", file=sys.stderr)

        report = await verify_log(store.read_log(0, batch=5000), progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        took = time.perf_counter() - began
    finally:
        await pool.close()
    if report.ok and report.last_position < head:
        print(
            f"BROKEN {store.log}: the log ends at position {report.last_position} but its head "
            f"row records {head}: events are missing at the end"
        )
        return 1
    if report.ok:
        print(
            f"OK {store.log}: {report.checked:,} events, chain intact "
            f"(last position {report.last_position}, {took:.2f} s)"
        )
        return 0
    print(f"BROKEN {store.log}: first broken position {report.broken_at}: {report.reason}")
    return 1


def rebuild(state: Path, *, region: str, service: str, database_url: str | None) -> int:
    """Empty a service's own views and replay its log into them (service should be stopped)."""
    region = validate_region(region)
    wiring = importlib.import_module(f"services.{service}.app")
    with database_of(state, region, service, database_url) as url:
        return asyncio.run(_rebuild(url, region, service, wiring))


async def _rebuild(url: str, region: str, service: str, wiring: object) -> int:
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        store = EventStore(pool, region=region, service=service)
        for projection in wiring.inline_projections():  # type: ignore[attr-defined]
            store.add_inline(projection)
        await store.setup()
        for projection in store.inline:
            applied = await store.rebuild_inline(projection, wiring.registry())  # type: ignore[attr-defined]
            print(f"rebuilt {projection.name}: {applied:,} events replayed")
    finally:
        await pool.close()
    return 0
