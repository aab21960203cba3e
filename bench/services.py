"""Service processes under HTTP load: partners commands/s with 1 and 16 clients, and RSS.

The service runs as it does in the demo (`python -m services.partners`,
uvicorn with uvloop and httptools) in its own process; the load comes from
bench.http_load's raw keep-alive clients in this process.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.common import Row, Target, token
from bench.http_load import LoadResult, RawClient, RequestMaker, run_load
from sahabat.processes import ServiceProcess, start_service, wait_ready

REGION = "jatim"
ACTOR = "bench:load"


@dataclass
class Stack:
    nats_url: str
    database_url: str  # admin URL
    log_dir: Path


@contextmanager
def running(
    name: str,
    stack: Stack,
    database: str,  # type: ignore[no-untyped-def]
    region: str = REGION,
):
    """The service `name` as its own process, on `database` (a bench database, never the demo's)."""
    service = start_service(
        name,
        region=region,
        nats_url=stack.nats_url,
        database_url=stack.database_url,
        log_dir=stack.log_dir,
        extra_env={f"PAS_{name.upper()}_DATABASE_URL": database},
    )
    try:
        wait_ready(service, timeout=90)
        yield service
    finally:
        service.stop()


def rss_mb(service: ServiceProcess) -> float:
    """Resident memory of the service process (and any children), in MB."""
    proc = psutil.Process(service.process.pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        with suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total / 1e6


def register_partner_maker() -> RequestMaker:
    """POST /partners, a community organisation with a unique name per request."""
    run = token()
    serial = itertools.count()

    def make(conn: RawClient, index: int, n: int) -> bytes:
        body = json.dumps(
            {
                "kind": "community_organization",
                "name": f"Pokmas Sahabat {run} {next(serial)}",
                "contact": {"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                "interests": ["reintegration"],
            }
        ).encode()
        return conn.build("POST", "/partners", body, {"X-Actor": ACTOR})

    return make


async def load(
    url: str, clients: int, seconds: float, make: RequestMaker, expect: int = 201
) -> LoadResult:
    result = await run_load(url, clients, seconds, make, expect)
    if result.errors:
        raise RuntimeError(
            f"{result.errors} of {result.ok + result.errors} requests failed "
            f"(statuses {result.statuses}); first: {result.first_error}"
        )
    return result


async def measure_commands(
    url: str,
    make_for: Callable[[int], RequestMaker],
    *,
    repeat: int,
    seconds: float,
    say: Callable[[str], None],
    label: str,
    expect: int = 201,
) -> dict[int, list[LoadResult]]:
    """Warm up, then `repeat` rounds of 1 client and of 16 clients (`make_for(clients)`)."""
    await load(url, 16, min(seconds, 1.5), make_for(16), expect)  # warm-up: pools, caches
    out: dict[int, list[LoadResult]] = {1: [], 16: []}
    for rnd in range(repeat):
        for clients in (1, 16):
            result = await load(url, clients, seconds, make_for(clients), expect)
            out[clients].append(result)
            say(
                f"{label} run {rnd + 1}/{repeat}, {clients:>2} clients: {result.rate:,.0f}/s, "
                f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms"
            )
        await asyncio.sleep(0.3)  # let the relay drain between rounds
    return out


def command_rows(
    group: str, label: str, results: dict[int, list[LoadResult]], raw_single: list[float]
) -> list[Row]:
    """The rows of one command measured with 1 and 16 clients, beside raw single-row inserts."""
    one, sixteen = results[1], results[16]
    limit = "raw 1-conn insert tx/s" if raw_single else None
    return [
        Row(group, f"{label}, 1 client", "cmd/s", [r.rate for r in one], limit, raw_single),
        Row(
            group,
            f"{label}, 1 client p50",
            "ms",
            [r.p50_ms for r in one],
            target=Target(3.0, lower_is_better=True),
            higher_is_better=False,
        ),
        Row(group, f"{label}, 1 client p99", "ms", [r.p99_ms for r in one], higher_is_better=False),
        Row(
            group,
            f"{label}, 16 clients",
            "cmd/s",
            [r.rate for r in sixteen],
            limit,
            raw_single,
            target=Target(1500, 0.55),
        ),
        Row(
            group,
            f"{label}, 16 clients p50",
            "ms",
            [r.p50_ms for r in sixteen],
            higher_is_better=False,
        ),
        Row(
            group,
            f"{label}, 16 clients p99",
            "ms",
            [r.p99_ms for r in sixteen],
            target=Target(25.0, lower_is_better=True),
            higher_is_better=False,
        ),
    ]
