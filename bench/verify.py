"""Hash-chain verification: `verify_log` over `EventStore.read_log`, beside the naive way.

The naive way is what an auditor would write from DESIGN.md alone: for each
event, parse `data`, build the body, `rfc8785.dumps` it and sha256 it with
the previous hash (pure Python, events already in memory). `verify_log`
instead pastes the stored canonical `data` into a fixed template (proven
equal to JCS by the property tests) and only falls back to `rfc8785` when a
hash does not match.
"""

from __future__ import annotations

import hashlib
import json

import rfc8785

from bench.common import now
from shared.canonical import ZERO_HASH
from shared.envelope import RecordedEvent
from shared.eventstore import EventStore
from shared.verify import check_batch, verify_log

__all__ = ["in_memory_rate", "naive_rate", "verify_log", "verify_rate"]


async def verify_rate(store: EventStore, batch: int = 5000) -> tuple[float, int]:
    """(events/s, events) of verify_log over the whole log, read from PostgreSQL.

    batch=5000 as `sahabat verify` reads it.
    """
    began = now()
    report = await verify_log(store.read_log(0, batch=batch))
    elapsed = now() - began
    if not report.ok:
        raise RuntimeError(f"the bench log does not verify: {report}")
    return report.checked / elapsed, report.checked


def in_memory_rate(events: list[RecordedEvent]) -> float:
    """check_batch alone over events already in memory (verify without the database)."""
    began = now()
    _, _, checked, failure = check_batch(events, ZERO_HASH, 1)
    if failure:
        raise RuntimeError(failure)
    return checked / (now() - began)


def naive_rate(events: list[RecordedEvent]) -> float:
    """Pure rfc8785 + sha256 per event, events in memory (the chain checked from position 1)."""
    began = now()
    prevhash = ZERO_HASH
    for event in events:
        body = {
            "id": event.id,
            "type": event.type,
            "source": event.source,
            "subject": event.subject,
            "time": event.time,
            "position": event.position,
            "aggregateversion": event.aggregateversion,
            "data": json.loads(event.data_json),
        }
        digest = hashlib.sha256(bytes.fromhex(prevhash) + rfc8785.dumps(body)).hexdigest()
        if digest != event.hash:
            raise RuntimeError(f"naive verify: position {event.position} does not match")
        prevhash = digest
    return len(events) / (now() - began)
