"""The outreach service's own list views, kept inline in the append transaction (read-your-writes).

outreach_view, coverage_view and prospects_view answer the lists, filters and
an outreach event's coverage and prospects; an aggregate's state is always
loaded from its events. Each write is guarded by the aggregate's version, so
a replay (rebuild) never counts anything twice. A prospect's name is kept here
for the officers' lists (personal data, as in its event); its contact is not.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from services.outreach import events as ev
from shared.events import EventRegistry
from shared.readmodel import Delivered, TableProjection

SCHEMA = """
CREATE TABLE IF NOT EXISTS outreach_view (
    outreach_id        uuid PRIMARY KEY,
    region             text NOT NULL,
    title              text NOT NULL,
    channel            text NOT NULL,
    status             text NOT NULL,        -- planned, held, cancelled
    lead_ambassador_id uuid NOT NULL,
    co_ambassador_ids  uuid[] NOT NULL DEFAULT '{}',
    place_name         text NOT NULL,
    regency            text NOT NULL,
    unit_code          text,
    planned_on         date,
    held_on            date,
    on_date            date NOT NULL,        -- held_on once held, else planned_on
    was_planned        boolean NOT NULL,
    expected_audience  integer,
    audience_total     integer,
    coverage_count     integer NOT NULL DEFAULT 0,
    coverage_reach     bigint  NOT NULL DEFAULT 0,
    prospects          integer NOT NULL DEFAULT 0,
    recorded_at        text NOT NULL,
    updated_at         text NOT NULL,
    version            integer NOT NULL
);
CREATE INDEX IF NOT EXISTS outreach_view_list ON outreach_view (region, status, on_date);
CREATE INDEX IF NOT EXISTS outreach_view_lead ON outreach_view (lead_ambassador_id);
CREATE INDEX IF NOT EXISTS outreach_view_co ON outreach_view USING gin (co_ambassador_ids);
CREATE TABLE IF NOT EXISTS coverage_view (
    event_id        uuid PRIMARY KEY,
    stream_id       uuid NOT NULL,        -- the outreach event, or the media campaign
    outreach_id     uuid,
    region          text NOT NULL,
    outlet          text NOT NULL,
    medium          text NOT NULL,
    title           text NOT NULL,
    link            text NOT NULL,
    published_on    date NOT NULL,
    estimated_reach bigint NOT NULL,
    recorded_at     text NOT NULL
);
CREATE INDEX IF NOT EXISTS coverage_view_stream ON coverage_view (stream_id, published_on);
CREATE TABLE IF NOT EXISTS prospects_view (
    prospect_id    uuid PRIMARY KEY,
    region         text NOT NULL,
    outreach_id    uuid NOT NULL,
    ambassador_id  uuid NOT NULL,
    kind           text NOT NULL,
    name           text NOT NULL,
    interests      text[] NOT NULL DEFAULT '{}',
    status         text NOT NULL,         -- identified, declined, converted
    identified_on  date NOT NULL,
    closed_on      date,
    partner_id     uuid,
    recorded_at    text NOT NULL,
    updated_at     text NOT NULL,
    version        integer NOT NULL
);
CREATE INDEX IF NOT EXISTS prospects_view_list ON prospects_view (region, status, identified_on);
CREATE INDEX IF NOT EXISTS prospects_view_outreach ON prospects_view (outreach_id);
"""

_PLANNED = (
    "INSERT INTO outreach_view (outreach_id, region, title, channel, status, lead_ambassador_id,"
    " co_ambassador_ids, place_name, regency, unit_code, planned_on, on_date, was_planned,"
    " expected_audience, recorded_at, updated_at, version) VALUES ($1, $2, $3, $4, 'planned',"
    " $5, $6, $7, $8, $9, $10, $10, true, $11, $12, $12, $13) ON CONFLICT DO NOTHING"
)
_HELD = (
    "INSERT INTO outreach_view (outreach_id, region, title, channel, status, lead_ambassador_id,"
    " co_ambassador_ids, place_name, regency, unit_code, held_on, on_date, was_planned,"
    " audience_total, recorded_at, updated_at, version) VALUES ($1, $2, $3, $4, 'held', $5, $6,"
    " $7, $8, $9, $10, $10, $11, $12, $13, $13, $14) ON CONFLICT (outreach_id) DO UPDATE SET"
    " title = $3, channel = $4, status = 'held', lead_ambassador_id = $5,"
    " co_ambassador_ids = $6, place_name = $7, regency = $8, unit_code = $9, held_on = $10,"
    " on_date = $10, audience_total = $12, updated_at = $13, version = $14"
    " WHERE outreach_view.version < $14"
)
_CANCELLED = (
    "UPDATE outreach_view SET status = 'cancelled', updated_at = $2, version = $3"
    " WHERE outreach_id = $1 AND version < $3"
)
_COVERED = (
    "UPDATE outreach_view SET coverage_count = coverage_count + 1,"
    " coverage_reach = coverage_reach + $2, updated_at = $3, version = $4"
    " WHERE outreach_id = $1 AND version < $4"
)
_COVERAGE = (
    "INSERT INTO coverage_view VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    " ON CONFLICT DO NOTHING"
)
_IDENTIFIED = (
    "INSERT INTO prospects_view VALUES ($1, $2, $3, $4, $5, $6, $7, 'identified', $8, NULL,"
    " NULL, $9, $9, $10) ON CONFLICT DO NOTHING"
)
_PROSPECT_COUNT = "UPDATE outreach_view SET prospects = prospects + 1 WHERE outreach_id = $1"
_CLOSED = (
    "UPDATE prospects_view SET status = $2, closed_on = $3, partner_id = $4, updated_at = $5,"
    " version = $6 WHERE prospect_id = $1 AND version < $6"
)


class OutreachViews(TableProjection):
    """Inline projection of the outreach log into outreach_view, coverage_view, prospects_view."""

    name = "outreach_views"
    subjects: Sequence[str] = ("pas.events.*.outreach.>",)
    schema = SCHEMA
    tables = ("outreach_view", "coverage_view", "prospects_view")
    registry: EventRegistry = ev.registry

    async def apply_one(self, conn: asyncpg.Connection, item: Delivered) -> None:
        rec, e, v = item.recorded, item.event, item.recorded.aggregateversion
        sid = rec.subject
        match e:
            case ev.OutreachPlanned():
                await conn.execute(
                    _PLANNED,
                    sid,
                    e.region,
                    e.title,
                    e.channel.value,
                    e.lead_ambassador_id,
                    list(e.co_ambassador_ids),
                    e.place.name,
                    e.place.regency,
                    e.place.unit_code,
                    e.planned_on,
                    e.expected_audience,
                    rec.time,
                    v,
                )
            case ev.OutreachHeld():
                await conn.execute(
                    _HELD,
                    sid,
                    e.region,
                    e.title,
                    e.channel.value,
                    e.lead_ambassador_id,
                    list(e.co_ambassador_ids),
                    e.place.name,
                    e.place.regency,
                    e.place.unit_code,
                    e.held_on,
                    e.was_planned,
                    e.audience.total,
                    rec.time,
                    v,
                )
            case ev.OutreachCancelled():
                await conn.execute(_CANCELLED, sid, rec.time, v)
            case ev.MediaCoverageRecorded():
                await conn.execute(
                    _COVERAGE,
                    rec.id,
                    sid,
                    e.outreach_id,
                    e.region,
                    e.outlet,
                    e.medium.value,
                    e.title,
                    e.link,
                    e.published_on,
                    e.estimated_reach,
                    rec.time,
                )
                if e.outreach_id is not None:
                    await conn.execute(_COVERED, sid, e.estimated_reach, rec.time, v)
            case ev.ProspectIdentified():
                inserted = await conn.execute(
                    _IDENTIFIED,
                    sid,
                    e.region,
                    e.outreach_id,
                    e.ambassador_id,
                    e.kind.value,
                    e.name,
                    [t.value for t in e.interests],
                    e.identified_on,
                    rec.time,
                    v,
                )
                if inserted == "INSERT 0 1":
                    await conn.execute(_PROSPECT_COUNT, e.outreach_id)
            case ev.ProspectDeclined():
                await conn.execute(_CLOSED, sid, "declined", e.declined_on, None, rec.time, v)
            case ev.ProspectConverted():
                await conn.execute(
                    _CLOSED, sid, "converted", e.converted_on, e.partner_id, rec.time, v
                )
