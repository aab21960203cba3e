"""Filling a partners log fast (not measured): 100 real partner events per append.

Half the appends are a partner's stream (registered, verified, then
suspended/reinstated in turn), half an agreement's (signed, then renewals),
so the log holds the events a consumer such as the programs read model
really acts on. Each append is one transaction of 100 events; a few
appenders run at once so Python's work overlaps PostgreSQL's commits.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import asyncpg

from services.partners import events as ev
from shared.devstack import ensure_database
from shared.events import Event
from shared.eventstore import EventStore, Metadata

SERVICE = "partners"
PER_APPEND = 100
META = Metadata(actor="bench:fill", correlation_id="bench")


def partner_stream(region: str, n: int) -> list[Event]:
    events: list[Event] = [
        ev.PartnerRegistered(
            kind="community_organization",
            name=f"Yayasan Bina Sahabat {n}",
            region=region,
            contact={
                "person_name": "Siti Aminah",
                "phone": "+62 812-3456-7890",
                "email": "siti@example.org",
            },
            interests=("reintegration", "independence"),
        ),
        ev.PartnerVerified(),
    ]
    while len(events) < PER_APPEND:
        events.append(ev.PartnerSuspended(reason="Laporan kegiatan belum diserahkan"))
        events.append(ev.PartnerReinstated(status="verified"))
    return events[:PER_APPEND]


def agreement_stream(partner_id: uuid.UUID, n: int) -> list[Event]:
    start = date(2025, 1, 1)
    ends = start + timedelta(days=365)
    events: list[Event] = [
        ev.AgreementSigned(
            partner_id=partner_id,
            instrument="pks",
            number=f"PAS-{n}/PKS/2025",
            scope="Pelatihan keterampilan kerja bagi warga binaan",
            signed_level="upt",
            unit_code="LAPAS-SBY",
            starts_on=start,
            ends_on=ends,
        )
    ]
    while len(events) < PER_APPEND:
        new_ends = ends + timedelta(days=30)
        events.append(
            ev.AgreementRenewed(partner_id=partner_id, previous_ends_on=ends, ends_on=new_ends)
        )
        ends = new_ends
    return events


async def open_log(admin_url: str, database: str, region: str) -> tuple[asyncpg.Pool, EventStore]:
    url = await ensure_database(admin_url, database)
    pool = await asyncpg.create_pool(url, min_size=2, max_size=8)
    store = EventStore(pool, region=region, service=SERVICE)
    await store.setup()
    return pool, store


async def fill(
    store: EventStore,
    total: int,
    *,
    appenders: int = 4,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Append `total` events (rounded up to whole appends of 100); return how many."""
    appends = -(-total // PER_APPEND)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(appends):
        queue.put_nowait(n)
    partners: dict[int, uuid.UUID] = {}
    done = 0

    async def appender() -> None:
        nonlocal done
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            stream_id = uuid.uuid4()
            if n % 2 == 0:
                partners[n] = stream_id
                batch = partner_stream(store.region, n)
            else:
                batch = agreement_stream(partners.get(n - 1, uuid.uuid4()), n)
            await store.append(stream_id, 0, batch, META)
            done += len(batch)
            if progress is not None:
                progress(done)

    await asyncio.gather(*(appender() for _ in range(appenders)))
    return appends * PER_APPEND
