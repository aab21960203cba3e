"""The PostgreSQL event log of one service in one region (one hash chain).

`append(stream_id, expected_version, events)` runs in one transaction that
holds the log's head row (`SELECT ... FOR UPDATE`): positions are assigned
gap-free in commit order, the hash chain is extended, and a stale
`expected_version` raises `ConcurrencyError`, so two writers never both win.
Uniqueness claims (e.g. "one partner per national id") and the idempotency
record of the request are written in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import asyncpg

from shared.canonical import canonical_json, chain_hash
from shared.envelope import RecordedEvent, event_source, log_name
from shared.events import Event, EventRegistry
from shared.ids import Clock, IdFactory, format_time, utc_now, uuid7
from shared.readmodel import Envelope, Projection
from shared.schema import PROJECTION_SCHEMA, STORE_SCHEMA

NOTIFY_CHANNEL = "pas_events_appended"


class ConcurrencyError(Exception):
    """The stream moved on since the caller read it."""

    def __init__(self, stream_id: UUID, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class DuplicateKeyError(Exception):
    """A uniqueness claim is already held by another stream."""

    def __init__(self, scope: str, key: str, holder: UUID) -> None:
        super().__init__(f"{scope} {key!r} already belongs to {holder}")
        self.scope = scope
        self.key = key
        self.holder = holder


class IdempotencyReplay(Exception):
    """The request's idempotency key was used first by a request that already committed."""


@dataclass(frozen=True)
class Claim:
    """A unique key (within a scope) held by one stream for good."""

    scope: str
    key: str


@dataclass(frozen=True)
class Metadata:
    """Who and what caused the events being appended."""

    actor: str
    correlation_id: str | None = None
    causation_id: str | None = None


@dataclass
class IdempotentAnswer:
    """Stores the answer to a request in the same transaction as its events."""

    key: str
    request_hash: str
    answer: Callable[[list[RecordedEvent]], tuple[int, Any]]
    stored: tuple[int, Any] | None = field(default=None)


_COLUMNS = (
    "position, id::text, stream_id::text, stream_type, version, type, source, region, "
    "time, data, actor, correlation_id, causation_id, prevhash, hash"
)


def _row_to_event(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        id=row[1], type=row[5], source=row[6], subject=row[2], time=row[8], region=row[7],
        aggregatetype=row[3], aggregateversion=row[4], position=row[0], actor=row[10],
        correlationid=row[11], causationid=row[12], prevhash=row[13], hash=row[14],
        data_json=row[9],
    )


