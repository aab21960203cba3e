"""The outbox relay: publishes a service log to JetStream, in order, at least once.

Each batch is pipelined (`publish_async`) with `Nats-Msg-Id` = event id; the
checkpoint (position, stream sequence) advances in PostgreSQL only after every
ack of the batch. A crash anywhere re-sends from the checkpoint and JetStream's
duplicate window (and consumers' idempotence) drops the repeats.

A JetStream ack is not an fsync. At start, and whenever asked, `reconcile()`
checks that the stream still holds the last event the checkpoint names; when it
does not, the checkpoint moves back to the last position the stream really has
and the relay re-publishes from there.

If one publish of a pipelined batch fails while later ones succeed, the
re-sent event lands after them in the stream: consumers that need strict
per-log order check `position`; projections are idempotent (see shared.readmodel).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable

import asyncpg
from nats.aio.client import Client as NATS
from nats.js.errors import NotFoundError

from shared.envelope import RecordedEvent, log_subjects
from shared.eventstore import NOTIFY_CHANNEL, EventStore
from shared.relay_checkpoint import RelayCheckpoint

log = logging.getLogger(__name__)


async def _next_batch(batches: AsyncIterator[list[RecordedEvent]]) -> list[RecordedEvent] | None:
    try:
        return await anext(batches)
    except StopAsyncIteration:
        return None


class OutboxRelay:
    """Moves one log's events from PostgreSQL to a JetStream stream."""

    def __init__(
        self,
        store: EventStore,
        nc: NATS,
        *,
        stream: str,
        batch_size: int = 2000,
        poll_interval: float = 1.0,
        ack_timeout: float = 10.0,
    ) -> None:
        self.store = store
        self.js = nc.jetstream(timeout=ack_timeout, publish_async_max_pending=batch_size)
        self.stream = stream
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.ack_timeout = ack_timeout
        self.checkpoints = RelayCheckpoint(store.pool, store.log)
        self._wake = asyncio.Event()
        self._stopping = False
        self.published = 0
        # test hook: called after a batch is acked and before its checkpoint is stored
        self.after_publish: Callable[[int], None] | None = None

    async def checkpoint(self) -> tuple[int, int, str | None]:
        """(position, stream sequence, last event id) recorded as published."""
        return await self.checkpoints.read()

    async def _store_checkpoint(self, position: int, seq: int, event_id: str | None) -> None:
        await self.checkpoints.store(position, seq, event_id)

    async def lag(self) -> int:
        """How many appended events are not yet confirmed on NATS."""
        head, _ = await self.store.head()
        position, _, _ = await self.checkpoint()
        return head - position

    async def reconcile(self) -> int:
        """Move the checkpoint back if the stream lost what it acked; return the position."""
        position, seq, event_id = await self.checkpoint()
        if position == 0:
            return 0
        try:
            msg = await self.js.get_msg(self.stream, seq=seq)
            if msg.headers and msg.headers.get("Nats-Msg-Id") == event_id:
                return position
        except NotFoundError:
            pass
        actual, actual_seq, actual_id = await self._last_in_stream()
        log.warning(
            "stream %s holds %s up to position %d, checkpoint said %d: re-publishing",
            self.stream,
            self.store.log,
            actual,
            position,
        )
        await self._store_checkpoint(actual, actual_seq, actual_id)
        return actual

    async def _last_in_stream(self) -> tuple[int, int, str | None]:
        subject = log_subjects(self.store.region, self.store.service)
        try:
            msg = await self.js.get_last_msg(self.stream, subject)
        except NotFoundError:
            return 0, 0, None
        try:
            doc = json.loads(msg.data or b"")
            return int(doc["position"]), msg.seq or 0, str(doc["id"])
        except (ValueError, TypeError, KeyError):
            # not one of ours (someone published on our subjects): we cannot tell where the
            # stream ends, so re-publish the whole log (dedup and idempotent consumers cope)
            log.warning(
                "last message of %s in %s is no event: re-publishing all",
                self.store.log,
                self.stream,
            )
            return 0, 0, None

    async def publish_pending(self) -> int:
        """Publish everything after the checkpoint; return how many events were sent.

        Batch N+1 is read from PostgreSQL while the acks of batch N are awaited;
        the checkpoint still moves only after every ack of a batch, batch after
        batch. On any failure the batch read ahead is dropped, and the next call
        starts again from the stored checkpoint.
        """
        sent = 0
        position, _, _ = await self.checkpoint()
        batches = self.store.read_log(position, batch=self.batch_size)
        reading = asyncio.ensure_future(_next_batch(batches))
        try:
            while (batch := await reading) is not None:
                futures = [
                    await self.js.publish_async(
                        event.nats_subject, event.to_cloudevent_bytes(), headers=event.headers()
                    )
                    for event in batch
                ]
                reading = asyncio.ensure_future(_next_batch(batches))
                acks = await asyncio.wait_for(asyncio.gather(*futures), self.ack_timeout)
                if self.after_publish is not None:
                    self.after_publish(len(batch))
                last = batch[-1]
                await self._store_checkpoint(last.position, acks[-1].seq, last.id)
                sent += len(batch)
                self.published += len(batch)
        finally:
            if not reading.done():
                reading.cancel()
            with contextlib.suppress(BaseException):
                await reading
            with contextlib.suppress(Exception):
                await batches.aclose()  # type: ignore[attr-defined]  # an async generator
        return sent

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self, listen_dsn: str | None = None) -> None:
        """Publish until stopped: woken by LISTEN/NOTIFY, polling as the fallback.

        The checkpoint is reconciled with the stream at start, after every
        failure (a NATS server that restarted may have lost what it acked) and
        whenever the relay has been idle for a poll interval (one message
        lookup), and a reconcile must succeed before the relay publishes again.
        """
        listener = await self._listen(listen_dsn) if listen_dsn else None
        try:
            reconcile = True
            while not self._stopping:
                self._wake.clear()
                try:
                    if reconcile:
                        await self.reconcile()
                        reconcile = False
                    await self.publish_pending()
                except Exception as exc:  # noqa: BLE001 - the relay must outlive outages
                    log.warning("relay of %s paused: %s", self.store.log, exc)
                    reconcile = True
                    await asyncio.sleep(self.poll_interval)
                    continue
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                except TimeoutError:
                    reconcile = True
        finally:
            if listener is not None:
                await listener.close()

    async def _listen(self, dsn: str) -> asyncpg.Connection:
        conn = await asyncpg.connect(dsn)
        prefix = self.store.log + " "

        def notified(_c: object, _pid: int, _channel: str, payload: str) -> None:
            if payload.startswith(prefix):
                self._wake.set()

        await conn.add_listener(NOTIFY_CHANNEL, notified)
        return conn
