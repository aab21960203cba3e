"""Where a command's time goes: service CPU per command, and a py-spy profile of the service.

    python -m bench.profile [--clients 1] [--seconds 8]

Starts a dev stack, the partners service with one worker, runs `POST /partners`
with `--clients` clients, and reports: commands/s, p50, the service's CPU time
per command (psutil: user + system of the worker, not wall time, so it holds
on a loaded machine), and with py-spy installed (`pip install py-spy`) the
share of samples per layer of the service's main thread.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import asyncpg
import psutil

from bench.http_load import run_load
from bench.services import Stack, register_partner_maker, running
from shared.databases import database_url, ensure_database
from shared.devstack import DevStack

LAYERS = (  # the first match of a frame's file, innermost frame first, names the layer
    ("asyncpg", "asyncpg (statements, pool)"),
    ("shared/eventstore", "event store (record, hash, group append)"),
    ("shared/canonical", "event store (record, hash, group append)"),
    ("pydantic", "pydantic (validation, dumps)"),
    ("fastapi", "FastAPI (routing, dependencies, params)"),
    ("starlette", "Starlette"),
    ("uvicorn", "uvicorn / httptools"),
    ("shared/relay", "relay"),
    ("nats", "nats-py (relay publishes)"),
    ("services/", "service code (routes, handlers, deciders)"),
    ("shared/", "shared (commands, http, other)"),
    ("asyncio", "event loop"),
    ("uvloop", "event loop"),
)


async def wal_flushes(admin_url: str) -> int:
    """WAL fsyncs of the server so far (a durable commit waits for one; PostgreSQL 18)."""
    conn = await asyncpg.connect(admin_url)
    try:
        value = await conn.fetchval(
            "SELECT sum(fsyncs) FROM pg_stat_io WHERE object = 'wal' AND context = 'normal'"
        )
    finally:
        await conn.close()
    return int(value or 0)


def layer(stack: str) -> str:
    frames = stack.split(";")
    for frame in reversed(frames):
        for needle, name in LAYERS:
            if needle in frame:
                return name
    return "other"


async def profile(clients: int, seconds: float) -> None:
    state = Path(tempfile.mkdtemp(prefix="sahabat-profile-"))
    dev = DevStack(state)
    info = dev.start()
    try:
        name = "bench_profile_partners"
        await ensure_database(info.database_url, name)
        os.environ["PAS_HTTP_WORKERS"] = "1"
        stack = Stack(info.nats_url, info.database_url, state / "logs")
        with running("partners", stack, database_url(info.database_url, name)) as service:
            proc = psutil.Process(service.process.pid)
            await run_load(service.url, clients, 2.0, register_partner_maker())  # warm up
            spy = shutil.which("py-spy") or str(Path(os.sys.executable).parent / "py-spy")
            raw = state / "profile.txt"
            recorder = None
            if Path(spy).exists():
                recorder = subprocess.Popen(
                    [spy, "record", "--pid", str(proc.pid), "--duration", str(int(seconds)),
                     "--rate", "200", "--format", "raw", "--output", str(raw)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
            commits_before = await wal_flushes(info.database_url)
            before = proc.cpu_times()
            result = await run_load(service.url, clients, seconds, register_partner_maker())
            after = proc.cpu_times()
            commits_after = await wal_flushes(info.database_url)
            if recorder is not None:
                recorder.wait(seconds + 30)
        cpu = (after.user - before.user) + (after.system - before.system)
        per = (commits_after - commits_before) / max(result.ok, 1)
        print(f"POST /partners, {clients} client(s): {result.rate:,.0f} cmd/s, p50 "
              f"{result.p50_ms or 0:.2f} ms; service CPU {cpu / max(result.ok, 1) * 1000:.2f} ms "
              f"per command, {per:.2f} WAL fsyncs per command "
              f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip
        if raw.exists():
            shares: collections.Counter[str] = collections.Counter()
            total = 0
            for line in raw.read_text().splitlines():
                stack_text, _, count = line.rpartition(" ")
                n = int(count)
                total += n
                shares[layer(stack_text)] += n
            for name_, n in shares.most_common():
                print(f"  {n / total:6.1%}  {name_}")
            if os.environ.get("PAS_PROFILE_FRAMES"):
                inner: collections.Counter[str] = collections.Counter()
                for line in raw.read_text().splitlines():
                    stack_text, _, count = line.rpartition(" ")
                    inner[stack_text.split(";")[-1]] += int(count)
                for frame, n in inner.most_common(15):
                    print(f"  {n / total:6.1%}  {frame}")
    finally:
        dev.stop()
        shutil.rmtree(state, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    asyncio.run(profile(args.clients, args.seconds))


if __name__ == "__main__":
    main()
