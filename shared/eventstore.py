"""The PostgreSQL event log of one service in one region (one hash chain).

`append(stream_id, expected_version, events)` is committed in one transaction
that holds the log's head row (`SELECT ... FOR UPDATE`): positions are
assigned gap-free in commit order, the hash chain is extended, and a stale
`expected_version` raises `ConcurrencyError`, so two writers never both win.
Uniqueness claims (e.g. "one partner per national id"), the idempotency
record of the request and the inline projections are written in the same
transaction.

Group commit: appends are queued to one writer task per store
(shared.appendgroups), which puts every append waiting at that moment (up to
`max_group`, taken again once the head lock is held) into ONE transaction:
one head lock, one head update, one NOTIFY, one COMMIT (one fsync). Each
append is still judged on its own, in queue order, and only its caller gets
its error; an append that fails takes no position (the next one continues the
chain where the last successful one ended):

* together (first try): the versions of all the group's streams, the holders
  of all its claims and whether its idempotency keys are used are read in one
  statement; each append is checked against them and against what the earlier
  appends of the group took (a second append at the same expected version of
  a stream gets `ConcurrencyError`, a claim taken earlier in the group
  `DuplicateKeyError`); the accepted ones are written by one INSERT of all
  events (with the head and the NOTIFY), one of the new claims, one of the
  idempotency records, and each inline projection applied to all their events
  in position order.
* one by one (only if a shared statement of that try fails: an inline
  projection raised, PostgreSQL refused a row, another log took a claim
  meanwhile): the group's transaction is rolled back and redone with each
  append's statements (insert, inline projections, idempotency record,
  claims) in a savepoint of its own, rolled back alone if it fails.
* An append alone in the queue is simply a transaction of its own, as before
  grouping (no savepoint, no waiting for company).

Only what fails outside an append's own statements (the head lock, COMMIT,
the connection) fails every append of the group. One difference in grouped
appends: an append with two faults may report another of them than it would
alone (together, replays and held claims are found before the projections run).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from shared.appendgroups import DEFAULT_MAX_GROUP, Group, GroupStats, GroupWriter
from shared.canonical import canonical_json, chain_hash
from shared.envelope import RecordedEvent, event_source, log_name
from shared.events import Event
from shared.ids import Clock, IdFactory, format_time, utc_now, uuid7
from shared.logreads import LogReads
from shared.readmodel import Envelope, Projection
from shared.schema import PROJECTION_SCHEMA, STORE_SCHEMA
from shared.storetypes import (
    Claim,
    ConcurrencyError,
    DuplicateKeyError,
    IdempotencyReplay,
    IdempotentAnswer,
    Metadata,
)

__all__ = [
    "Claim",
    "ConcurrencyError",
    "DuplicateKeyError",
    "EventStore",
    "IdempotencyReplay",
    "IdempotentAnswer",
    "Metadata",
    "NOTIFY_CHANNEL",
]

NOTIFY_CHANNEL = "pas_events_appended"


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
_MOVE_HEAD = """
WITH head AS (UPDATE pas_log_heads SET position = $2, hash = $3 WHERE log = $1)
SELECT pg_notify($4, $1 || ' ' || $2::text)
"""


@dataclass(eq=False, slots=True)
class _Append:
    """One call of `append`, queued for the writer."""

    stream_id: UUID
    key: str  # the stream id as PostgreSQL writes it (lowercase text)
    expected: int
    events: Sequence[Event]
    metadata: Metadata
    claims: Sequence[Claim]
    idempotency: IdempotentAnswer | None


class _Redo(Exception):
    """A statement shared by the group's appends failed: redo the group append by append."""


class _Savepoint:
    """One savepoint reused by the appends of a group.

    Releasing the previous append's savepoint and setting the next one is a
    single round trip; after a rollback the savepoint is still there, clean.
    """

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._state = "none"  # none | used (statements since it was set) | clean

    async def enter(self) -> None:
        if self._state == "none":
            await self._conn.execute("SAVEPOINT pas_append")
        elif self._state == "used":
            await self._conn.execute("RELEASE SAVEPOINT pas_append; SAVEPOINT pas_append")
        self._state = "used"

    async def roll_back(self) -> None:
        await self._conn.execute("ROLLBACK TO SAVEPOINT pas_append")
        self._state = "clean"


