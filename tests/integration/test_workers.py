"""Several processes writing one log (PAS_HTTP_WORKERS): positions stay gap-free, the chain
valid, every stream's versions whole; and a service run with two workers has one leader."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from sahabat.processes import start_service, wait_ready
from shared.databases import database_url as url_on_server
from shared.databases import drop_database
from shared.devstack.stack import StackInfo
from shared.eventstore import EventStore
from shared.verify import verify_log
from tests.integration.support import REGION, new_service

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


async def test_two_processes_appending_to_one_log_keep_it_whole(
    pool: asyncpg.Pool, database_url: str
) -> None:
    service, streams, appends = new_service(), 5, 150
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.integration.append_worker"]
            + [database_url, service, str(streams), str(appends)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:  # both set up before either writes
            assert await asyncio.to_thread(worker.stdout.readline) == "ready\n"  # type: ignore[union-attr]
        for worker in workers:
            worker.stdin.write("go\n")  # type: ignore[union-attr]
            worker.stdin.flush()  # type: ignore[union-attr]
        outputs = [await asyncio.to_thread(w.communicate, timeout=120) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert [w.returncode for w in workers] == [0, 0], outputs
    conflicts = sum(int(out.split()[1]) for out, _ in outputs)

    store = EventStore(pool, region=REGION, service=service)
    events = [e async for batch in store.read_log() for e in batch]
    total = 2 * appends
    assert [e.position for e in events] == list(range(1, total + 1))
    report = await verify_log(store.read_log(batch=64))
    assert report.ok and report.checked == total, report
    assert await store.head() == (total, events[-1].hash)
    for n in range(1, streams + 1):
        versions = [e.aggregateversion for e in await store.read_stream(uuid.UUID(int=n))]
        assert versions == list(range(1, len(versions) + 1))
    writers = Counter(e.actor for e in events)
    assert len(writers) == 2 and set(writers.values()) == {appends}
    # the two processes really wrote at the same time: their events interleave in the log,
    # and they raced for the same streams
    switches = sum(1 for a, b in zip(events, events[1:], strict=False) if a.actor != b.actor)
    assert switches > 10, switches
    assert conflicts > 0


def worker_processes(parent: psutil.Process) -> list[psutil.Process]:
    return [
        child
        for child in parent.children(recursive=True)
        if any("spawn_main" in part for part in child.cmdline())
    ]


async def test_a_service_with_two_workers_has_one_leader_and_a_whole_log(
    stack: StackInfo, tmp_path: Path
) -> None:
    region = "malut"  # no other test writes partners of this region
    name = f"sahabat_partners_{region}"
    await drop_database(stack.database_url, name)
    service = start_service(
        "partners",
        region=region,
        nats_url=stack.nats_url,
        database_url=stack.database_url,
        log_dir=tmp_path / "logs",
        extra_env={"PAS_HTTP_WORKERS": "2"},
    )
    try:
        await asyncio.to_thread(wait_ready, service, 60)
        workers = worker_processes(psutil.Process(service.process.pid))
        assert len(workers) == 2, [w.cmdline() for w in workers]

        async def register(client: httpx.AsyncClient, n: int) -> None:
            body = {
                "kind": "community_organization",
                "name": f"Yayasan Pekerja {n} {uuid.uuid4().hex[:6]}",
                "contact": {"person_name": "Hasan Tidore", "phone": "+62 812-4400-0001"},
                "interests": ["independence"],
            }
            response = await client.post("/partners", json=body, headers={"X-Actor": "t@malut"})
            assert response.status_code == 201, response.text

        limits = httpx.Limits(max_connections=16, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=service.url, timeout=30, limits=limits) as client:
            await asyncio.gather(*(register(client, n) for n in range(80)))

        dsn = url_on_server(stack.database_url, name)
        conn = await asyncpg.connect(dsn)
        try:
            leaders = await conn.fetchval(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                " WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1",
                name,
            )
            # every worker holds pool connections: both served and appended
            sessions = await conn.fetchval(
                "SELECT count(DISTINCT client_port) FROM pg_stat_activity WHERE datname = $1",
                name,
            )
        finally:
            await conn.close()
        assert leaders == 1
        assert sessions >= 3  # two workers' pools and the leader's lock connection
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
        try:
            store = EventStore(pool, region=region, service="partners")
            events = [e async for batch in store.read_log() for e in batch]
            assert len(events) >= 80
            assert [e.position for e in events] == list(range(1, len(events) + 1))
            assert (await verify_log(store.read_log(batch=50))).ok
        finally:
            await pool.close()
    finally:
        service.stop()
        await drop_database(stack.database_url, name)
