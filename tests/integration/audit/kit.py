"""One test's signed log: events in PostgreSQL, published to NATS, checkpoints signed by a real key.

The log is a backbone test log (`tests.integration.support.Kit`: region jatim,
a service token of its own), so tests sharing the session's streams never see
each other's events or checkpoints.
"""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import rfc8785
from nats.aio.client import Client as NATS

from shared.audit import bundle
from shared.audit.checkpoint import CHECKPOINT_ROOT
from shared.audit.export import collect_log, write_bundle
from shared.audit.keys import KeyRing
from shared.audit.service import published_head
from shared.audit.signer import CheckpointSigner
from shared.canonical import chain_hash
from shared.eventstore.reads import COLUMNS, row_to_event
from shared.ids import utc_now
from shared.jetstream import ensure_checkpoint_stream
from shared.relay import OutboxRelay
from tests.integration.support import Kit

STREAM = "PAS_EVENTS"
CHECKPOINTS = "PAS_CHECKPOINTS"


@dataclass
class SignedLog:
    kit: Kit
    nc: NATS
    keys: KeyRing
    relay: OutboxRelay
    signer: CheckpointSigner

    @property
    def log(self) -> str:
        return self.kit.store.log

    def new_signer(self, **options: Any) -> CheckpointSigner:
        return CheckpointSigner(
            keys=self.keys,
            js=self.nc.jetstream(),
            stream=CHECKPOINTS,
            head=published_head(self.relay, self.kit.store),
            **options,
        )

    async def add(self, n: int) -> None:
        """Append n events and publish them."""
        await self.kit.append(n, names=[f"hal ✓ {i}" for i in range(n)])
        await self.relay.publish_pending()

    async def export(self, out: Path, **options: Any) -> dict[str, Any]:
        item = await collect_log(
            self.nc.jetstream(),
            events_stream=STREAM,
            checkpoint_stream=CHECKPOINTS,
            region=self.kit.region,
            service=self.kit.service,
            **options,
        )
        return write_bundle(
            out,
            [item],
            self.keys.public_keys(),
            region=self.kit.region,
            created_at=utc_now(),
            created_by="auditor@test",
            as_of=options.get("as_of"),
            source={"events_stream": STREAM},
        )


async def signed_log(pool: asyncpg.Pool, nc: NATS, key_dir: Path) -> SignedLog:
    """A log of 260 events with checkpoints at 120, 250 and 260 (the last one at stop)."""
    kit = Kit(pool)
    await kit.store.setup()
    await ensure_checkpoint_stream(nc.jetstream(), CHECKPOINTS, [f"{CHECKPOINT_ROOT}.>"])
    keys = KeyRing.load_or_create(key_dir / "keys.json", kit.region, kit.service)
    relay = OutboxRelay(kit.store, nc, stream=STREAM)
    log = SignedLog(kit, nc, keys, relay, None)  # type: ignore[arg-type]
    log.signer = log.new_signer(every_events=100, every_seconds=3600)
    await log.signer.start()
    await log.add(120)
    assert (await log.signer.tick() or {}).get("position") == 120
    await log.add(130)
    assert (await log.signer.tick() or {}).get("position") == 250
    await log.add(10)
    assert await log.signer.tick() is None  # 10 new events, an hour not passed
    assert (await log.signer.stop() or {}).get("position") == 260
    return log


async def rewrite_and_rehash(
    pool: asyncpg.Pool, log: str, position: int, change: Callable[[str], str]
) -> None:
    """What an insider with the database can do: change one event, recompute every hash after."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            f"SELECT {COLUMNS} FROM pas_events WHERE log = $1 AND position >= $2 ORDER BY position",
            log,
            position,
        )
        events = [row_to_event(row) for row in rows]
        prevhash = events[0].prevhash
        for event in events:
            if event.position == position:
                event = dataclasses.replace(event, data_json=change(event.data_json))
            new_hash = chain_hash(prevhash, event.canonical_body())
            await conn.execute(
                "UPDATE pas_events SET data = $3, prevhash = $4, hash = $5 "
                "WHERE log = $1 AND position = $2",
                log,
                event.position,
                event.data_json,
                prevhash,
                new_hash,
            )
            prevhash = new_hash
        await conn.execute("UPDATE pas_log_heads SET hash = $2 WHERE log = $1", log, prevhash)


def rewrite_zip(
    source: Path,
    target: Path,
    *,
    file: str,
    change: Callable[[list[bytes]], None],
    update_manifest: bool = True,
) -> None:
    """Copy a bundle, changing the lines of one file (and the manifest's digest of it)."""
    with zipfile.ZipFile(source) as zf:
        contents = {name: zf.read(name) for name in zf.namelist()}
    lines = contents[file].splitlines()
    change(lines)
    contents[file] = b"".join(line + b"\n" for line in lines)
    if update_manifest:
        manifest = json.loads(contents[bundle.MANIFEST])
        manifest["files"][file] = bundle.sha256_hex(contents[file])
        contents[bundle.MANIFEST] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in contents.items():
            zf.writestr(name, content)
    target.write_bytes(buffer.getvalue())


def rehash_lines(lines: list[bytes], index: int, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the event on line `index` and recompute every hash from there (in the bundle)."""
    prevhash = json.loads(lines[index])["prevhash"]
    for i in range(index, len(lines)):
        event = json.loads(lines[i])
        if i == index:
            change(event)
        body = {
            k: event[k]
            for k in (
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
        event["prevhash"] = prevhash
        event["hash"] = prevhash = chain_hash(prevhash, rfc8785.dumps(body))
        lines[i] = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
