"""A running service's part in auditing: its key ring, its checkpoint signer, `GET /audit/keys`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request

from shared.audit.checkpoint import CHECKPOINT_ROOT
from shared.audit.keys import KeyRing, SigningKey
from shared.audit.signer import CheckpointSigner, Head
from shared.canonical import ZERO_HASH
from shared.eventstore.reads import LogReads
from shared.jetstream import ensure_checkpoint_stream, stream_subjects
from shared.relay import OutboxRelay
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)
STOP_WAIT_SECONDS = 3.0  # at stop, how long to let the relay publish what is left


@dataclass
class Audit:
    """The key ring and the signer of the worker that leads; `None` in the others."""

    key_path: Path
    region: str
    service: str
    keys: KeyRing | None = None
    signer: CheckpointSigner | None = None
    task: asyncio.Task[None] | None = None

    def public_keys(self) -> list[dict[str, str]]:
        """The leader's keys; another worker reads them from the key file (none yet: none)."""
        if self.keys is not None:
            return self.keys.public_keys()
        if not self.key_path.exists():
            return []
        doc = json.loads(self.key_path.read_text())
        keys = [SigningKey.from_file(k) for k in doc["keys"]]
        return KeyRing(self.key_path, self.region, self.service, keys).public_keys()

    async def stop(self, runtime: ServiceRuntime) -> None:
        """Let the relay catch up a moment, then sign the head one last time."""
        if self.signer is None or self.task is None:
            return
        with contextlib.suppress(Exception):
            async with asyncio.timeout(STOP_WAIT_SECONDS):
                while await runtime.relay.lag() > 0:
                    await asyncio.sleep(0.05)
        try:
            await self.signer.stop()
        except Exception:  # noqa: BLE001 - shutting down anyway; the next start signs
            log.warning("final checkpoint not signed", exc_info=True)
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


def published_head(relay: OutboxRelay, store: LogReads) -> Head:
    """The last position JetStream has acked (per the relay) and its hash."""

    async def head() -> tuple[int, str]:
        position, _, _ = await relay.checkpoint()
        if position == 0:
            return 0, ZERO_HASH
        async for batch in store.read_log(position - 1, batch=1, until=position):
            return position, batch[0].hash
        return 0, ZERO_HASH

    return head


async def start_audit(runtime: ServiceRuntime) -> Audit:
    """The audit part of a service: its signer runs in the worker that leads (only there)."""
    settings = runtime.settings
    audit = Audit(settings.signing_key_path, settings.region, settings.service)

    async def lead() -> None:
        audit.keys, audit.signer, audit.task = await _start_signer(runtime)

    await runtime.when_leading(lead)
    return audit


async def _start_signer(
    runtime: ServiceRuntime,
) -> tuple[KeyRing, CheckpointSigner, asyncio.Task[None]]:
    settings = runtime.settings
    keys = KeyRing.load_or_create(
        settings.signing_key_path, settings.region, settings.service, runtime.clock
    )
    js = runtime.broker.connection.jetstream()
    try:
        subjects = stream_subjects(settings.checkpoint_stream)
    except ValueError:  # a name of the operator's own: all checkpoints
        subjects = [f"{CHECKPOINT_ROOT}.>"]
    await ensure_checkpoint_stream(js, settings.checkpoint_stream, subjects)
    signer = CheckpointSigner(
        keys=keys,
        js=js,
        stream=settings.checkpoint_stream,
        head=published_head(runtime.relay, runtime.store),
        every_events=settings.checkpoint_every_events,
        every_seconds=settings.checkpoint_every_seconds,
        clock=runtime.clock,
    )
    await signer.start()
    task = asyncio.ensure_future(signer.run())
    return keys, signer, task


router = APIRouter(tags=["audit"])


@router.get("/audit/keys", summary="The public keys that sign this log's checkpoints")
async def audit_keys(request: Request) -> dict[str, list[dict[str, str]]]:
    """Every key this service has signed with, oldest first (`valid_from` says since when)."""
    audit: Audit = request.app.state.audit
    return {"keys": audit.public_keys()}
