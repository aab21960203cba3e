"""The evaluation report over real NATS and PostgreSQL: the figures of a known history (as the
fold in memory finds them, itself checked against hand counts), formats, errors, read your
writes and a rebuild that never interrupts answers."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from nats.aio.client import Client as NATS
from openpyxl import load_workbook

from sahabat.cli import main
from services.reporting.api import caught_up
from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.settings import Settings
from tests.integration.reporting.conftest import NOW, documented_problems, publish, reporting
from tests.integration.reporting.serving import serving
from tests.unit.reporting.memory import MemoryProjection
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration
COMPARED = (
    "partners",
    "ambassadors",
    "programs",
    "participation",
    "change_domains",
    "outreach",
    "prospects",
    "monitoring",
)


def _same(got: dict[str, Any], expected: dict[str, Any]) -> None:
    assert got["scope"] == expected["scope"]
    for key in COMPARED:
        assert got[key] == expected[key], key
    for key in ("signed", "by_instrument", "active", "by_status", "renewed"):
        assert got["agreements"][key] == expected["agreements"][key], key


async def test_report_equals_the_known_figures(
    reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    history = build()
    await publish(private_nats[1], history.items)
    memory = MemoryProjection().feed(history.items)
    last = history.positions[("ntt", "outreach")]
    async with reporting(reporting_settings) as client:
        answer = await client.get(
            "/reports/evaluation", headers={"X-Outreach-Position": f"ntt/{last}"}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        _same(body, memory.report())
        assert body["as_of"]["jatim/partners"] == history.positions[("jatim", "partners")]
        assert body["as_of"]["ntt/programs"] == history.positions[("ntt", "programs")]
        assert body["agreements"]["expiring_within_60_days"] == 1  # ends 31 Dec 2030, today 1 Nov
        assert body["partners"]["registered"] == 3  # hand count (scenario)
        for scope in (
            {"region": "jatim", "from": "2026-02-01", "to": "2026-02-28"},
            {"region": "jatim", "from": "2026-02-15", "to": "2026-03-20"},
            {"region": "ntt", "from": "2026-02-11", "to": "2026-02-11"},
            {"from": "2026-01-01", "to": "2026-03-31"},
            {"to": "2026-02-10"},
        ):
            answer = await client.get("/reports/evaluation", params=scope)
            assert answer.status_code == 200, answer.text
            start, end = scope.get("from"), scope.get("to")
            _same(
                answer.json(),
                memory.report(
                    scope.get("region"),
                    start and date.fromisoformat(start),
                    end and date.fromisoformat(end),
                ),
            )

        national = (await client.get("/reports/evaluation", params={"by_region": "true"})).json()
        assert len(national["regions"]) == 33  # every region, side by side
        assert national["regions"]["aceh"]["partners"]["registered"] == 0
        for code in ("jatim", "ntt", "aceh"):
            inner = national["regions"][code]
            alone = (await client.get("/reports/evaluation", params={"region": code})).json()
            _same(inner, alone)

        text = (
            await client.get(
                "/reports/evaluation", params={"region": "jatim"}, headers={"Accept": "text/csv"}
            )
        ).text
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["region", "from", "to", "section", "figure", "value"]
        figures = {(r[3], r[4]): r[5] for r in rows[1:]}
        jatim = memory.report("jatim")
        assert figures[("partners", "registered")] == str(jatim["partners"]["registered"])
        assert figures[("programs", "reached.design")] == "1"
        answer = await client.get("/reports/evaluation", params={"format": "xlsx"})
        book = load_workbook(io.BytesIO(answer.content))
        assert "Mitra" in book.sheetnames and "Program" in book.sheetnames
        sheet = {row[0]: row[1] for row in book["Mitra"].iter_rows(min_row=2, values_only=True)}
        assert sheet["registered"] == 3

        ambassadors = (await client.get("/reports/ambassadors")).json()["items"]
        assert sorted(
            (a["outreach_led"], a["prospects"], a["conversions"]) for a in ambassadors
        ) == [(1, 1, 0), (1, 2, 1)]
        stuck = (await client.get("/reports/programs/stuck", params={"days": 30})).json()
        assert stuck["count"] == 0  # G1 completed, G2 discontinued
        expiring = await client.get(
            "/reports/agreements/expiring", params={"within_days": 90, "format": "csv"}
        )
        assert expiring.text.splitlines()[0].startswith("agreement_id,region")
        assert len(expiring.text.splitlines()) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "atlantis"}, "region"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "0001-01-02"}, "from"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to"),
        ({"format": "pdf"}, "format"),
        ({"as_of": "2026-02-30T10:00:00Z"}, "as_of"),
    ],
)
async def test_bad_scope_is_422_naming_the_parameter(
    reporting_settings: Settings, params: dict[str, str], field: str
) -> None:
    async with reporting(reporting_settings) as client:
        answer = await client.get("/reports/evaluation", params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == "invalid_input"  # as every service answers a bad value
    assert body["field"] == field and [e["field"] for e in body["errors"]] == [field]
    assert body["detail"].startswith(f"Data tidak valid pada: {field}.") and body["detail_en"]


async def test_position_not_reached_is_409(
    reporting_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caught_up, "WAIT_SECONDS", 0.3)
    async with reporting(reporting_settings) as client:
        answer = await client.get(
            "/reports/evaluation",
            params={"region": "jatim"},
            headers={"X-Partners-Position": "999"},
        )
        assert answer.status_code == 409 and answer.json()["code"] == "report_not_caught_up"
        answer = await client.get("/reports/evaluation", headers={"X-Partners-Position": "9"})
        assert answer.status_code == 422  # national: name the region
        assert answer.json()["code"] == "invalid_input"
        assert answer.json()["field"] == "X-Partners-Position"


async def test_rebuild_switches_without_interrupting(
    reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    history = build()
    await publish(private_nats[1], history.items)
    last = history.positions[("ntt", "outreach")]
    async with reporting(reporting_settings) as client:
        before = (
            await client.get("/reports/evaluation", headers={"X-Outreach-Position": f"ntt/{last}"})
        ).json()
        started = await client.post("/admin/rebuild")
        assert started.status_code == 202 and started.json()["generation"] == 2
        answers = []
        while True:
            answer = await client.get("/reports/evaluation")
            answers.append(answer)
            progress = (await client.get("/admin/rebuild")).json()
            if progress["rebuild"]["state"] != "building":
                break
            await asyncio.sleep(0.01)
        assert progress["rebuild"]["state"] == "switched", progress
        assert progress["active_generation"] == 2
        assert all(a.status_code == 200 for a in answers)
        for answer in answers:
            _same(answer.json(), before)
        after = (await client.get("/reports/evaluation")).json()
        _same(after, before)
        assert after["as_of"] == before["as_of"]


async def test_sahabat_rebuild_reporting(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    history = build()
    await publish(private_nats[1], history.items)
    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    async with serving(app) as url:
        (tmp_path / "stack.json").write_text(json.dumps({"hub": {"services": {"reporting": url}}}))
        code = await asyncio.to_thread(main, ["--state", str(tmp_path), "rebuild", "reporting"])
        assert code == 0
        assert "switched to generation 2" in capsys.readouterr().out
        async with httpx.AsyncClient(base_url=url) as client:
            assert (await client.get("/admin/rebuild")).json()["active_generation"] == 2
            report = (await client.get("/reports/evaluation")).json()
    assert report["partners"]["registered"] == 3


async def test_a_generation_of_another_projection_version_is_rebuilt_at_start(
    reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    """Upgraded code does not answer from tables an older version filled differently."""
    history = build()
    await publish(private_nats[1], history.items)
    last = history.positions[("ntt", "outreach")]
    waiting = {"X-Outreach-Position": f"ntt/{last}"}
    async with reporting(reporting_settings) as client:
        before = (await client.get("/reports/evaluation", headers=waiting)).json()
        assert (await client.get("/admin/rebuild")).json()["active_generation"] == 1
    pool = await asyncpg.connect(reporting_settings.database_url)
    try:  # as if generation 1 had been made by an older version that left a table empty
        await pool.execute("UPDATE reporting_generations SET projection_version = 0")
        await pool.execute("TRUNCATE reporting_g1.counters_total")
    finally:
        await pool.close()
    async with reporting(reporting_settings) as client:
        for _ in range(600):
            progress = (await client.get("/admin/rebuild")).json()
            if progress["active_generation"] == 2:
                break
            await asyncio.sleep(0.05)
        assert progress["active_generation"] == 2, progress
        after = (await client.get("/reports/evaluation", headers=waiting)).json()
        _same(after, before)


async def test_admin_calls_are_open_with_one_warning_when_no_token_is_set(
    reporting_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    assert reporting_settings.admin_token is None
    with caplog.at_level(logging.WARNING, logger="services.reporting.runtime"):
        async with reporting(reporting_settings) as client:
            assert (await client.post("/admin/rebuild")).status_code == 202
    warned = [r for r in caplog.records if "PAS_ADMIN_TOKEN" in r.getMessage()]
    assert len(warned) == 1 and "open" in warned[0].getMessage()


async def test_admin_calls_need_the_token_when_one_is_set(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = "s3cret-admin-token"
    settings = dataclasses.replace(reporting_settings, admin_token=token)
    assert token not in repr(settings)
    await publish(private_nats[1], build().items)
    app = create(settings, ReportingRuntime(settings, clock=lambda: NOW))
    hooks = {"response": [documented_problems(app.openapi())]}
    async with serving(app) as url:
        async with httpx.AsyncClient(base_url=url, event_hooks=hooks) as client:
            for headers in (
                {},
                {"Authorization": "Bearer wrong"},
                {"Authorization": f"Basic {token}"},
                {"Authorization": f"Bearer {token}x"},
            ):
                answer = await client.post("/admin/rebuild", headers=headers)
                assert answer.status_code == 401, headers
                assert answer.headers["content-type"].startswith("application/problem+json")
                assert answer.headers["www-authenticate"].startswith("Bearer")
                problem = answer.json()
                assert problem["code"] == "unauthorized" and problem["field"] == "Authorization"
                assert "PAS_ADMIN_TOKEN" in problem["detail"] and problem["detail_en"]
                assert token not in answer.text
            progress = await client.get("/admin/rebuild")  # following a rebuild stays open
            assert progress.status_code == 200 and progress.json()["rebuild"] is None

        # the CLI sends the token from its environment, and says what is missing without it
        (tmp_path / "stack.json").write_text(json.dumps({"hub": {"services": {"reporting": url}}}))
        monkeypatch.delenv("PAS_ADMIN_TOKEN", raising=False)
        command = ["--state", str(tmp_path), "rebuild", "reporting"]
        assert await asyncio.to_thread(main, command) == 1
        assert "set PAS_ADMIN_TOKEN" in capsys.readouterr().err
        monkeypatch.setenv("PAS_ADMIN_TOKEN", token)
        assert await asyncio.to_thread(main, command) == 0
        assert "switched to generation 2" in capsys.readouterr().out
    assert not [r for r in caplog.records if "PAS_ADMIN_TOKEN is not set" in r.getMessage()]
