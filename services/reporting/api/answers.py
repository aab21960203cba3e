"""The last reports answered, kept per generation and applied stream position.

A report is a function of the generation it reads, how far that generation
has applied the stream (its checkpoint, read in the report's own snapshot),
the scope and the region's date. While no event arrives, the same question
(the dashboard's national view, asked by every office that opens it) is
answered from here instead of being summed again; the first event applied
changes the position, and the next answer is computed afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import asyncpg

KEEP = 64


class Answers:
    def __init__(self) -> None:
        self._kept: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
        self.hits = 0

    @staticmethod
    async def position(conn: asyncpg.Connection, projection: str) -> int | None:
        """The projection's applied stream position, in the caller's snapshot (None: a
        generation that names no projection, still adding up its first catch-up)."""
        if not projection:
            return None
        seq = await conn.fetchval(
            "SELECT stream_seq FROM pas_projection_checkpoints WHERE projection = $1", projection
        )
        return None if seq is None else int(seq)

    def get(self, key: Hashable) -> dict[str, Any] | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            self.hits += 1
        return found

    def put(self, key: Hashable, report: dict[str, Any]) -> None:
        """Keep `report` (not changed afterwards: the routes only read it)."""
        self._kept[key] = report
        self._kept.move_to_end(key)
        while len(self._kept) > KEEP:
            self._kept.popitem(last=False)
