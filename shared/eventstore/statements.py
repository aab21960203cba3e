"""The SQL of the event store, each statement written once, with the call that runs it.

Claims and idempotency records are written by the same statement whether one
append or a whole group takes them (arrays of one or many rows).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from uuid import UUID

import asyncpg

from shared.envelope import RecordedEvent
from shared.eventstore.recording import Head
from shared.eventstore.types import (
    Claim,
    DuplicateKeyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Snapshot,
)

NOTIFY_CHANNEL = "pas_events_appended"

LOCK_HEAD = "SELECT position, hash FROM pas_log_heads WHERE log = $1 FOR UPDATE"
READ_HEAD = "SELECT position, hash FROM pas_log_heads WHERE log = $1"
CREATE_HEAD = (
    "INSERT INTO pas_log_heads (log, position, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING"
)
CLAIM_HOLDER = "SELECT stream_id FROM pas_unique_claims WHERE scope = $1 AND key = $2"
REMEMBERED = "SELECT request_hash, status, body FROM pas_idempotency WHERE key = $1"

# The events of one or more appends (in any order); the second form also moves the
# head and NOTIFYs, in the same statement.
_INSERT = """
  INSERT INTO pas_events (log, position, id, stream_id, stream_type, version, type,
    source, region, time, data, actor, correlation_id, causation_id, prevhash, hash)
  SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::uuid[], $5::text[],
    $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
    $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
"""
_INSERT_AND_MOVE_HEAD = f"""
WITH ins AS ({_INSERT}), head AS (
  UPDATE pas_log_heads SET position = $17, hash = $18 WHERE log = $1
)
SELECT pg_notify($19, $1 || ' ' || $17::text)
"""
_MOVE_HEAD = """
WITH head AS (UPDATE pas_log_heads SET position = $2, hash = $3 WHERE log = $1)
SELECT pg_notify($4, $1 || ' ' || $2::text)
"""
# Versions of the streams, holders of the claims (NULL: free) and whether each
# idempotency key is used, each array in the order asked: one index probe per item,
# whatever plan PostgreSQL caches for the statement (a generic plan of
# `stream_id = ANY($1) GROUP BY` or of a join, made while the tables were small,
# scans whole tables).
_FACTS = """
SELECT
  ARRAY(SELECT coalesce((SELECT max(version) FROM pas_events WHERE stream_id = u.s), 0)
        FROM unnest($1::uuid[]) WITH ORDINALITY AS u(s, n) ORDER BY u.n),
  ARRAY(SELECT (SELECT c.stream_id::text FROM pas_unique_claims c
                WHERE c.scope = w.scope AND c.key = w.key)
        FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS w(scope, key, n) ORDER BY w.n),
  ARRAY(SELECT (SELECT true FROM pas_idempotency i WHERE i.key = u.k)
        FROM unnest($4::text[]) WITH ORDINALITY AS u(k, n) ORDER BY u.n)
"""
_TAKE_CLAIMS = """
INSERT INTO pas_unique_claims (scope, key, stream_id)
SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])
ON CONFLICT DO NOTHING RETURNING scope, key
"""
_RELEASE_CLAIMS = """
DELETE FROM pas_unique_claims c
USING unnest($1::text[], $2::text[], $3::uuid[]) AS r(scope, key, stream_id)
WHERE c.scope = r.scope AND c.key = r.key AND c.stream_id = r.stream_id
"""
# A snapshot only moves forward (or to another shape): a slower writer of an older
# state never replaces a newer one.
_KEEP_SNAPSHOTS = """
INSERT INTO pas_snapshots (stream_id, schema_version, version, state)
SELECT * FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[])
ON CONFLICT (stream_id) DO UPDATE
SET schema_version = EXCLUDED.schema_version, version = EXCLUDED.version, state = EXCLUDED.state
WHERE pas_snapshots.version < EXCLUDED.version
   OR pas_snapshots.schema_version <> EXCLUDED.schema_version
