"""The partners read model applies a batch with one executemany per statement group, and ends
exactly where applying its events one at a time, in order, ends: shuffled logs, re-sent and
late events included."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest

from services.programs.readmodels import partner_events as pe
from services.programs.readmodels import partners
from services.programs.readmodels.partners import PartnersReadModel, statement, statement_groups
from shared.canonical import ZERO_HASH
from shared.envelope import RecordedEvent
from shared.readmodel import Delivered

pytestmark = pytest.mark.integration


def envelope(seq: int, stream: uuid.UUID, version: int, event: pe.Seen) -> Delivered:
    recorded = RecordedEvent(
        id=str(uuid.uuid4()),
        type=event.TYPE,
        source="/pas/jatim/partners",
        subject=str(stream),
        time="2026-01-24T03:15:00.000000Z",
        region="jatim",
        aggregatetype=event.AGGREGATE,
        aggregateversion=version,
        position=seq,
        actor="t",
        correlationid=None,
        causationid=None,
        prevhash=ZERO_HASH,
        hash=ZERO_HASH,
        data_json="{}",
    )
    return Delivered(seq, recorded, event)


def partner_stream(rng: random.Random) -> list[pe.Seen]:
    events: list[pe.Seen] = [pe.Registered(region=rng.choice(["jatim", "dki"]), kind="business")]
    for _ in range(rng.randrange(0, 6)):
        events.append(
            rng.choice(
                [
                    pe.Verified(),
                    pe.Suspended(),
                    pe.Reinstated(status=rng.choice(["registered", "verified"])),
                    pe.Withdrawn(),
                    pe.ProfileUpdated(name=rng.choice([None, "PT Baru"])),
                ]
            )
        )
    return events


def agreement_stream(rng: random.Random, partner: uuid.UUID) -> list[pe.Seen]:
    start = date(2025, 1, 1) + timedelta(days=rng.randrange(300))
    ends = start + timedelta(days=365)
    events: list[pe.Seen] = [pe.Signed(partner_id=partner, starts_on=start, ends_on=ends)]
    for _ in range(rng.randrange(0, 6)):
        ends += timedelta(days=30)
        events.append(
            rng.choice(
                [
                    pe.Renewed(ends_on=ends),
                    pe.Renewed(ends_on=ends),
                    pe.Expired(),
                    pe.Terminated(effective_on=start + timedelta(days=rng.randrange(400))),
                ]
            )
        )
    return events


def a_log(seed: int) -> list[Delivered]:
    """Streams interleaved at random, each in version order; some events re-sent later, and a
    few late (a version after a higher one of the same stream), as a re-publish can do."""
    rng = random.Random(seed)
    streams: list[tuple[uuid.UUID, list[pe.Seen]]] = []
    partners = [uuid.uuid4() for _ in range(rng.randrange(2, 6))]
    streams += [(p, partner_stream(rng)) for p in partners]
    streams += [
        (uuid.uuid4(), agreement_stream(rng, rng.choice(partners)))
        for _ in range(rng.randrange(1, 5))
    ]
    cursors = {sid: 0 for sid, _ in streams}
    order: list[tuple[uuid.UUID, int, pe.Seen]] = []
    while any(cursors[sid] < len(events) for sid, events in streams):
        sid, events = rng.choice([s for s in streams if cursors[s[0]] < len(s[1])])
        order.append((sid, cursors[sid] + 1, events[cursors[sid]]))
        cursors[sid] += 1
    for _ in range(rng.randrange(0, 4)):  # re-sent: an earlier event again, later on
        order.insert(rng.randrange(len(order) + 1), rng.choice(order))
    for _ in range(rng.randrange(0, 2)):  # late: two neighbours swapped
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    return [
        envelope(seq, sid, version, event)
        for seq, (sid, version, event) in enumerate(order, start=1)
    ]


async def tables(conn: asyncpg.Connection) -> tuple[list[Any], list[Any]]:
    partners = await conn.fetch("SELECT * FROM known_partners ORDER BY partner_id")
    agreements = await conn.fetch("SELECT * FROM known_agreements ORDER BY agreement_id")
    return [tuple(r) for r in partners], [tuple(r) for r in agreements]


@pytest.mark.parametrize("seed", range(40))
async def test_batches_end_where_one_at_a_time_ends(pool: asyncpg.Pool, seed: int) -> None:
    model = PartnersReadModel()
    log = a_log(seed)
    rng = random.Random(seed)
    async with pool.acquire() as conn:
        await model.setup(conn)
        async with conn.transaction():
            for item in log:
                await model.apply_one(conn, item)
        one_at_a_time = await tables(conn)
        await model.reset(conn)
        start = 0
        while start < len(log):  # batches of random sizes, as the runner cuts them
            size = rng.randrange(1, 12)
            async with conn.transaction():
                await model.apply(conn, log[start : start + size])
            start += size
        assert await tables(conn) == one_at_a_time
        await model.reset(conn)
        async with conn.transaction():
            await model.apply(conn, log)
            await model.apply(conn, log)  # applied twice: nothing changes
        assert await tables(conn) == one_at_a_time


def test_groups_run_many_events_per_statement_and_keep_each_stream_in_order() -> None:
    p1, p2, a1 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    log = [
        envelope(1, p1, 1, pe.Registered(region="jatim", kind="business")),
        envelope(2, p2, 1, pe.Registered(region="jatim", kind="business")),
        envelope(
            3, a1, 1, pe.Signed(partner_id=p1, starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 1))
        ),
        envelope(4, a1, 2, pe.Renewed(ends_on=date(2026, 2, 1))),
        envelope(5, p1, 2, pe.Verified()),
        envelope(6, uuid.uuid4(), 1, pe.AmbassadorAppointed()),
        envelope(7, p2, 2, pe.Suspended()),
        envelope(8, p1, 4, pe.Suspended()),
        envelope(9, a1, 3, pe.Renewed(ends_on=date(2026, 3, 1))),
    ]
    segments = statement_groups(log)
    # a1 moves from "signed" to "renewed" while its signing is still in the first segment:
    # a second one starts; in it, every renewal and every partner status is one group each
    assert [[(sql, len(rows)) for sql, rows in seg] for seg in segments] == [
        [(partners._REGISTERED, 2), (partners._SIGNED, 1)],
        [(partners._RENEWED, 2), (partners._PARTNER_STATUS, 3)],
    ]
    flat = [args for seg in segments for _, rows in seg for args in rows]
    for stream in (p1, p2, a1):  # each stream's statements in its events' order
        expected = [
            found[1]
            for item in log
            if (found := statement(item)) is not None and item.recorded.subject == str(stream)
        ]
        assert [args for args in flat if args[0] == str(stream)] == expected
    assert len(flat) == 8  # the ambassador's appointment needs no statement
