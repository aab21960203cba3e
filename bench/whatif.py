"""The group-commit prototype, kept as a lean reference beside the real thing.

Group commit is now how `EventStore.append` works (shared/eventstore/groupappend.py,
shared/eventstore/groups.py). This prototype is what it started from: every append
waiting at that moment in ONE transaction (one head lock, one version query
for all streams, one INSERT of all events, one COMMIT), a stale expected
version refused on its own. It leaves out everything else the real store
does: claims, idempotency records, inline projections, the redo with a
savepoint per append when a shared statement fails, cancellation, taking
late-comers after the lock, the single-append path. The bench measures both
with the same 16 appenders, so the gap between the `store` rows shows what
that bookkeeping costs (little: see bench/README.md). It can go once nobody
wants that comparison (bench/sections.py imports it for its row).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from bench.common import now
from bench.fill import META
from services.partners import events as ev
from shared.envelope import RecordedEvent
from shared.events import Event
from shared.eventstore import ConcurrencyError, EventStore, Metadata, statements
from shared.eventstore.recording import Recorder
from shared.ids import utc_now, uuid7

MAX_GROUP = 256


@dataclass
class _Pending:
    stream_id: uuid.UUID
    expected: int
    events: Sequence[Event]
    metadata: Metadata
    done: asyncio.Future[list[RecordedEvent]]


class GroupAppender:
    """`append` like EventStore's; concurrent calls share one transaction."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.recorder = Recorder(
            region=store.region, service=store.service, clock=utc_now, new_id=uuid7
        )
        self.queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self.worker: asyncio.Task[None] | None = None
        self.groups = 0
        self.appended = 0

    async def append(
        self, stream_id: uuid.UUID, expected: int, events: Sequence[Event], metadata: Metadata
    ) -> list[RecordedEvent]:
        if self.worker is None:
            self.worker = asyncio.ensure_future(self._work())
        done: asyncio.Future[list[RecordedEvent]] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait(_Pending(stream_id, expected, events, metadata, done))
        return await done

    async def close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            await asyncio.gather(self.worker, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            group = [await self.queue.get()]
            while not self.queue.empty() and len(group) < MAX_GROUP:
                group.append(self.queue.get_nowait())
            try:
                accepted = await self._commit(group)
            except Exception as exc:  # noqa: BLE001 - every waiting request learns of it
                for item in group:
                    if not item.done.done():
                        item.done.set_exception(exc)
                continue
            for item, recorded in accepted:
                item.done.set_result(recorded)
            self.groups += 1
            self.appended += len(accepted)

    async def _commit(self, group: list[_Pending]) -> list[tuple[_Pending, list[RecordedEvent]]]:
        store = self.store
        async with store.pool.acquire() as conn, conn.transaction():
            position, prevhash = await conn.fetchrow(
                "SELECT position, hash FROM pas_log_heads WHERE log = $1 FOR UPDATE", store.log
            )
            versions = dict(
                await conn.fetch(
                    "SELECT stream_id, max(version) FROM pas_events"
                    " WHERE stream_id = ANY($1::uuid[])"
                    " GROUP BY stream_id",
                    list({item.stream_id for item in group}),
                )
            )
            accepted = []
            for item in group:
                version = versions.get(item.stream_id, 0)
                if version != item.expected:
                    item.done.set_exception(
                        ConcurrencyError(item.stream_id, item.expected, version)
                    )
                    continue
                recorded = self.recorder.record(
                    item.stream_id, version, (position, prevhash), item.events, item.metadata
                )
                position, prevhash = recorded[-1].position, recorded[-1].hash
                versions[item.stream_id] = version + len(recorded)
                accepted.append((item, recorded))
            if accepted:
                rows = [r for _, recorded in accepted for r in recorded]
                await statements.insert_events(conn, store.log, rows, (position, prevhash))
        return accepted


async def group_append_rate(
    store: EventStore, appenders: int, seconds: float
) -> tuple[float, float]:
    """(appends/s, mean group size) of single-event appends through a GroupAppender."""
    group = GroupAppender(store)
    stop_at = now() + seconds
    counts = [0] * appenders

    async def appender(index: int) -> None:
        while now() < stop_at:
            event = ev.PartnerRegistered(
                kind="community_organization",
                name=f"Pokmas Grup {index}-{counts[index]}",
                region=store.region,
                contact={"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                interests=("reintegration",),
            )
            await group.append(uuid.uuid4(), 0, [event], META)
            counts[index] += 1

    began = now()
    try:
        await asyncio.gather(*(appender(i) for i in range(appenders)))
    finally:
        await group.close()
    return sum(counts) / (now() - began), group.appended / max(group.groups, 1)
