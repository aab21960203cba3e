"""One leader per log among a service's workers: the holder of an advisory lock, replaced
when it stops or its session dies."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from shared.leadership import Leadership
from shared.workers import http_workers

pytestmark = pytest.mark.integration


async def test_one_leader_and_a_successor(database_url: str) -> None:
    first = Leadership(database_url, "pas_leader jatim/things", retry=0.05)
    second = Leadership(database_url, "pas_leader jatim/things", retry=0.05)
    other_log = Leadership(database_url, "pas_leader dki/things", retry=0.05)
    assert await first.try_acquire() and first.held
    assert not await second.try_acquire() and not second.held
    assert await other_log.try_acquire()  # another log has a leader of its own
    campaign = asyncio.create_task(second.acquire())
    await asyncio.sleep(0.2)
    assert not campaign.done()
    await first.release()
    await asyncio.wait_for(campaign, 5.0)
    assert second.held
    # the leader's session dies (PostgreSQL restarted, connection cut): the lock goes with it
    watching = asyncio.create_task(second.lost())
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_locks"
            " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
            " AND objid = (hashtextextended('pas_leader jatim/things', 0) & 4294967295)::oid"
        )
    finally:
        await conn.close()
    await asyncio.wait_for(watching, 5.0)
    assert await first.try_acquire()
    for leadership in (first, second, other_log):
        await leadership.release()


def test_workers_default_to_the_machine() -> None:
    assert http_workers({"PAS_HTTP_WORKERS": "3"}) == 3
    assert 1 <= http_workers({}) <= 2
    with pytest.raises(ValueError):
        http_workers({"PAS_HTTP_WORKERS": "0"})
