"""A command's cost against its aggregate's history (issue 6 item 9).

Three programs of the programs service (run as a process, region jatim) are
filled through the API with activities until their streams hold 10, 1,000
and 5,000 events. Then one client, one request at a time, measures on each
  * POST /programs/{id}/activities (load the program, decide, append), and
  * GET /programs/{id} (the program with its timeline, records and history).
The figure is the p50 at 1,000 and 5,000 events beside the p50 at 10 events
(its "raw limit"); the target is at most 1.5x (a ratio of at least 0.67).
Each run adds its requests to the streams, so the 10-event program has a few
dozen events by the last run.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import TYPE_CHECKING

from bench import programs, services
from bench.common import Row, Target
from bench.http_load import RawClient

if TYPE_CHECKING:
    from bench.sections import Context

SIZES = (10, 1_000, 5_000)
REQUESTS = 40  # timed requests per size and run
TARGET = Target(ratio=1 / 1.5)


async def _fill(url: str, program_id: str, events: int, have: int) -> None:
    """Record activities on one program until its stream holds `events` events."""
    client = RawClient(url)
    await client.connect()
    body = programs.ACTIVITY.replace('"held_on": null', f'"held_on": "{programs._today()}"')
    raw = body.encode()
    try:
        for _ in range(events - have):
            status, doc = await client.send(
                client.build("POST", f"/programs/{program_id}/activities", raw, programs.ACTOR)
            )
            if status != 200:
                raise RuntimeError(f"activity on {program_id}: {status} {doc[:300]!r}")
    finally:
        client.close()


async def _p50_ms(url: str, method: str, path: str, body: bytes) -> float:
    """The median latency of REQUESTS requests sent one after another (after a warm-up)."""
    client = RawClient(url)
    await client.connect()
    try:
        latencies = []
        for n in range(REQUESTS + 3):
            started = time.perf_counter()
            status, doc = await client.send(client.build(method, path, body, programs.ACTOR))
            if status != 200:
                raise RuntimeError(f"{method} {path}: {status} {doc[:300]!r}")
            if n >= 3:
                latencies.append((time.perf_counter() - started) * 1000)
        return statistics.median(latencies)
    finally:
        client.close()


async def section(ctx: Context) -> list[Row]:
    post = "POST /programs/{id}/activities"
    get = "GET /programs/{id}"
    rows = {
        (label, size): Row(
            "history",
            f"{label} p50, {size:,} events in the stream",
            "ms",
            limit_name="p50 at 10 events",
            target=TARGET,
            higher_is_better=False,
        )
        for label in (post, get)
        for size in SIZES[1:]
    }
    partners_db = await ctx.service_database("partners")
    programs_db = await ctx.service_database("programs")
    stack = ctx.stack
    with (
        services.running("partners", stack, partners_db) as partners,
        services.running("programs", stack, programs_db) as service,
    ):
        partner_id, unit_id = await programs._setup(partners.url, service.url, services.REGION)
        ids = await programs._programs_in_collaboration(service.url, unit_id, partner_id, 3)
        ctx.say(f"filling programs to {', '.join(f'{s:,}' for s in SIZES)} events")
        await asyncio.gather(
            *(_fill(service.url, pid, size, 2) for pid, size in zip(ids, SIZES, strict=True))
        )
        body = programs.ACTIVITY.replace('"held_on": null', f'"held_on": "{programs._today()}"')
        for run in range(ctx.args.repeat):
            p50 = {}
            for pid, size in zip(ids, SIZES, strict=True):
                path = f"/programs/{pid}"
                p50[post, size] = await _p50_ms(
                    service.url, "POST", f"{path}/activities", body.encode()
                )
                p50[get, size] = await _p50_ms(service.url, "GET", path, b"")
            ctx.say(
                f"run {run + 1}: "
                + ", ".join(f"{label} @{size}: {ms:.1f} ms" for (label, size), ms in p50.items())
            )
            for (label, size), row in rows.items():
                row.runs.append(p50[label, size])
                row.limit_runs.append(p50[label, SIZES[0]])
    return list(rows.values())
