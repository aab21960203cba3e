"""The PostgreSQL event store: one winner per version, gap-free commit-ordered positions,
claims and idempotency in the append transaction, batches that cover the log."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from shared.eventstore import (
    EventStore,
)
from tests.integration.support import ACTOR, Kit

pytestmark = pytest.mark.integration


async def all_events(store: EventStore) -> list:
    return [e async for batch in store.read_log() for e in batch]


async def test_setup_twice_and_concurrently_is_fine(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    other = EventStore(pool, region="dki", service=kit.service)
    await asyncio.gather(kit.store.setup(), kit.store.setup(), other.setup())
    await kit.store.append(uuid.uuid4(), 0, [kit.Happened(name="a")], ACTOR)
    await kit.store.setup()
    assert (await kit.store.head())[0] == 1
    assert await other.head() == (0, "0" * 64)  # another region's log is its own chain
    await other.append(uuid.uuid4(), 0, [kit.Happened(name="b")], ACTOR)
    assert (await other.head())[0] == 1


async def test_append_before_setup_says_so(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    await kit.store.setup()
    stranger = EventStore(pool, region="dki", service="nobody")
    with pytest.raises(RuntimeError, match="setup"):
        await stranger.append(uuid.uuid4(), 0, [kit.Happened(name="a")], ACTOR)


async def test_inline_projection_is_kept_in_the_append_transaction(pool: asyncpg.Pool) -> None:
    kit = Kit(pool)
    projection = kit.projection()
    kit.store.add_inline(projection)
    await kit.store.setup()
    await kit.append(3, names=["a", "b", "c"])
    with pytest.raises(RuntimeError):
        await kit.append(1, names=["poison"])
    assert (await kit.store.head())[0] == 3  # the failed projection rolled the append back
    async with pool.acquire() as conn:
        before = await conn.fetch(
            "SELECT event_id, position, name, times FROM things ORDER BY position"
        )
    assert [(r["position"], r["name"], r["times"]) for r in before] == [
        (1, "a", 1),
        (2, "b", 1),
        (3, "c", 1),
    ]
    assert await kit.store.rebuild_inline(projection, kit.registry) == 3
    async with pool.acquire() as conn:
        after = await conn.fetch(
            "SELECT event_id, position, name, times FROM things ORDER BY position"
        )
    assert after == before
