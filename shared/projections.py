"""The projection runner: applies a JetStream stream to PostgreSQL tables, exactly once in effect.

A projection reads events from its checkpoint (a stream sequence stored in
PostgreSQL), applies a batch and stores the new checkpoint in the same
transaction. What cannot be parsed or applied goes to `pas.deadletter.<name>`
with the reason, and the runner goes on. Rebuild = empty the tables, reset the
checkpoint, replay.

Messages come from an ephemeral pull consumer (AckNone) started at the
checkpoint, fetched in batches with nats-py: PostgreSQL, not the consumer,
remembers where we are, and FastStream's concurrent batch handling would lose
the order (see PITFALLS.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import asyncpg
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from shared.deadletter import DeadLetters
from shared.envelope import EnvelopeInvalid, parse_cloudevent
from shared.events import EventDataInvalid, UnknownEventType
from shared.readmodel import Envelope, Projection
from shared.schema import PROJECTION_SCHEMA

log = logging.getLogger(__name__)

# Failures of PostgreSQL or the network, not of the event: never dead-lettered
# (that would skip the event for good); the runner resumes from its checkpoint.
_TRANSIENT = (
    OSError,  # ConnectionError, TimeoutError
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.TransactionRollbackError,  # serialization failure, deadlock
    asyncpg.CannotConnectNowError,
)


class ProjectionRunner:
    """Keeps one projection up to date from one stream."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: NATS,
        projection: Projection,
        *,
        stream: str,
        batch_size: int = 500,
        fetch_timeout: float = 0.5,
    ) -> None:
        self.pool = pool
        self.js = nc.jetstream()
        self.projection = projection
        self.stream = stream
        self.batch_size = batch_size
        self.fetch_timeout = fetch_timeout
        self.deadletters = DeadLetters(self.js, projection.name)
        self.applied = 0
        self._stopping = False
        self._seq_changed = asyncio.Condition()
        self._seq = 0

    async def setup(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('pas_schema'))")
            await conn.execute(PROJECTION_SCHEMA)
            await self.projection.setup(conn)
            await conn.execute(
                "INSERT INTO pas_projection_checkpoints (projection, stream_seq)"
                " VALUES ($1, 0) ON CONFLICT DO NOTHING",
                self.projection.name,
            )

    async def checkpoint(self) -> int:
        async with self.pool.acquire() as conn:
            seq = await conn.fetchval(
                "SELECT stream_seq FROM pas_projection_checkpoints WHERE projection = $1",
                self.projection.name,
            )
        return int(seq or 0)

    async def rebuild(self) -> None:
        """Empty the projection and reset its checkpoint; the next run replays from the start."""
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.reset(conn)
            await conn.execute(
                "DELETE FROM pas_projection_sources WHERE projection = $1", self.projection.name
            )
            await conn.execute(
                "UPDATE pas_projection_checkpoints SET stream_seq = 0, applied = 0,"
                " updated_at = now() WHERE projection = $1",
                self.projection.name,
            )

    def stop(self) -> None:
        self._stopping = True

    async def run(self, *, until_caught_up: bool = False) -> int:
        """Apply batches until stopped (or, with `until_caught_up`, until nothing is pending).

        A failure (NATS or PostgreSQL away) is logged and the runner resumes
        from its stored checkpoint a moment later.
        """
        while not self._stopping:
            try:
                if await self._run_from_checkpoint(until_caught_up):
                    break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - resume from the checkpoint
                if until_caught_up:
                    raise
                log.warning("projection %s paused: %s", self.projection.name, exc)
                await asyncio.sleep(1.0)
        return self.applied

    async def _run_from_checkpoint(self, until_caught_up: bool) -> bool:
        seq = await self.checkpoint()
        self._seq = seq
        sub = await self._subscribe(seq)
        try:
            while not self._stopping:
                try:
                    msgs = await sub.fetch(self.batch_size, timeout=self.fetch_timeout)
                except (FetchTimeoutError, TimeoutError):
                    if until_caught_up:
                        return True
                    continue
                await self.handle(msgs)
        finally:
            with contextlib.suppress(Exception):  # the consumer is ephemeral anyway
                await sub.unsubscribe()
        return True

    async def _subscribe(self, seq: int):  # type: ignore[no-untyped-def]
        subjects = list(self.projection.subjects)
        config = ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE if seq else DeliverPolicy.ALL,
            opt_start_seq=seq + 1 if seq else None,
            inactive_threshold=30.0,
            filter_subjects=subjects if len(subjects) > 1 else None,
        )
        return await self.js.pull_subscribe(
            subjects[0] if len(subjects) == 1 else "", stream=self.stream, config=config
        )

    async def handle(self, msgs: Sequence[Msg]) -> None:
        """Parse, apply and checkpoint one fetched batch."""
        good: list[Envelope] = []
        for msg in msgs:
            parsed = await self._parse(msg)
            if parsed is not None:
                good.append(parsed)
        last_seq = msgs[-1].metadata.sequence.stream
        try:
            await self._apply(good, last_seq)
        except Exception as exc:  # noqa: BLE001 - isolate the event that cannot be applied
            log.warning(
                "batch of %s failed (%s); applying one at a time", self.projection.name, exc
            )
            await self._apply_one_by_one(good, last_seq)
        await self._advanced(last_seq)

    async def _parse(self, msg: Msg) -> Envelope | None:
        seq = msg.metadata.sequence.stream
        try:
            recorded = parse_cloudevent(msg.data)
            event = self.projection.registry.load_json(recorded.type, recorded.data_json)
        except (EnvelopeInvalid, UnknownEventType, EventDataInvalid, ValueError) as exc:
            await self.deadletters.send(msg, f"{type(exc).__name__}: {exc}")
            return None
        return Envelope(seq, recorded, event)

    async def _apply(self, batch: Sequence[Envelope], last_seq: int) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            if batch:
                await self.projection.apply(conn, batch)
                await self._store_sources(conn, batch)
            await self._store(conn, last_seq, len(batch))
        self.applied += len(batch)

    async def _apply_one_by_one(self, batch: Sequence[Envelope], last_seq: int) -> None:
        for item in batch:
            try:
                await self._apply([item], item.seq)
            except _TRANSIENT:
                raise
            except Exception as exc:  # noqa: BLE001
                reason = f"apply failed: {type(exc).__name__}: {exc}"
                await self.deadletters.send_envelope(item, reason)
                async with self.pool.acquire() as conn:
                    await self._store(conn, item.seq, 0)
        async with self.pool.acquire() as conn:
            await self._store(conn, last_seq, 0)

    async def source_position(self, source: str) -> int:
        """The highest log position applied from `source` (e.g. `/pas/jatim/partners`)."""
        async with self.pool.acquire() as conn:
            value = await conn.fetchval(
                "SELECT position FROM pas_projection_sources WHERE projection = $1 AND source = $2",
                self.projection.name, source,
            )
        return int(value or 0)

    async def wait_for_source_position(self, source: str, position: int, timeout: float) -> bool:
        """Wait until events of `source` up to `position` are applied; False on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while await self.source_position(source) < position:
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _store_sources(self, conn: asyncpg.Connection, batch: Sequence[Envelope]) -> None:
        highest: dict[str, int] = {}
        for item in batch:
            source = item.recorded.source
            highest[source] = max(highest.get(source, 0), item.recorded.position)
        if highest:
            await conn.executemany(
                "INSERT INTO pas_projection_sources (projection, source, position)"
                " VALUES ($1, $2, $3) ON CONFLICT (projection, source) DO UPDATE"
                " SET position = greatest(pas_projection_sources.position, EXCLUDED.position)",
                [(self.projection.name, source, pos) for source, pos in highest.items()],
            )

    async def _store(self, conn: asyncpg.Connection, seq: int, applied: int) -> None:
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = greatest(stream_seq, $2),"
            " applied = applied + $3, updated_at = now() WHERE projection = $1",
            self.projection.name, seq, applied,
        )

    async def _advanced(self, seq: int) -> None:
        async with self._seq_changed:
            self._seq = seq
            self._seq_changed.notify_all()

    @property
    def seq(self) -> int:
        """The stream sequence applied so far (in this process)."""
        return self._seq
