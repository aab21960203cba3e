"""The event-store contract for released claims, snapshots and reads after a version, run on
the in-memory and the PostgreSQL store alike."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from shared.eventstore import Claim, DuplicateKeyError, Snapshot
from tests.contract.conftest import StoreKit
from tests.integration.support import ACTOR


async def test_a_released_claim_is_free_for_another_stream(kit: StoreKit) -> None:
    old, new = Claim("name", "old"), Claim("name", "new")
    holder, other = uuid.uuid4(), uuid.uuid4()
    await kit.store.append(holder, 0, [kit.Happened(name="a", n=1)], ACTOR, claims=[old])
    with pytest.raises(DuplicateKeyError):
        await kit.store.append(other, 0, [kit.Happened(name="b", n=1)], ACTOR, claims=[old])
    await kit.store.append(holder, 1, [kit.Renamed(name="c")], ACTOR, claims=[new], releases=[old])
    assert await kit.store.claim_holder(old) is None
    assert await kit.store.claim_holder(new) == holder
    await kit.store.append(other, 0, [kit.Happened(name="b", n=1)], ACTOR, claims=[old])
    assert await kit.store.claim_holder(old) == other


async def test_a_stream_releases_only_what_it_holds(kit: StoreKit) -> None:
    taken, intruder = uuid.uuid4(), uuid.uuid4()
    key = Claim("name", "kept")
    await kit.store.append(taken, 0, [kit.Happened(name="a", n=1)], ACTOR, claims=[key])
    await kit.store.append(intruder, 0, [kit.Happened(name="b", n=1)], ACTOR, releases=[key])
    assert await kit.store.claim_holder(key) == taken


async def test_a_failed_append_releases_nothing(kit: StoreKit) -> None:
    stream, key = uuid.uuid4(), Claim("name", "stays")
    await kit.store.append(stream, 0, [kit.Happened(name="a", n=1)], ACTOR, claims=[key])
    with pytest.raises(Exception):  # noqa: B017 - the stale version; which error is tested elsewhere
        await kit.store.append(stream, 0, [kit.Renamed(name="b")], ACTOR, releases=[key])
    assert await kit.store.claim_holder(key) == stream


async def test_group_appends_release_then_claim(kit: StoreKit) -> None:
    """In one group (concurrent appends), a key released by one is free for a later one."""
    holder, other = uuid.uuid4(), uuid.uuid4()
    key = Claim("name", "moving")
    await kit.store.append(holder, 0, [kit.Happened(name="a", n=1)], ACTOR, claims=[key])
    release = kit.store.append(holder, 1, [kit.Renamed(name="b")], ACTOR, releases=[key])
    take = kit.store.append(other, 0, [kit.Happened(name="c", n=1)], ACTOR, claims=[key])
    outcomes = await asyncio.gather(release, take, return_exceptions=True)
    assert not isinstance(outcomes[0], Exception)
    holder_now = await kit.store.claim_holder(key)
    if isinstance(outcomes[1], Exception):  # judged before the release: refused, not lost
        assert isinstance(outcomes[1], DuplicateKeyError) and holder_now is None
    else:
        assert holder_now == other


async def test_snapshots_are_kept_with_the_append_and_only_move_forward(kit: StoreKit) -> None:
    stream = uuid.uuid4()
    assert await kit.store.read_snapshot(stream) is None
    first = Snapshot(1, 1, '{"n": 1}')
    await kit.store.append(stream, 0, [kit.Happened(name="a", n=1)], ACTOR, snapshot=first)
    assert await kit.store.read_snapshot(stream) == first
    await kit.store.append(stream, 1, [kit.Renamed(name="b")], ACTOR)
    assert await kit.store.read_snapshot(stream) == first  # none given: the old one stays
    third = Snapshot(1, 3, '{"n": 3}')
    await kit.store.append(stream, 2, [kit.Renamed(name="c")], ACTOR, snapshot=third)
    assert await kit.store.read_snapshot(stream) == third
    with pytest.raises(Exception):  # noqa: B017 - a refused append keeps no snapshot
        await kit.store.append(
            stream, 0, [kit.Renamed(name="x")], ACTOR, snapshot=Snapshot(1, 9, "{}")
        )
    assert await kit.store.read_snapshot(stream) == third


async def test_read_stream_after_a_version(kit: StoreKit) -> None:
    stream = uuid.uuid4()
    recorded = await kit.store.append(
        stream,
        0,
        [kit.Happened(name="a", n=1), kit.Renamed(name="b"), kit.Renamed(name="c")],
        ACTOR,
    )
    assert await kit.store.read_stream(stream, 0) == recorded
    assert await kit.store.read_stream(stream, 2) == recorded[2:]
    assert await kit.store.read_stream(stream, 3) == []
