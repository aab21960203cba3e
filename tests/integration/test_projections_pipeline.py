"""The runner's pipeline (batch N applied while batch N+1 arrives and is parsed): order kept
across batch boundaries, and a failure anywhere resumes from the checkpoint, losing nothing
and applying nothing twice."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from shared import direct_inbox, pull
from shared.projections import ProjectionRunner
from shared.readmodel import Delivered
from shared.relay import OutboxRelay
from tests.conftest import STREAM
from tests.integration.support import Kit, ThingsProjection, eventually

pytestmark = pytest.mark.integration


class Recording(ThingsProjection):
    """Records each applied batch (stream sequences, positions); slow, so batches overlap."""

    def __init__(
        self, *args: object, delay: float = 0.02, fail_on: str | None = None, failures: int = 0
    ) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.batches: list[list[tuple[int, int]]] = []
        self.delay = delay
        self.fail_on = fail_on
        self.failures = failures

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        await asyncio.sleep(self.delay)
        if self.failures and any(item.event.name == self.fail_on for item in batch):  # type: ignore[attr-defined]
            self.failures -= 1
            raise ConnectionResetError("connection lost")
        await super().apply(conn, batch)
        self.batches.append([(item.seq, item.recorded.position) for item in batch])


async def rows(pool: asyncpg.Pool) -> list[tuple[int, int]]:
    async with pool.acquire() as conn:
        found = await conn.fetch("SELECT position, times FROM things ORDER BY position")
    return [(r["position"], r["times"]) for r in found]


async def stored(pool: asyncpg.Pool, name: str) -> tuple[int, int]:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT stream_seq, applied FROM pas_projection_checkpoints WHERE projection = $1",
            name,
        )
    return row["stream_seq"], row["applied"]


def applied_in_order(batches: list[list[tuple[int, int]]]) -> list[int]:
    seqs = [seq for batch in batches for seq, _ in batch]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    return [position for batch in batches for _, position in batch]


async def test_batches_keep_their_order_across_boundaries(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    await kit.append(53)
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()
    projection = Recording(f"rec_{kit.service}", [kit.subjects], kit.registry)
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=7, fetch_timeout=0.3)
    await runner.setup()
    assert await runner.run(until_caught_up=True) == 53
    assert applied_in_order(projection.batches) == list(range(1, 54))
    assert [len(b) for b in projection.batches] == [7] * 7 + [4]
    assert await rows(pool) == [(p, 1) for p in range(1, 54)]
    last_seq = projection.batches[-1][-1][0]
    assert runner.seq == last_seq and await stored(pool, projection.name) == (last_seq, 53)
    assert await runner.source_position(kit.store.source) == 53


async def test_a_transient_failure_mid_way_resumes_without_loss_or_doubles(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    names = [f"thing {i}" for i in range(30)]
    names[17] = "flaky"  # in the fourth batch of 5: batches after it are already on their way
    await kit.append(30, names=names)
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()
    projection = Recording(
        f"flaky_{kit.service}", [kit.subjects], kit.registry, fail_on="flaky", failures=2
    )  # the batch, then the event alone
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=5, fetch_timeout=0.3)
    await runner.setup()
    task = asyncio.create_task(runner.run())  # as in a service: it resumes by itself
    try:
        assert await eventually(lambda: _count_is(pool, 30), timeout=15.0)
    finally:
        runner.stop()
        await asyncio.wait_for(task, 5.0)
    assert projection.failures == 0
    assert applied_in_order(projection.batches) == list(range(1, 31))
    assert await rows(pool) == [(p, 1) for p in range(1, 31)]
    assert (await stored(pool, projection.name))[1] == 30
    assert runner.deadletters.sent == 0


async def test_a_message_lost_on_the_way_is_read_again_from_the_checkpoint(
    kit: Kit, nc: NATS, pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    await kit.append(20)
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()
    real = pull.ack_info
    calls = 0

    def losing_one(reply: str) -> tuple[int, int, int] | None:
        """The 13th delivery looks as if the 12th never came (its consumer sequence skips)."""
        nonlocal calls
        info = real(reply)
        calls += 1
        if info is not None and calls == 13:
            return info[0], info[1] + 1, info[2]
        return info

    monkeypatch.setattr(pull, "ack_info", losing_one)
    projection = Recording(f"lost_{kit.service}", [kit.subjects], kit.registry, delay=0)
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=5, fetch_timeout=0.3)
    await runner.setup()
    task = asyncio.create_task(runner.run())
    try:
        assert await eventually(lambda: _count_is(pool, 20), timeout=15.0)
    finally:
        runner.stop()
        await asyncio.wait_for(task, 5.0)
    assert calls > 20  # the consumer was made again and the rest read again
    assert applied_in_order(projection.batches) == list(range(1, 21))
    assert await rows(pool) == [(p, 1) for p in range(1, 21)]


async def test_until_caught_up_after_a_failure_raises_and_a_rerun_completes(
    kit: Kit, nc: NATS, pool: asyncpg.Pool
) -> None:
    names = [f"thing {i}" for i in range(12)]
    names[8] = "flaky"
    await kit.append(12, names=names)
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()
    projection = Recording(
        f"again_{kit.service}", [kit.subjects], kit.registry, fail_on="flaky", failures=2
    )
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=3, fetch_timeout=0.3)
    await runner.setup()
    with pytest.raises(ConnectionResetError):
        await runner.run(until_caught_up=True)
    # batches 1 and 2 committed; batch 3 failed, and alone its events 7 and 8 did before 9 failed
    assert applied_in_order(projection.batches) == list(range(1, 9))
    assert await stored(pool, projection.name) == (projection.batches[-1][-1][0], 8)
    await runner.run(until_caught_up=True)
    assert applied_in_order(projection.batches) == list(range(1, 13))
    assert await rows(pool) == [(p, 1) for p in range(1, 13)]


async def _count_is(pool: asyncpg.Pool, n: int) -> bool:
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM things")) == n


async def test_caught_up_while_events_keep_coming(kit: Kit, nc: NATS, pool: asyncpg.Pool) -> None:
    """`until_caught_up` ends at the end of the stream as it stood, even when no quiet moment
    comes (a rebuild on a busy hub must switch some time)."""
    await kit.append(40)
    relay = OutboxRelay(kit.store, nc, stream=STREAM)
    await relay.publish_pending()
    projection = Recording(f"busy_{kit.service}", [kit.subjects], kit.registry, delay=0.01)
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=10, fetch_timeout=1)
    await runner.setup()
    stop = asyncio.Event()

    async def keep_writing() -> None:
        while not stop.is_set():  # an event every 20 ms: never half a second without one
            await kit.append(1)
            await relay.publish_pending()
            await asyncio.sleep(0.02)

    writer = asyncio.ensure_future(keep_writing())
    try:
        applied = await asyncio.wait_for(runner.run(until_caught_up=True), 20)
    finally:
        stop.set()
        await writer
    assert applied >= 40
    assert applied_in_order(projection.batches) == list(range(1, applied + 1))


async def test_the_pull_reads_straight_from_the_reader_and_leaves_other_subscriptions_alone(
    kit: Kit, nc: NATS, pool: asyncpg.Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On nats-py as installed, deliveries reach the pull without nats-py's callback
    (shared/direct_inbox.py); a subscription of its own on the same client still gets its
    messages through nats-py, headers parsed."""
    assert direct_inbox.available(nc)
    through_callback = 0
    real = pull.OrderedPull._received

    async def counting(self: pull.OrderedPull, msg: object) -> None:
        nonlocal through_callback
        through_callback += 1
        await real(self, msg)  # type: ignore[arg-type]

    monkeypatch.setattr(pull.OrderedPull, "_received", counting)
    others: list[tuple[bytes, dict[str, str] | None]] = []

    async def other(msg: object) -> None:
        others.append((msg.data, msg.headers))  # type: ignore[attr-defined]

    await nc.subscribe("pas.test.other", cb=other)
    await kit.append(12)
    await OutboxRelay(kit.store, nc, stream=STREAM).publish_pending()
    projection = Recording(f"direct_{kit.service}", [kit.subjects], kit.registry, delay=0)
    runner = ProjectionRunner(pool, nc, projection, stream=STREAM, batch_size=5, fetch_timeout=0.3)
    await runner.setup()
    await nc.publish("pas.test.other", b"hello", headers={"X-Kind": "plain"})
    assert await runner.run(until_caught_up=True) == 12
    assert applied_in_order(projection.batches) == list(range(1, 13))
    assert through_callback == 0
    await nc.flush()
    assert await eventually(lambda: _has(others), timeout=5.0)
    assert others == [(b"hello", {"X-Kind": "plain"})]


async def _has(items: list[object]) -> bool:
    return bool(items)
