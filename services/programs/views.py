"""The programs service's own list views, kept inline in the append transaction (read-your-writes).

units_view and programs_view answer the lists and filters (program totals are recomputed
from program_records, which counts corrections and voids: views_records.py); a program's state
and timeline are always loaded from its events. Each write is guarded by the
aggregate's version, so a replay (rebuild) never counts anything twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.programs import events as ev
from services.programs.stages import is_terminal
from services.programs.views_records import CHANGE_EVENTS, apply_record, backfill
from services.programs.views_records import SCHEMA as RECORDS_SCHEMA
from shared.events import Event, EventRegistry
from shared.readmodel import Delivered, TableProjection
from shared.search import EXTENSION, normalize, trigram_index

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS units_view (
    unit_id       uuid PRIMARY KEY,
    code          text NOT NULL,
    name          text NOT NULL,
    type          text NOT NULL,
    region        text NOT NULL,
    registered_at text NOT NULL,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS units_view_list ON units_view (region, type, name);
CREATE TABLE IF NOT EXISTS programs_view (
    program_id        uuid PRIMARY KEY,
    region            text NOT NULL,
    unit_id           uuid NOT NULL,
    unit_code         text NOT NULL,
    title             text NOT NULL,
    track             text NOT NULL,
    stage             text NOT NULL,
    phase             text,
    status            text NOT NULL,
    lead_partner_id   uuid NOT NULL,
    co_partner_ids    uuid[] NOT NULL DEFAULT '{}',
    funding_source    text NOT NULL,
    planned_participants integer NOT NULL,
    planned_sessions  integer NOT NULL,
    starts_on         date NOT NULL,
    ends_on           date NOT NULL,
    proposed_on       date NOT NULL,
    stage_entered_on  date NOT NULL,
    ended_on          date,
    activities        integer NOT NULL DEFAULT 0,
    sessions          integer NOT NULL DEFAULT 0,
    participants      integer NOT NULL DEFAULT 0,
    participants_female integer NOT NULL DEFAULT 0,
    participants_children integer NOT NULL DEFAULT 0,
    volunteer_hours   integer NOT NULL DEFAULT 0,
    monitoring_visits integer NOT NULL DEFAULT 0,
    last_rating       integer,
    score_individual  integer,
    score_institutional integer,
    score_policy      integer,
    participants_completed integer,
    proposed_at       text NOT NULL,
    updated_at        text NOT NULL,
    version           integer NOT NULL
);
CREATE INDEX IF NOT EXISTS programs_view_list ON programs_view (region, status, stage, proposed_at);
CREATE INDEX IF NOT EXISTS programs_view_unit ON programs_view (unit_id);
CREATE INDEX IF NOT EXISTS programs_view_lead ON programs_view (lead_partner_id);
CREATE INDEX IF NOT EXISTS programs_view_co ON programs_view USING gin (co_partner_ids);
ALTER TABLE programs_view ADD COLUMN IF NOT EXISTS title_search text;
"""
    + EXTENSION
    + trigram_index("programs_view_title_search", "programs_view", "title_search")
)


class ProgramsViews(TableProjection):
    """Inline projection of the programs log into units_view and programs_view."""

    name = "programs_views"
    subjects: Sequence[str] = ("pas.events.*.programs.>",)
    schema = SCHEMA + RECORDS_SCHEMA
    tables = ("units_view", "programs_view", "program_records")
    registry: EventRegistry = ev.registry

    async def setup(self, conn: asyncpg.Connection) -> None:
        had_records = await conn.fetchval("SELECT to_regclass('program_records') IS NOT NULL")
        await super().setup(conn)
        if not had_records:  # views made before corrections existed
            await backfill(conn, self.registry)
        # Views made before title search existed: fill the new column once.
        rows = await conn.fetch(
            "SELECT program_id, title FROM programs_view WHERE title_search IS NULL"
        )
        await conn.executemany(
            "UPDATE programs_view SET title_search = $2 WHERE program_id = $1",
            [(row["program_id"], normalize(row["title"])) for row in rows],
        )

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        rec, event = item.recorded, item.event
        if isinstance(event, ev.UnitRegistered):
            await conn.execute(
                "INSERT INTO units_view VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                rec.subject,
                event.code,
                event.name,
                event.type.value,
                event.region,
                rec.time,
                rec.aggregateversion,
            )
        elif isinstance(event, ev.ProgramProposed):
            await conn.execute(
                _INSERT_PROGRAM,
                rec.subject,
                *_proposed(event),
                rec.time,
                rec.aggregateversion,
                normalize(event.title),
            )
        elif isinstance(event, CHANGE_EVENTS):
            await apply_record(conn, rec, event)
        elif (change := program_change(event)) is not None:
            assignments, values = change
            await conn.execute(
                f"UPDATE programs_view SET {assignments}, updated_at = $3, version = $2"
                " WHERE program_id = $1 AND version < $2",
                rec.subject,
                rec.aggregateversion,
                rec.time,
                *values,
            )


_INSERT_PROGRAM = (
    "INSERT INTO programs_view (program_id, region, unit_id, unit_code, title, track, stage,"
    " phase, status, lead_partner_id, co_partner_ids, funding_source, planned_participants,"
    " planned_sessions, starts_on, ends_on, proposed_on, stage_entered_on, proposed_at,"
    " updated_at, version, title_search) VALUES ($1, $2, $3, $4, $5, $6, 'initial_approach',"
    " NULL, 'active', $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $15, $16, $17)"
    " ON CONFLICT DO NOTHING"
)


def _proposed(e: ev.ProgramProposed) -> tuple[object, ...]:
    return (
        e.region,
        e.unit_id,
        e.unit_code,
        e.title,
        e.track.value,
        e.lead_partner_id,
        list(e.co_partner_ids),
        e.funding_source.value,
        e.planned_participants,
        e.planned_sessions,
        e.starts_on,
        e.ends_on,
        e.proposed_on,
    )


def program_change(e: Event) -> tuple[str, tuple[object, ...]] | None:
    """What an event after the proposal changes in its programs_view row: SET clause ($4 on)
    and values; None for events the view does not show."""
    match e:
        case ev.ProgramStageAdvanced():
            status = e.to_stage.value if is_terminal(e.to_stage) else "active"
            phase = e.to_phase.value if e.to_phase else None
            return (
                "stage = $4, phase = $5, status = $6, stage_entered_on = $7",
                (e.to_stage.value, phase, status, e.on),
            )
        case ev.ProgramCompleted():
            return "ended_on = $4", (e.completed_on,)
        case ev.ProgramDiscontinued():
            return "ended_on = $4", (e.discontinued_on,)
    return None
