"""The outbox relay's checkpoint: the last position (and stream sequence, event id) acked."""

from __future__ import annotations

import asyncpg


class RelayCheckpoint:
    """The checkpoint row of the relay of log `log`."""

    def __init__(self, pool: asyncpg.Pool, log: str) -> None:
        self.pool = pool
        self.log = log

    async def read(self) -> tuple[int, int, str | None]:
        """(position, stream sequence, last event id) recorded as published."""
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(
                "SELECT position, stream_seq, last_event_id FROM pas_relay_checkpoints"
                " WHERE log = $1",
                self.log,
            )
        return (0, 0, None) if row is None else (row[0], row[1], row[2])

    async def store(self, position: int, seq: int, event_id: str | None) -> None:
        """Record what the stream has acked, without waiting for the WAL flush.

        `SET LOCAL synchronous_commit = off`, in a transaction of its own: the
        commit returns before its WAL record is on disk, and a PostgreSQL crash
        may lose the last few checkpoints (never more than about three times
        `wal_writer_delay`, 200 ms by default). Losing one only moves the relay
        back: it re-publishes from an older checkpoint, which JetStream's
        duplicate window (`Nats-Msg-Id` = event id) and idempotent consumers
        absorb, and `reconcile()` checks the checkpoint against the stream at
        every start anyway. It can never move the checkpoint past an unacked
        event (a commit is atomic, lost or not), and the events themselves are
        written durably by the event store. The event store's own
        transactions are not affected (the setting is local to this one).
        """
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SET LOCAL synchronous_commit = off")
            await conn.execute(
                "INSERT INTO pas_relay_checkpoints (log, position, stream_seq, last_event_id)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (log) DO UPDATE SET position = $2,"
                " stream_seq = $3, last_event_id = $4",
                self.log,
                position,
                seq,
                event_id,
            )
