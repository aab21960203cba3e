"""The projection runner: applies a JetStream stream to PostgreSQL tables, exactly once in effect.

A projection reads events from its checkpoint (a stream sequence stored in
PostgreSQL), applies a batch and stores the new checkpoint in the same
transaction. What cannot be parsed or applied goes to `pas.deadletter.<name>`
with the reason, and the runner goes on. Rebuild = empty the tables, reset the
checkpoint, replay.

Messages come from an ephemeral pull consumer (AckNone) started at the
checkpoint: PostgreSQL, not the consumer, remembers where we are, and
FastStream's concurrent batch handling would lose the order (see PITFALLS.md).
The consumer is read by `_Pull` (pull requests on an inbox of our own, see
there), which keeps the request for the next batch in flight while the current
batch is applied, and hands batches over strictly in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import asyncpg
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from shared.deadletter import DeadLetters
from shared.envelope import EnvelopeInvalid
from shared.envelope_parse import parse_cloudevent
from shared.events import EventDataInvalid, UnknownEventType
from shared.pull import PullStalled, _Pull
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
        batch_size: int = 1000,
        fetch_timeout: float = 0.5,
    ) -> None:
        self.pool = pool
        self.nc = nc
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
        """Read from the stored checkpoint on, batch after batch, in order.

        Three things overlap: while batch N is applied in PostgreSQL (a task of
        its own), batch N+1 arrives (its pull request went out when batch N was
        taken) and each of its messages is parsed as it comes in (`_prepare`,
        called by `_Pull`). Batch N+1 is applied only once batch N's
        transaction, with its checkpoint, has committed. Dead letters of a
        batch are sent just before it is applied, as before. If applying a
        batch fails, its transaction rolls back; if receiving fails, the batch
        being applied is let finish (cancelled only if we are); either way what
        was received after it is dropped with the consumer, and `run()` resumes
        from the stored checkpoint: nothing lost, nothing applied twice.
        """
        seq = await self.checkpoint()
        self._seq = seq
        pull = _Pull(
            self.nc,
            self.js,
            self.stream,
            list(self.projection.subjects),
            seq,
            batch=self.batch_size,
            expires=self.fetch_timeout,
            prepare=self._prepare,
        )
        await pull.start()
        applying: asyncio.Task[None] | None = None
        try:
            while not self._stopping:
                try:
                    msgs, seqs, items = await pull.take()
                except PullStalled:
                    if not until_caught_up:
                        raise  # resume from the checkpoint with a new consumer
                    msgs, seqs, items = [], [], []  # as a fetch that timed out: nothing came
                if not msgs:
                    if applying is not None:
                        await applying
                        applying = None
                    if until_caught_up:
                        return True
                    continue
                good, bad = _sort_out(msgs, items)
                if applying is not None:
                    await applying  # batch N committed (or raises) before N+1 starts
                applying = asyncio.ensure_future(self._apply_batch(good, bad, seqs[-1]))
            if applying is not None:
                await applying
                applying = None
        except BaseException as exc:
            if applying is not None and not applying.done():
                if isinstance(exc, Exception):  # batch N is whole: let it commit, then resume
                    with contextlib.suppress(Exception):
                        await applying
                else:  # cancelled: it rolls back, the stored checkpoint holds
                    applying.cancel()
                    with contextlib.suppress(BaseException):
                        await applying
            raise
        finally:
            with contextlib.suppress(Exception):  # the consumer is ephemeral anyway
                await pull.close()
        return True

    def _prepare(self, msg: Msg, seq: int) -> Envelope | str:
        """The message as an Envelope, or why it goes to the dead letters."""
        try:
            recorded = parse_cloudevent(msg.data)
            event = self.projection.registry.load_json(recorded.type, recorded.data_json)
        except (EnvelopeInvalid, UnknownEventType, EventDataInvalid, ValueError) as exc:
            return f"{type(exc).__name__}: {exc}"
        return Envelope(seq, recorded, event)

    async def _apply_batch(
        self, good: Sequence[Envelope], bad: Sequence[tuple[Msg, str]], last_seq: int
    ) -> None:
        for msg, reason in bad:
            await self.deadletters.send(msg, reason)
        try:
            await self._apply(good, last_seq)
        except Exception as exc:  # noqa: BLE001 - isolate the event that cannot be applied
            log.warning(
                "batch of %s failed (%s); applying one at a time", self.projection.name, exc
            )
            await self._apply_one_by_one(good, last_seq)
        await self._advanced(last_seq)

    async def _apply(self, batch: Sequence[Envelope], last_seq: int) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            if batch:
                await self.projection.apply(conn, batch)
            await self._store_with_sources(conn, batch, last_seq)
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
                self.projection.name,
                source,
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

    async def _store_with_sources(
        self, conn: asyncpg.Connection, batch: Sequence[Envelope], seq: int
    ) -> None:
        """The highest position of each source in the batch (for `source_position`) and the
        checkpoint (as `_store`), in one statement: one round trip."""
        highest: dict[str, int] = {}
        for item in batch:
            source = item.recorded.source
            highest[source] = max(highest.get(source, 0), item.recorded.position)
        await conn.execute(
            "WITH sources AS (INSERT INTO pas_projection_sources (projection, source, position)"
            " SELECT $1, s.source, s.position FROM unnest($4::text[], $5::bigint[])"
            " AS s(source, position) ON CONFLICT (projection, source) DO UPDATE"
            " SET position = greatest(pas_projection_sources.position, EXCLUDED.position))"
            " UPDATE pas_projection_checkpoints SET stream_seq = greatest(stream_seq, $2),"
            " applied = applied + $3, updated_at = now() WHERE projection = $1",
            self.projection.name,
            seq,
            len(batch),
            list(highest),
            list(highest.values()),
        )

    async def _store(self, conn: asyncpg.Connection, seq: int, applied: int) -> None:
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = greatest(stream_seq, $2),"
            " applied = applied + $3, updated_at = now() WHERE projection = $1",
            self.projection.name,
            seq,
            applied,
        )

    async def _advanced(self, seq: int) -> None:
        async with self._seq_changed:
            self._seq = seq
            self._seq_changed.notify_all()

    @property
    def seq(self) -> int:
        """The stream sequence applied so far (in this process)."""
        return self._seq


def _sort_out(
    msgs: Sequence[Msg], items: Sequence[Envelope | str]
) -> tuple[list[Envelope], list[tuple[Msg, str]]]:
    """The envelopes in order, and the messages to dead-letter with why."""
    good = [item for item in items if type(item) is Envelope]
    if len(good) == len(items):
        return good, []  # type: ignore[return-value]
    bad = [(msg, item) for msg, item in zip(msgs, items, strict=True) if type(item) is str]
    return good, bad  # type: ignore[return-value]
