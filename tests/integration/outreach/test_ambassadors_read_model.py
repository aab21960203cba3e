"""The ambassadors read model on real PostgreSQL: appointments and term ends become facts, a
re-sent or replayed event changes nothing, other partners events are skipped, and the facts
are what the outreach rules read."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
import pytest

from services.outreach.domain.ambassadors import AmbassadorFacts
from services.outreach.readmodels import AmbassadorsReadModel, ambassador_facts
from services.outreach.readmodels import partner_events as pe
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


async def test_appointments_and_term_ends_become_facts_once(pool: asyncpg.Pool) -> None:
    model = AmbassadorsReadModel()
    a, b, unseen = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    appointed_a = pe.AmbassadorAppointed(
        region="jatim", term_starts_on=date(2025, 1, 1), term_ends_on=date(2027, 12, 31)
    )
    appointed_b = pe.AmbassadorAppointed(
        region="bali", term_starts_on=date(2026, 1, 1), term_ends_on=date(2028, 12, 31)
    )
    ended_a = pe.AmbassadorTermEnded(ended_on=date(2026, 6, 30))
    skipped = pe.registry.model_for("pas.partners.partner_verified.v1")()
    batch = [
        envelope(1, a, 1, appointed_a),
        envelope(2, b, 1, appointed_b),
        envelope(3, uuid.uuid4(), 2, skipped),
        envelope(4, a, 2, ended_a),
    ]
    async with pool.acquire() as conn:
        await model.setup(conn)
        async with conn.transaction():
            await model.apply(conn, batch)
        async with conn.transaction():  # delivered again, and a replay one at a time
            await model.apply(conn, batch)
            for item in batch:
                await model.apply_one(conn, item)
        assert await conn.fetchval("SELECT count(*) FROM known_ambassadors") == 2
    facts = await ambassador_facts(pool, [a, b, unseen, a])
    assert facts == {
        a: AmbassadorFacts(a, "jatim", date(2025, 1, 1), date(2027, 12, 31), date(2026, 6, 30)),
        b: AmbassadorFacts(b, "bali", date(2026, 1, 1), date(2028, 12, 31), None),
        unseen: None,
    }
    assert facts[a] is not None and facts[a].last_day == date(2026, 6, 30)


def test_every_partners_event_type_is_read_and_the_person_is_not() -> None:
    assert len(pe.registry.models()) == 12
    assert "person" not in pe.AmbassadorAppointed.model_fields
