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

from services.reporting import bulk, collecting, generations
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

    def rebuild_progress(self) -> dict[str, Any] | None:
        """The rebuild under way (with the events applied so far) or the last one."""
        if self.rebuild_state is None:
            return None
        progress = self.rebuild_state.as_json()
        if self._building is not None:
            progress["applied"] = self._building.applied
        return progress

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
            await self.runner.rebuild()
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
            projection.bulk, runner.batch_size = True, REBUILD_BATCH
            with collecting.building():
                try:
                    await runner.run(until_caught_up=True)
                except Exception as exc:  # noqa: BLE001 - the stream still holds everything
                    log.warning("first catch-up of reporting cut short (%s): starting over", exc)
                    projection.drop_carried()
                    await asyncio.sleep(RETRY_SECONDS)
                    if runner is not self.runner:
                        return
                    await runner.rebuild()
                    continue
                if runner is not self.runner:
                    return  # replaced by a rebuild meanwhile
                await projection.finish_bulk(self.pool, answering=True)
            break
        runner.batch_size = self.batch_size
        await runner.run()

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
                projection = self._projection(runner)
                projection.bulk = True
                with collecting.building():
                    await runner.run(until_caught_up=True)  # while the old one answers
                    await projection.finish_bulk(self.pool)
                runner.batch_size = self.batch_size
                await self._analyze(number)  # planner statistics before it answers
                live = self._spawn(f"reporting projection g{number}", runner.run())
                while runner.seq < self.runner.seq:  # as far as the generation answering now
                    await asyncio.sleep(0.01)
                old_runner, old_generation = self.runner, self.generation
                await generations.switch(self.pool, number)
                self.runner, self.generation = runner, number
                old_runner.stop()
                progress.applied, progress.state = runner.applied, "switched"
                del live
                self._spawn(f"drop g{old_generation}", self._drop_later(old_generation))
            except Exception as exc:  # noqa: BLE001 - reported in the progress, old one answers
                log.exception("rebuild of generation %d failed", number)
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
