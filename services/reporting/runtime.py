"""The running parts of the reporting service: pool, NATS, the live runner, rebuilds.

Reporting writes no events of its own: it has no event store and no relay,
only the projection runner over the stream of all regions (`settings.stream`;
the hub's in production) and the generations it answers from.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
import nats
from nats.aio.client import Client as NATS

from services.reporting import bulk, collecting, generations, parts
from services.reporting.projection import ReportingProjection
from services.reporting.schema import projection_name, schema_name
from shared.databases import ensure_database
from shared.envelope import DEADLETTER_ROOT
from shared.ids import Clock, utc_now
from shared.jetstream import DEADLETTER_STREAM, ensure_stream, events_stream_config
from shared.projections import ProjectionRunner
from shared.settings import Settings

log = logging.getLogger(__name__)
REBUILD_BATCH = 5000
"""Events a transaction while a generation is built from the first event (live: `batch_size`):
fewer, larger transactions, and the fold sums more events into each counter delta."""
RETRY_SECONDS = 1.0
"""Pause before a first catch-up cut short by a failure starts over."""
DROP_AFTER_SECONDS = 30.0
"""How long a retired generation stays, for queries that began on it before the switch."""


@dataclass
class Rebuild:
    """Progress of the rebuild under way (or the last one)."""

    generation: int
    started_at: str
    state: str = "building"  # building, switched, failed
    applied: int = 0
    seconds: float = 0.0
    read_seconds: float | None = None  # reading and folding the stream
    added_up_seconds: float | None = None  # adding up what was staged
    processes: int | None = None  # 2: split by region (services/reporting/parts.py)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReportingRuntime:
    """Everything the reporting routes need while the process runs."""

    settings: Settings
    batch_size: int = 1000
    clock: Clock = utc_now
    pool: asyncpg.Pool = field(init=False)
    nc: NATS = field(init=False)
    runner: ProjectionRunner = field(init=False)
    generation: int = field(init=False, default=1)
    rebuild_state: Rebuild | None = field(init=False, default=None)
    _tasks: list[asyncio.Task[Any]] = field(init=False, default_factory=list)
    _rebuilding: asyncio.Lock = field(init=False, default_factory=asyncio.Lock)
    _building: ProjectionRunner | None = field(init=False, default=None)
    _parts: dict[int, parts.PartsBuild] = field(init=False, default_factory=dict)

    async def rebuild_progress(self) -> dict[str, Any] | None:
        """The rebuild under way (with the events applied so far) or the last one."""
        if self.rebuild_state is None:
            return None
        progress = self.rebuild_state.as_json()
        if self._building is not None:
            progress["applied"] = await self.applied_by(self._building)
        return progress

    async def applied_by(self, runner: ProjectionRunner) -> int:
        """Events applied by this process into `runner`'s generation (and by the parts of a
        split build of it)."""
        split = self._parts.get(self._projection(runner).generation)
        return runner.applied + (await split.applied() if split else 0)

    async def applied_here(self) -> int:
        """`applied_by` the runner of the generation answering."""
        return await self.applied_by(self.runner)

    async def start(self) -> None:
        settings = self.settings
        # The fold allocates a few dicts and tuples per event and keeps few: collecting the
        # youngest objects every 700 allocations (Python's default) cost ~15% of a rebuild.
        gc.set_threshold(50_000, 20, 50)
        if settings.admin_token is None:
            log.warning(
                "PAS_ADMIN_TOKEN is not set: admin calls (POST /admin/rebuild) are open to "
                "anyone who reaches this service; set it outside a demo"
            )
        if settings.database_name is not None:
            await ensure_database(settings.server_url, settings.database_name)
        self.pool = await asyncpg.create_pool(settings.database_url, min_size=2, max_size=10)
        self.nc = await nats.connect(
            settings.nats_url, max_reconnect_attempts=-1, **settings.nats_options()
        )
        try:  # the hub provisions it; a read-only identity may not create it
            await ensure_stream(
                self.nc.jetstream(),
                events_stream_config(DEADLETTER_STREAM, [f"{DEADLETTER_ROOT}.>"]),
            )
        except Exception as exc:  # noqa: BLE001 - dead letters are best effort until it exists
            log.warning("dead-letter stream %s not ensured: %s", DEADLETTER_STREAM, exc)
        self.generation = await generations.ensure(self.pool)
        self.runner = await self._runner(self.generation)
        projection = self._projection(self.runner)
        if await bulk.has_staged(self.pool, projection.schema):
            # a first catch-up cut short: what it kept in memory is gone, it starts over
            log.warning(
                "the first catch-up of generation %d was cut short: starting over", self.generation
            )
            await self._start_over(self.runner)
        if await self.runner.checkpoint() == 0:  # a first start: the history read in bulk
            self._spawn("reporting first catch-up", self._first_catch_up(self.runner))
        else:
            self._spawn("reporting projection", self.runner.run())
        if not await generations.is_current(self.pool, self.generation):
            log.warning(
                "generation %d was made by another version of the projections: rebuilding",
                self.generation,
            )
            await self.start_rebuild()

    @staticmethod
    def _projection(runner: ProjectionRunner) -> ReportingProjection:
        return runner.projection  # type: ignore[return-value]

    async def _first_catch_up(self, runner: ProjectionRunner) -> None:
        """The whole history into an empty generation as a rebuild reads it (in bulk: kept in
        memory and staged, added up at the end), then batch by batch. Until it is added up, a
        report asked to include a position waits (`wait_for`): the positions move before the
        figures do. If it fails on the way (NATS or PostgreSQL away), it starts over."""
        projection = self._projection(runner)
        while True:
            try:
                await self._build_in_bulk(runner, answering=True)
            except Exception as exc:  # noqa: BLE001 - the stream still holds everything
                log.warning("first catch-up of reporting cut short (%s): starting over", exc)
                projection.drop_carried()
                await asyncio.sleep(RETRY_SECONDS)
                if runner is not self.runner:
                    return
                await self._start_over(runner)
                continue
            break
        if runner is self.runner:  # (not replaced by a rebuild meanwhile)
            await runner.run()

    async def _build_in_bulk(
        self, runner: ProjectionRunner, *, answering: bool, progress: Rebuild | None = None
    ) -> None:
        """The whole stream into `runner`'s empty generation in bulk, added up: split over two
        processes by region when the stream is large (services/reporting/parts.py)."""
        projection = self._projection(runner)
        projection.bulk = True
        began = time.perf_counter()
        split = await parts.plan(self.nc, self.settings.stream)
        if progress is not None:
            progress.processes = 1 if split is None else 2
        with collecting.building():
            if split is None:
                runner.batch_size = REBUILD_BATCH
                await runner.run(until_caught_up=True)
            else:
                log.info(
                    "building generation %d in two processes: %s | %s",
                    projection.generation,
                    ",".join(split.regions[0]),
                    ",".join(split.regions[1]),
                )
                await parts.build(
                    self.pool,
                    self.nc,
                    stream=self.settings.stream,
                    generation=projection.generation,
                    split=split,
                    batch_size=REBUILD_BATCH,
                    child_config=self.part_config(),
                    started=lambda build: self._parts.__setitem__(projection.generation, build),
                )
            read = time.perf_counter()
            await projection.finish_bulk(self.pool, answering=answering)
        runner.batch_size = self.batch_size
        added_up = time.perf_counter()
        log.info(
            "generation %d: the stream read in %.1f s (%s), added up in %.1f s",
            projection.generation,
            read - began,
            "one process" if split is None else "two processes",
            added_up - read,
        )
        if progress is not None:
            progress.read_seconds = round(read - began, 3)
            progress.added_up_seconds = round(added_up - read, 3)

    def part_config(self) -> dict[str, Any]:
        """What the second process of a split build needs to reach the stream and database."""
        settings = self.settings
        return {
            "database_url": settings.database_url,
            "nats_url": settings.nats_url,
            "nats_options": settings.nats_options(),
        }

    async def _start_over(self, runner: ProjectionRunner) -> None:
        """Empty `runner`'s generation (a bulk build cut short) for a new first catch-up."""
        generation = self._projection(runner).generation
        self._parts.pop(generation, None)
        async with self.pool.acquire() as conn:
            await parts.forget_parts(conn, generation)
        await runner.rebuild()

    async def _runner(self, generation: int, batch_size: int | None = None) -> ProjectionRunner:
        runner = ProjectionRunner(
            self.pool,
            self.nc,
            ReportingProjection(generation),
            stream=self.settings.stream,
            batch_size=batch_size or self.batch_size,
            deadletter_consumer="reporting",
        )
        await runner.setup()
        return runner

    def _spawn(self, name: str, work: Any) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        task.set_name(name)
        self._tasks.append(task)
        return task

    async def stop(self) -> None:
        self.runner.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.nc.drain()
        await self.pool.close()

    # --- reading -----------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[tuple[asyncpg.Connection, str, str]]:
        """A read-only snapshot of the active generation: (connection, schema, the projection
        whose source positions the report says it includes)."""
        async with (
            self.pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            generation = await generations.active(conn)
            name = projection_name(generation)
            if generation == self.generation and self._projection(self.runner).bulk:
                name = ""  # a first catch-up adds up at its end: no position is included yet
            yield conn, schema_name(generation), name

    async def source_position(self, source: str) -> int:
        return await self.runner.source_position(source)

    async def wait_for(self, source: str, position: int, timeout: float) -> bool:
        """Wait until the answering generation has applied `source` up to `position` (and, on a
        first catch-up, added up what it staged)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._projection(self.runner).bulk:
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.05)
        remaining = max(0.0, deadline - loop.time())
        return await self.runner.wait_for_source_position(source, position, remaining)

    # --- rebuilding --------------------------------------------------------------------------

    async def start_rebuild(self) -> Rebuild:
        """Begin building a new generation in the background; its progress."""
        if self._rebuilding.locked():
            raise generations.RebuildRunning(
                self.rebuild_state.generation if self.rebuild_state else 0
            )
        number = await generations.begin_build(self.pool)
        self.rebuild_state = Rebuild(number, datetime.now(UTC).isoformat())
        self._spawn(f"rebuild {number}", self._rebuild(number, self.rebuild_state))
        return self.rebuild_state

    async def rebuild(self) -> Rebuild:
        """Build a new generation and switch to it; return when done."""
        progress = await self.start_rebuild()
        while progress.state == "building":
            await asyncio.sleep(0.05)
        return progress

    async def _rebuild(self, number: int, progress: Rebuild) -> None:
        began = time.perf_counter()
        async with self._rebuilding:
            try:
                runner = await self._runner(number, batch_size=REBUILD_BATCH)
                self._building = runner
                await self._build_in_bulk(runner, answering=False, progress=progress)
                await self._analyze(number)  # planner statistics before it answers
                live = self._spawn(f"reporting projection g{number}", runner.run())
                while runner.seq < self.runner.seq:  # as far as the generation answering now
                    await asyncio.sleep(0.01)
                old_runner, old_generation = self.runner, self.generation
                await generations.switch(self.pool, number)
                self.runner, self.generation = runner, number
                old_runner.stop()
                progress.applied, progress.state = await self.applied_by(runner), "switched"
                del live
                self._spawn(f"drop g{old_generation}", self._drop_later(old_generation))
            except Exception as exc:  # noqa: BLE001 - reported in the progress, old one answers
                log.exception("rebuild of generation %d failed", number)
                self._parts.pop(number, None)
                progress.state, progress.error = "failed", f"{type(exc).__name__}: {exc}"
                with contextlib.suppress(Exception):
                    await generations.abandon(self.pool, number)
            finally:
                self._building = None
                progress.seconds = round(time.perf_counter() - began, 3)

    async def _analyze(self, generation: int) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(f"ANALYZE {schema_name(generation)}.counters_total")
            for table in (
                "counters_month",
                "counters_day",
                "step_durations",
                "evaluations",
                "agreements",
                "programs",
                "step_days_total",
                "ambassador_day",
            ):
                await conn.execute(f"ANALYZE {schema_name(generation)}.{table}")

    async def _drop_later(self, generation: int) -> None:
        await asyncio.sleep(DROP_AFTER_SECONDS)
        async with self.pool.acquire() as conn, conn.transaction():
            await generations.drop(conn, generation)
