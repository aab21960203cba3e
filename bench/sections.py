"""The bench's sections, in the order they run; each returns its rows of the report."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from nats.aio.client import Client as NATS

from bench import audit, fill, raw, relay, replay, services, store, verify, whatif
from bench.common import Row, Target, median, now
from shared.devstack import database_url, drop_database, ensure_database
from shared.envelope import log_subjects

READ_MODEL_EVENTS = 20_000  # per run: the programs read model applies one event at a time
NAIVE_EVENTS = 30_000  # per run: the naive verify is slow; its rate is what counts


@dataclass
class Context:
    args: argparse.Namespace
    nats_url: str
    admin_url: str
    nc: NATS
    stream: str
    log_dir: Path
    run: str
    regions: list[str]
    say: Callable[[str], None]
    raw_single: list[float] = field(default_factory=list)  # raw 1-connection inserts/s, per run
    databases: list[str] = field(default_factory=list)
    service_databases: dict[str, str] = field(default_factory=dict)

    async def service_database(self, service: str) -> str:
        """The bench's database for a service process (one per service for the whole run)."""
        if service not in self.service_databases:
            self.service_databases[service] = await self.database(f"svc_{service}")
        return self.service_databases[service]

    def region(self) -> str:
        return self.regions.pop(0)

    async def database(self, purpose: str) -> str:
        name = f"bench_{self.run}_{purpose}"
        self.databases.append(name)
        return await ensure_database(self.admin_url, name)

    @property
    def stack(self) -> services.Stack:
        return services.Stack(self.nats_url, self.admin_url, self.log_dir)


# ---------------------------------------------------------------- raw PostgreSQL inserts


async def section_raw(ctx: Context) -> list[Row]:
    url = await ctx.database("raw")
    one = Row(
        "postgres",
        "raw single-row INSERT tx, 1 connection",
        "tx/s",
        note="BEGIN; INSERT one row; COMMIT (durable) - the limit for commands",
    )
    many = Row("postgres", "raw single-row INSERT tx, 16 connections", "tx/s")
    for n in range(ctx.args.repeat):
        one.runs.append(await raw.insert_rate(url, 1, ctx.args.seconds))
        many.runs.append(await raw.insert_rate(url, 16, ctx.args.seconds))
        ctx.say(
            f"raw inserts run {n + 1}: {one.runs[-1]:,.0f}/s (1 conn), "
            f"{many.runs[-1]:,.0f}/s (16 conns)"
        )
    ctx.raw_single = one.runs
    return [one, many]


# ---------------------------------------------------------------- the event store alone


async def section_store(ctx: Context) -> list[Row]:
    region = ctx.region()
    url = await ctx.database("store")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=20)
    limit = "raw 1-conn insert tx/s" if ctx.raw_single else None
    one = Row(
        "store",
        "EventStore.append 1 event, 1 appender",
        "tx/s",
        limit_name=limit,
        limit_runs=ctx.raw_single,
        note="in process, no HTTP, no relay running",
    )
    many = Row(
        "store",
        "EventStore.append 1 event, 16 appenders",
        "tx/s",
        limit_name=limit,
        limit_runs=ctx.raw_single,
    )
    grouped = Row(
        "store",
        "what-if: group commit prototype, 16 appenders",
        "tx/s",
        limit_name=limit,
        limit_runs=ctx.raw_single,
        note="bench/whatif.py: lean prototype of the store's group commit",
    )
    sizes: list[float] = []
    try:
        st = fill.EventStore(pool, region=region, service=fill.SERVICE)
        await st.setup()
        for n in range(ctx.args.repeat):
            one.runs.append(await store.append_rate(st, 1, ctx.args.seconds))
            many.runs.append(await store.append_rate(st, 16, ctx.args.seconds))
            rate, size = await whatif.group_append_rate(st, 16, ctx.args.seconds)
            grouped.runs.append(rate)
            sizes.append(size)
            ctx.say(
                f"store run {n + 1}: {one.runs[-1]:,.0f}/s (1 appender), "
                f"{many.runs[-1]:,.0f}/s (16 appenders), group commit {rate:,.0f}/s "
                f"({size:.1f} appends per transaction)"
            )
        report = await verify.verify_log(st.read_log(0, batch=5000))
        if not report.ok:
            raise RuntimeError(f"the store log (group commit included) does not verify: {report}")
    finally:
        await pool.close()
    grouped.note += f"; {median(sizes):.1f} appends per transaction; chain verified"
    return [one, many, grouped]


# ---------------------------------------------------------------- partners over HTTP


async def section_http(ctx: Context) -> list[Row]:
    with services.running("partners", ctx.stack, await ctx.service_database("partners")) as svc:
        ctx.say(f"partners service at {svc.url} (pid {svc.process.pid})")
        make = services.register_partner_maker()
        results = await services.measure_commands(
            svc.url,
            lambda clients: make,
            repeat=ctx.args.repeat,
            seconds=ctx.args.seconds,
            say=ctx.say,
            label="POST /partners",
        )
        rss = services.rss_mb(svc)
    rows = services.command_rows("partners", "POST /partners", results, ctx.raw_single)
    rows.append(
        Row(
            "partners",
            "service RSS after the load",
            "MB",
            [rss],
            target=Target(150, lower_is_better=True),
            higher_is_better=False,
        )
    )
    return rows


