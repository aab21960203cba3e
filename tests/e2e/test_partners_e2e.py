"""End to end: the partners service as a process -> NATS -> the CloudEvents SDK -> a projection row.

Also the auditor's side: `sahabat verify` on the service's own database, before
and after one stored event is tampered with. Runs in the file's order: the last
test stops the process.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import subprocess
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import rfc8785
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from sahabat.processes import ServiceProcess
from services.partners import events as partner_events
from shared.projections import ProjectionRunner
from shared.readmodel import Delivered
from tests.e2e.conftest import REGION

pytestmark = pytest.mark.e2e

STREAM = "PAS_EVENTS"
ACTOR = "maria@kanwil-ntt"
REGISTERED = "pas.partners.partner_registered.v1"
SUBJECT = f"pas.events.{REGION}.partners.partner_registered"


def organisation(name: str) -> dict[str, Any]:
    return {
        "kind": "community_organization",
        "name": name,
        "contact": {"person_name": "Yohanes Ndun", "phone": "+62 812-3900-1122"},
        "interests": ["independence", "reintegration"],
    }


async def post_partner(
    service: ServiceProcess, body: dict[str, Any], **headers: str
) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=service.url, timeout=10) as client:
        response = await client.post("/partners", json=body, headers={"X-Actor": ACTOR} | headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def message_for(nc: NATS, subject: str, event_id: str, timeout: float = 10.0) -> Msg:
    """The message on `subject` in the stream whose Nats-Msg-Id is `event_id` (waiting for it)."""
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        subject,
        stream=STREAM,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=10.0
        ),
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while loop.time() < deadline:
            try:
                msgs = await sub.fetch(100, timeout=0.5)
            except (FetchTimeoutError, TimeoutError):
                continue
            for msg in msgs:
                if (msg.headers or {}).get("Nats-Msg-Id") == event_id:
                    return msg
    finally:
        await sub.unsubscribe()
    raise AssertionError(f"event {event_id} not on {subject} within {timeout} s")


class RegisteredPartners:
    """A tiny projection: one row per partner_registered, in a table of a test database."""

    def __init__(self) -> None:
        self.name = f"e2e_partners_{uuid.uuid4().hex[:8]}"
        self.subjects: Sequence[str] = (SUBJECT,)
        self.registry = partner_events.registry

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS e2e_partners (partner_id uuid PRIMARY KEY,"
            " region text NOT NULL, kind text NOT NULL, name text, position bigint NOT NULL,"
            " actor text NOT NULL)"
        )

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE e2e_partners")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        for item in batch:
            event = item.event
            assert isinstance(event, partner_events.PartnerRegistered)
            await conn.execute(
                "INSERT INTO e2e_partners VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                uuid.UUID(item.recorded.subject),
                event.region,
                event.kind.value,
                event.name,
                item.recorded.position,
                item.recorded.actor,
            )


async def test_post_to_cloudevent_on_nats_to_projection_row(
    partners_process: ServiceProcess,
    nc: NATS,
    pool: asyncpg.Pool,
) -> None:
    name = f"Pokmas Lipas Kupang {uuid.uuid4().hex[:6]}"
    correlation = f"req-{uuid.uuid4().hex[:8]}"
    answer = await post_partner(
        partners_process, organisation(name), **{"X-Correlation-Id": correlation}
    )
    partner_id, position = answer["id"], answer["position"]
    [appended] = answer["events"]
    assert appended["type"] == REGISTERED

    msg = await message_for(nc, SUBJECT, appended["id"])
    assert msg.subject == SUBJECT
    assert msg.headers is not None
    assert msg.headers["Content-Type"] == "application/cloudevents+json"

    # The official SDK parses it (structured mode: the whole event is the body).
    event = from_http_event(HTTPMessage(headers=dict(msg.headers), body=msg.data))
    assert event.get_specversion() == "1.0"
    assert event.get_type() == REGISTERED
    assert event.get_source() == f"/pas/{REGION}/partners"
    assert event.get_subject() == partner_id
    assert event.get_id() == msg.headers["Nats-Msg-Id"] == appended["id"]
    assert uuid.UUID(event.get_id()).version == 7
    assert event.get_datacontenttype() == "application/json"
    moment = event.get_time()
    assert moment is not None and moment.utcoffset() == timedelta(0)
    assert moment.tzinfo is not None and moment.astimezone(UTC) == moment
    ext = event.get_extension
    assert ext("region") == REGION
    assert ext("aggregatetype") == "partner"
    assert ext("aggregateversion") == 1
    assert ext("position") == position
    assert ext("actor") == ACTOR
    assert ext("correlationid") == correlation
    for key in ("prevhash", "hash"):
        value = ext(key)
        assert isinstance(value, str) and len(value) == 64 and int(value, 16) >= 0
    if position == 1:
        assert ext("prevhash") == "0" * 64
    data = event.get_data()
    assert isinstance(data, dict)
    assert data["kind"] == "community_organization" and data["name"] == name
    assert data["region"] == REGION
    assert data["interests"] == ["independence", "reintegration"]
    assert data["referral"] is None
    assert "contact" in data  # personal data: present (maybe as ciphertext), never dropped
    # `data` is the event's pydantic model as JSON: the registry reads it back as that model.
    model = partner_events.registry.load_json(REGISTERED, json.dumps(data))
    assert isinstance(model, partner_events.PartnerRegistered) and model.name == name

    # The hash is DESIGN.md's formula, recomputed here from the message with the rfc8785 package.
    raw = json.loads(msg.data)
    body = {
        key: raw[key]
        for key in (
            "id",
            "type",
            "source",
            "subject",
            "time",
            "position",
            "aggregateversion",
            "data",
        )
    }
    expected = hashlib.sha256(bytes.fromhex(raw["prevhash"]) + rfc8785.dumps(body)).hexdigest()
    assert raw["hash"] == expected
    assert raw["time"].endswith("Z") and len(raw["time"].split(".")[1]) == 7  # µs + Z

    # And a projection row, kept by the project's own runner from the stream.
    projection = RegisteredPartners()
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, fetch_timeout=0.3)
    await runner.setup()
    await asyncio.wait_for(runner.run(until_caught_up=True), timeout=20)
    row = await pool.fetchrow(
        "SELECT * FROM e2e_partners WHERE partner_id = $1", uuid.UUID(partner_id)
    )
    assert row is not None
    assert (row["region"], row["kind"], row["name"]) == (REGION, "community_organization", name)
    assert (row["position"], row["actor"]) == (position, ACTOR)
    assert await runner.checkpoint() >= msg.metadata.sequence.stream


def sahabat_verify(database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sahabat.cli",
            "verify",
            "--region",
            REGION,
            "--service",
            "partners",
            "--database-url",
            database_url,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_verify_cli_finds_a_tampered_event(
    partners_process: ServiceProcess,
    partners_database_url: str,
) -> None:
    def unique(name: str) -> dict[str, Any]:
        return organisation(f"{name} {uuid.uuid4().hex[:6]}")

    for word in ("Sumba", "Rote", "Alor"):
        await post_partner(partners_process, unique(f"Komunitas {word}"))
    target = (await post_partner(partners_process, unique("Sanggar Timor")))["position"]
    await post_partner(partners_process, unique("Komunitas Flores"))

    intact = await asyncio.to_thread(sahabat_verify, partners_database_url)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert intact.stdout.startswith("OK"), intact.stdout
    assert f"{REGION}/partners" in intact.stdout

    conn = await asyncpg.connect(partners_database_url)
    try:
        where = "log = $1 AND position = $2"
        original = await conn.fetchval(
            f"SELECT data FROM pas_events WHERE {where}", f"{REGION}/partners", target
        )
        assert "Sanggar Timor" in original
        await conn.execute(
            f"UPDATE pas_events SET data = $3 WHERE {where}",
            f"{REGION}/partners",
            target,
            original.replace("Sanggar Timor", "Sanggar Tim0r"),
        )
        try:
            broken = await asyncio.to_thread(sahabat_verify, partners_database_url)
        finally:
            await conn.execute(
                f"UPDATE pas_events SET data = $3 WHERE {where}",
                f"{REGION}/partners",
                target,
                original,
            )
    finally:
        await conn.close()
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert broken.stdout.startswith("BROKEN"), broken.stdout
    assert f"first broken position {target}:" in broken.stdout

    restored = await asyncio.to_thread(sahabat_verify, partners_database_url)
    assert restored.returncode == 0, restored.stdout + restored.stderr


def test_service_stops_cleanly_on_sigterm(partners_process: ServiceProcess) -> None:
    assert httpx.get(f"{partners_process.url}/healthz", timeout=5).status_code == 200
    partners_process.process.send_signal(signal.SIGTERM)
    try:
        code = partners_process.process.wait(15)
    except subprocess.TimeoutExpired:
        pytest.fail("the service did not exit within 15 s of SIGTERM")
    log = partners_process.log_path.read_text(errors="replace")
    # uvicorn shuts down gracefully (lifespan: relay, jobs, broker, pool), then re-raises
    # the signal it caught, so the exit status is "terminated by SIGTERM" (or 0).
    assert code in (0, -signal.SIGTERM), log[-3000:]
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
