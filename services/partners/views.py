"""The partners service's own views, kept inline in the append transaction (read-your-writes).

partners_view, agreements_view and ambassadors_view answer the lists; the
aggregates themselves are always loaded from the log for decisions.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.partners import events as ev
from shared.events import EventRegistry
from shared.readmodel import Delivered
from shared.search import EXTENSION, normalize, trigram_index

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS partners_view (
    partner_id    uuid PRIMARY KEY,
    region        text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL,
    display_name  text,
    interests     text[] NOT NULL DEFAULT '{}',
    registered_at text NOT NULL,
    updated_at    text NOT NULL,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS partners_view_list
    ON partners_view (region, status, kind, registered_at);
ALTER TABLE partners_view ADD COLUMN IF NOT EXISTS name_search text;
"""
    + EXTENSION
    + trigram_index("partners_view_name_search", "partners_view", "name_search")
    + """
CREATE TABLE IF NOT EXISTS agreements_view (
    agreement_id  uuid PRIMARY KEY,
    partner_id    uuid NOT NULL,
    region        text NOT NULL,
    instrument    text NOT NULL,
    number        text NOT NULL,
    signed_level  text NOT NULL,
    starts_on     date NOT NULL,
    ends_on       date NOT NULL,
    status        text NOT NULL,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS agreements_view_ends ON agreements_view (status, ends_on);
CREATE INDEX IF NOT EXISTS agreements_view_partner ON agreements_view (partner_id);
"""
    + trigram_index("agreements_view_number_search", "agreements_view", "lower(number)")
    + """
CREATE TABLE IF NOT EXISTS ambassadors_view (
    ambassador_id  uuid PRIMARY KEY,
    region         text NOT NULL,
    display_name   text,
    term_starts_on date NOT NULL,
    term_ends_on   date NOT NULL,
    ended_on       date,
    version        integer NOT NULL
);
"""
)


def _display_name(name: str | None, contact: object) -> str | None:
    return name or getattr(contact, "person_name", None)


class PartnersViews:
    """Inline projection of the partners log into the three list views."""

    name = "partners_views"
    subjects: Sequence[str] = ("pas.events.*.partners.>",)

    def __init__(self) -> None:
        self.registry: EventRegistry = ev.registry

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(SCHEMA)
        # Views made before name search existed: fill the new column once.
        rows = await conn.fetch(
            "SELECT partner_id, display_name FROM partners_view"
            " WHERE name_search IS NULL AND display_name IS NOT NULL"
        )
        await conn.executemany(
            "UPDATE partners_view SET name_search = $2 WHERE partner_id = $1",
            [(row["partner_id"], normalize(row["display_name"])) for row in rows],
        )

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE partners_view, agreements_view, ambassadors_view")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        for item in batch:
            await self._apply_one(conn, item)

    async def _apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        e, r = item.event, item.recorded
        sid, v, t = r.subject, r.aggregateversion, r.time
        match e:
            case ev.PartnerRegistered():
                name = _display_name(e.name, e.contact)
                await conn.execute(
                    "INSERT INTO partners_view (partner_id, region, kind, status, display_name,"
                    " interests, registered_at, updated_at, version, name_search) VALUES"
                    " ($1, $2, $3, 'registered', $4, $5, $6, $6, $7, $8)"
                    " ON CONFLICT DO NOTHING",
                    sid,
                    e.region,
                    e.kind.value,
                    name,
                    [i.value for i in e.interests],
                    t,
                    v,
                    normalize(name),
                )
            case ev.PartnerProfileUpdated():
                name = _display_name(e.name, e.contact)
                await conn.execute(
                    "UPDATE partners_view SET display_name = coalesce($2, display_name),"
                    " name_search = coalesce($6, name_search),"
                    " interests = coalesce($3, interests), updated_at = $4, version = $5"
                    " WHERE partner_id = $1 AND version < $5",
                    sid,
                    name,
                    None if e.interests is None else [i.value for i in e.interests],
                    t,
                    v,
                    normalize(name),
                )
            case ev.PartnerVerified() | ev.PartnerSuspended() | ev.PartnerWithdrawn():
                status = {
                    ev.PartnerVerified: "verified",
                    ev.PartnerSuspended: "suspended",
                    ev.PartnerWithdrawn: "withdrawn",
                }[type(e)]
                await self._partner_status(conn, sid, status, t, v)
            case ev.PartnerReinstated():
                await self._partner_status(conn, sid, e.status.value, t, v)
            case ev.AgreementSigned():
                region = r.region
                await conn.execute(
                    "INSERT INTO agreements_view VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                    " 'active', $9) ON CONFLICT DO NOTHING",
                    sid,
                    e.partner_id,
                    region,
                    e.instrument.value,
                    e.number,
                    e.signed_level.value,
                    e.starts_on,
                    e.ends_on,
                    v,
                )
            case ev.AgreementRenewed():
                await conn.execute(
                    "UPDATE agreements_view SET ends_on = $2, version = $3"
                    " WHERE agreement_id = $1 AND version < $3",
                    sid,
                    e.ends_on,
                    v,
                )
            case ev.AgreementTerminated() | ev.AgreementExpired():
                status = "terminated" if isinstance(e, ev.AgreementTerminated) else "expired"
                await conn.execute(
                    "UPDATE agreements_view SET status = $2, version = $3"
                    " WHERE agreement_id = $1 AND version < $3",
                    sid,
                    status,
                    v,
                )
            case ev.AmbassadorAppointed():
                await conn.execute(
                    "INSERT INTO ambassadors_view VALUES ($1, $2, $3, $4, $5, NULL, $6)"
                    " ON CONFLICT DO NOTHING",
                    sid,
                    e.region,
                    e.person.name,
                    e.term_starts_on,
                    e.term_ends_on,
                    v,
                )
            case ev.AmbassadorTermEnded():
                await conn.execute(
                    "UPDATE ambassadors_view SET ended_on = $2, version = $3"
                    " WHERE ambassador_id = $1 AND version < $3",
                    sid,
                    e.ended_on,
                    v,
                )

    async def _partner_status(
        self, conn: asyncpg.Connection, sid: str, status: str, t: str, v: int
    ) -> None:
        await conn.execute(
            "UPDATE partners_view SET status = $2, updated_at = $3, version = $4"
            " WHERE partner_id = $1 AND version < $4",
            sid,
            status,
            t,
            v,
        )
