"""Auditors' figures: exporting a log into an evidence bundle, and verifying the bundle offline.

The log is the one `section_logs` has just relayed (so it is on NATS); one
checkpoint of its head is signed with a throwaway key first, so the offline
verification also checks a signature and compares it with the chain.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nats.aio.client import Client as NATS

from bench.common import now
from shared.audit.bundle_verify import verify_bundle
from shared.audit.export import collect_log, write_bundle
from shared.audit.keys import KeyRing
from shared.audit.signer import CheckpointSigner
from shared.eventstore import EventStore
from shared.ids import utc_now
from shared.jetstream import ALL_CHECKPOINTS_STREAM, ensure_checkpoint_stream, stream_subjects

STANDALONE = Path(__file__).parents[1] / "docs" / "audit" / "verify_bundle.py"


async def export_rate(store: EventStore, nc: NATS, stream: str, folder: Path) -> tuple[float, Path]:
    """(events/s, bundle) of reading the log from the stream and writing its bundle."""
    js = nc.jetstream()
    checkpoints = ALL_CHECKPOINTS_STREAM
    await ensure_checkpoint_stream(js, checkpoints, stream_subjects(checkpoints))
    keys = KeyRing.load_or_create(folder / "keys.json", store.region, store.service)
    signer = CheckpointSigner(keys=keys, js=js, stream=checkpoints, head=store.head)
    await signer.sign(force=True)
    out = folder / f"{store.region}-{store.service}.zip"
    began = now()
    item = await collect_log(
        js,
        events_stream=stream,
        checkpoint_stream=checkpoints,
        region=store.region,
        service=store.service,
    )
    write_bundle(
        out,
        [item],
        keys.public_keys(),
        region=store.region,
        created_at=utc_now(),
        created_by="bench",
        as_of=None,
        source={"events_stream": stream},
    )
    return len(item.events) / (now() - began), out


def offline_rate(bundle: Path) -> tuple[float, int]:
    """(events/s, events) of `sahabat audit verify`'s check, no server."""
    began = now()
    report = verify_bundle(bundle)
    elapsed = now() - began
    if not report.ok:
        raise RuntimeError(f"the bench bundle does not verify: {report.findings[:3]}")
    return report.events / elapsed, report.events


def standalone_rate(bundle: Path, events: int) -> float:
    """events/s of docs/audit/verify_bundle.py (a process of its own, start-up included)."""
    began = now()
    subprocess.run(
        [sys.executable, str(STANDALONE), str(bundle)], check=True, capture_output=True, timeout=600
    )
    return events / (now() - began)
