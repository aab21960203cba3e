"""The event store alone: EventStore.append of one event per transaction, 1 and 16 appenders.

This is the command path without HTTP, FastAPI or the read before the write:
how many appends/s one log takes, beside raw single-row INSERT transactions.
Appends to one log are serialised by its head row (gap-free positions, the
hash chain), so this is the ceiling for any command of one service.
"""

from __future__ import annotations

import asyncio
import uuid

from bench.common import now
from bench.fill import META
from services.partners import events as ev
from shared.eventstore import EventStore


async def append_rate(store: EventStore, appenders: int, seconds: float) -> float:
    """Single-event appends (each a new partner stream) per second, `appenders` at once."""
    stop_at = now() + seconds
    counts = [0] * appenders

    async def appender(index: int) -> None:
        while now() < stop_at:
            event = ev.PartnerRegistered(
                kind="community_organization", name=f"Pokmas Store {index}-{counts[index]}",
                region=store.region,
                contact={"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                interests=("reintegration",),
            )
            await store.append(uuid.uuid4(), 0, [event], META)
            counts[index] += 1

    began = now()
    await asyncio.gather(*(appender(i) for i in range(appenders)))
    return sum(counts) / (now() - began)
