"""An auditor's verification of a stored log finds exactly where it was changed."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from shared.verify import verify_log
from tests.integration.support import ACTOR, Kit

pytestmark = pytest.mark.integration

TOTAL = 1000


@pytest.fixture
async def kit(pool: asyncpg.Pool) -> Kit:
    kit = Kit(pool)
    await kit.store.setup()
    for chunk in range(10):
        stream = uuid.uuid4()
        await kit.store.append(
            stream,
            0,
            [kit.Happened(name=f"thing {chunk}-{i} ✓", n=i) for i in range(TOTAL // 10)],
            ACTOR,
        )
    return kit


async def test_a_log_of_a_thousand_events_verifies(kit: Kit) -> None:
    progress: list[int] = []
    report = await verify_log(kit.store.read_log(batch=128), progress=progress.append)
    assert report.ok, report.reason
    assert (report.checked, report.last_position) == (TOTAL, TOTAL)
    assert progress[-1] == TOTAL


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("data", '{"n":1,"name":"forged"}'),
        ("data", "not json at all"),
        ("hash", "f" * 64),
        ("time", "2030-01-01T00:00:00.000000Z"),
        ("version", 999),
    ],
)
async def test_a_changed_row_is_reported_at_its_position(
    kit: Kit, pool: asyncpg.Pool, column: str, value: object
) -> None:
    async with pool.acquire() as conn:
        await conn.execute(
            f"UPDATE pas_events SET {column} = $3 WHERE log = $1 AND position = $2",
            kit.store.log,
            637,
            value,
        )
    report = await verify_log(kit.store.read_log(batch=100))
    assert not report.ok
    assert report.broken_at == 637 and report.checked == 636 and report.last_position == 636
    assert report.reason is not None and "637" in report.reason


async def test_a_removed_row_is_reported_where_the_gap_is(kit: Kit, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM pas_events WHERE log = $1 AND position = 400", kit.store.log
        )
    report = await verify_log(kit.store.read_log(batch=100))
    assert report.broken_at == 400
    assert report.reason == "position 400 expected, found 401"


async def test_a_truncated_log_verifies_up_to_where_it_ends(kit: Kit, pool: asyncpg.Pool) -> None:
    # what verify_log alone cannot see: compare with the head the store keeps
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM pas_events WHERE log = $1 AND position > 990", kit.store.log
        )
    report = await verify_log(kit.store.read_log(batch=100))
    assert report.ok and report.last_position == 990
    assert (await kit.store.head())[0] == TOTAL  # the head row still names 1000