# ---------------------------------------------------------------- relay, replay, verify


async def section_logs(ctx: Context) -> list[Row]:
    """One partners log grows by --events per run; each run relays, replays and verifies it."""
    from bench import programs

    n_events = ctx.args.events
    rel = Row(
        "relay",
        "relay publish_pending",
        "events/s",
        limit_name="raw publish_async",
        target=Target(20_000, 0.35),
        note="read log + build CloudEvent + pipelined publish + acks + checkpoint",
    )
    rep = Row(
        "replay",
        "ProjectionRunner into a table",
        "events/s",
        limit_name="raw fetch(500)",
        target=Target(30_000, 0.75),
        note="fetch + parse CloudEvent + pydantic model + executemany upsert + checkpoint",
    )
    sizes = ", ".join(f"{n_events * (n + 1) // 1000}k" for n in range(ctx.args.repeat))
    ver = Row(
        "verify",
        "verify_log over read_log(batch=5000)",
        "events/s",
        limit_name="naive rfc8785+sha256",
        target=Target(100_000),
        note=f"whole log each run ({sizes} events); ratio = speed-up over the naive way "
        "(events in memory)",
    )
    ver_mem = Row(
        "verify",
        "check_batch in memory (no database)",
        "events/s",
        limit_name="naive rfc8785+sha256",
    )
    parse = Row(
        "replay",
        "parse CloudEvent + model, in memory",
        "events/s",
        limit_name="raw fetch(500)",
        note="parse_cloudevent + registry.load_json alone: the runner's CPU per event "
        "before PostgreSQL",
    )
    read_model = programs.read_model_row()
    exp, offline, alone = audit_rows()
    rows = [rel, rep, parse, read_model, ver, ver_mem, exp, offline, alone]
    region = ctx.region()
    url = await ctx.database("log")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=8)
    first: list = []
    try:
        store = fill.EventStore(pool, region=region, service=fill.SERVICE)
        await store.setup()
        subject = log_subjects(region, fill.SERVICE)
        for n in range(ctx.args.repeat):
            began = now()
            head, _ = await store.head()
            await fill.fill(store, n_events)
            ctx.say(f"log {store.log} grown by {n_events:,} events in {now() - began:.1f} s")
            start_seq = await replay.stream_last_seq(ctx.nc, ctx.stream) + 1
            rate, sent = await relay.relay_rate(store, ctx.nc, ctx.stream)
            rel.runs.append(rate)
            events = await relay.read_all(store, after=head)
            rel.limit_runs.append(await relay.raw_publish_rate(events, ctx.nc, ctx.stream))
            ctx.say(
                f"relay run {n + 1}: {rate:,.0f}/s ({sent:,} events); raw publish_async "
                f"{rel.limit_runs[-1]:,.0f}/s"
            )

            projection = replay.RowPerEvent(f"replay_{ctx.run}_{n}", [subject], fill.ev.registry)
            rep.limit_runs.append(
                await replay.raw_fetch_rate(
                    ctx.nc, ctx.stream, subject, start_seq=start_seq, expect=sent
                )
            )
            rate, _ = await replay.runner_rate(
                pool, ctx.nc, projection, ctx.stream, start_seq=start_seq, expect=sent
            )
            rep.runs.append(rate)
            parse.runs.append(
                replay.parse_rate([e.to_cloudevent_bytes() for e in events], fill.ev.registry)
            )
            parse.limit_runs = rep.limit_runs
            ctx.say(
                f"replay run {n + 1}: {rate:,.0f}/s; raw fetch {rep.limit_runs[-1]:,.0f}/s; "
                f"parse alone {parse.runs[-1]:,.0f}/s"
            )

            if programs.available():
                try:
                    rate = await programs.read_model_rate(
                        ctx, start_seq=start_seq, expect=min(sent, READ_MODEL_EVENTS), n=n
                    )
                except Exception as exc:  # noqa: BLE001 - another team's code, mid-change
                    read_model.note = f"FAILED: {type(exc).__name__}: {exc}"
                    ctx.say(f"programs read model failed: {exc!r}")
                else:
                    read_model.runs.append(rate)
                    read_model.limit_runs = rep.limit_runs
                    ctx.say(f"programs read model run {n + 1}: {rate:,.0f}/s")

            rate, checked = await verify.verify_rate(store)
            ver.runs.append(rate)
            if not first:
                first = events  # the log from position 1: in-memory figures use it
            ver.limit_runs.append(verify.naive_rate(first[:NAIVE_EVENTS]))
            ver_mem.runs.append(verify.in_memory_rate(first))
            ver_mem.limit_runs = ver.limit_runs
            ctx.say(
                f"verify run {n + 1}: {rate:,.0f}/s over {checked:,} events; in memory "
                f"{ver_mem.runs[-1]:,.0f}/s; naive {ver.limit_runs[-1]:,.0f}/s"
            )
            with tempfile.TemporaryDirectory() as folder:
                rate, bundle = await audit.export_rate(store, ctx.nc, ctx.stream, Path(folder))
                exp.runs.append(rate)
                rate, checked = audit.offline_rate(bundle)
                offline.runs.append(rate)
                alone.runs.append(audit.standalone_rate(bundle, checked))
            for row in (exp, offline, alone):
                row.limit_runs = ver.runs
            ctx.say(
                f"audit run {n + 1}: export {exp.runs[-1]:,.0f}/s, offline verify "
                f"{offline.runs[-1]:,.0f}/s, standalone {alone.runs[-1]:,.0f}/s"
            )
    finally:
        await pool.close()
    return rows


