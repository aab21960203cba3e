"""The savepoint a group's appends take turns in, when the group is redone append by append."""

from __future__ import annotations

import asyncpg


class Savepoint:
    """One savepoint reused by the appends of a group.

    Releasing the previous append's savepoint and setting the next one is a
    single round trip; after a rollback the savepoint is still there, clean.
    """

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._state = "none"  # none | used (statements since it was set) | clean

    async def enter(self) -> None:
        if self._state == "none":
            await self._conn.execute("SAVEPOINT pas_append")
        elif self._state == "used":
            await self._conn.execute("RELEASE SAVEPOINT pas_append; SAVEPOINT pas_append")
        self._state = "used"

    async def roll_back(self) -> None:
        await self._conn.execute("ROLLBACK TO SAVEPOINT pas_append")
        self._state = "clean"
