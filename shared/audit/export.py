"""Writing an evidence bundle of one region's logs from JetStream (what auditors see).

Each log is read from the events stream (`pas.events.<region>.<service>.>`),
de-duplicated by event id (a relay may re-send) and put in position order; its
checkpoints are read from the checkpoint stream. With `as_of`, a log ends before
its first event recorded after that instant, and only checkpoints signed by
then are kept. A checkpoint naming a position beyond the exported events (the
stream's events were still arriving) is left out, so the last checkpoint of
each log lies within it.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext

from shared.audit import bundle
from shared.audit.checkpoint import checkpoint_subject
from shared.audit.natsread import count, read_subject, subjects
from shared.canonical import ZERO_HASH
from shared.envelope import SUBJECT_ROOT, log_subjects
from shared.envelope_parse import parse_cloudevent
from shared.ids import format_time

Progress = Callable[[str, int, int], None]  # (log, done, total)


@dataclass
class LogExport:
    """One log's lines, ready to write."""

    region: str
    service: str
    events: list[bytes]
    checkpoints: list[bytes]
    first_position: int
    last_position: int
    head_hash: str
    last_checkpoint: dict[str, Any] | None


async def services_of(js: JetStreamContext, stream: str, region: str) -> list[str]:
    """The services that have published events of `region` into the stream."""
    found = await subjects(js, stream, f"{SUBJECT_ROOT}.{region}.>")
    return sorted({subject.split(".")[3] for subject in found})


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def collect_log(
    js: JetStreamContext,
    *,
    events_stream: str,
    checkpoint_stream: str,
    region: str,
    service: str,
    as_of: datetime | None = None,
    progress: Progress | None = None,
) -> LogExport:
    """Read one log and its checkpoints from the streams."""
    name = f"{region}/{service}"
    checkpoint_lines = [
        payload
        async for batch in read_subject(js, checkpoint_stream, checkpoint_subject(region, service))
        for payload in batch
    ]
    total = await count(js, events_stream, log_subjects(region, service))
    by_id: dict[str, tuple[int, str, str, bytes]] = {}
    async for batch in read_subject(js, events_stream, log_subjects(region, service)):
        for payload in batch:
            event = parse_cloudevent(payload)
            by_id.setdefault(event.id, (event.position, event.time, event.hash, payload))
        if progress is not None:
            progress(name, len(by_id), total)
    ordered = sorted(by_id.values(), key=lambda item: item[0])
    events: list[bytes] = []
    first, last_position, head_hash = 0, 0, ZERO_HASH
    for position, time, hash_, payload in ordered:
        if as_of is not None and _time(time) > as_of:
            break
        events.append(payload if b"\n" not in payload else _one_line(payload))
        first, last_position, head_hash = first or position, position, hash_
    checkpoints, last = [], None
    for payload in checkpoint_lines:
        data = json.loads(payload)["data"]
        if data["position"] > last_position:
            continue
        if as_of is not None and _time(data["signed_at"]) > as_of:
            continue
        checkpoints.append(payload if b"\n" not in payload else _one_line(payload))
        if last is None or data["position"] >= last["position"]:
            last = data
    return LogExport(region, service, events, checkpoints, first, last_position, head_hash, last)


def _one_line(payload: bytes) -> bytes:
    return json.dumps(json.loads(payload), ensure_ascii=False, separators=(",", ":")).encode()


def write_bundle(
    out: Path,
    logs: Sequence[LogExport],
    keys: list[dict[str, Any]],
    *,
    region: str,
    created_at: datetime,
    created_by: str,
    as_of: datetime | None,
    source: dict[str, str],
) -> dict[str, Any]:
    """Write the zip (atomically) and return its manifest."""
    files: dict[str, str] = {}
    entries = []
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:

        def put(name: str, content: bytes) -> None:
            files[name] = bundle.sha256_hex(content)
            zf.writestr(name, content)

        readme = bundle.README_TEXT.format(
            region=region,
            created_at=format_time(created_at),
            created_by=created_by,
            as_of=format_time(as_of) if as_of else "-",
        )
        put(bundle.README, readme.encode("utf-8"))
        put(bundle.KEYS, json.dumps({"keys": keys}, indent=2).encode("utf-8"))
        for item in logs:
            put(
                bundle.events_file(item.region, item.service),
                b"".join(line + b"\n" for line in item.events),
            )
            put(
                bundle.checkpoints_file(item.region, item.service),
                b"".join(line + b"\n" for line in item.checkpoints),
            )
            entries.append(
                bundle.log_entry(
                    item.region,
                    item.service,
                    events=len(item.events),
                    first=item.first_position,
                    last=item.last_position,
                    head_hash=item.head_hash,
                    checkpoints=len(item.checkpoints),
                    last_checkpoint=item.last_checkpoint,
                )
            )
        manifest = {
            "format": bundle.FORMAT,
            "region": region,
            "created_at": format_time(created_at),
            "created_by": created_by,
            "as_of": format_time(as_of) if as_of else None,
            "source": source,
            "logs": entries,
            "files": files,
        }
        zf.writestr(bundle.MANIFEST, json.dumps(manifest, indent=2))
    os.replace(tmp, out)
    return manifest
