"""A projection's batches: each message parsed or sorted out, then applied with the checkpoint.

A batch is applied in one transaction with its checkpoint. If it fails, its
events are applied one at a time, and the one that cannot be applied goes to
the dead letters with the reason (the runner goes on); a failure of PostgreSQL
or the network is no fault of the event and is raised instead (the runner
resumes from its stored checkpoint).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import asyncpg
from nats.aio.msg import Msg

from shared.deadletter import DeadLetters
from shared.envelope import EnvelopeInvalid
from shared.envelope_parse import parse_cloudevent
from shared.events import EventDataInvalid, EventRegistry, UnknownEventType
from shared.projection_checkpoints import ProjectionCheckpoints
from shared.readmodel import Delivered, Projection

log = logging.getLogger(__name__)

# Failures of PostgreSQL or the network, not of the event: never dead-lettered
# (that would skip the event for good); the runner resumes from its checkpoint.
TRANSIENT = (
    OSError,  # ConnectionError, TimeoutError
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.TransactionRollbackError,  # serialization failure, deadlock
    asyncpg.CannotConnectNowError,
)


class BatchApplier:
    """Applies batches of one projection, each with its checkpoint, in one transaction."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        checkpoints: ProjectionCheckpoints,
        deadletters: DeadLetters,
    ) -> None:
        self.pool = pool
        self.projection = projection
        self.checkpoints = checkpoints
        self.deadletters = deadletters
        self.applied = 0  # events applied by this process

    async def apply(
        self, good: Sequence[Delivered], bad: Sequence[tuple[Msg, str]], last_seq: int
    ) -> None:
        """Dead-letter `bad`, apply `good`, move the checkpoint to `last_seq`."""
        for msg, reason in bad:
            await self.deadletters.send(msg, reason)
        try:
            await self._apply(good, last_seq)
        except Exception as exc:  # noqa: BLE001 - isolate the event that cannot be applied
            log.warning(
                "batch of %s failed (%s); applying one at a time", self.projection.name, exc
            )
            await self._apply_one_by_one(good, last_seq)

    async def _apply(self, batch: Sequence[Delivered], last_seq: int) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            if batch:
                await self.projection.apply(conn, batch)
            await self.checkpoints.store_with_sources(conn, batch, last_seq)
        self.applied += len(batch)
        if batch:
            committed = getattr(self.projection, "committed", None)
            if committed is not None:  # what it keeps in memory may now count on the rows
                committed()

    async def _apply_one_by_one(self, batch: Sequence[Delivered], last_seq: int) -> None:
        for item in batch:
            try:
                await self._apply([item], item.seq)
            except TRANSIENT:
                raise
            except Exception as exc:  # noqa: BLE001
                reason = f"apply failed: {type(exc).__name__}: {exc}"
                await self.deadletters.send_delivered(item, reason)
                async with self.pool.acquire() as conn:
                    await self.checkpoints.store(conn, item.seq, 0)
        async with self.pool.acquire() as conn:
            await self.checkpoints.store(conn, last_seq, 0)


def parse_delivered(registry: EventRegistry, msg: Msg, seq: int) -> Delivered | str:
    """The message as a Delivered event, or why it goes to the dead letters."""
    try:
        recorded = parse_cloudevent(msg.data)
        event = registry.load_json(recorded.type, recorded.data_json)
    except (EnvelopeInvalid, UnknownEventType, EventDataInvalid, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return Delivered(seq, recorded, event)


def sort_out(
    msgs: Sequence[Msg], items: Sequence[Delivered | str]
) -> tuple[list[Delivered], list[tuple[Msg, str]]]:
    """The envelopes in order, and the messages to dead-letter with why."""
    good = [item for item in items if type(item) is Delivered]
    if len(good) == len(items):
        return good, []  # type: ignore[return-value]
    bad = [(msg, item) for msg, item in zip(msgs, items, strict=True) if type(item) is str]
    return good, bad  # type: ignore[return-value]
