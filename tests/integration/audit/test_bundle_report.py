"""`sahabat audit report`: the report recomputed from a bundle equals the reporting service's.

A known history of two regions (tests/unit/reporting/scenario.py, its hashes
chained here) is published to a NATS server of the test's own; the reporting
service answers the jatim report, and the bundle exported from the same NATS
is replayed by the command on a throwaway PostgreSQL it starts and removes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client as NATS

from sahabat import audit_report
from shared.audit.export import collect_log, services_of, write_bundle
from shared.canonical import ZERO_HASH, canonical_json, chain_hash
from shared.readmodel import Delivered
from shared.settings import Settings
from tests.conftest import STREAM
from tests.integration.reporting.conftest import NOW, publish, reporting
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration
COMPARED = (
    "scope",
    "partners",
    "agreements",
    "ambassadors",
    "programs",
    "participation",
    "change_domains",
    "outreach",
    "prospects",
    "over_time",
)


def chained(items: list[Delivered]) -> list[Delivered]:
    """The same events with a real hash chain per log."""
    last: dict[tuple[str, str], str] = defaultdict(lambda: ZERO_HASH)
    out = []
    for item in sorted(items, key=lambda i: (i.recorded.source, i.recorded.position)):
        key = (item.recorded.region, item.recorded.service)
        data_json = canonical_json(json.loads(item.recorded.data_json))  # stored canonical
        recorded = dataclasses.replace(item.recorded, prevhash=last[key], data_json=data_json)
        recorded = dataclasses.replace(
            recorded, hash=chain_hash(last[key], recorded.canonical_body())
        )
        last[key] = recorded.hash
        out.append(dataclasses.replace(item, recorded=recorded))
    return sorted(out, key=lambda i: i.seq)


async def test_the_report_from_a_bundle_equals_the_service_report(
    reporting_settings: Settings,
    private_nats: tuple[str, NATS],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    history = build()
    await publish(private_nats[1], chained(history.items))
    last = history.positions[("jatim", "programs")]
    async with reporting(reporting_settings) as client:
        answer = await client.get(
            "/reports/evaluation",
            params={"region": "jatim"},
            headers={"X-Programs-Position": f"jatim/{last}"},
        )
        assert answer.status_code == 200, answer.text
        live: dict[str, Any] = answer.json()

    js = private_nats[1].jetstream()
    logs = [
        await collect_log(
            js,
            events_stream=STREAM,
            checkpoint_stream="PAS_CHECKPOINTS",
            region="jatim",
            service=service,
        )
        for service in await services_of(js, STREAM, "jatim")
    ]
    out = tmp_path / "jatim.zip"
    write_bundle(
        out,
        logs,
        [],
        region="jatim",
        created_at=NOW,
        created_by="auditor@test",
        as_of=None,
        source={"events_stream": STREAM},
    )

    # the command as an auditor runs it (its own event loop, its own throwaway PostgreSQL)
    code = await asyncio.to_thread(audit_report.report, out, region="jatim", start=None, end=None)
    assert code == 0
    recomputed = json.loads(capsys.readouterr().out)
    for key in COMPARED:
        assert recomputed[key] == live[key], key
    assert {k: v for k, v in recomputed["as_of"].items()} == {
        k: v for k, v in live["as_of"].items() if k.startswith("jatim/")
    }
    assert live["partners"]["registered"] > 0


async def test_a_bundle_that_does_not_verify_gives_no_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "empty.zip"
    write_bundle(out, [], [], region="jatim", created_at=NOW, created_by="x", as_of=None, source={})
    with zipfile.ZipFile(out, "a") as zf:
        zf.writestr("extra.txt", "slipped in")
    assert audit_report.report(out, region=None, start=None, end=None) == 1
    assert "not listed in the manifest" in capsys.readouterr().err