"""
READ_SNAPSHOT = "SELECT schema_version, version, state FROM pas_snapshots WHERE stream_id = $1"
_REMEMBER = """
INSERT INTO pas_idempotency (key, request_hash, status, body)
SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
ON CONFLICT DO NOTHING RETURNING key
"""


async def read_facts(
    conn: asyncpg.Connection, streams: Sequence[UUID], claims: Sequence[Claim], keys: Sequence[str]
) -> tuple[list[int], list[str | None], list[bool]]:
    """Versions of `streams`, holders of `claims` (None: free), whether each key is used."""
    row = await conn.fetchrow(
        _FACTS, list(streams), [c.scope for c in claims], [c.key for c in claims], list(keys)
    )
    return list(row[0]), list(row[1]), [bool(u) for u in row[2]]


async def insert_events(
    conn: asyncpg.Connection, log: str, recorded: Sequence[RecordedEvent], head: Head | None
) -> None:
    """Insert `recorded` (any order); with `head`, also move the head there and NOTIFY."""
    if not recorded:
        if head is not None:
            await conn.execute(_MOVE_HEAD, log, *head, NOTIFY_CHANNEL)
        return
    columns = list(
        zip(
            *(
                (
                    e.position,
                    e.id,
                    e.subject,
                    e.aggregatetype,
                    e.aggregateversion,
                    e.type,
                    e.source,
                    e.region,
                    e.time,
                    e.data_json,
                    e.actor,
                    e.correlationid,
                    e.causationid,
                    e.prevhash,
                    e.hash,
                )
                for e in recorded
            ),
            strict=True,
        )
    )
    if head is None:
        await conn.execute(_INSERT, log, *columns)
    else:
        await conn.execute(_INSERT_AND_MOVE_HEAD, log, *columns, *head, NOTIFY_CHANNEL)


async def take_claims(
    conn: asyncpg.Connection, claims: Sequence[tuple[Claim, UUID]]
) -> set[tuple[str, str]]:
    """Insert the free ones of `claims` (claim, holder); return the (scope, key) inserted."""
    if not claims:
        return set()
    rows = await conn.fetch(
        _TAKE_CLAIMS,
        [c.scope for c, _ in claims],
        [c.key for c, _ in claims],
        [s for _, s in claims],
    )
    return {(r[0], r[1]) for r in rows}


async def release_claims(conn: asyncpg.Connection, claims: Sequence[tuple[Claim, UUID]]) -> None:
    """Delete `claims` (claim, holder) that holder still holds; others are left alone."""
    if claims:
        await conn.execute(
            _RELEASE_CLAIMS,
            [c.scope for c, _ in claims],
            [c.key for c, _ in claims],
            [s for _, s in claims],
        )


async def keep_snapshots(
    conn: asyncpg.Connection, snapshots: Sequence[tuple[UUID, Snapshot]]
) -> None:
    """Store each stream's snapshot unless a newer one of that shape is already stored."""
    latest: dict[UUID, Snapshot] = {}
    for stream_id, snapshot in snapshots:  # one row per stream: the newest of the group
        kept = latest.get(stream_id)
        if kept is None or kept.version < snapshot.version:
            latest[stream_id] = snapshot
    if latest:
        await conn.execute(
            _KEEP_SNAPSHOTS,
            list(latest),
            [s.schema_version for s in latest.values()],
            [s.version for s in latest.values()],
            [s.state_json for s in latest.values()],
        )


async def claim_holder(conn: asyncpg.Connection, claim: Claim) -> UUID | None:
    """The stream holding `claim`, if any."""
    return await conn.fetchval(CLAIM_HOLDER, claim.scope, claim.key)  # type: ignore[no-any-return]


async def remember(
    conn: asyncpg.Connection, answers: Sequence[tuple[str, str, int, str]]
) -> set[str]:
    """Store (key, request_hash, status, body_json) rows; return the keys stored (others used)."""
    if not answers:
        return set()
    rows = await conn.fetch(_REMEMBER, *(list(column) for column in zip(*answers, strict=True)))
    return {r[0] for r in rows}


async def remembered(conn: asyncpg.Connection, key: str) -> asyncpg.Record | None:
    """The (request_hash, status, body_json) row of an idempotency key, if any."""
    return await conn.fetchrow(REMEMBERED, key)


async def take_claims_of(
    conn: asyncpg.Connection, stream_id: UUID, claims: Sequence[Claim]
) -> None:
    """Take `claims` for `stream_id`; `DuplicateKeyError` for the first one another holds."""
    taken = await take_claims(conn, [(c, stream_id) for c in claims])
    for claim in claims:
        if (claim.scope, claim.key) not in taken:
            holder = await claim_holder(conn, claim)
            if holder != stream_id:
                raise DuplicateKeyError(claim.scope, claim.key, holder)  # type: ignore[arg-type]


async def remember_answer(
    conn: asyncpg.Connection, idem: IdempotentAnswer, recorded: list[RecordedEvent]
) -> None:
    """Store the answer to `recorded`'s request; `IdempotencyReplay` if its key is used."""
    status, body = idem.answer(recorded)
    if not await remember(conn, [(idem.key, idem.request_hash, status, json.dumps(body))]):
        raise IdempotencyReplay(idem.key)
    idem.stored = (status, body)
