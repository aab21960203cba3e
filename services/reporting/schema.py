"""The tables of one generation of the reporting projections (a PostgreSQL schema each).

A generation is a schema `reporting_g<N>` holding every projection table; the
control table `reporting_generations` (in `public`) says which one answers.
Rebuilding fills a new schema while the current one answers, then switches.
"""

from __future__ import annotations

from services.reporting.bulk import STAGING
from services.reporting.counters import staging_table

PROJECTION_VERSION = 6
"""The shape and meaning of a generation's tables. Bump it when the tables or the folding
change: a service that starts on a generation made by another version rebuilds at once (the
old one answers until the new one switches in), instead of answering from tables its code
no longer fills."""

CONTROL = """
CREATE TABLE IF NOT EXISTS reporting_generations (
    generation  integer PRIMARY KEY,
    state       text NOT NULL CHECK (state IN ('building', 'active', 'retired')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    switched_at timestamptz
);
ALTER TABLE reporting_generations
    ADD COLUMN IF NOT EXISTS projection_version integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX IF NOT EXISTS reporting_one_active ON reporting_generations (state)
    WHERE state = 'active';
"""


def schema_name(generation: int) -> str:
    return f"reporting_g{int(generation)}"


def projection_name(generation: int) -> str:
    """The runner's name for a generation (its checkpoint and `as_of` rows)."""
    return f"reporting_g{int(generation)}"


def part_name(generation: int, part: int) -> str:
    """The checkpoint name of one part of a split bulk build (services/reporting/parts.py)."""
    return f"{projection_name(generation)}_p{int(part)}"


def tables(generation: int) -> str:
    s = schema_name(generation)
    return (
        f"""
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.states (
    id      text COLLATE "C" PRIMARY KEY,  -- aggregate id, or the event id of a record
    kind    text NOT NULL,
    region  text NOT NULL,
    version integer NOT NULL,
    state   text NOT NULL  -- JSON, read and written only by the projection
);
CREATE TABLE IF NOT EXISTS {s}.counters_day (
    region text COLLATE "C" NOT NULL, day date NOT NULL, metric text COLLATE "C" NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (region, day, metric)
) WITH (fillfactor = 50);
CREATE INDEX IF NOT EXISTS counters_day_days ON {s}.counters_day (day);
CREATE TABLE IF NOT EXISTS {s}.counters_month (
    region text COLLATE "C" NOT NULL, month date NOT NULL, metric text COLLATE "C" NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (region, month, metric)
) WITH (fillfactor = 50);
CREATE INDEX IF NOT EXISTS counters_month_metric ON {s}.counters_month (metric, month);
CREATE TABLE IF NOT EXISTS {s}.counters_total (
    region text COLLATE "C" NOT NULL, metric text COLLATE "C" NOT NULL, value bigint NOT NULL,
    PRIMARY KEY (region, metric)
) WITH (fillfactor = 50);
CREATE TABLE IF NOT EXISTS {s}.counters_unit_month (
    region text COLLATE "C" NOT NULL, unit text COLLATE "C" NOT NULL, month date NOT NULL,
    metric text COLLATE "C" NOT NULL, value bigint NOT NULL,
    PRIMARY KEY (region, unit, month, metric)
) WITH (fillfactor = 50);
CREATE TABLE IF NOT EXISTS {s}.ambassador_day (
    ambassador_id text COLLATE "C" NOT NULL, region text COLLATE "C" NOT NULL, day date NOT NULL,
    metric text COLLATE "C" NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (ambassador_id, region, day, metric)
);
CREATE TABLE IF NOT EXISTS {s}.evaluations (
    record_id text COLLATE "C" PRIMARY KEY, program_id text COLLATE "C" NOT NULL,
    region text NOT NULL, unit_code text NOT NULL, track text NOT NULL, evaluated_on date NOT NULL,
    position bigint NOT NULL, individual integer NOT NULL, institutional integer NOT NULL,
    policy integer NOT NULL, participants_completed integer NOT NULL, voided boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS evaluations_scope ON {s}.evaluations (region, evaluated_on);
CREATE TABLE IF NOT EXISTS {s}.step_durations (
    program_id text COLLATE "C" NOT NULL, step text COLLATE "C" NOT NULL,
    region text COLLATE "C" NOT NULL, unit_code text NOT NULL,
    track text NOT NULL, entered_on date NOT NULL, left_on date NOT NULL, days integer NOT NULL,
    PRIMARY KEY (program_id, step)
);
CREATE INDEX IF NOT EXISTS step_durations_scope ON {s}.step_durations (region, left_on);
CREATE TABLE IF NOT EXISTS {s}.step_days_total (
    region text COLLATE "C" NOT NULL, step text COLLATE "C" NOT NULL, days integer NOT NULL,
    value bigint NOT NULL,
    PRIMARY KEY (region, step, days)
);
CREATE TABLE IF NOT EXISTS {s}.agreements (
    id text COLLATE "C" PRIMARY KEY, region text NOT NULL, signed_on date NOT NULL,
    status text COLLATE "C" NOT NULL,
    instrument text NOT NULL, partner_id text NOT NULL, number text NOT NULL,
    unit_code text, starts_on date NOT NULL, ends_on date NOT NULL
);
CREATE INDEX IF NOT EXISTS agreements_due ON {s}.agreements (status, ends_on);
CREATE TABLE IF NOT EXISTS {s}.programs (
    id text COLLATE "C" PRIMARY KEY, region text NOT NULL, unit_code text NOT NULL,
    track text NOT NULL, title text NOT NULL, status text COLLATE "C" NOT NULL, step text,
    since date, proposed_on date
);
CREATE INDEX IF NOT EXISTS programs_open ON {s}.programs (status, since);
CREATE TABLE IF NOT EXISTS {s}.log_heads (  -- each log's last position applied, latest time
    source text COLLATE "C" PRIMARY KEY, position bigint NOT NULL, latest text COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS {s}.versions (
    name text PRIMARY KEY, value bigint NOT NULL  -- bumped when a table a cache reads changes
);
"""
        + staging_table(s)
        + STAGING.format(s=s)
    )
