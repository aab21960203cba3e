"""`sahabat audit export|verify|rotate-key`: evidence bundles and signing keys."""

from __future__ import annotations

import asyncio
import getpass
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import nats

from sahabat.audit_keys import NatsTarget, nats_target, public_keys
from shared.audit.bundle_verify import verify_bundle
from shared.audit.export import collect_log, services_of, write_bundle
from shared.audit.keys import KeyRing
from shared.ids import utc_now
from shared.regions import validate_region


def parse_moment(text: str) -> datetime:
    """An RFC 3339 time (a date alone means the end of that day, UTC)."""
    if len(text) == 10:
        text += "T23:59:59.999999Z"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise SystemExit(f"--as-of {text}: give a time zone (e.g. Z or +07:00)")
    return moment.astimezone(UTC)


def _progress(log: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  mengekspor / exporting {log}: {done:,}/{total:,}", end="", file=sys.stderr)
    elif done == total or done % 100_000 < 1000:
        print(f"  exporting {log}: {done:,}/{total:,}", file=sys.stderr)


def export(
    state: Path,
    *,
    region: str,
    service: str | None,
    as_of: str | None,
    out: Path,
    keys: list[str] | None,
    by: str | None,
    stream: str | None,
    checkpoint_stream: str | None,
) -> int:
    region = validate_region(region)
    moment = parse_moment(as_of) if as_of else None
    found = public_keys(state, keys, region)
    if not found:
        print(
            "no public keys found: start the services (`sahabat demo`) or pass --keys FILE|URL",
            file=sys.stderr,
        )
        return 2
    target = nats_target(state, None, stream, checkpoint_stream)
    return asyncio.run(
        _export(
            target,
            region=region,
            service=service,
            as_of=moment,
            out=out,
            keys=found,
            by=by or f"{getpass.getuser()}@{socket.gethostname()}",
        )
    )


async def _export(
    target: NatsTarget,
    *,
    region: str,
    service: str | None,
    as_of: datetime | None,
    out: Path,
    keys: list[dict[str, str]],
    by: str,
) -> int:
    began = time.perf_counter()
    stream, checkpoint_stream = target.stream, target.checkpoint_stream
    nc = await nats.connect(target.url, **target.options)  # type: ignore[arg-type]
    try:
        js = nc.jetstream()
        services = [service] if service else await services_of(js, stream, region)
        logs = []
        for name in services:
            logs.append(
                await collect_log(
                    js,
                    events_stream=stream,
                    checkpoint_stream=checkpoint_stream,
                    region=region,
                    service=name,
                    as_of=as_of,
                    progress=_progress,
                )
            )
            if sys.stderr.isatty():
                print(file=sys.stderr)
    finally:
        await nc.close()
    manifest = write_bundle(
        out,
        logs,
        keys,
        region=region,
        created_at=utc_now(),
        created_by=by,
        as_of=as_of,
        source={"events_stream": stream, "checkpoint_stream": checkpoint_stream},
    )
    took = time.perf_counter() - began
    for entry in manifest["logs"]:
        print(
            f"{entry['log']}: positions {entry['first_position']}–{entry['last_position']}, "
            f"{entry['checkpoints']} checkpoints, head {entry['head_hash'][:16]}…"
        )
    events = sum(entry["events"] for entry in manifest["logs"])
    print(f"wrote {out} ({events:,} events, {took:.2f} s)")
    return 0


def verify(bundle: Path) -> int:
    if not bundle.exists():
        print(f"{bundle}: no such file", file=sys.stderr)
        return 2
    began = time.perf_counter()
    report = verify_bundle(bundle)
    took = time.perf_counter() - began
    for result in report.logs:
        print(
            f"  {result.log}: {result.events:,} events up to position {result.last_position}, "
            f"{result.checkpoints} checkpoints ({len(result.keys)} keys), "
            f"last signed position {result.last_signed}"
        )
    for warning in report.warnings:
        print(f"WARNING {warning}")
    for finding in report.findings:
        print(f"FAIL {finding}")
    verdict = "OK" if report.ok else "FAILED"
    print(
        f"{verdict} {bundle}: {report.events:,} events checked in {took:.2f} s, "
        f"{len(report.findings)} failures"
    )
    return 0 if report.ok else 1


def rotate_key(state: Path, *, region: str, service: str, key_file: Path | None) -> int:
    """Make a new signing key; the service announces it (signed with the old one) when it next
    signs. Run it while the service is stopped."""
    region = validate_region(region)
    path = key_file or state / "services" / region / service / "audit-signing-keys.json"
    if not path.exists():
        print(f"{path}: no key file (has the service ever started?)", file=sys.stderr)
        return 2
    ring = KeyRing.load_or_create(path, region, service)
    old = ring.current
    new = ring.rotate()
    print(
        f"{region}/{service}: new key {new.key_id} (after {old.key_id}); it will be announced "
        "by a checkpoint signed with the old key when the service next starts"
    )
    return 0
