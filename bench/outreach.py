"""The outreach service: its command path over HTTP, and its ambassadors read-model rate.

Command path: the partners and outreach services run as processes (region
jatim); an ambassador is appointed through the partners API, and once the
outreach read model has it, the load is
  * POST /outreach/held (an outreach event recorded as held: looks the team up
    in the ambassadors read model, decides, appends a new stream), and
  * POST /outreach/{id}/coverage (loads an outreach event's stream, decides,
    appends); each client cycles over events of its own, a new link each time.

Read-model rate: `AmbassadorsReadModel` (services/outreach/readmodels) fed by
the shared ProjectionRunner from JetStream, over a partners log of ambassador
events (appointed, then term ended: every event is a row written), beside
raw fetch of the same messages.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from bench import relay, replay, services
from bench.common import Row, Target, now, token
from bench.http_load import RawClient, RequestMaker
from shared.envelope import log_subjects
from shared.eventstore import EventStore, Metadata

if TYPE_CHECKING:
    from bench.sections import Context

ACTOR = {"X-Actor": "bench:outreach"}
AMBASSADOR_EVENTS = 20_000


def available() -> bool:
    try:
        return importlib.util.find_spec("services.outreach.app") is not None
    except ModuleNotFoundError:
        return False


def _today() -> date:
    return datetime.now(UTC).date()


# ---------------------------------------------------------------- read model


async def _ambassador_log(store: EventStore, region: str, events: int) -> None:
    """`events` ambassador events: each ambassador appointed, then its term ended early."""
    from services.partners import events as ev

    meta = Metadata(actor="bench:fill", correlation_id="bench")
    today = _today()

    async def one() -> None:
        appointed = ev.AmbassadorAppointed(
            person={"name": "Duta Bench", "phone": "+62 812-0000-0000"},
            region=region,
            term_starts_on=today - timedelta(days=100),
            term_ends_on=today + timedelta(days=600),
        )
        ended = ev.AmbassadorTermEnded(ended_on=today, reason="early")
        await store.append(uuid.uuid4(), 0, [appointed, ended], meta)

    for _ in range(0, events // 2, 50):
        await asyncio.gather(*(one() for _ in range(50)))


async def read_model_rate(ctx: Context, n: int) -> tuple[float, float]:
    """(read model events/s, raw fetch events/s) over a fresh ambassador log."""
    from services.outreach.readmodels import AmbassadorsReadModel

    region = ctx.region()
    log_pool = await asyncpg.create_pool(
        await ctx.database(f"ambassadors{n}"), min_size=2, max_size=8
    )
    model_pool = await asyncpg.create_pool(
        await ctx.database(f"outreach{n}"), min_size=2, max_size=4
    )
    try:
        store = EventStore(log_pool, region=region, service="partners")
        await store.setup()
        await _ambassador_log(store, region, AMBASSADOR_EVENTS)
        start_seq = await replay.stream_last_seq(ctx.nc, ctx.stream) + 1
        _, sent = await relay.relay_rate(store, ctx.nc, ctx.stream)
        subject = log_subjects(region, "partners")
        raw = await replay.raw_fetch_rate(
            ctx.nc, ctx.stream, subject, start_seq=start_seq, expect=sent
        )
        rate, _ = await replay.runner_rate(
            model_pool,
            ctx.nc,
            AmbassadorsReadModel(),
            ctx.stream,
            start_seq=start_seq,
            expect=sent,
        )
        async with model_pool.acquire() as conn:
            kept = await conn.fetchval(
                "SELECT count(*) FROM known_ambassadors WHERE ended_on IS NOT NULL"
            )
        if kept < sent // 2:
            raise RuntimeError(f"read model kept {kept} ended terms of {sent // 2}")
        return rate, raw
    finally:
        await log_pool.close()
        await model_pool.close()


# ---------------------------------------------------------------- command path


async def _ok(
    client: RawClient,
    method: str,
    path: str,
    body: Any = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Any:
    got, doc = await client.request(method, path, body, {**ACTOR, **(headers or {})})
    if got != status:
        raise RuntimeError(f"{method} {path}: {got} {json.dumps(doc)[:400]}")
    return doc


def _held(ambassador_id: str, title: str) -> dict[str, Any]:
    return {
        "title": f"Sosialisasi Sahabat Pemasyarakatan {title}",
        "lead_ambassador_id": ambassador_id,
        "channel": "socialization",
        "held_on": str(_today()),
        "place": {"name": "Balai Desa", "regency": "Kota Surabaya"},
        "topics": ["reintegrasi sosial"],
        "audience": {"general_public": 60, "students": 25, "families_of_inmates": 5},
    }


async def _setup(partners_url: str, outreach_url: str) -> str:
    """An ambassador the outreach service knows; its id."""
    part, outr = RawClient(partners_url), RawClient(outreach_url)
    await part.connect()
    await outr.connect()
    try:
        appointed = await _ok(
            part,
            "POST",
            "/ambassadors",
            {
                "person": {"name": f"Duta Bench {token()}", "phone": "+62 812-0000-0000"},
                "term_starts_on": str(_today() - timedelta(days=30)),
                "term_ends_on": str(_today() + timedelta(days=700)),
            },
            201,
        )
        deadline = now() + 120
        while True:  # the read model may first have to catch up with earlier partners events
            status, doc = await outr.request(
                "POST",
                "/outreach/held",
                _held(appointed["id"], "warm-up"),
                {**ACTOR, "X-Partners-Position": str(appointed["position"])},
            )
            if status == 201:
                return str(appointed["id"])
            if now() > deadline:
                raise RuntimeError(f"outreach never learnt the ambassador: {status} {doc}")
            await asyncio.sleep(0.5)
    finally:
        part.close()
        outr.close()


def held_maker(ambassador_id: str) -> RequestMaker:
    serial = itertools.count()

    def make(conn: RawClient, index: int, n: int) -> bytes:
        body = json.dumps(_held(ambassador_id, str(next(serial)))).encode()
        return conn.build("POST", "/outreach/held", body, ACTOR)

    return make


def coverage_maker(outreach_ids: list[str], clients: int) -> RequestMaker:
    """Client i cycles over outreach[i::clients] (none shared), a new link per request."""
    mine = [outreach_ids[i::clients] for i in range(clients)]
    run = token()

    def make(conn: RawClient, index: int, n: int) -> bytes:
        ids = mine[index]
        body = json.dumps(
            {
                "outlet": "Radar Kota",
                "medium": "online",
                "title": "Warga peduli Warga Binaan",
                "link": f"https://media.example.id/{run}/{index}/{n}",
                "published_on": str(_today()),
                "estimated_reach": 1000,
            }
        ).encode()
        return conn.build("POST", f"/outreach/{ids[n % len(ids)]}/coverage", body, ACTOR)

    return make


async def _outreach_events(url: str, ambassador_id: str, count: int) -> list[str]:
    client = RawClient(url)
    await client.connect()
    try:
        return [
            (await _ok(client, "POST", "/outreach/held", _held(ambassador_id, f"c{i}"), 201))["id"]
            for i in range(count)
        ]
    finally:
        client.close()


async def section(ctx: Context) -> list[Row]:
    if not available():
        return [
            Row(
                "outreach",
                "command path over HTTP",
                "cmd/s",
                note="not measured yet: services/outreach has no app",
            )
        ]
    rows: list[Row] = []
    stack = ctx.stack
    partners_db = await ctx.service_database("partners")
    outreach_db = await ctx.service_database("outreach")
    with (
        services.running("partners", stack, partners_db) as partners,
        services.running("outreach", stack, outreach_db) as outreach,
    ):
        ctx.say(f"partners at {partners.url}, outreach at {outreach.url}")
        ambassador_id = await _setup(partners.url, outreach.url)
        ctx.say("outreach knows the ambassador; measuring")
        held = await services.measure_commands(
            outreach.url,
            lambda clients: held_maker(ambassador_id),
            repeat=ctx.args.repeat,
            seconds=ctx.args.seconds,
            say=ctx.say,
            label="POST /outreach/held",
        )
        rows += services.command_rows("outreach", "POST /outreach/held", held, ctx.raw_single)
        label = "POST /outreach/{id}/coverage"
        try:
            ids = await _outreach_events(outreach.url, ambassador_id, 128)
            covered = await services.measure_commands(
                outreach.url,
                lambda clients: coverage_maker(ids, clients),
                repeat=ctx.args.repeat,
                seconds=ctx.args.seconds,
                say=ctx.say,
                label=label,
            )
            rows += services.command_rows("outreach", label, covered, ctx.raw_single)
        except Exception as exc:  # noqa: BLE001 - keep the first figures
            rows.append(Row("outreach", label, "cmd/s", note=f"FAILED: {exc}"))
        rss = services.rss_mb(outreach)
    rows.append(
        Row(
            "outreach",
            "service RSS after the load",
            "MB",
            [rss],
            target=Target(150, lower_is_better=True),
            higher_is_better=False,
        )
    )
    model = Row(
        "outreach",
        "ambassadors read model (AmbassadorsReadModel)",
        "events/s",
        limit_name="raw fetch(500)",
        target=Target(30_000, 0.75),
        note="ambassador events (appointed, term ended) applied by its ProjectionRunner",
    )
    for n in range(ctx.args.repeat):
        try:
            rate, raw = await read_model_rate(ctx, n)
        except Exception as exc:  # noqa: BLE001 - keep the command figures
            model.note = f"FAILED: {type(exc).__name__}: {exc}"
            break
        model.runs.append(rate)
        model.limit_runs.append(raw)
        ctx.say(f"ambassadors read model run {n + 1}: {rate:,.0f}/s; raw fetch {raw:,.0f}/s")
    rows.append(model)
    return rows