def audit_rows() -> tuple[Row, Row, Row]:
    limit = "verify_log (PostgreSQL)"
    return (
        Row(
            "audit",
            "sahabat audit export (NATS -> zip)",
            "events/s",
            limit_name=limit,
            note="whole log from the stream, de-duplicated, by position, into the bundle",
        ),
        Row(
            "audit",
            "sahabat audit verify (bundle, no server)",
            "events/s",
            limit_name=limit,
            note="digests, positions, every hash, the checkpoint signature",
        ),
        Row(
            "audit",
            "docs/audit/verify_bundle.py (rfc8785 per event)",
            "events/s",
            limit_name=limit,
            note="the standalone verifier, own process, start-up included",
        ),
    )


# ---------------------------------------------------------------- append -> NATS latency


async def section_latency(ctx: Context) -> list[Row]:
    region = ctx.region()
    url = await ctx.database("latency")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=20)
    light = Row("relay", "append-to-NATS p50, 1 appender ~150/s", "ms", higher_is_better=False)
    light99 = Row("relay", "append-to-NATS p99, 1 appender ~150/s", "ms", higher_is_better=False)
    busy = Row("relay", "append-to-NATS p50, 16 appenders flat out", "ms", higher_is_better=False)
    busy99 = Row("relay", "append-to-NATS p99, 16 appenders flat out", "ms", higher_is_better=False)
    rates: list[float] = []
    try:
        store = fill.EventStore(pool, region=region, service=fill.SERVICE)
        await store.setup()
        for n in range(ctx.args.repeat):
            lat = await relay.append_to_nats_latency(
                store, ctx.nc, ctx.stream, url, appenders=1, seconds=2.0, pace=0.005
            )
            light.runs.append(lat.p50_ms)
            light99.runs.append(lat.p99_ms)
            lat16 = await relay.append_to_nats_latency(
                store, ctx.nc, ctx.stream, url, appenders=16, seconds=2.0, pace=None
            )
            busy.runs.append(lat16.p50_ms)
            busy99.runs.append(lat16.p99_ms)
            rates.append(lat16.rate)
            ctx.say(
                f"latency run {n + 1}: light p50 {lat.p50_ms:.2f} / p99 {lat.p99_ms:.2f} ms "
                f"({lat.rate:.0f}/s, {lat.missing} missing); 16 appenders p50 "
                f"{lat16.p50_ms:.2f} / p99 {lat16.p99_ms:.2f} ms ({lat16.rate:,.0f}/s, "
                f"{lat16.missing} missing)"
            )
    finally:
        await pool.close()
    busy.note = f"appending ~{median(rates):,.0f} single-event tx/s meanwhile"
    return [light, light99, busy, busy99]


# ---------------------------------------------------------------- programs command path


async def section_programs(ctx: Context) -> list[Row]:
    from bench import programs

    return await programs.section(ctx)


async def section_history(ctx: Context) -> list[Row]:
    from bench import history

    return await history.section(ctx)


# ---------------------------------------------------------------- search


async def section_search(ctx: Context) -> list[Row]:
    from bench import search

    return await search.section(ctx)


async def section_outreach(ctx: Context) -> list[Row]:
    from bench import outreach

    return await outreach.section(ctx)


async def section_reporting(ctx: Context) -> list[Row]:
    from bench import reporting

    return await reporting.section(ctx)


async def section_regions(ctx: Context) -> list[Row]:
    """Five regions on loopback into one hub (a topology of its own, see bench/regions.py)."""
    from bench import regions

    return await regions.section(
        ctx.args.repeat, events=min(ctx.args.events * 2, 100_000), backlog=100_000, say=ctx.say
    )


async def cleanup(ctx: Context) -> None:
    for name in ctx.databases:
        with contextlib.suppress(Exception):  # best effort
            await drop_database(ctx.admin_url, name)


# programs and outreach run before logs: their read models consume every partners event in
# the stream.
SECTIONS: dict[str, Callable[[Context], Awaitable[list[Row]]]] = {
    "raw": section_raw,
    "store": section_store,
    "http": section_http,
    "programs": section_programs,
    "history": section_history,
    "outreach": section_outreach,
    "logs": section_logs,
    "latency": section_latency,
    "search": section_search,
    "reporting": section_reporting,
    "regions": section_regions,
}

__all__ = ["Context", "SECTIONS", "cleanup", "database_url"]
