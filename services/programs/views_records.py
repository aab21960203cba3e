"""The program records view: every activity, monitoring visit and evaluation with its latest
figures, and the program totals in programs_view recomputed from it.

A correction replaces a record's figures and a void marks it voided, so programs_view's
totals always count the latest figures of the records that are not voided, however
often a record was corrected. Kept inline with programs_view, every write guarded by a
version so a replay changes nothing.
"""

from __future__ import annotations

import asyncpg

from services.programs import events as ev
from services.programs import events_corrections as ec
from shared.envelope import RecordedEvent
from shared.events import Event, EventRegistry
from shared.eventstore.reads import COLUMNS, row_to_event

SCHEMA = """
CREATE TABLE IF NOT EXISTS program_records (
    program_id        uuid    NOT NULL,
    record_version    integer NOT NULL,   -- the program version its first event made
    event_id          text    NOT NULL,   -- the CloudEvent id of that first event
    kind              text    NOT NULL,   -- activity, monitoring or evaluation
    occurred_on       date    NOT NULL,   -- held_on, visited_on or evaluated_on
    sessions          integer,
    participants      integer,
    participants_female integer,
    participants_children integer,
    volunteer_hours   integer,
    rating            integer,
    score_individual  integer,
    score_institutional integer,
    score_policy      integer,
    participants_completed integer,
    corrections       integer NOT NULL DEFAULT 0,
    voided            boolean NOT NULL DEFAULT false,
    version           integer NOT NULL,   -- the program version of the last event applied here
    PRIMARY KEY (program_id, record_version)
);
CREATE UNIQUE INDEX IF NOT EXISTS program_records_event ON program_records (event_id);
"""

RECORD_EVENTS = (ev.ActivityHeld, ev.MonitoringRecorded, ev.ProgramEvaluated)
CHANGE_EVENTS = (
    *RECORD_EVENTS,
    ec.ActivityCorrected,
    ec.MonitoringCorrected,
    ec.EvaluationCorrected,
    ec.ActivityVoided,
    ec.MonitoringVoided,
    ec.EvaluationVoided,
)
_FIGURES = (
    "occurred_on, sessions, participants, participants_female, participants_children,"
    " volunteer_hours, rating, score_individual, score_institutional, score_policy,"
    " participants_completed"
)
_INSERT = (
    "INSERT INTO program_records (program_id, record_version, event_id, kind, "
    + _FIGURES
    + ", version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $2)"
    " ON CONFLICT DO NOTHING"
)
_CORRECT = (
    "UPDATE program_records SET ("
    + _FIGURES
    + ") = ($4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14),"
    " corrections = corrections + 1, version = $3"
    " WHERE program_id = $1 AND record_version = $2 AND version < $3"
)
_VOID = (
    "UPDATE program_records SET voided = true, version = $3"
    " WHERE program_id = $1 AND record_version = $2 AND version < $3"
)
_TOTALS = """
UPDATE programs_view p SET
    activities = t.activities, sessions = t.sessions, participants = t.participants,
    participants_female = t.female, participants_children = t.children,
    volunteer_hours = t.volunteer_hours, monitoring_visits = t.visits,
    last_rating = (SELECT m.rating FROM program_records m WHERE m.program_id = $1
                   AND m.kind = 'monitoring' AND NOT m.voided
                   ORDER BY m.record_version DESC LIMIT 1),
    score_individual = e.score_individual, score_institutional = e.score_institutional,
    score_policy = e.score_policy, participants_completed = e.participants_completed,
    updated_at = $3, version = $2
FROM (SELECT count(*) FILTER (WHERE kind = 'activity') AS activities,
             coalesce(sum(sessions), 0) AS sessions,
             coalesce(sum(participants), 0) AS participants,
             coalesce(sum(participants_female), 0) AS female,
             coalesce(sum(participants_children), 0) AS children,
             coalesce(sum(volunteer_hours), 0) AS volunteer_hours,
             count(*) FILTER (WHERE kind = 'monitoring') AS visits
      FROM program_records WHERE program_id = $1 AND NOT voided) t
LEFT JOIN LATERAL (SELECT * FROM program_records WHERE program_id = $1
                   AND kind = 'evaluation' AND NOT voided
                   ORDER BY record_version DESC LIMIT 1) e ON true
WHERE p.program_id = $1 AND p.version < $2
"""


def _figures(event: Event) -> tuple[object, ...]:
    """The record columns of a first event or a correction, in _FIGURES order."""
    nothing = (None,) * 5
    match event:
        case ev.ActivityHeld() | ec.ActivityCorrected():
            p = event.participants
            return (
                event.held_on,
                event.sessions,
                p.total,
                p.female,
                p.children,
                event.volunteer_hours,
                None,
                *nothing[:4],
            )
        case ev.MonitoringRecorded() | ec.MonitoringCorrected():
            return (event.visited_on, *nothing, event.rating, *nothing[:4])
        case ev.ProgramEvaluated() | ec.EvaluationCorrected():
            s = event.scores
            return (
                event.evaluated_on,
                *nothing,
                None,
                s.individual,
                s.institutional,
                s.policy,
                event.participants_completed,
            )
    raise TypeError(type(event).__name__)


_KIND = {
    ev.ActivityHeld: "activity",
    ev.MonitoringRecorded: "monitoring",
    ev.ProgramEvaluated: "evaluation",
}


async def apply_record(conn: asyncpg.Connection, rec: RecordedEvent, event: Event) -> None:
    """Keep the record the event names, then recompute its program's totals."""
    program_id, version = rec.subject, rec.aggregateversion
    if isinstance(event, RECORD_EVENTS):
        await conn.execute(
            _INSERT, program_id, version, rec.id, _KIND[type(event)], *_figures(event)
        )
    elif isinstance(event, ec.ActivityVoided | ec.MonitoringVoided | ec.EvaluationVoided):
        await conn.execute(_VOID, program_id, event.record_version, version)
    else:
        await conn.execute(
            _CORRECT,
            program_id,
            event.record_version,  # type: ignore[attr-defined]
            version,
            *_figures(event),
        )
    await conn.execute(_TOTALS, program_id, version, rec.time)


async def backfill(conn: asyncpg.Connection, registry: EventRegistry) -> int:
    """Fill a new program_records from this database's log; return the records added.

    For views made before program_records existed: their programs_view totals were summed
    from the same first events (no corrections existed), so the records alone are missing,
    and without them the next correction would recompute totals from nothing. Reads the
    event store's own table in the service's own database, once, at setup.
    """
    types = [model.TYPE for model in RECORD_EVENTS]
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM pas_events WHERE type = ANY($1) ORDER BY log, position", types
    )
    for row in rows:
        rec = row_to_event(row)
        event = registry.load_json(rec.type, rec.data_json)
        await conn.execute(
            _INSERT, rec.subject, rec.aggregateversion, rec.id, _KIND[type(event)], *_figures(event)
        )
    return len(rows)
