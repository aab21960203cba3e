"""`sahabat verify`: one log's chain in PostgreSQL and on NATS, against its signed checkpoints."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import asyncpg
import nats

from sahabat.admin import database_of
from sahabat.audit_keys import NatsTarget, nats_target, public_keys
from shared.audit.logcheck import LogCheck, chain_from_postgres, chain_from_stream, checkpoints_of
from shared.audit.logcheck import compare as compare_checkpoints
from shared.eventstore import EventStore
from shared.regions import validate_region


def verify(
    state: Path,
    *,
    region: str,
    service: str,
    database_url: str | None,
    nats_url: str | None = None,
    keys: list[str] | None = None,
    stream: str | None = None,
    checkpoint_stream: str | None = None,
    no_nats: bool = False,
) -> int:
    """Print whether one log holds; every disagreement named; 0 when all is well."""
    region = validate_region(region)
    target = None
    if not no_nats:
        try:
            target = nats_target(state, nats_url, stream, checkpoint_stream)
        except SystemExit as exc:
            print(f"NOTE NATS not checked: {exc}", file=sys.stderr)
    found = public_keys(state, keys, region) if target else []
    with database_of(state, region, service, database_url) as db:
        try:
            return asyncio.run(
                _verify(
                    db, target, region, service, {k["key_id"]: k for k in found} if found else None
                )
            )
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"cannot read {service} log of {region}: {exc}", file=sys.stderr)
            return 2


async def run_checks(
    db: str,
    target: NatsTarget | None,
    region: str,
    service: str,
    keys: dict[str, dict[str, str]] | None,
) -> tuple[LogCheck, int, float]:
    """The checks of one log; (result, PostgreSQL head position, seconds)."""
    pool = await asyncpg.create_pool(db, min_size=1, max_size=2)
    try:
        store = EventStore(pool, region=region, service=service)
        head, _ = await store.head()
        check = LogCheck(store.log)
        began = time.perf_counter()

        def progress(done: int) -> None:
            if sys.stderr.isatty():
                print(f"\r  memeriksa {done:,}/{head:,} peristiwa", end="", file=sys.stderr)

        check.chains.append(await chain_from_postgres(store.read_log(0, batch=5000), progress))
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        await pool.close()
    nc = None
    if target is not None:
        try:
            nc = await nats.connect(
                target.url,
                connect_timeout=3,
                max_reconnect_attempts=0,
                allow_reconnect=False,
                **target.options,  # type: ignore[arg-type]
            )
        except Exception as exc:  # noqa: BLE001 - reported; PostgreSQL was still checked
            check.notes.append(
                f"NATS at {target.url} not reachable ({type(exc).__name__}): "
                "the stream and the checkpoints were not checked"
            )
    if nc is not None and target is not None:
        try:
            js = nc.jetstream()
            check.chains.append(await chain_from_stream(js, target.stream, region, service))
            check.checkpoints = await checkpoints_of(js, target.checkpoint_stream, region, service)
        finally:
            await nc.close()
    compare_checkpoints(check, keys)
    return check, head, time.perf_counter() - began


async def _verify(
    db: str,
    target: NatsTarget | None,
    region: str,
    service: str,
    keys: dict[str, dict[str, str]] | None,
) -> int:
    check, head, took = await run_checks(db, target, region, service, keys)
    failed = False
    for view in check.chains:
        report = view.report
        if not report.ok:
            failed = True
            print(
                f"BROKEN {check.log} in {view.where}: first broken position "
                f"{report.broken_at}: {report.reason}"
            )
        elif view.where == "PostgreSQL" and report.last_position < head:
            failed = True
            print(
                f"BROKEN {check.log} in PostgreSQL: the log ends at position "
                f"{report.last_position} but its head row records {head}: events are "
                "missing at the end"
            )
        else:
            print(
                f"OK {check.log} in {view.where}: {report.checked:,} events, chain intact "
                f"(last position {report.last_position})"
            )
    for problem in check.problems:
        failed = True
        print(problem)
    if len(check.chains) > 1:
        last = max((c["data"]["position"] for c in check.checkpoints), default=0)
        print(
            f"{'OK' if not check.problems else 'CHECKED'} {check.log}: "
            f"{len(check.checkpoints)} signed checkpoints compared (last at position {last})"
        )
    elif target is None:
        print(f"NOTE {check.log}: NATS and checkpoints not checked")
    for note in check.notes:
        print(f"NOTE {check.log}: {note}")
    print(f"{'BROKEN' if failed else 'OK'} {check.log} ({took:.2f} s)")
    return 1 if failed else 0
