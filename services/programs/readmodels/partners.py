"""The remote projection of partners and their agreements into the programs database.

Fed by the shared ProjectionRunner from JetStream (`pas.events.*.partners.>`),
which stores its checkpoint in the same transaction as these rows. Every
write is also guarded by the aggregate's version, so an event applied twice
(a re-sent message, a replay) changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.programs.readmodels import partner_events as pe
from shared.envelope import SUBJECT_ROOT
from shared.events import EventRegistry
from shared.readmodel import Envelope, TableProjection

PARTNERS_SOURCE_SERVICE = "partners"

SCHEMA = """
CREATE TABLE IF NOT EXISTS known_partners (
    partner_id uuid PRIMARY KEY,
    region     text    NOT NULL,
    kind       text    NOT NULL,
    status     text    NOT NULL,
    version    integer NOT NULL
);
CREATE TABLE IF NOT EXISTS known_agreements (
    agreement_id uuid PRIMARY KEY,
    partner_id   uuid    NOT NULL,
    starts_on    date    NOT NULL,
    ends_on      date    NOT NULL,
    status       text    NOT NULL,   -- active, terminated or expired
    effective_on date,               -- first day no longer valid, when terminated
    version      integer NOT NULL
);
CREATE INDEX IF NOT EXISTS known_agreements_partner ON known_agreements (partner_id);
"""

_STATUS = {pe.Verified: "verified", pe.Suspended: "suspended", pe.Withdrawn: "withdrawn"}


class PartnersReadModel(TableProjection):
    """Partners (status, region) and agreements (validity) as the programs service knows them."""

    name = "programs_partners"
    subjects: Sequence[str] = (f"{SUBJECT_ROOT}.*.{PARTNERS_SOURCE_SERVICE}.>",)
    schema = SCHEMA
    tables = ("known_partners", "known_agreements")
    registry: EventRegistry = pe.registry

    async def apply_one(self, conn: asyncpg.Connection, item: Envelope) -> None:
        e, sid, v = item.event, item.recorded.subject, item.recorded.aggregateversion
        match e:
            case pe.Registered():
                await conn.execute(
                    "INSERT INTO known_partners VALUES ($1, $2, $3, 'registered', $4)"
                    " ON CONFLICT DO NOTHING", sid, e.region, e.kind, v,
                )
            case pe.Verified() | pe.Suspended() | pe.Withdrawn():
                await self._partner(conn, sid, _STATUS[type(e)], v)
            case pe.Reinstated():
                await self._partner(conn, sid, e.status, v)
            case pe.Signed():
                await conn.execute(
                    "INSERT INTO known_agreements VALUES ($1, $2, $3, $4, 'active', NULL, $5)"
                    " ON CONFLICT DO NOTHING", sid, e.partner_id, e.starts_on, e.ends_on, v,
                )
            case pe.Renewed():
                await self._agreement(conn, sid, v, "ends_on = $3", e.ends_on)
            case pe.Terminated():
                await self._agreement(
                    conn, sid, v, "status = 'terminated', effective_on = $3", e.effective_on
                )
            case pe.Expired():
                await self._agreement(conn, sid, v, "status = 'expired'")
            case _:
                pass  # received (its position counts) but not needed here

    async def _partner(self, conn: asyncpg.Connection, sid: str, status: str, v: int) -> None:
        await conn.execute(
            "UPDATE known_partners SET status = $2, version = $3"
            " WHERE partner_id = $1 AND version < $3", sid, status, v,
        )

    async def _agreement(
        self, conn: asyncpg.Connection, sid: str, v: int, assignments: str, *values: object
    ) -> None:
        await conn.execute(
            f"UPDATE known_agreements SET {assignments}, version = $2"
            " WHERE agreement_id = $1 AND version < $2", sid, v, *values,
        )
