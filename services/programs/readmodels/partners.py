"""The remote projection of partners and their agreements into the programs database.

Fed by the shared ProjectionRunner from JetStream (`pas.events.*.partners.>`),
which stores its checkpoint in the same transaction as these rows. Every
write is also guarded by the aggregate's version, so an event applied twice
(a re-sent message, a replay) changes nothing. A batch is applied with one
`executemany` per group of events under the same statement (`statement_groups`),
which ends where applying its events one at a time, in order, ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.programs.readmodels import partner_events as pe
from shared.envelope import SUBJECT_ROOT
from shared.events import EventRegistry
from shared.readmodel import Delivered, TableProjection

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
ALTER TABLE known_partners ADD COLUMN IF NOT EXISTS name text;  -- an organisation's, else NULL
"""

_STATUS = {pe.Verified: "verified", pe.Suspended: "suspended", pe.Withdrawn: "withdrawn"}

_REGISTERED = (
    "INSERT INTO known_partners (partner_id, region, kind, status, version, name)"
    " VALUES ($1, $2, $3, 'registered', $4, $5) ON CONFLICT DO NOTHING"
)
_RENAMED = (
    "UPDATE known_partners SET name = coalesce($2, name), version = $3"
    " WHERE partner_id = $1 AND version < $3"
)
_PARTNER_STATUS = (
    "UPDATE known_partners SET status = $2, version = $3 WHERE partner_id = $1 AND version < $3"
)
_SIGNED = (
    "INSERT INTO known_agreements VALUES ($1, $2, $3, $4, 'active', NULL, $5)"
    " ON CONFLICT DO NOTHING"
)


def _agreement(assignments: str) -> str:
    return (
        f"UPDATE known_agreements SET {assignments}, version = $2"
        " WHERE agreement_id = $1 AND version < $2"
    )


_RENEWED = _agreement("ends_on = $3")
_TERMINATED = _agreement("status = 'terminated', effective_on = $3")
_EXPIRED = _agreement("status = 'expired'")

Statement = tuple[str, tuple[object, ...]]


def statement(item: Delivered) -> Statement | None:
    """The one statement (SQL, arguments) that applies an event; None for one not needed here."""
    e, sid, v = item.event, item.recorded.subject, item.recorded.aggregateversion
    match e:
        case pe.Registered():
            return _REGISTERED, (sid, e.region, e.kind, v, e.name)
        case pe.ProfileUpdated():
            return _RENAMED, (sid, e.name, v)
        case pe.Verified() | pe.Suspended() | pe.Withdrawn():
            return _PARTNER_STATUS, (sid, _STATUS[type(e)], v)
        case pe.Reinstated():
            return _PARTNER_STATUS, (sid, e.status, v)
        case pe.Signed():
            return _SIGNED, (sid, e.partner_id, e.starts_on, e.ends_on, v)
        case pe.Renewed():
            return _RENEWED, (sid, v, e.ends_on)
        case pe.Terminated():
            return _TERMINATED, (sid, v, e.effective_on)
        case pe.Expired():
            return _EXPIRED, (sid, v)
        case _:
            return None  # received (its position counts) but not needed here


def statement_groups(
    batch: Sequence[Delivered],
) -> list[list[tuple[str, list[tuple[object, ...]]]]]:
    """The batch's statements as segments of (SQL, rows) groups, for one executemany per group.

    Within a segment each aggregate (stream) has all its events in one group,
    in their order, and groups touch different aggregates (and so different
    rows: each statement reads and writes only its aggregate's row). Running
    the groups of a segment one after the other therefore gives what running
    every event one at a time, in batch order, gives. A new segment starts
    when an event's aggregate already has events under another statement in
    the current one. The version guards make each statement idempotent, as
    before.
    """
    segments: list[list[tuple[str, list[tuple[object, ...]]]]] = []
    groups: dict[str, list[tuple[object, ...]]] = {}
    seen: dict[str, str] = {}  # aggregate -> the statement it is in, in this segment
    for item in batch:
        found = statement(item)
        if found is None:
            continue
        sql, args = found
        sid = item.recorded.subject
        if seen.get(sid, sql) != sql:
            segments.append(list(groups.items()))
            groups, seen = {}, {}
        seen[sid] = sql
        groups.setdefault(sql, []).append(args)
    if groups:
        segments.append(list(groups.items()))
    return segments


class PartnersReadModel(TableProjection):
    """Partners (status, region, an organisation's name) and agreements (validity) as the
    programs service knows them."""

    name = "programs_partners"
    subjects: Sequence[str] = (f"{SUBJECT_ROOT}.*.{PARTNERS_SOURCE_SERVICE}.>",)
    schema = SCHEMA
    tables = ("known_partners", "known_agreements")
    registry: EventRegistry = pe.registry

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        """The batch in one `executemany` per group of events under the same statement."""
        for segment in statement_groups(batch):
            for sql, rows in segment:
                if len(rows) == 1:
                    await conn.execute(sql, *rows[0])
                else:
                    await conn.executemany(sql, rows)

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        found = statement(item)
        if found is not None:
            await conn.execute(found[0], *found[1])
