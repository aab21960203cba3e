"""Which process of a service runs its single-instance parts: the holder of an advisory lock.

A service may run several HTTP worker processes (`PAS_HTTP_WORKERS`). All of
them serve requests and append to the log (the store keeps positions gap-free
and the chain whole across writers: the head row is locked per append). Only
one runs the outbox relay, the projection runners, the jobs and the checkpoint
signer: the one holding a session-level PostgreSQL advisory lock named after
the log, on a connection of its own. The others try again every few seconds,
so when the leader stops (or dies: PostgreSQL drops its session and the lock),
another takes over.

Why a lock and not "the first worker": workers are equal and restartable; a
lock needs no coordination between them, and survives the leader's crash. Two
leaders at once (a lock connection lost while its process lives on) would be
safe, only wasteful: the relay's publishes are deduplicated by `Nats-Msg-Id`,
projections are idempotent with checkpoints that never move back. The process
that lost its lock (`lost()` returns) logs it and takes the lock again when free.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


class Leadership:
    """The advisory lock `name` of the database at `dsn`, held on a connection of its own."""

    def __init__(self, dsn: str, name: str, *, retry: float = RETRY_SECONDS) -> None:
        self.dsn = dsn
        self.name = name
        self.retry = retry
        self._conn: asyncpg.Connection | None = None
        self._lost: asyncio.Event = asyncio.Event()

    @property
    def held(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True when this process holds it."""
        if self.held:
            return True
        conn = await asyncpg.connect(self.dsn)
        try:
            got = await conn.fetchval(
                "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", self.name
            )
        except BaseException:
            await conn.close()
            raise
        if not got:
            await conn.close()
            return False
        self._lost = asyncio.Event()
        conn.add_termination_listener(lambda _: self._lost.set())
        self._conn = conn
        return True

    async def acquire(self) -> None:
        """Wait until this process holds the lock (trying every `retry` seconds)."""
        while True:
            try:
                if await self.try_acquire():
                    return
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("leadership %s: cannot ask PostgreSQL: %s", self.name, exc)
            await asyncio.sleep(self.retry)

    async def lost(self) -> None:
        """Return when the lock's connection has closed (the lock is gone with it)."""
        await self._lost.wait()

    async def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
