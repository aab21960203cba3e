"""Reports as of an instant: the history replayed into a temporary generation, then cached.

`as_of=T` counts only what was recorded at or before T: each log is read
from the first event of the stream the service reads, up to its last event
with `time <= T` (a log's prefix, as `sahabat audit export --as-of T` cuts
it). The events are replayed into a generation of their own (schema
`reporting_g<N>`, N from 1,000,000 up, never an active one), so the live
projections are never touched; the report is then the service's own queries
over that schema, and `as_of` in the JSON names the last position of each log
it includes.

When nothing is left to replay (the live generation is caught up with the
whole stream and every event it applied was recorded at or before T: "as of
now", or of any moment since the last event), the temporary generation is a
copy of the live one taken in one snapshot (services/reporting/copying.py):
seconds instead of a replay of the whole history. Any earlier T is replayed.
Temporary generations are unlogged tables, filled up: a crash drops them anyway.

Cache: the last few instants asked for keep their generation. One is reused
while T lies more than `SETTLE_SECONDS` before the moment it was built (events
recorded by T have all reached the stream by then); a T closer to its build
is replayed again. Evicted generations, and any left by a crash, are dropped.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from nats.aio.client import Client as NATS

from services.reporting import bulk, collecting, copying, generations, parts
from services.reporting.logs import log_name, take_out
from services.reporting.projection import ReportingProjection
from services.reporting.reading import read_message
from services.reporting.schema import projection_name, schema_name
from shared.envelope import SUBJECT_ROOT, log_subjects
from shared.ids import Clock, format_time
from shared.pull import OrderedPull, PullStalled
from shared.readmodel import Delivered
from shared.schema import PROJECTION_SCHEMA

FIRST = 1_000_000
KEEP = 4
SETTLE_SECONDS = 60.0
BATCH = 5000


@dataclass(frozen=True)
class Narrowed:
    """The logs (`region/service`) with events after the moment, to replay up to it; the
    positions of the others; whether the live generation was copied (with theirs to take out)
    or nothing was (every log is replayed)."""

    logs: set[str]
    positions: dict[str, int]
    copied: bool


@dataclass(frozen=True)
class Snapshot:
    """A generation holding the history as it stood at `moment`."""

    generation: int
    moment: datetime
    built_at: datetime
    positions: dict[str, int]

    @property
    def schema(self) -> str:
        return schema_name(self.generation)

    @property
    def projection(self) -> str:
        return projection_name(self.generation)


class AsOfReports:
    """The temporary generations of one reporting process."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        nc: NATS,
        stream: str,
        clock: Clock,
        part_config: dict[str, Any] | None = None,
    ) -> None:
        """`part_config`: how a second process reaches the stream and database, to split a
        replay from nothing (none: never split)."""
        self.pool = pool
        self.nc = nc
        self.stream = stream
        self.clock = clock
        self.part_config = part_config
        self.cache: OrderedDict[str, Snapshot] = OrderedDict()
        self.built = 0  # replays done (a cache hit does none)
        self.copied = 0  # generations copied from the live one instead
        self.narrowed = 0  # replays of some logs only, into a copy of the live one
        self.split = 0  # replays from nothing split over two processes
        self._lock = asyncio.Lock()
        self._next = FIRST
        self._cleared = False

    async def snapshot(self, moment: datetime) -> Snapshot:
        async with self._lock:
            if not self._cleared:
                await self._drop_leftovers()
                self._cleared = True
            key = format_time(moment)
            hit = self.cache.get(key)
            if hit is not None and moment < hit.built_at - timedelta(seconds=SETTLE_SECONDS):
                self.cache.move_to_end(key)
                return hit
            if hit is not None:
                await self._drop(self.cache.pop(key).generation)
            # made before the copy's snapshot is taken, so that the copy sees its tables' indexes
            generation, built_at = await self._new_generation()
            found = await self._from_live(moment, generation, built_at)
            if isinstance(found, Snapshot):
                snapshot = found
            else:
                snapshot = await self._build(moment, generation, built_at, found)
            self.cache[key] = snapshot
            while len(self.cache) > KEEP:
                await self._drop(self.cache.popitem(last=False)[1].generation)
            return snapshot

    async def _from_live(
        self, moment: datetime, generation: int, built_at: datetime
    ) -> Snapshot | Narrowed | None:
        """What the live generation gives for `moment`, if it is made by this code, not being
        built, and caught up with the whole stream as it stands:

        * a Snapshot, copied, when every event it applied was recorded at or before `moment`
          (a replay would count every event of the stream: the same generation);
        * else the logs with events after `moment`, to replay up to it: in a copy with those
          logs taken out (services/reporting/logs.py) when some logs have none, from nothing
          when every log has;
        * None when the live generation cannot say (everything is replayed)."""
        limit = format_time(moment)
        stream_last = (await self.nc.jetstream().stream_info(self.stream)).state.last_seq
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
            live = await generations.active(conn)
            source, name = schema_name(live), projection_name(live)
            applied = await conn.fetchval(
                "SELECT stream_seq FROM pas_projection_checkpoints WHERE projection = $1", name
            )
            if (
                (applied or 0) < stream_last
                or not await generations.is_current_in(conn, live)
                or await bulk.staged_in(conn, source)  # a build still adding up
            ):
                return None
            heads = await conn.fetch(
                f"SELECT source, latest > $1 AS after FROM {source}.log_heads", limit
            )
            after = {log_name(row["source"]) for row in heads if row["after"]}
            if after and len(after) == len(heads):
                return Narrowed(after, {}, copied=False)
            rows = await conn.fetch(
                "SELECT source, position FROM pas_projection_sources WHERE projection = $1", name
            )
            positions = {
                log_name(row["source"]): row["position"]
                for row in rows
                if log_name(row["source"]) not in after
            }
            exported = await conn.fetchval("SELECT pg_export_snapshot()")
            tables = await copying.answering_tables(conn, source)
            await copying.copy_tables(self.pool, exported, source, schema_name(generation), tables)
        if after:
            return Narrowed(after, positions, copied=True)
        await self._record_positions(projection_name(generation), positions)
        self.copied += 1
        return Snapshot(generation, moment, built_at, positions)

    async def _new_generation(self) -> tuple[int, datetime]:
        """An empty temporary generation and the moment it was begun."""
        generation, self._next = self._next, self._next + 1
        built_at = self.clock()
        async with self.pool.acquire() as conn:
            await conn.execute(PROJECTION_SCHEMA)
            await ReportingProjection(generation).reset(conn)
            # disposable (a crash drops it anyway: `_drop_leftovers`) and only read once built:
            # no write-ahead log, pages filled up
            schema = schema_name(generation)
            for row in await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                schema,
            ):
                await conn.execute(
                    f"ALTER TABLE {schema}.{row['table_name']} SET UNLOGGED, SET (fillfactor = 100)"
                )
        return generation, built_at

    async def _record_positions(self, projection: str, positions: dict[str, int]) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.executemany(
                "INSERT INTO pas_projection_sources (projection, source, position)"
                " VALUES ($1, $2, $3)",
                [(projection, f"/pas/{log}", p) for log, p in positions.items()],
            )

    async def _build(
        self, moment: datetime, generation: int, built_at: datetime, narrowed: Narrowed | None
    ) -> Snapshot:
        """Replay each log's prefix up to `moment` (all logs, or the `narrowed` ones into the
        copy with theirs taken out), reading until every log replayed has ended. A replay from
        nothing of a large stream is split over two processes by region, as a rebuild is
        (services/reporting/parts.py)."""
        limit = format_time(moment)  # the events' own time form: compares as text
        positions: dict[str, int] = dict(narrowed.positions) if narrowed else {}
        logs = narrowed.logs if narrowed else None
        schema = schema_name(generation)
        split = None
        if narrowed is not None and narrowed.copied:
            async with self.pool.acquire() as conn, conn.transaction():
                await take_out(conn, schema, narrowed.logs)
            self.narrowed += 1
            subjects = [log_subjects(*log.split("/", 1)) for log in sorted(narrowed.logs)]
        else:
            subjects = [f"{SUBJECT_ROOT}.>"]
            if self.part_config is not None:
                split = await parts.plan(self.nc, self.stream)
        if split is None:
            positions.update(
                await replay_prefixes(
                    self.pool, self.nc, self.stream, generation, limit, logs, subjects
                )
            )
        else:
            orders = {
                **self.part_config,  # type: ignore[dict-item]
                "mode": "as_of",
                "stream": self.stream,
                "generation": generation,
                "limit": limit,
                "logs": sorted(logs) if logs is not None else None,
                "regions": list(split.regions[1]),
            }
            here: dict[str, int] = {}

            async def replay_here() -> None:
                here.update(
                    await replay_prefixes(
                        self.pool,
                        self.nc,
                        self.stream,
                        generation,
                        limit,
                        logs,
                        subjects,
                        regions=split.regions[0],
                        part_of=0,
                    )
                )

            there = json.loads(await parts.alongside(orders, replay_here))
            positions.update(here)
            positions.update(there)
            self.split += 1
        await bulk.finish(self.pool, schema)
        await self._record_positions(projection_name(generation), positions)
        self.built += 1
        return Snapshot(generation, moment, built_at, positions)

    async def _drop(self, generation: int) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {schema_name(generation)} CASCADE")
            await conn.execute(
                "DELETE FROM pas_projection_sources WHERE projection = $1",
                projection_name(generation),
            )

    async def _drop_leftovers(self) -> None:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT schema_name FROM information_schema.schemata"
                " WHERE schema_name ~ '^reporting_g[0-9]+$'"
            )
        for row in rows:
            number = int(row["schema_name"].removeprefix("reporting_g"))
            if number >= FIRST:
                await self._drop(number)