class EventStore:
    """The event log of `service` in `region`, on an asyncpg pool."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        region: str,
        service: str,
        clock: Clock = utc_now,
        new_id: IdFactory = uuid7,
    ) -> None:
        self.pool = pool
        self.region = region
        self.service = service
        self.log = log_name(region, service)
        self.source = event_source(region, service)
        self._clock = clock
        self._new_id = new_id
        self.inline: list[Projection] = []

    def add_inline(self, projection: Projection) -> None:
        """Keep `projection` in the append transaction (a service's own views)."""
        self.inline.append(projection)

    async def setup(self) -> None:
        """Create the tables (idempotent) and this log's head row."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('pas_schema'))")
            await conn.execute(STORE_SCHEMA)
            await conn.execute(PROJECTION_SCHEMA)
            for projection in self.inline:
                await projection.setup(conn)
            await conn.execute(
                "INSERT INTO pas_log_heads (log, position, hash) VALUES ($1, 0, $2)"
                " ON CONFLICT DO NOTHING",
                self.log,
                "0" * 64,
            )

    async def append(
        self,
        stream_id: UUID,
        expected_version: int,
        events: Sequence[Event],
        metadata: Metadata,
        *,
        claims: Sequence[Claim] = (),
        idempotency: IdempotentAnswer | None = None,
    ) -> list[RecordedEvent]:
        """Append `events` to a stream at `expected_version`; return them as recorded."""
        if not events:
            return []
        async with self.pool.acquire() as conn, conn.transaction():
            head = await conn.fetchrow(
                "SELECT position, hash FROM pas_log_heads WHERE log = $1 FOR UPDATE",
                self.log,
            )
            if head is None:
                raise RuntimeError(f"log {self.log} has no head row: call setup() first")
            position, prevhash = head
            # A statement of its own, after the lock: in READ COMMITTED a new statement
            # sees what the writer we waited for committed. (As a subquery of the locking
            # SELECT it ran on the snapshot taken *before* the wait, so a loser read the
            # old version, passed the check and died on the unique index: a 500, not a 409.)
            version = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM pas_events WHERE stream_id = $1",
                stream_id,
            )
            if version != expected_version:
                raise ConcurrencyError(stream_id, expected_version, version)
            recorded = self._record(stream_id, version, position, prevhash, events, metadata)
            await self._insert(conn, recorded)
            if self.inline:
                batch = [Envelope(r.position, r, e) for r, e in zip(recorded, events, strict=True)]
                for projection in self.inline:
                    await projection.apply(conn, batch)
            if idempotency is not None:
                await self._remember(conn, idempotency, recorded)
            for claim in claims:
                await self._claim(conn, claim, stream_id)
        return recorded

    def _record(
        self,
        stream_id: UUID,
        version: int,
        position: int,
        prevhash: str,
        events: Sequence[Event],
        metadata: Metadata,
    ) -> list[RecordedEvent]:
        recorded = []
        time = format_time(self._clock())
        subject = str(stream_id)
        for offset, event in enumerate(events, start=1):
            partial = RecordedEvent(
                id=str(self._new_id()), type=event.TYPE, source=self.source, subject=subject,
                time=time, region=self.region, aggregatetype=event.AGGREGATE,
                aggregateversion=version + offset, position=position + offset,
                actor=metadata.actor, correlationid=metadata.correlation_id,
                causationid=metadata.causation_id, prevhash=prevhash, hash="",
                data_json=canonical_json(event.model_dump(mode="json")),
            )
            prevhash = chain_hash(prevhash, partial.canonical_body())
            recorded.append(_with_hash(partial, prevhash))
        return recorded

    async def _insert(self, conn: asyncpg.Connection, recorded: list[RecordedEvent]) -> None:
        last = recorded[-1]
        columns = list(zip(*(
            (e.position, e.id, e.subject, e.aggregatetype, e.aggregateversion, e.type, e.source,
             e.region, e.time, e.data_json, e.actor, e.correlationid, e.causationid,
             e.prevhash, e.hash)
            for e in recorded
        ), strict=True))
        await conn.execute(
            """
            WITH ins AS (
              INSERT INTO pas_events (log, position, id, stream_id, stream_type, version, type,
                source, region, time, data, actor, correlation_id, causation_id, prevhash, hash)
              SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::uuid[], $5::text[],
                $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
            ), head AS (
              UPDATE pas_log_heads SET position = $17, hash = $18 WHERE log = $1
            )
            SELECT pg_notify($19, $1 || ' ' || $17::text)
            """,
            self.log, *columns, last.position, last.hash, NOTIFY_CHANNEL,
        )

    async def _claim(self, conn: asyncpg.Connection, claim: Claim, stream_id: UUID) -> None:
        holder = await conn.fetchval(
            "WITH ins AS (INSERT INTO pas_unique_claims (scope, key, stream_id)"
            " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING stream_id)"
            " SELECT coalesce((SELECT stream_id FROM ins),"
            " (SELECT stream_id FROM pas_unique_claims WHERE scope = $1 AND key = $2))",
            claim.scope, claim.key, stream_id,
        )
        if holder != stream_id:
            raise DuplicateKeyError(claim.scope, claim.key, holder)

    async def _remember(
        self, conn: asyncpg.Connection, idem: IdempotentAnswer, recorded: list[RecordedEvent]
    ) -> None:
        status, body = idem.answer(recorded)
        inserted = await conn.fetchval(
            "INSERT INTO pas_idempotency (key, request_hash, status, body) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT DO NOTHING RETURNING true",
            idem.key, idem.request_hash, status, json.dumps(body),
        )
        if not inserted:
            raise IdempotencyReplay(idem.key)
        idem.stored = (status, body)

    async def claim_holder(self, claim: Claim) -> UUID | None:
        """The stream holding a unique key, if any."""
        async with self.pool.acquire() as conn:
            return await conn.fetchval(  # type: ignore[no-any-return]
                "SELECT stream_id FROM pas_unique_claims WHERE scope = $1 AND key = $2",
                claim.scope, claim.key,
            )

    async def remembered(self, key: str) -> tuple[str, int, Any] | None:
        """(request_hash, status, body) stored for an idempotency key, if any."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT request_hash, status, body FROM pas_idempotency WHERE key = $1", key
            )
        if row is None:
            return None
        return row[0], row[1], json.loads(row[2])

    async def read_stream(self, stream_id: UUID) -> list[RecordedEvent]:
        """All events of one stream, in version order."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                f"SELECT {_COLUMNS} FROM pas_events WHERE stream_id = $1 ORDER BY version",
                stream_id,
            )
        return [_row_to_event(row) for row in rows]

    async def read_log(
        self, after: int = 0, *, batch: int = 1000, until: int | None = None
    ) -> AsyncIterator[list[RecordedEvent]]:
        """The log from position `after + 1` on, in batches (up to `until` if given)."""
        while True:
            async with self.pool.acquire() as conn:
                rows = await conn.fetch(
                    f"SELECT {_COLUMNS} FROM pas_events WHERE log = $1 AND position > $2"
                    " AND ($4::bigint IS NULL OR position <= $4) ORDER BY position LIMIT $3",
                    self.log, after, batch, until,
                )
            if not rows:
                return
            events = [_row_to_event(row) for row in rows]
            yield events
            after = events[-1].position
            if len(rows) < batch:
                return

    async def rebuild_inline(self, projection: Projection, registry: EventRegistry) -> int:
        """Empty an inline projection and replay this log into it; return the events applied."""
        applied = 0
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT 1 FROM pas_log_heads WHERE log = $1 FOR UPDATE", self.log)
            await projection.reset(conn)
            after = 0
            while True:
                rows = await conn.fetch(
                    f"SELECT {_COLUMNS} FROM pas_events WHERE log = $1 AND position > $2"
                    " ORDER BY position LIMIT 1000",
                    self.log, after,
                )
                if not rows:
                    break
                recorded = [_row_to_event(row) for row in rows]
                batch = [
                    Envelope(r.position, r, registry.load_json(r.type, r.data_json))
                    for r in recorded
                ]
                await projection.apply(conn, batch)
                applied += len(batch)
                after = recorded[-1].position
        return applied

    async def head(self) -> tuple[int, str]:
        """The last position and hash of this log."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT position, hash FROM pas_log_heads WHERE log = $1", self.log
            )
        return (0, "0" * 64) if row is None else (row[0], row[1])


def _with_hash(event: RecordedEvent, hash_: str) -> RecordedEvent:
    from dataclasses import replace

    return replace(event, hash=hash_)
