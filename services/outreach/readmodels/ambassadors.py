"""The remote projection of ambassadors (region and term) into the outreach database.

Fed by the shared ProjectionRunner from JetStream (`pas.events.*.partners.>`),
which stores its checkpoint in the same transaction as these rows. Every
write is guarded by the aggregate's version, so an event applied twice (a
re-sent message, a replay) changes nothing. The ambassador's person (personal
data) is never copied here: the rules need the region and the term only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

import asyncpg

from services.outreach.domain.ambassadors import AmbassadorFacts
from services.outreach.readmodels import partner_events as pe
from shared.envelope import SUBJECT_ROOT
from shared.events import EventRegistry
from shared.readmodel import Delivered, TableProjection

PARTNERS_SOURCE_SERVICE = "partners"

SCHEMA = """
CREATE TABLE IF NOT EXISTS known_ambassadors (
    ambassador_id  uuid PRIMARY KEY,
    region         text    NOT NULL,
    term_starts_on date    NOT NULL,
    term_ends_on   date    NOT NULL,
    ended_on       date,
    version        integer NOT NULL
);
CREATE INDEX IF NOT EXISTS known_ambassadors_region ON known_ambassadors (region);
"""

_APPOINTED = (
    "INSERT INTO known_ambassadors VALUES ($1, $2, $3, $4, NULL, $5) ON CONFLICT DO NOTHING"
)
_ENDED = (
    "UPDATE known_ambassadors SET ended_on = $2, version = $3"
    " WHERE ambassador_id = $1 AND version < $3"
)


class AmbassadorsReadModel(TableProjection):
    """Ambassadors (region, term, early end) as the outreach service knows them."""

    name = "outreach_ambassadors"
    subjects: Sequence[str] = (f"{SUBJECT_ROOT}.*.{PARTNERS_SOURCE_SERVICE}.>",)
    schema = SCHEMA
    tables = ("known_ambassadors",)
    registry: EventRegistry = pe.registry

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        """Appointments in one executemany, then term ends in one (an end never precedes
        its appointment in a batch, and each statement is guarded by the version)."""
        appointed, ended = [], []
        for item in batch:
            e, sid, v = item.event, item.recorded.subject, item.recorded.aggregateversion
            if isinstance(e, pe.AmbassadorAppointed):
                appointed.append((sid, e.region, e.term_starts_on, e.term_ends_on, v))
            elif isinstance(e, pe.AmbassadorTermEnded):
                ended.append((sid, e.ended_on, v))
        if appointed:
            await conn.executemany(_APPOINTED, appointed)
        if ended:
            await conn.executemany(_ENDED, ended)

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        await self.apply(conn, [item])


async def ambassador_facts(
    conn: asyncpg.Connection | asyncpg.Pool, ambassador_ids: Iterable[UUID]
) -> dict[UUID, AmbassadorFacts | None]:
    """What the read model knows of each ambassador; None for one it has not seen yet."""
    ids = list(dict.fromkeys(ambassador_ids))
    rows = await conn.fetch(
        "SELECT ambassador_id, region, term_starts_on, term_ends_on, ended_on"
        " FROM known_ambassadors WHERE ambassador_id = ANY($1)",
        ids,
    )
    facts: dict[UUID, AmbassadorFacts | None] = dict.fromkeys(ids)
    for row in rows:
        facts[row["ambassador_id"]] = AmbassadorFacts(
            row["ambassador_id"],
            row["region"],
            row["term_starts_on"],
            row["term_ends_on"],
            row["ended_on"],
        )
    return facts
