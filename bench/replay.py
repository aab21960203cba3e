"""Projection replay: events/s from JetStream into a real projection table, beside raw fetch.

The projection upserts one row per event with one `executemany` per batch; the
shared `ProjectionRunner` (batch 1,000, its default) pulls the messages (its
own pull requests, the next batch in flight while the current one is
applied), parses each CloudEvent and its pydantic model as it arrives, applies
the batch and stores the checkpoint in the same transaction. The limit beside
it: a raw nats-py pull consumer `fetch(500)` over the same messages, doing
nothing with them.

Both start at the first stream sequence of the log being replayed (the
runner's checkpoint is set there), so earlier messages in a shared stream are
skipped.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import asyncpg
from nats.aio.client import Client as NATS
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from bench.common import now
from shared.envelope_parse import parse_cloudevent
from shared.events import EventRegistry
from shared.projections import ProjectionRunner
from shared.readmodel import Delivered, Projection


class RowPerEvent:
    """One row per event, upserted (replays are idempotent), one executemany per batch."""

    def __init__(self, name: str, subjects: Sequence[str], registry: EventRegistry) -> None:
        self.name = name
        self.subjects = subjects
        self.registry = registry
        self.table = f"bench_{name}"

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} (event_id uuid PRIMARY KEY,"
            " stream_id uuid NOT NULL, position bigint NOT NULL, type text NOT NULL,"
            " version int NOT NULL, time text NOT NULL, applied int NOT NULL DEFAULT 1)"
        )

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute(f"TRUNCATE {self.table}")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        await conn.executemany(
            f"INSERT INTO {self.table} (event_id, stream_id, position, type, version, time)"
            " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO UPDATE"
            f" SET applied = {self.table}.applied + 1",
            [
                (r.id, r.subject, r.position, r.type, r.aggregateversion, r.time)
                for r in (item.recorded for item in batch)
            ],
        )


def parse_rate(payloads: list[bytes], registry: EventRegistry) -> float:
    """What the runner does per message before the database, in memory: parse + model."""
    began = now()
    for payload in payloads:
        recorded = parse_cloudevent(payload)
        registry.load_json(recorded.type, recorded.data_json)
    return len(payloads) / (now() - began)


async def stream_last_seq(nc: NATS, stream: str) -> int:
    info = await nc.jetstream().stream_info(stream)
    return int(info.state.last_seq)


async def runner_rate(
    pool: asyncpg.Pool,
    nc: NATS,
    projection: Projection,
    stream: str,
    *,
    start_seq: int,
    expect: int,
    batch_size: int = 1000,
    timeout: float = 120,
) -> tuple[float, int]:
    """(events/s, applied) of a ProjectionRunner from `start_seq` until `expect` are applied."""
    runner = ProjectionRunner(pool, nc, projection, stream=stream, batch_size=batch_size)
    await runner.setup()
    await runner.rebuild()
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = $2 WHERE projection = $1",
            projection.name,
            start_seq - 1,
        )
    began = now()
    task = asyncio.ensure_future(runner.run(until_caught_up=True))
    try:
        deadline = began + timeout
        while runner.applied < expect and not task.done() and now() < deadline:
            await asyncio.sleep(0.002)
        elapsed = now() - began
    finally:
        runner.stop()
        await asyncio.wait_for(task, 10)
    if runner.applied < expect:
        raise RuntimeError(f"{projection.name}: applied {runner.applied} of {expect}")
    return runner.applied / elapsed, runner.applied


async def raw_fetch_rate(
    nc: NATS, stream: str, subject: str, *, start_seq: int, expect: int, batch: int = 500
) -> float:
    """A raw nats-py pull consumer fetching `expect` messages in batches of `batch`."""
    js = nc.jetstream()
    began = now()
    sub = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=start_seq,
            inactive_threshold=10.0,
            name=f"bench_raw_{uuid.uuid4().hex[:8]}",
        ),
    )
    got = 0
    try:
        while got < expect:
            try:
                got += len(await sub.fetch(batch, timeout=2.0))
            except (FetchTimeoutError, TimeoutError):
                raise RuntimeError(f"raw fetch: {got} of {expect} after a timeout") from None
        return got / (now() - began)
    finally:
        await sub.unsubscribe()
