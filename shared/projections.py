"""The projection runner: applies a JetStream stream to PostgreSQL tables, exactly once in effect.

A projection reads events from its checkpoint (a stream sequence stored in
PostgreSQL), applies a batch and stores the new checkpoint in the same
transaction. What cannot be parsed or applied goes to `pas.deadletter.<name>`
with the reason, and the runner goes on. Rebuild = empty the tables, reset the
checkpoint, replay.

Messages come from an ephemeral pull consumer (AckNone) started at the
checkpoint: PostgreSQL, not the consumer, remembers where we are, and
FastStream's concurrent batch handling would lose the order (see PITFALLS.md).
The consumer is read by `OrderedPull` (pull requests on an inbox of our own, see
there), which keeps the request for the next batch in flight while the current
batch is applied, and hands batches over strictly in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Sequence

import asyncpg
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from shared.deadletter import DeadLetters
from shared.projection_batches import BatchApplier, parse_delivered, sort_out
from shared.projection_checkpoints import ProjectionCheckpoints
from shared.pull import OrderedPull, PullStalled
from shared.readmodel import Delivered, Projection

log = logging.getLogger(__name__)

_RECHECK = 0.05  # seconds between reads of another process's progress


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
        deadletter_consumer: str | None = None,
    ) -> None:
        """`deadletter_consumer` names the dead-letter subject (`pas.deadletter.<it>`) when it
        is not the projection's name (e.g. one consumer whose projection has generations)."""
        self.pool = pool
        self.nc = nc
        self.js = nc.jetstream()
        self.projection = projection
        self.stream = stream
        self.batch_size = batch_size
        self.fetch_timeout = fetch_timeout
        self.deadletters = DeadLetters(self.js, deadletter_consumer or projection.name)
        self.checkpoints = ProjectionCheckpoints(pool, projection.name)
        self.batches = BatchApplier(pool, projection, self.checkpoints, self.deadletters)
        # A projection may read its messages its own way (`prepare(msg, seq)`: a Delivered, or
        # why the message goes to the dead letters); by default the envelope and its registry.
        self._prepare: Callable[[Msg, int], Delivered | str] = getattr(
            projection, "prepare", None
        ) or functools.partial(parse_delivered, projection.registry)
        self._stopping = False
        self._seq_changed = asyncio.Condition()
        self._seq = 0

    async def setup(self) -> None:
        """Create the projection's tables and its checkpoint row (idempotent)."""
        await self.checkpoints.setup(self.projection)

    async def checkpoint(self) -> int:
        """The stream sequence applied so far (stored)."""
        return await self.checkpoints.read()

    async def rebuild(self) -> None:
        """Empty the projection and reset its checkpoint; the next run replays from the start."""
        async with self.pool.acquire() as conn, conn.transaction():
            await self.projection.reset(conn)
            await self.checkpoints.reset(conn)

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
        taken) and each of its messages is parsed as it comes in (`parse_delivered`,
        called by `OrderedPull`). Batch N+1 is applied only once batch N's
        transaction, with its checkpoint, has committed. Dead letters of a
        batch are sent just before it is applied, as before. If applying a
        batch fails, its transaction rolls back; if receiving fails, the batch
        being applied is let finish (cancelled only if we are); either way what
        was received after it is dropped with the consumer, and `run()` resumes
        from the stored checkpoint: nothing lost, nothing applied twice.
        """
        seq = await self.checkpoint()
        self._seq = seq
        pull = OrderedPull(
            self.nc,
            self.js,
            self.stream,
            list(self.projection.subjects),
            seq,
            batch=self.batch_size,
            expires=self.fetch_timeout,
            prepare=self._prepare,
            keep=getattr(self.projection, "keep", None),
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
                    # a request may also end empty while the server is slow to deliver: caught
                    # up only once the consumer itself has nothing left
                    if until_caught_up and await pull.pending() == 0:
                        return True
                    continue
                good, bad = sort_out(msgs, items)
                if applying is not None:
                    await applying  # batch N committed (or raises) before N+1 starts
                applying = asyncio.ensure_future(self._apply_batch(good, bad, seqs[-1]))
                if until_caught_up and pull.drained:
                    # the end of the stream as it stood (events keep coming on a busy stream:
                    # waiting for a quiet moment might never end)
                    await applying
                    return True
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

    async def source_position(self, source: str) -> int:
        """The highest log position applied from `source` (e.g. `/pas/jatim/partners`)."""
        return await self.checkpoints.source_position(source)

    async def wait_for_source_position(self, source: str, position: int, timeout: float) -> bool:
        """Wait until events of `source` up to `position` are applied; False on timeout.

        Woken at once when this process applies a batch; what another process applies
        (the worker that runs the projections, when this one does not) is seen by
        reading again every `_RECHECK` seconds.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            seen = self._seq
            if await self.source_position(source) >= position:
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            async with self._seq_changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._seq_changed.wait_for(self._moved_from(seen)),
                        min(remaining, _RECHECK),
                    )

    async def _apply_batch(
        self, good: Sequence[Delivered], bad: Sequence[tuple[Msg, str]], last_seq: int
    ) -> None:
        await self.batches.apply(good, bad, last_seq)
        await self._advanced(last_seq)

    def _moved_from(self, seq: int) -> Callable[[], bool]:
        return lambda: self._seq != seq

    async def _advanced(self, seq: int) -> None:
        async with self._seq_changed:
            self._seq = seq
            self._seq_changed.notify_all()

    @property
    def applied(self) -> int:
        """Events applied by this process."""
        return self.batches.applied

    @property
    def seq(self) -> int:
        """The stream sequence applied so far (in this process)."""
        return self._seq