class EventStore(LogReads):
    """The event log of `service` in `region`, on an asyncpg pool."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        region: str,
        service: str,
        clock: Clock = utc_now,
        new_id: IdFactory = uuid7,
        max_group: int = DEFAULT_MAX_GROUP,
    ) -> None:
        self.pool = pool
        self.region = region
        self.service = service
        self.log = log_name(region, service)
        self.source = event_source(region, service)
        self._clock = clock
        self._new_id = new_id
        self.inline: list[Projection] = []
        self._writer: GroupWriter[_Append] = GroupWriter(
            self._commit_group, max_group=max_group, name=f"event store writer {self.log}"
        )

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

    @property
    def stats(self) -> GroupStats:
        """How appends were grouped so far (groups, requests, largest group, redone groups)."""
        return self._writer.stats

    async def close(self) -> None:
        """Wait until every queued append is committed (or failed) and the writer has ended.

        Optional: the writer task ends by itself whenever the queue is empty, and a
        later `append` starts a new one.
        """
        await self._writer.close()

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
        """Append `events` to a stream at `expected_version`; return them as recorded.

        Committed in one transaction, possibly together with other appends waiting at
        the same moment (group commit); what it raises is about this append alone.
        """
        if not events:
            return []
        key = str(stream_id if isinstance(stream_id, UUID) else UUID(str(stream_id)))
        request = _Append(
            stream_id, key, expected_version, events, metadata, tuple(claims), idempotency
        )
        return await self._writer.submit(request)  # type: ignore[no-any-return]

    async def _commit_group(self, group: Group[_Append]) -> list[list[RecordedEvent] | Exception]:
        """One transaction for `group`: one outcome per request, in order (the writer's commit)."""
        try:
            try:
                return await self._group_transaction(group, one_by_one=False)
            except _Redo:
                # A shared statement failed (an inline projection raised, the database
                # refused a row, a claim was taken by another log meanwhile): redo the
                # group with every append in a savepoint of its own, so only the guilty
                # one fails.
                self._writer.stats.redone += 1
                self._forget_answers(group)
                return await self._group_transaction(group, one_by_one=True)
        except BaseException:
            self._forget_answers(group)
            raise

    async def _group_transaction(
        self, group: Group[_Append], *, one_by_one: bool
    ) -> list[list[RecordedEvent] | Exception]:
        async with self.pool.acquire() as conn, conn.transaction():
            head = await conn.fetchrow(
                "SELECT position, hash FROM pas_log_heads WHERE log = $1 FOR UPDATE", self.log
            )
            if head is None:
                raise RuntimeError(f"log {self.log} has no head row: call setup() first")
            if not one_by_one:  # the first attempt: whoever queued while we waited joins
                group.take_more()
            requests = group.requests
            # What the appends are checked against is read in statements of their own,
            # after the lock: in READ COMMITTED a new statement sees what the writer we
            # waited for committed. (As a subquery of the locking SELECT it ran on the
            # snapshot taken *before* the wait, so a loser read the old version, passed the
            # check and died on the unique index: a 500, not a 409.)
            if len(requests) == 1:
                return [await self._alone(conn, requests[0], head)]
            if one_by_one:
                return await self._one_by_one(conn, requests, head)
            return await self._together(conn, requests, head)

    async def _alone(
        self, conn: asyncpg.Connection, request: _Append, head: asyncpg.Record
    ) -> list[RecordedEvent]:
        """An append alone in its transaction (as without grouping): its errors roll it back."""
        version = await conn.fetchval(
            "SELECT coalesce(max(version), 0) FROM pas_events WHERE stream_id = $1",
            request.stream_id,
        )
        if version != request.expected:
            raise ConcurrencyError(request.stream_id, request.expected, version)
        recorded = self._record(
            request.stream_id, version, head[0], head[1], request.events, request.metadata
        )
        await self._insert(conn, recorded)
        await self._effects(conn, request, recorded)
        return recorded

    async def _facts(
        self,
        conn: asyncpg.Connection,
        requests: list[_Append],
        claims: list[Claim],
        keys: list[str],
    ) -> tuple[dict[str, int], dict[tuple[str, str], str], set[str]]:
        """Current versions of the group's streams, holders of `claims`, used idempotency keys."""
        streams = list({r.key: r.stream_id for r in requests}.items())
        row = await conn.fetchrow(
            _FACTS,
            [s for _, s in streams],
            [c.scope for c in claims],
            [c.key for c in claims],
            keys,
        )
        versions = {key: v for (key, _), v in zip(streams, row[0], strict=True)}
        holders = {
            (c.scope, c.key): h for c, h in zip(claims, row[1], strict=True) if h is not None
        }
        used = {k for k, u in zip(keys, row[2], strict=True) if u}
        return versions, holders, used

    async def _together(
        self, conn: asyncpg.Connection, requests: list[_Append], head: asyncpg.Record
    ) -> list[list[RecordedEvent] | Exception]:
        """The group in a few shared statements, each append judged from what was read.

        Versions, claim holders and used idempotency keys are read once for the group;
        the appends are checked against them in order (and against what the earlier
        appends of the group took); then one INSERT for all events (moving the head and
        NOTIFYing), one for the new claims, one for the idempotency records, and each
        inline projection applied to all events in position order. Should any of these
        fail, or find the database other than read, `_Redo`.
        """
        claims = list({(c.scope, c.key): c for r in requests for c in r.claims}.values())
        keys = list({r.idempotency.key for r in requests if r.idempotency is not None})
        versions, holders, used = await self._facts(conn, requests, claims, keys)
        position, prevhash = head
        outcomes: list[list[RecordedEvent] | Exception] = []
        accepted: list[tuple[_Append, list[RecordedEvent]]] = []
        new_claims: list[tuple[Claim, UUID]] = []
        answers: list[tuple[IdempotentAnswer, tuple[int, Any], str]] = []
        for request in requests:
            try:
                version = versions.get(request.key, 0)
                if version != request.expected:  # as left by the earlier appends of the group
                    raise ConcurrencyError(request.stream_id, request.expected, version)
                recorded = self._record(
                    request.stream_id,
                    version,
                    position,
                    prevhash,
                    request.events,
                    request.metadata,
                )
                idem = request.idempotency
                if idem is not None:  # checked before the claims, as one by one
                    if idem.key in used:
                        raise IdempotencyReplay(idem.key)
                    answer = idem.answer(recorded)
                    answer_json = json.dumps(answer[1])
                mine: list[Claim] = []
                for claim in request.claims:
                    holder = holders.get((claim.scope, claim.key))
                    if holder is None:
                        if claim not in mine:
                            mine.append(claim)
                    elif holder != request.key:
                        raise DuplicateKeyError(claim.scope, claim.key, UUID(holder))
            except Exception as exc:  # noqa: BLE001 - this append's own failure
                outcomes.append(exc)
                continue
            outcomes.append(recorded)
            accepted.append((request, recorded))
            position, prevhash = recorded[-1].position, recorded[-1].hash
            versions[request.key] = version + len(recorded)
            for claim in mine:
                holders[(claim.scope, claim.key)] = request.key
                new_claims.append((claim, request.stream_id))
            if idem is not None:
                used.add(idem.key)
                answers.append((idem, answer, answer_json))
        if not accepted:
            return outcomes
        try:
            await self._insert_rows(
                conn, [e for _, recorded in accepted for e in recorded], (position, prevhash)
            )
            if new_claims:
                taken = await conn.fetch(
                    "INSERT INTO pas_unique_claims (scope, key, stream_id)"
                    " SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])"
                    " ON CONFLICT DO NOTHING RETURNING 1",
                    [c.scope for c, _ in new_claims],
                    [c.key for c, _ in new_claims],
                    [s for _, s in new_claims],
                )
                if len(taken) != len(new_claims):
                    raise RuntimeError("a claim was taken meanwhile")
            if answers:
                stored = await conn.fetch(
                    "INSERT INTO pas_idempotency (key, request_hash, status, body)"
                    " SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])"
                    " ON CONFLICT DO NOTHING RETURNING 1",
                    [i.key for i, _, _ in answers],
                    [i.request_hash for i, _, _ in answers],
                    [a[0] for _, a, _ in answers],
                    [body for _, _, body in answers],
                )
                if len(stored) != len(answers):
                    raise RuntimeError("an idempotency key was used meanwhile")
            if self.inline:
                batch = [
                    Envelope(r.position, r, e)
                    for request, recorded in accepted
                    for r, e in zip(recorded, request.events, strict=True)
                ]
                for projection in self.inline:
                    await projection.apply(conn, batch)
        except Exception as exc:
            raise _Redo from exc
        for idem, answer, _ in answers:
            idem.stored = answer
        return outcomes

    async def _one_by_one(
        self, conn: asyncpg.Connection, requests: list[_Append], head: asyncpg.Record
    ) -> list[list[RecordedEvent] | Exception]:
        """Each append's statements in a savepoint: one that fails is rolled back alone."""
        versions, _, _ = await self._facts(conn, requests, [], [])
        position, prevhash = head
        outcomes: list[list[RecordedEvent] | Exception] = []
        savepoint = _Savepoint(conn)
        for request in requests:
            version = versions.get(request.key, 0)
            if version != request.expected:  # as left by the earlier appends of the group
                outcomes.append(ConcurrencyError(request.stream_id, request.expected, version))
                continue
            try:
                recorded = self._record(
                    request.stream_id,
                    version,
                    position,
                    prevhash,
                    request.events,
                    request.metadata,
                )
            except Exception as exc:  # noqa: BLE001 - this append's own failure
                outcomes.append(exc)
                continue
            await savepoint.enter()
            try:
                await self._insert_rows(conn, recorded, None)
                await self._effects(conn, request, recorded)
            except Exception as exc:  # noqa: BLE001 - this append's own failure
                await savepoint.roll_back()
                if request.idempotency is not None:
                    request.idempotency.stored = None
                outcomes.append(exc)
                continue
            outcomes.append(recorded)
            position, prevhash = recorded[-1].position, recorded[-1].hash
            versions[request.key] = version + len(recorded)
        if position != head[0]:
            await self._insert_rows(conn, [], (position, prevhash))
        return outcomes

    @staticmethod
    def _forget_answers(group: Group[_Append]) -> None:
        for request in group:
            if request.idempotency is not None:
                request.idempotency.stored = None

    async def _effects(
        self, conn: asyncpg.Connection, request: _Append, recorded: list[RecordedEvent]
    ) -> None:
        """Inline projections, the idempotency record and the claims of one append."""
        if self.inline:
            batch = [
                Envelope(r.position, r, e) for r, e in zip(recorded, request.events, strict=True)
            ]
            for projection in self.inline:
                await projection.apply(conn, batch)
        if request.idempotency is not None:
            await self._remember(conn, request.idempotency, recorded)
        for claim in request.claims:
            await self._claim(conn, claim, request.stream_id)

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
                id=str(self._new_id()),
                type=event.TYPE,
                source=self.source,
                subject=subject,
                time=time,
                region=self.region,
                aggregatetype=event.AGGREGATE,
                aggregateversion=version + offset,
                position=position + offset,
                actor=metadata.actor,
                correlationid=metadata.correlation_id,
                causationid=metadata.causation_id,
                prevhash=prevhash,
                hash="",
                data_json=canonical_json(event.model_dump(mode="json")),
            )
            prevhash = chain_hash(prevhash, partial.canonical_body())
            recorded.append(_with_hash(partial, prevhash))
        return recorded

    async def _insert(self, conn: asyncpg.Connection, recorded: list[RecordedEvent]) -> None:
        """Insert `recorded`, move the head to its last event and NOTIFY, in one statement."""
        last = recorded[-1]
        await self._insert_rows(conn, recorded, (last.position, last.hash))

    async def _insert_rows(
        self,
        conn: asyncpg.Connection,
        recorded: list[RecordedEvent],
        head: tuple[int, str] | None,
    ) -> None:
        """Insert `recorded` (any order); with `head`, also move the head there and NOTIFY."""
        if not recorded:
            if head is not None:
                await conn.execute(_MOVE_HEAD, self.log, *head, NOTIFY_CHANNEL)
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
            await conn.execute(_INSERT, self.log, *columns)
        else:
            await conn.execute(_INSERT_AND_MOVE_HEAD, self.log, *columns, *head, NOTIFY_CHANNEL)

    async def _claim(self, conn: asyncpg.Connection, claim: Claim, stream_id: UUID) -> None:
        holder = await conn.fetchval(
            "WITH ins AS (INSERT INTO pas_unique_claims (scope, key, stream_id)"
            " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING stream_id)"
            " SELECT coalesce((SELECT stream_id FROM ins),"
            " (SELECT stream_id FROM pas_unique_claims WHERE scope = $1 AND key = $2))",
            claim.scope,
            claim.key,
            stream_id,
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
            idem.key,
            idem.request_hash,
            status,
            json.dumps(body),
        )
        if not inserted:
            raise IdempotencyReplay(idem.key)
        idem.stored = (status, body)


def _with_hash(event: RecordedEvent, hash_: str) -> RecordedEvent:
    from dataclasses import replace

    return replace(event, hash=hash_)
