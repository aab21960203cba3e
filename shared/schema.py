"""The tables of the event store, relay and projection runner (created idempotently)."""

STORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS pas_events (
    log            text    NOT NULL,
    position       bigint  NOT NULL,
    id             uuid    NOT NULL UNIQUE,
    stream_id      uuid    NOT NULL,
    stream_type    text    NOT NULL,
    version        integer NOT NULL,
    type           text    NOT NULL,
    source         text    NOT NULL,
    region         text    NOT NULL,
    time           text    NOT NULL,   -- exactly as hashed: RFC 3339, microseconds, Z
    data           text    NOT NULL,   -- canonical JSON, exactly as hashed
    actor          text    NOT NULL,
    correlation_id text,
    causation_id   text,
    prevhash       text    NOT NULL,
    hash           text    NOT NULL,
    PRIMARY KEY (log, position),
    UNIQUE (stream_id, version)
);
CREATE TABLE IF NOT EXISTS pas_log_heads (
    log      text   PRIMARY KEY,
    position bigint NOT NULL,
    hash     text   NOT NULL
);
CREATE TABLE IF NOT EXISTS pas_unique_claims (
    scope     text NOT NULL,
    key       text NOT NULL,
    stream_id uuid NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE TABLE IF NOT EXISTS pas_snapshots (
    stream_id      uuid    PRIMARY KEY,
    schema_version integer NOT NULL,
    version        integer NOT NULL,
    state          text    NOT NULL
);
CREATE TABLE IF NOT EXISTS pas_idempotency (
    key          text PRIMARY KEY,
    request_hash text    NOT NULL,
    status       integer NOT NULL,
    body         text    NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pas_relay_checkpoints (
    log           text   PRIMARY KEY,
    position      bigint NOT NULL,
    stream_seq    bigint NOT NULL,
    last_event_id text
);
"""

PROJECTION_SCHEMA = """
CREATE TABLE IF NOT EXISTS pas_projection_checkpoints (
    projection text   PRIMARY KEY,
    stream_seq bigint NOT NULL,
    applied    bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS pas_projection_sources (
    projection text   NOT NULL,
    source     text   NOT NULL,
    position   bigint NOT NULL,
    PRIMARY KEY (projection, source)
);
"""
