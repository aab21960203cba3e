"""The limit for commands: raw asyncpg single-row INSERT transactions per second.

One transaction = BEGIN; INSERT one row; COMMIT (a durable commit: fsync and
synchronous_commit are on in the dev stack). With one connection this is the
floor under a command's latency; with 16 it shows how far group commit takes
PostgreSQL on this machine.
"""

from __future__ import annotations

import asyncio

import asyncpg

from bench.common import now

TABLE = """
CREATE TABLE IF NOT EXISTS bench_raw_insert (
    id      bigserial PRIMARY KEY,
    worker  int NOT NULL,
    payload text NOT NULL
)
"""
PAYLOAD = '{"kind":"community_organization","name":"Pokmas Sahabat","region":"jatim"}'


async def insert_rate(database_url: str, connections: int, seconds: float) -> float:
    """Single-row INSERT transactions/s over `connections` connections for `seconds`."""
    conns = [await asyncpg.connect(database_url) for _ in range(connections)]
    try:
        await conns[0].execute(TABLE)
        insert = "INSERT INTO bench_raw_insert (worker, payload) VALUES ($1, $2)"
        for conn in conns:  # prepare once, as the pool's statement cache would
            await conn.prepare(insert)
        counts = [0] * connections
        stop_at = now() + seconds

        async def worker(index: int, conn: asyncpg.Connection) -> None:
            while now() < stop_at:
                async with conn.transaction():
                    await conn.execute(insert, index, PAYLOAD)
                counts[index] += 1

        began = now()
        await asyncio.gather(*(worker(i, c) for i, c in enumerate(conns)))
        return sum(counts) / (now() - began)
    finally:
        for conn in conns:
            await conn.close()