async def replay_prefixes(
    pool: asyncpg.Pool,
    nc: NATS,
    stream: str,
    generation: int,
    limit: str,
    logs: set[str] | list[str] | None,
    subjects: list[str],
    *,
    regions: tuple[str, ...] | list[str] | None = None,
    part_of: int | None = None,
) -> dict[str, int]:
    """Each log's prefix up to `limit` (events with a later time end a log) into `generation`
        in bulk, what was kept in memory written but not added up; the last position of each log
        replayed. `logs`: only these (`region/service`), reading until each has ended (None: every
        log, to the end of the stream); `regions`: only these regions' events (a part of a split
        replay, number `part_of`). Also run by the second process of a split replay
    (services/reporting/part.py)."""
    part = 0 if regions is None or part_of is None else part_of
    projection = ReportingProjection(  # (parts lock apart: `apply` locks by name)
        generation, name=f"{projection_name(generation)}_as_of_{part}", regions=regions
    )
    projection.bulk = True  # answering nothing until done
    positions: dict[str, int] = {}
    ended: set[str] = set()
    waiting: set[str] | None = None
    if logs is not None:
        waiting = {log for log in logs if regions is None or log.split("/", 1)[0] in set(regions)}
    replayed = set(logs) if logs is not None else None

    def counted(items: list[Delivered | str]) -> list[Delivered]:
        """The events of a batch recorded by the limit, each log's prefix only."""
        batch: list[Delivered] = []
        for item in items:
            if type(item) is str:
                continue  # as the live runner: not counted (it dead-letters them)
            recorded = item.recorded  # type: ignore[union-attr]
            log = recorded.source.removeprefix("/pas/")
            if replayed is not None and log not in replayed:
                continue
            if log in ended or recorded.position <= positions.get(log, 0):
                continue
            if recorded.time > limit:
                ended.add(log)
                continue
            positions[log] = recorded.position
            batch.append(item)  # type: ignore[arg-type]
        return batch

    async def apply(batch: list[Delivered]) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await projection.apply(conn, batch)
        projection.committed()

    def done() -> bool:
        """Every log replayed has passed the limit: nothing more of theirs counts."""
        return waiting is not None and waiting <= ended

    pull = OrderedPull(
        nc,
        nc.jetstream(),
        stream,
        subjects,
        0,
        batch=BATCH if regions is None else 2 * BATCH,
        expires=1.0,
        prepare=read_message,
        keep=projection.keep,
    )
    with collecting.building():
        await _replay(pull, counted, apply, done)
        await projection.write_carried(pool)
    return positions


async def _replay(
    pull: OrderedPull,
    counted: Callable[[list[Delivered | str]], list[Delivered]],
    apply: Callable[[list[Delivered]], Awaitable[None]],
    done: Callable[[], bool],
) -> None:
    """The stream as it stands (or until `done`), batch N+1 read while batch N is applied."""
    await pull.start()
    applying: asyncio.Task[None] | None = None
    try:
        while True:
            try:
                _, _, items = await pull.take()
            except PullStalled:
                items = []
            if not items:
                if await pull.pending() == 0:
                    break
                continue
            batch = counted(items)
            if applying is not None:
                await applying
                applying = None
            if batch:
                applying = asyncio.ensure_future(apply(batch))
            if pull.drained or done():
                break
        if applying is not None:
            await applying
    finally:
        if applying is not None and not applying.done():
            applying.cancel()
        await pull.close()
