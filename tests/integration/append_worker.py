"""One writer process of tests/integration/test_workers.py: appends to a log other processes
append to as well, retrying on ConcurrencyError as a command would.

    python -m tests.integration.append_worker DSN SERVICE STREAMS APPENDS

Prints "ready" once set up, waits for a line on stdin, then appends APPENDS events, each to
one of STREAMS shared streams (ids 1..STREAMS), and prints "done <conflicts>".
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid

import asyncpg

from shared.eventstore import ConcurrencyError, EventStore, Metadata
from tests.integration.support import REGION, make_events


async def main(dsn: str, service: str, streams: int, appends: int) -> None:
    happened, _, _ = make_events(service)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    store = EventStore(pool, region=REGION, service=service)
    await store.setup()
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    meta = Metadata(actor=f"worker:{os.getpid()}")
    conflicts = 0

    async def writer(first: int) -> None:
        nonlocal conflicts
        for i in range(first, appends, 4):
            stream = uuid.UUID(int=1 + i % streams)
            while True:
                version = len(await store.read_stream(stream))
                try:
                    await store.append(stream, version, [happened(name=f"{os.getpid()}-{i}")], meta)
                    break
                except ConcurrencyError:
                    conflicts += 1

    await asyncio.gather(*(writer(k) for k in range(4)))  # four requests at a time
    await pool.close()
    print(f"done {conflicts}", flush=True)


if __name__ == "__main__":
    dsn, service, streams, appends = sys.argv[1:5]
    asyncio.run(main(dsn, service, int(streams), int(appends)))
