"""The programs service: its command path over HTTP, and its partners read-model update rate.

Command path: the partners and programs services run as processes (region
jatim); a partner is registered, verified and put under an MoU through the
partners API, a unit registered through the programs API, and once the
programs read model has the partner, the load is
  * POST /programs (propose: loads the unit, reads the partner facts from the
    read model, decides, appends a new program), and
  * POST /programs/{id}/activities (loads a program's stream, decides,
    appends); each client cycles over programs of its own, so streams stay
    short and no two clients write the same program.

Read-model rate: `PartnersReadModel` (services/programs/readmodels) fed by
the shared ProjectionRunner from JetStream, over the same partners log the
replay figure uses, beside raw fetch of the same messages.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from bench import replay, services
from bench.common import Row, Target, now, token
from bench.http_load import RawClient, RequestMaker

if TYPE_CHECKING:
    from bench.sections import Context

ACTOR = {"X-Actor": "bench:programs"}


def available() -> bool:
    try:
        return (
            importlib.util.find_spec("services.programs.app") is not None
            and importlib.util.find_spec("services.programs.readmodels") is not None
        )
    except ModuleNotFoundError:
        return False


def read_model_row() -> Row:
    row = Row(
        "programs",
        "partners read model (PartnersReadModel)",
        "events/s",
        limit_name="raw fetch(500)",
        target=Target(30_000, 0.75),
        note="partners events applied into the programs read model by its ProjectionRunner",
    )
    if not available():
        row.note = "not measured yet: services/programs has no app/read model"
    return row


async def read_model_rate(ctx: Context, *, start_seq: int, expect: int, n: int) -> float:
    from services.programs.readmodels import PartnersReadModel

    url = await ctx.database(f"programs{n}")
    pool = await asyncpg.create_pool(url, min_size=2, max_size=4)
    try:
        rate, _ = await replay.runner_rate(
            pool, ctx.nc, PartnersReadModel(), ctx.stream, start_seq=start_seq, expect=expect
        )
        return rate
    finally:
        await pool.close()


# ---------------------------------------------------------------- command path


def _today() -> date:
    return datetime.now(UTC).date()


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


async def _ready_json(client: RawClient) -> Any:
    _, doc = await client.request("GET", "/readyz")
    return doc


async def _setup(partners_url: str, programs_url: str, region: str) -> tuple[str, str]:
    """A partner under an MoU that programs knows, and a unit; (partner id, unit id)."""
    part = RawClient(partners_url)
    prog = RawClient(programs_url)
    await part.connect()
    await prog.connect()
    try:
        name = f"Yayasan Bench Sahabat {token()}"
        partner = await _ok(
            part,
            "POST",
            "/partners",
            {
                "kind": "community_organization",
                "name": name,
                "contact": {"person_name": "Rina", "email": "rina@example.org"},
                "interests": ["independence"],
            },
            201,
        )
        await _ok(part, "POST", f"/partners/{partner['id']}/verify")
        signed = await _ok(
            part,
            "POST",
            "/agreements",
            {
                "partner_id": partner["id"],
                "instrument": "mou",
                "number": f"MOU/{token()}",
                "scope": "Pembinaan kemandirian",
                "signed_level": "kanwil",
                "starts_on": str(_today() - timedelta(days=30)),
                "ends_on": str(_today() + timedelta(days=365)),
            },
            201,
        )
        unit = await _ok(
            prog,
            "POST",
            "/units",
            {
                "code": f"LP-{token()}",
                "name": "Lapas Kelas I Surabaya",
                "type": "lapas",
                "region": region,
            },
            201,
        )
        # The programs read model may first have to catch up with earlier partners events.
        deadline = now() + 120
        while True:
            status, doc = await prog.request(
                "POST",
                "/programs",
                _proposal(unit["id"], partner["id"], "warm-up"),
                {**ACTOR, "X-Partners-Position": str(signed["position"])},
            )
            if status == 201:
                break
            if now() > deadline:
                raise RuntimeError(f"programs never learnt the partner: {status} {doc}")
            await asyncio.sleep(0.5)
        return partner["id"], unit["id"]
    finally:
        part.close()
        prog.close()


def _proposal(unit_id: str, lead: str, title: str) -> dict[str, Any]:
    return {
        "title": f"Pelatihan Barista bagi Warga Binaan {title}",
        "unit_id": unit_id,
        "lead_partner_id": lead,
        "track": "independence",
        "target_group": "Warga Binaan laki-laki dewasa",
        "planned_participants": 25,
        "planned_sessions": 12,
        "starts_on": str(_today() - timedelta(days=10)),
        "ends_on": str(_today() + timedelta(days=200)),
        "funding_source": "csr",
    }


def propose_maker(unit_id: str, partner_id: str) -> RequestMaker:
    serial = itertools.count()

    def make(conn: RawClient, index: int, n: int) -> bytes:
        body = json.dumps(_proposal(unit_id, partner_id, str(next(serial)))).encode()
        return conn.build("POST", "/programs", body, ACTOR)

    return make


ACTIVITY = json.dumps(
    {
        "held_on": None,
        "sessions": 2,
        "participants": {"male_adult": 14, "male_elderly": 2, "female_adult": 3},
        "volunteer_hours": 6,
        "note": "Sesi praktik menyeduh kopi",
    }
)


def activity_maker(program_ids: list[str], clients: int) -> RequestMaker:
    """Client i cycles over programs[i::clients] (none shared between clients)."""
    body = ACTIVITY.replace('"held_on": null', f'"held_on": "{_today()}"').encode()
    mine = [program_ids[i::clients] for i in range(clients)]

    def make(conn: RawClient, index: int, n: int) -> bytes:
        ids = mine[index]
        return conn.build("POST", f"/programs/{ids[n % len(ids)]}/activities", body, ACTOR)

    return make


async def _programs_in_collaboration(
    url: str, unit_id: str, partner_id: str, count: int
) -> list[str]:
    """`count` programs moved to continued_collaboration (where activities are recorded)."""
    client = RawClient(url)
    await client.connect()
    ids = []
    try:
        for i in range(count):
            program = await _ok(
                client, "POST", "/programs", _proposal(unit_id, partner_id, f"aktivitas {i}"), 201
            )
            await _ok(
                client,
                "POST",
                f"/programs/{program['id']}/advance",
                {
                    "to_stage": "continued_collaboration",
                    "reason": "Pendekatan awal berhasil; kerja sama dilanjutkan",
                },
            )
            ids.append(program["id"])
        return ids
    finally:
        client.close()


async def section(ctx: Context) -> list[Row]:
    if not available():
        return [
            Row(
                "programs",
                "command path over HTTP",
                "cmd/s",
                note="not measured yet: services/programs has no app/API yet",
            )
        ]
    stack = ctx.stack
    partners_db = await ctx.service_database("partners")
    programs_db = await ctx.service_database("programs")
    with (
        services.running("partners", stack, partners_db) as partners,
        services.running("programs", stack, programs_db) as programs,
    ):
        ctx.say(f"partners at {partners.url}, programs at {programs.url}")
        partner_id, unit_id = await _setup(partners.url, programs.url, services.REGION)
        ctx.say("programs knows the partner; measuring")
        make = propose_maker(unit_id, partner_id)
        proposed = await services.measure_commands(
            programs.url,
            lambda clients: make,
            repeat=ctx.args.repeat,
            seconds=ctx.args.seconds,
            say=ctx.say,
            label="POST /programs",
        )
        rows = services.command_rows(
            "programs", "POST /programs (propose)", proposed, ctx.raw_single
        )
        label = "POST /programs/{id}/activities"
        try:
            program_ids = await _programs_in_collaboration(programs.url, unit_id, partner_id, 128)
            activities = await services.measure_commands(
                programs.url,
                lambda clients: activity_maker(program_ids, clients),
                repeat=ctx.args.repeat,
                seconds=ctx.args.seconds,
                say=ctx.say,
                label=label,
                expect=200,
            )
            rows += services.command_rows("programs", label, activities, ctx.raw_single)
        except Exception as exc:  # noqa: BLE001 - keep the propose figures
            rows.append(Row("programs", label, "cmd/s", note=f"FAILED: {exc}"))
        rss = services.rss_mb(programs)
    rows.append(
        Row(
            "programs",
            "service RSS after the load",
            "MB",
            [rss],
            target=Target(150, lower_is_better=True),
            higher_is_better=False,
        )
    )
    return rows
