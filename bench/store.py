"""The event store alone: EventStore.append of one event, 1 and 16 appenders.

This is the command path without HTTP, FastAPI or the read before the write:
how many appends/s one log takes, beside raw single-row INSERT transactions.
Appends to one log are serialised by its head row (gap-free positions, the
hash chain), but the store commits every append waiting at that moment in
one transaction (group commit): one appender gets a transaction per append,
16 appenders share transactions of ~16 appends.

`append_rate` is the bare append (no claims, no idempotency record, no inline
projection). `command_append_rate` is an append as `POST /partners` makes it:
a claim, an idempotency record and the partners service's inline views.
"""

from __future__ import annotations

import asyncio
import uuid

from bench.common import now
from bench.fill import META
from services.partners import events as ev
from shared.eventstore import Claim, EventStore, IdempotentAnswer


async def append_rate(store: EventStore, appenders: int, seconds: float) -> float:
    """Single-event appends (each a new partner stream) per second, `appenders` at once."""
    stop_at = now() + seconds
    counts = [0] * appenders

    async def appender(index: int) -> None:
        while now() < stop_at:
            event = ev.PartnerRegistered(
                kind="community_organization",
                name=f"Pokmas Store {index}-{counts[index]}",
                region=store.region,
                contact={"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                interests=("reintegration",),
            )
            await store.append(uuid.uuid4(), 0, [event], META)
            counts[index] += 1

    began = now()
    await asyncio.gather(*(appender(i) for i in range(appenders)))
    return sum(counts) / (now() - began)


async def command_append_rate(store: EventStore, appenders: int, seconds: float) -> float:
    """Appends/s as `POST /partners` makes them: a claim and an idempotency record each.

    Add the partners service's inline views to `store` first (its `inline_projections()`)
    to measure the whole command append.
    """
    stop_at = now() + seconds
    counts = [0] * appenders
    run = uuid.uuid4().hex[:8]

    async def appender(index: int) -> None:
        while now() < stop_at:
            n = counts[index]
            event = ev.PartnerRegistered(
                kind="community_organization",
                name=f"Pokmas Perintah {run}-{index}-{n}",
                region=store.region,
                contact={"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                interests=("reintegration",),
            )
            stream = uuid.uuid4()
            await store.append(
                stream,
                0,
                [event],
                META,
                claims=[Claim("bench_partner_name", f"{run}-{index}-{n}")],
                idempotency=IdempotentAnswer(
                    f"bench-{run}-{index}-{n}",
                    "fingerprint",
                    lambda rec, stream=stream: (201, {"id": str(stream), "version": len(rec)}),
                ),
            )
            counts[index] += 1

    began = now()
    await asyncio.gather(*(appender(i) for i in range(appenders)))
    return sum(counts) / (now() - began)
