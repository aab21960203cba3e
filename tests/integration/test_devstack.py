"""The dev stack starts real servers, keeps data between runs and leaves no process behind."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import nats
import pytest

from shared.devstack import DevStack, drop_database, ensure_database, statuses, stop_recorded
from shared.devstack.processes import is_running, wait_until

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
OWNER_SCRIPT = """
import json, sys, time
from pathlib import Path
from shared.devstack import DevStack
stack = DevStack(Path(sys.argv[1]))
info = stack.start()
print(json.dumps({"nats": info.nats_url, "database": info.database_url}), flush=True)
time.sleep(600)
"""


@pytest.fixture(autouse=True)
def no_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAS_NATS_URL", raising=False)
    monkeypatch.delenv("PAS_DATABASE_URL", raising=False)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    with DevStack(tmp_path / "state") as running:
        yield running


def recorded_pids(state_dir: Path) -> dict[str, int]:
    return {status.name: status.pid for status in statuses(state_dir) if status.pid}


def start_owner(state_dir: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """A separate process that owns a stack on state_dir, like `sahabat stack up`."""
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_SCRIPT, str(state_dir)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert owner.stdout is not None
    return owner, json.loads(owner.stdout.readline())


async def test_nats_jetstream_answers(stack: DevStack) -> None:
    client = await nats.connect(stack.nats_url)
    try:
        account = await client.jetstream().account_info()
        assert account.limits is not None
    finally:
        await client.close()


async def test_postgres_answers(stack: DevStack) -> None:
    connection = await asyncpg.connect(stack.database_url)
    try:
        assert await connection.fetchval("select 1") == 1
        assert await connection.fetchval("show max_connections") == "200"
        assert await connection.fetchval("show synchronous_commit") == "on"
    finally:
        await connection.close()


async def test_ensure_database_is_idempotent_and_race_safe(stack: DevStack) -> None:
    name = f"devstack_{uuid.uuid4().hex[:12]}"
    first = await ensure_database(stack.database_url, name)
    second = await ensure_database(stack.database_url, name)
    raced = name + "_raced"
    racing = await asyncio.gather(*(ensure_database(stack.database_url, raced) for _ in range(5)))
    assert first == second and first.endswith(f"/{name}")
    assert len(set(racing)) == 1
    connection = await asyncpg.connect(first)
    try:
        assert await connection.fetchval("select current_database()") == name
    finally:
        await connection.close()
    await drop_database(stack.database_url, raced)
    await drop_database(stack.database_url, name)
    await drop_database(stack.database_url, name)  # already gone: fine


def test_stop_leaves_no_process_behind(tmp_path: Path) -> None:
    state = tmp_path / "state"
    stack = DevStack(state)
    info = stack.start()
    assert set(info.started) == {"nats", "postgres"}
    pids = recorded_pids(state)
    assert set(pids) == {"nats", "postgres"} and all(is_running(pid) for pid in pids.values())
    stack.stop()
    stack.stop()  # idempotent
    assert not any(is_running(pid) for pid in pids.values())
    assert not (state / "stack-servers.json").exists()


async def test_restart_on_the_same_state_keeps_data(tmp_path: Path) -> None:
    state = tmp_path / "state"
    table = f"kept_{uuid.uuid4().hex[:8]}"
    with DevStack(state) as stack:
        connection = await asyncpg.connect(stack.database_url)
        await connection.execute(f"create table {table} (n int); insert into {table} values (7)")
        await connection.close()
    with DevStack(state) as stack:
        connection = await asyncpg.connect(stack.database_url)
        assert await connection.fetchval(f"select n from {table}") == 7
        await connection.close()


def test_environment_overrides_start_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAS_NATS_URL", "nats://example.invalid:4222")
    monkeypatch.setenv("PAS_DATABASE_URL", "postgresql://someone@example.invalid/postgres")
    with DevStack(tmp_path / "state") as stack:
        assert stack.info.started == ()
        assert stack.nats_url == "nats://example.invalid:4222"
        assert stack.database_url == "postgresql://someone@example.invalid/postgres"
    assert not (tmp_path / "state" / "stack-servers.json").exists()


def test_a_live_owners_stack_is_reused_and_down_stops_it(tmp_path: Path) -> None:
    state = tmp_path / "state"
    owner, urls = start_owner(state)
    try:
        with DevStack(state) as guest:
            assert guest.info.started == ()
            assert (guest.nats_url, guest.database_url) == (urls["nats"], urls["database"])
        pids = recorded_pids(state)
        assert all(is_running(pid) for pid in pids.values())  # the guest left them alone
        assert sorted(stop_recorded(state)) == ["nats", "postgres"]
        assert not any(is_running(pid) for pid in pids.values())
    finally:
        owner.kill()
        owner.wait()


def test_servers_of_a_killed_owner_are_replaced_and_data_kept(tmp_path: Path) -> None:
    state = tmp_path / "state"
    owner, urls = start_owner(state)
    asyncio.run(_create_table(urls["database"], "survivor"))
    orphans = recorded_pids(state)
    owner.kill()  # SIGKILL: no chance to stop its servers
    owner.wait()
    assert all(is_running(pid) for pid in orphans.values())
    with DevStack(state) as stack:
        assert set(stack.info.started) == {"nats", "postgres"}
        assert not any(is_running(pid) for pid in orphans.values())
        assert asyncio.run(_table_exists(stack.database_url, "survivor"))


def test_sigterm_to_the_owner_stops_its_servers(tmp_path: Path) -> None:
    state = tmp_path / "state"
    owner, _ = start_owner(state)
    pids = recorded_pids(state)
    owner.send_signal(signal.SIGTERM)
    assert owner.wait(30) == -signal.SIGTERM
    assert wait_until(lambda: not any(is_running(pid) for pid in pids.values()), 10)
    assert not (state / "stack-servers.json").exists()


async def _create_table(url: str, table: str) -> None:
    connection = await asyncpg.connect(url)
    await connection.execute(f"create table {table} (n int)")
    await connection.close()


async def _table_exists(url: str, table: str) -> bool:
    connection = await asyncpg.connect(url)
    try:
        return bool(await connection.fetchval("select to_regclass($1) is not null", table))
    finally:
        await connection.close()


def test_the_multi_region_shape_runs_and_stops_without_leftovers(tmp_path: Path) -> None:
    state = tmp_path / "state"
    stack = DevStack(state, regions=["jatim", "jabar", "papua"])
    info = stack.start()
    assert info.topology is not None and sorted(info.topology.regions) == [
        "jabar",
        "jatim",
        "papua",
    ]
    assert info.nats_url == info.topology.hub_url
    pids = recorded_pids(state)
    assert set(pids) == {"nats", "nats-jatim", "nats-jabar", "nats-papua", "postgres"}
    assert all(is_running(pid) for pid in pids.values())
    secrets = (state / "nats-secrets.json").stat().st_mode & 0o777
    assert secrets == 0o600
    stack.stop()
    assert not any(is_running(pid) for pid in pids.values())
    assert not (state / "stack-servers.json").exists()


def test_a_second_run_keeps_the_ports_of_the_first(tmp_path: Path) -> None:
    """Addresses stay put across runs (ports.json) while the ports are free."""
    state = tmp_path / "state"
    with DevStack(state, regions=["jatim", "jabar"]) as stack:
        first = (stack.info.nats_url, stack.info.database_url, _region_urls(stack))
    with DevStack(state, regions=["jatim", "jabar"]) as stack:
        assert (stack.info.nats_url, stack.info.database_url, _region_urls(stack)) == first


def _region_urls(stack: DevStack) -> dict[str, str]:
    topology = stack.info.topology
    assert topology is not None
    return {region: info.nats_url for region, info in topology.regions.items()}
