"""The PostgreSQL event log of one service in one region (one hash chain): setup and append.

`append(stream_id, expected_version, events)` is committed in one transaction
that holds the log's head row (`SELECT ... FOR UPDATE`): positions are
assigned gap-free in commit order, across every process writing the log, the
hash chain is extended, and a stale `expected_version` raises
`ConcurrencyError`, so two writers never both win. Uniqueness claims, the
idempotency record of the request and the inline projections are written in
the same transaction.

Appends are queued to one writer task per store (shared.eventstore.groups),
which commits every append waiting at that moment in ONE transaction
(shared.eventstore.groupappend); what an append raises is about it alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from shared.envelope import RecordedEvent, event_source, log_name
from shared.events import Event
from shared.eventstore import statements as sql
from shared.eventstore.groupappend import GroupAppend
from shared.eventstore.groups import DEFAULT_MAX_GROUP, GroupStats, GroupWriter
from shared.eventstore.reads import LogReads
from shared.eventstore.recording import EMPTY_HEAD, AppendRequest, Recorder
from shared.eventstore.types import Claim, IdempotentAnswer, Metadata, Snapshot
from shared.ids import Clock, IdFactory, utc_now, uuid7
from shared.readmodel import Projection
from shared.schema import PROJECTION_SCHEMA, STORE_SCHEMA


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
        self.inline: list[Projection] = []
        recorder = Recorder(region=region, service=service, clock=clock, new_id=new_id)
        stats = GroupStats()
        self._group_append = GroupAppend(pool, self.log, recorder, self.inline, stats)
        self._writer: GroupWriter[AppendRequest] = GroupWriter(
            self._group_append.commit,
            max_group=max_group,
            name=f"event store writer {self.log}",
            stats=stats,
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
            await conn.execute(sql.CREATE_HEAD, self.log, EMPTY_HEAD[1])

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
        releases: Sequence[Claim] = (),
        snapshot: Snapshot | None = None,
    ) -> list[RecordedEvent]:
        """Append `events` to a stream at `expected_version`; return them as recorded.

        `releases` are claims this stream gives up (a renamed organisation's old name);
        `snapshot` is the stream's decider state after these events, kept for loads.

        Committed in one transaction, possibly together with other appends waiting at
        the same moment (group commit); what it raises is about this append alone.
        """
        if not events:
            return []
        request = AppendRequest.of(
            stream_id, expected_version, events, metadata, claims, idempotency, releases, snapshot
        )
        return await self._writer.submit(request)  # type: ignore[no-any-return]
