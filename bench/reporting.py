"""Reporting: rebuild rate over a large mixed history, report latency, freshness, memory.

On a NATS server of its own (so the history is exactly what is published
here): a generated history of all three other services over every region
(tests/unit/reporting/generated.py, ~10 events a program) is published,
then the reporting service runs as its own process (`python -m
services.reporting`, as in the demo) on a bench database:

* catch-up: a fresh service applies the history from the first event;
* rebuild: `POST /admin/rebuild` builds a second generation from the first
  event while the first one answers, then switches; events/s beside a raw
  nats-py fetch of the same messages;
* RSS of the service after the first 100,000 events and at the end;
* `GET /reports/evaluation` p95: national over the whole history, and
  region + period (a random region and quarter each request);
* freshness: a partners service of one region on the same server takes
  commands at a steady rate; for every tenth 201, the time until the report
  (asked with `X-Partners-Position`, which waits until it is applied) answers.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import psutil

from bench.common import Row, Target, now, percentile
from bench.replay import raw_fetch_rate
from sahabat.processes import ServiceProcess, start_service, wait_ready
from shared.devstack.nats import healthy, nats_binary
from shared.devstack.processes import free_port, wait_until
from shared.jetstream import ensure_event_streams
from shared.regions import all_regions

EVENTS_PER_PROGRAM = 10.6  # what the generator makes, partners and outreach included
FRESH_REGION = "gorontalo"


@contextmanager
def private_nats(state: Path) -> Iterator[str]:
    port, monitor = free_port(), free_port()
    store = state / "nats-reporting"
    store.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            nats_binary(),
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(monitor),
            "-js",
            "-sd",
            str(store),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_until(lambda: healthy(monitor), 20.0):
            raise RuntimeError("nats-server for the reporting bench did not start")
        yield f"nats://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


async def publish_history(url: str, events: int, say: Any) -> int:
    """Generate and publish about `events` events over every region; how many."""
    from tests.unit.reporting.generated import generate

    regions = [region.code for region in all_regions()]
    programs = max(1, round(events / EVENTS_PER_PROGRAM / len(regions)))
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_event_streams(js)
    sent = 0
    try:
        for i, region in enumerate(regions):
            history = generate([region], programs, seed=i)
            futures = []
            for item in history.items:
                r = item.recorded
                futures.append(
                    await js.publish_async(
                        r.nats_subject, r.to_cloudevent_bytes(), headers=r.headers()
                    )
                )
                if len(futures) >= 5000:
                    await asyncio.gather(*futures)
                    futures = []
            await asyncio.gather(*futures)
            sent += len(history.items)
            if i % 8 == 0:
                say(f"reporting history: {sent:,} events published ({region})")
    finally:
        await nc.close()
    return sent


def rss_mb(service: ServiceProcess) -> float:
    return psutil.Process(service.process.pid).memory_info().rss / 1e6


async def follow(
    client: httpx.AsyncClient, service: ServiceProcess, total: int, rebuild: bool
) -> tuple[float, float | None, float]:
    """Seconds until `total` events are applied (catch-up, or the rebuild), RSS after the first
    100,000 and at the end."""
    began, at_100k = now(), None
    while True:
        if rebuild:
            progress = (await client.get("/admin/rebuild")).json()["rebuild"]
            applied, done = progress["applied"], progress["state"] != "building"
            if done and progress["state"] != "switched":
                raise RuntimeError(f"rebuild failed: {progress}")
        else:
            checks = (await client.get("/readyz")).json()["checks"]
            applied = checks["projection"]["applied_here"]
            done = applied >= total
        if at_100k is None and applied >= min(100_000, total // 2):
            at_100k = rss_mb(service)
        if done:
            return now() - began, at_100k, rss_mb(service)
        await asyncio.sleep(0.05)


async def latencies(client: httpx.AsyncClient, n: int, national: bool) -> list[float]:
    rng = random.Random(5)
    codes = [region.code for region in all_regions()]
    out = []
    for _ in range(n):
        params: dict[str, str] = {}
        if not national:
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
            params = {
                "region": rng.choice(codes),
                "from": start.isoformat(),
                "to": (start + timedelta(days=90)).isoformat(),
            }
        began = now()
        answer = await client.get("/reports/evaluation", params=params)
        out.append((now() - began) * 1000)
        answer.raise_for_status()
    return out


async def freshness(
    report_url: str, partners_url: str, rate: float, seconds: float
) -> tuple[list[float], float]:
    """(ms from each sampled 201 to the report including it, commands/s achieved)."""
    samples: list[float] = []
    checks: list[asyncio.Task[None]] = []
    serial = 0
    timeout = httpx.Timeout(60, pool=None)  # a command waits for a connection, never fails
    limits = httpx.Limits(max_connections=32)
    async with (
        httpx.AsyncClient(base_url=partners_url, timeout=timeout, limits=limits) as partners,
        httpx.AsyncClient(base_url=report_url, timeout=timeout, limits=limits) as report,
    ):

        async def command(i: int) -> None:
            body = {
                "kind": "community_organization",
                "name": f"Pokmas Bench {time.time()} {i}",
                "contact": {"person_name": "Siti", "phone": "+62 812-3456-7890"},
                "interests": ["reintegration"],
            }
            answer = await partners.post("/partners", json=body, headers={"X-Actor": "bench:fresh"})
            done = now()
            if answer.status_code != 201:
                raise RuntimeError(f"POST /partners {answer.status_code}: {answer.text[:200]}")
            if i % 10 == 0:
                position = answer.json()["position"]

                async def check() -> None:
                    got = await report.get(
                        "/reports/evaluation",
                        params={"region": FRESH_REGION},
                        headers={"X-Partners-Position": str(position)},
                    )
                    got.raise_for_status()
                    samples.append((now() - done) * 1000)

                checks.append(asyncio.ensure_future(check()))

        began = now()
        commands: list[asyncio.Task[None]] = []
        while now() - began < seconds:
            due = began + serial / rate
            if due > now():
                await asyncio.sleep(due - now())
            commands.append(asyncio.ensure_future(command(serial)))
            serial += 1
        await asyncio.gather(*commands)
        achieved = serial / (now() - began)
        await asyncio.gather(*checks)
    return samples, achieved


async def section(ctx: Any) -> list[Row]:
    events = ctx.args.reporting_events
    rebuild = Row(
        "reporting",
        f"rebuild from the first event ({events:,} events), while the current generation answers",
        "events/s",
        limit_name="raw fetch(500)",
        target=Target(ratio=0.75),
    )
    rebuild_seconds = Row(
        "reporting",
        "rebuild duration",
        "s",
        higher_is_better=False,
        target=Target(value=60, lower_is_better=True),
    )
    catch_up = Row(
        "reporting",
        "fresh service catching up from the first event",
        "events/s",
        limit_name="raw fetch(500)",
    )
    national = Row(
        "reporting",
        "GET /reports/evaluation national, whole history, p95",
        "ms",
        higher_is_better=False,
        target=Target(value=50, lower_is_better=True),
    )
    scoped = Row(
        "reporting",
        "GET /reports/evaluation region + quarter, p95",
        "ms",
        higher_is_better=False,
        target=Target(value=50, lower_is_better=True),
    )
    fresh = Row(
        "reporting",
        "freshness: command 201 to its effect in the report, p99",
        "ms",
        higher_is_better=False,
        target=Target(value=100, lower_is_better=True),
    )
    memory = Row(
        "reporting",
        "RSS at the end of the rebuild / after 100,000 events",
        "x",
        higher_is_better=False,
        target=Target(value=1.5, lower_is_better=True),
    )
    rows = [rebuild, rebuild_seconds, catch_up, national, scoped, fresh, memory]
    state = ctx.log_dir.parent
    with private_nats(state) as url:
        total = await publish_history(url, events, ctx.say)
        ctx.say(f"reporting history: {total:,} events in the stream")
        for row in rows:
            row.note = f"{total:,} generated events over 33 regions (a server of its own)"
        nc = await nats.connect(url)
        try:
            for _ in range(ctx.args.repeat):
                raw = await raw_fetch_rate(
                    nc, "PAS_EVENTS", "pas.events.>", start_seq=1, expect=total
                )
                rebuild.limit_runs.append(raw)
                catch_up.limit_runs.append(raw)
        finally:
            await nc.close()
        database = await ctx.database("reporting")
        service = start_service(
            "reporting",
            region="jatim",
            nats_url=url,
            database_url=ctx.admin_url,
            log_dir=ctx.log_dir,
            extra_env={"PAS_REPORTING_DATABASE_URL": database},
        )
        try:
            await asyncio.to_thread(wait_ready, service, 90)
            async with httpx.AsyncClient(base_url=service.url, timeout=120) as client:
                seconds, _, _ = await follow(client, service, total, rebuild=False)
                catch_up.runs.append(total / seconds)
                ctx.say(f"catch-up: {total / seconds:,.0f} events/s")
                for n in range(ctx.args.repeat):
                    started = await client.post("/admin/rebuild")
                    started.raise_for_status()
                    seconds, first, last = await follow(client, service, total, rebuild=True)
                    rebuild.runs.append(total / seconds)
                    rebuild_seconds.runs.append(seconds)
                    if first:
                        memory.runs.append(last / first)
                        memory.note += f"; run {n + 1}: {first:.0f} MB -> {last:.0f} MB"
                    ctx.say(
                        f"rebuild {n + 1}: {total / seconds:,.0f} events/s ({seconds:.1f} s),"
                        f" RSS {first or 0:.0f} -> {last:.0f} MB"
                    )
                    await asyncio.sleep(1)
                for _ in range(ctx.args.repeat):
                    national.runs.append(percentile(await latencies(client, 100, True), 95))
                    scoped.runs.append(percentile(await latencies(client, 100, False), 95))
                ctx.say(
                    f"report p95: national {national.value:.1f} ms, scoped {scoped.value:.1f} ms"
                )
            partners_db = await ctx.database("reporting_partners")
            partners = start_service(
                "partners",
                region=FRESH_REGION,
                nats_url=url,
                database_url=ctx.admin_url,
                log_dir=ctx.log_dir,
                extra_env={"PAS_PARTNERS_DATABASE_URL": partners_db},
            )
            try:
                await asyncio.to_thread(wait_ready, partners, 90)
                for _ in range(ctx.args.repeat):
                    samples, achieved = await freshness(service.url, partners.url, 200, 8)
                    fresh.runs.append(percentile(samples, 99))
                    fresh.note = (
                        f"{achieved:.0f} commands/s achieved, {len(samples)} samples "
                        "a run; includes the report query itself"
                    )
                    ctx.say(f"freshness p99 {fresh.runs[-1]:.1f} ms at {achieved:.0f} cmd/s")
            finally:
                partners.stop()
        finally:
            service.stop()
    return rows
