"""Reporting: rebuild rate over a large mixed history, report latency, freshness, memory.

On a NATS server of its own (so the history is exactly what is published
here): a generated history of all three other services over every region
(tests/unit/reporting/generated.py, ~10 events a program, every event stamped
with when it was recorded) is published as a real stream holds it: each log in
time order, the regions interleaved by time (bench/timeline.py). Then the
reporting service runs as its own process (`python -m services.reporting`, as
in the demo) on a bench database:

* catch-up: a fresh service applies the history from the first event, until its
  report includes it (what it staged added up);
* rebuild: `POST /admin/rebuild` builds a second generation from the first
  event while the first one answers, then switches; events/s beside a raw
  nats-py fetch of the same messages;
* RSS of the service after the first 100,000 events and at the end;
* `GET /reports/evaluation` p95: national over the whole history, and
  region + period (a random region and quarter each request);
* as of a moment (issue 11), national: `as_of` just after the last event's time
  (nothing to replay: the live generation is copied), then the same again
  (cached); just before the last event (a copy with the last event's log
  taken out and replayed); the time of the middle event (informative: every
  log replayed up to it); and just before the earliest of the logs' last
  events (the worst case: every log has a later event, so every log is
  replayed from nothing up to it, nearly the whole stream);
* freshness: a partners service of one region on the same server takes
  commands at a steady rate; for every tenth 201, the time until the report
  (asked with `X-Partners-Position`, which waits until it is applied) answers.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import psutil

from bench.common import Row, Target, now, percentile
from bench.http_load import RawClient
from bench.replay import raw_fetch_rate
from bench.timeline import in_time_order, merged, publishable, spill
from sahabat.processes import ServiceProcess, start_service, wait_ready
from shared.devstack.nats import healthy, nats_binary
from shared.devstack.processes import free_port, wait_until
from shared.envelope import CONTENT_TYPE
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


@dataclass(frozen=True)
class Published:
    """What was published: how many events, and the times the as-of figures ask about."""

    events: int
    middle_time: str  # the time of the middle event, in stream order
    last_time: str
    latest_for_all: str  # the earliest of the logs' last event times: each log has one by then


async def publish_history(url: str, events: int, state: Path, say: Any) -> Published:
    """Generate about `events` events over every region and publish them in time order.

    One region at a time is generated, put in time order and written to a file as the
    messages to publish (a region is ~1/33 of the history: memory stays small at 1,000,000);
    then the regions' files are merged by time while publishing.
    """
    from tests.unit.reporting.generated import generate

    regions = [region.code for region in all_regions()]
    programs = max(1, round(events / EVENTS_PER_PROGRAM / len(regions)))
    with tempfile.TemporaryDirectory(dir=state, prefix="reporting-history-") as folder:
        paths, total = [], 0
        for i, region in enumerate(regions):
            history = generate([region], programs, seed=i, recorded_times=True)
            ordered = in_time_order(item.recorded for item in history.items)
            del history
            paths.append(Path(folder) / f"{region}.pickle")
            total += spill(publishable(ordered), paths[-1])
            del ordered
        say(f"reporting history: {total:,} events generated, publishing in time order")
        nc = await nats.connect(url)
        js = nc.jetstream()
        await ensure_event_streams(js)
        sent, middle, last = 0, "", ""
        last_of_log: dict[str, str] = {}
        try:
            futures = []
            for at, subject, body, event_id in merged(paths):
                headers = {"Nats-Msg-Id": event_id, "Content-Type": CONTENT_TYPE}
                futures.append(await js.publish_async(subject, body, headers=headers))
                sent += 1
                last = at
                last_of_log[subject.rsplit(".", 1)[0]] = at  # pas.events.<region>.<service>
                if sent == (total + 1) // 2:
                    middle = at
                if len(futures) >= 5000:
                    await asyncio.gather(*futures)
                    futures = []
                if sent % 250_000 == 0:
                    say(f"reporting history: {sent:,} events published (up to {at[:10]})")
            await asyncio.gather(*futures)
        finally:
            await nc.close()
    return Published(sent, middle, last, min(last_of_log.values()))


def later(moment: str, seconds: int) -> str:
    """An event time `seconds` later, as an RFC 3339 time."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00")) + timedelta(seconds=seconds)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def earlier(moment: str, micros: int) -> str:
    """An event time 1 + `micros` microseconds before `moment`."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return (parsed - timedelta(microseconds=1 + micros)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def added_up(client: httpx.AsyncClient) -> None:
    """Until the report includes positions: a first start has added up what it staged."""
    while not (await client.get("/reports/evaluation")).json().get("as_of"):
        await asyncio.sleep(0.1)


async def as_of_seconds(client: httpx.AsyncClient, moment: str) -> float:
    """Seconds for the national evaluation report as of `moment`."""
    began = now()
    answer = await client.get("/reports/evaluation", params={"as_of": moment})
    seconds = now() - began
    answer.raise_for_status()
    return seconds


def rss_mb(service: ServiceProcess) -> float:
    """The service's resident memory, with the processes it started (a split build's second
    part: services/reporting/parts.py)."""
    process = psutil.Process(service.process.pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 1e6


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


async def _connections(url: str, n: int) -> asyncio.Queue[RawClient]:
    pool: asyncio.Queue[RawClient] = asyncio.Queue()
    for _ in range(n):
        conn = RawClient(url)
        await conn.connect()
        pool.put_nowait(conn)
    return pool


async def freshness(
    report_url: str, partners_url: str, rate: float, seconds: float
) -> tuple[list[float], float]:
    """(ms from each sampled 201 to the report including it, commands/s achieved).

    Commands are sent at `rate` whether or not the previous ones have answered (open loop),
    each on a free connection of a pool (the bench's light client, bench/http_load.py: with
    httpx, a queue of waiting commands cost the bench more CPU than the service had).
    """
    samples: list[float] = []
    checks: list[asyncio.Task[None]] = []
    partners = await _connections(partners_url, 24)
    report = await _connections(report_url, 16)

    async def command(i: int) -> None:
        body = {
            "kind": "community_organization",
            "name": f"Pokmas Bench {time.time()} {i}",
            "contact": {"person_name": "Siti", "phone": "+62 812-3456-7890"},
            "interests": ["reintegration"],
        }
        headers = {"X-Actor": "bench:fresh", "Idempotency-Key": str(uuid.uuid4())}
        conn = await partners.get()
        try:
            status, answer = await conn.request("POST", "/partners", body, headers)
        finally:
            partners.put_nowait(conn)
        done = now()
        if status != 201:
            raise RuntimeError(f"POST /partners {status}: {str(answer)[:200]}")
        if i % 10 == 0:
            assert isinstance(answer, dict)
            checks.append(asyncio.ensure_future(check(answer["position"], done)))

    async def check(position: int, done: float) -> None:
        conn = await report.get()
        try:
            status, answer = await conn.request(
                "GET",
                f"/reports/evaluation?region={FRESH_REGION}",
                headers={"X-Partners-Position": str(position)},
            )
        finally:
            report.put_nowait(conn)
        if status != 200:
            raise RuntimeError(f"GET /reports/evaluation {status}: {str(answer)[:200]}")
        samples.append((now() - done) * 1000)

    serial = 0
    try:
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
    finally:
        for pool in (partners, report):
            while not pool.empty():
                pool.get_nowait().close()
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
        "fresh service catching up from the first event, until its report includes it",
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
    cold = Row(
        "reporting",
        f"as-of report over {events:,} events, cold (after the last event: a copy)",
        "s",
        higher_is_better=False,
        target=Target(value=60, lower_is_better=True),
    )
    replayed = Row(
        "reporting",
        "as-of report, all but the last event, cold (its log replayed into a copy)",
        "s",
        higher_is_better=False,
        target=Target(value=60, lower_is_better=True),
    )
    cached = Row("reporting", "as-of report, cached", "ms", higher_is_better=False)
    middle = Row(
        "reporting",
        "as-of report, the middle of the history, cold (every log replayed up to it)",
        "s",
        higher_is_better=False,
    )
    worst = Row(
        "reporting",
        "as-of report, the latest moment before every log's last event, cold (the worst case:"
        " every log replayed up to it)",
        "s",
        higher_is_better=False,
        target=Target(value=60, lower_is_better=True),
    )
    rows = [rebuild, rebuild_seconds, catch_up, national, scoped, cold, cached, replayed, middle]
    rows += [worst]
    rows += [fresh, memory]
    state = ctx.log_dir.parent
    with private_nats(state) as url:
        published = await publish_history(url, events, state, ctx.say)
        total = published.events
        ctx.say(
            f"reporting history: {total:,} events in the stream, in time order"
            f" ({published.middle_time} in the middle, {published.last_time} the last)"
        )
        for row in rows:
            row.note = (
                f"{total:,} generated events over 33 regions, in time order (a server of its own)"
            )
        rebuild.name = rebuild.name.replace(f"({events:,} events)", f"({total:,} events)")
        cold.name = f"as-of report over {total:,} events, cold (after the last event: a copy)"
        cold.note += (
            "; national, as_of just after the last event: nothing to replay, the live"
            " generation is copied"
        )
        replayed.note += (
            "; national, as_of just before the last event: the live generation copied, the last"
            " event's log taken out and replayed up to it"
        )
        worst.note += (
            f"; national, as_of just before {published.latest_for_all} (the earliest of the logs'"
            " last events): every log has a later event, so every log is replayed from nothing"
            " up to it (nearly the whole stream)"
        )
        cached.note += "; the same as_of asked again"
        middle.note += f"; national, as_of {published.middle_time} (the middle event's time)"
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
                began = now()
                await follow(client, service, total, rebuild=False)
                await added_up(client)  # the first start's staged rows, before a rebuild
                seconds = now() - began
                catch_up.runs.append(total / seconds)
                ctx.say(f"catch-up: {total / seconds:,.0f} events/s")
                for n in range(ctx.args.repeat):
                    started = await client.post("/admin/rebuild")
                    started.raise_for_status()
                    seconds, first, last = await follow(client, service, total, rebuild=True)
                    phases = (await client.get("/admin/rebuild")).json()["rebuild"]
                    rebuild_seconds.note += (
                        f"; run {n + 1}: read in {phases['read_seconds']:.1f} s"
                        f" ({phases['processes']} processes), added up in"
                        f" {phases['added_up_seconds']:.1f} s, switched at"
                        f" {phases['seconds']:.1f} s"
                    )
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
            # a replay reads the whole stream: give it all the time it needs
            async with httpx.AsyncClient(base_url=service.url, timeout=600) as client:
                for n in range(ctx.args.repeat):
                    # each run a new instant (n s later, the same events), so each replays
                    moment = later(published.last_time, 1 + n)
                    cold.runs.append(await as_of_seconds(client, moment))
                    cached.runs.append(await as_of_seconds(client, moment) * 1000)
                    before_last = earlier(published.last_time, n)
                    replayed.runs.append(await as_of_seconds(client, before_last))
                    halfway = later(published.middle_time, n)
                    middle.runs.append(await as_of_seconds(client, halfway))
                    latest = earlier(published.latest_for_all, n)
                    worst.runs.append(await as_of_seconds(client, latest))
                    ctx.say(
                        f"as-of report {n + 1}: after the last event {cold.runs[-1]:.1f} s,"
                        f" cached {cached.runs[-1]:.1f} ms, all but the last event"
                        f" {replayed.runs[-1]:.1f} s, middle {middle.runs[-1]:.1f} s,"
                        f" worst {worst.runs[-1]:.1f} s"
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
