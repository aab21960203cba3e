"""`sahabat audit report BUNDLE`: the evaluation report recomputed from an evidence bundle alone.

The bundle is verified first (a bundle that fails is not reported on). Its
events are then replayed, in the order they were recorded, into the reporting
service's own projection on a throwaway PostgreSQL that this command starts in
a temporary folder and removes afterwards; the report is the service's JSON
shape (`GET /reports/evaluation`), computed by the service's own queries.
"today" (agreements about to expire) is the bundle's `as_of`, else the moment
it was made, in the region's time zone.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg

from services.reporting.projection import ReportingProjection
from services.reporting.report.figures import evaluation_report
from services.reporting.report.over_time import over_time
from services.reporting.zones import today_in
from shared.audit import bundle as layout
from shared.audit.bundle_verify import verify_bundle
from shared.devstack.postgres import PostgresServer
from shared.envelope import RecordedEvent
from shared.envelope_parse import parse_cloudevent
from shared.readmodel import Delivered
from shared.schema import PROJECTION_SCHEMA

BATCH = 1000


def bundle_events(path: Path) -> tuple[dict[str, Any], list[RecordedEvent]]:
    """The manifest and every event of the bundle, in the order they were recorded."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(layout.MANIFEST))
        events = [
            parse_cloudevent(line)
            for entry in manifest["logs"]
            for line in zf.read(entry["events_file"]).splitlines()
        ]
    events.sort(key=lambda e: (e.time, e.source, e.position))
    return manifest, events


def report_day(manifest: dict[str, Any], region: str | None) -> date:
    moment = manifest.get("as_of") or manifest["created_at"]
    return today_in(
        region or manifest["region"], datetime.fromisoformat(moment.replace("Z", "+00:00"))
    )


async def recompute(
    url: str,
    manifest: dict[str, Any],
    events: list[RecordedEvent],
    *,
    region: str | None,
    start: date | None,
    end: date | None,
    today: date,
) -> dict[str, Any]:
    """Replay the events into a fresh projection on `url` and answer the report."""
    projection = ReportingProjection(1)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(PROJECTION_SCHEMA)
        await projection.setup(conn)
        for first in range(0, len(events), BATCH):
            batch = [
                Delivered(first + i + 1, e, projection.registry.load_json(e.type, e.data_json))
                for i, e in enumerate(events[first : first + BATCH])
                if e.type in projection.registry
            ]
            async with conn.transaction():
                await projection.apply(conn, batch)
        for entry in manifest["logs"]:
            await conn.execute(
                "INSERT INTO pas_projection_sources (projection, source, position)"
                " VALUES ($1, $2, $3)",
                projection.name,
                f"/pas/{entry['region']}/{entry['service']}",
                entry["last_position"],
            )
        report = await evaluation_report(
            conn,
            projection.schema,
            projection.name,
            region=region,
            start=start,
            end=end,
            today=today,
        )
        report["over_time"] = await over_time(conn, projection.schema, region, start, end)
    finally:
        await conn.close()
    return report


def report(bundle: Path, *, region: str | None, start: str | None, end: str | None) -> int:
    if not bundle.exists():
        print(f"{bundle}: no such file", file=sys.stderr)
        return 2
    checked = verify_bundle(bundle)
    if not checked.ok:
        for finding in checked.findings:
            print(f"FAIL {finding}", file=sys.stderr)
        print(f"{bundle} does not verify: no report from it", file=sys.stderr)
        return 1
    manifest, events = bundle_events(bundle)
    first, last = (date.fromisoformat(d) if d else None for d in (start, end))
    with tempfile.TemporaryDirectory(prefix="sahabat-audit-") as folder:
        server = PostgresServer(Path(folder))
        print(
            f"  memutar ulang / replaying {len(events):,} events on a throwaway PostgreSQL",
            file=sys.stderr,
        )
        server.start()
        try:
            answer = asyncio.run(
                recompute(
                    server.url,
                    manifest,
                    events,
                    region=region,
                    start=first,
                    end=last,
                    today=report_day(manifest, region),
                )
            )
        finally:
            server.stop()
    print(json.dumps(answer, indent=2, ensure_ascii=False, default=str))
    return 0
