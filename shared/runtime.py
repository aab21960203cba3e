"""The running parts of one service process: pool, event store, broker, relay, projections, jobs.

Built in a FastAPI lifespan (nothing at import time). The FastStream
`NatsBroker` owns the NATS connection; the relay and the projection runners
use its nats-py client for pipelined publishes and batch fetches.

Every worker process of a service serves requests and appends; only the
leader (shared.leadership) runs the relay, the projection runners, the jobs
and whatever else asked to run once (`when_leading`). A worker that is not the
leader campaigns in the background and takes over when the leader is gone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import asyncpg
from faststream.nats import NatsBroker
from faststream.nats.security import NatsCredentials, NatsSecurity, NatsUserPassword

from shared.commands import Commands
from shared.databases import ensure_database
from shared.events import EventRegistry
from shared.eventstore import EventStore
from shared.ids import Clock, IdFactory, utc_now, uuid7
from shared.jetstream import ensure_event_streams
from shared.leadership import Leadership
from shared.projections import ProjectionRunner
from shared.reactions import Reaction
from shared.readmodel import Projection
from shared.regions import local_date
from shared.relay import OutboxRelay
from shared.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A periodic task of a service (e.g. raising expiries), run every `every` seconds."""

    name: str
    every: float
    run: Callable[[ServiceRuntime], Awaitable[object]]


@dataclass
class ServiceRuntime:
    """Everything a service's routes and jobs need while the process runs.

    `clock` and `ids` are the only clock and id factory of the process: the
    event times, "today" (the region's local date) and new aggregate ids come
    from them, so tests (and an as-of replay) can fix them.
    """

    settings: Settings
    registry: EventRegistry
    inline: Sequence[Projection] = ()
    remote: Sequence[Projection] = ()
    jobs: Sequence[Job] = ()
    clock: Clock = utc_now
    ids: IdFactory = uuid7
    pool: asyncpg.Pool = field(init=False)
    store: EventStore = field(init=False)
    commands: Commands = field(init=False)
    broker: NatsBroker = field(init=False)
    relay: OutboxRelay = field(init=False)
    runners: dict[str, ProjectionRunner] = field(init=False, default_factory=dict)
    leadership: Leadership = field(init=False)
    leading: bool = field(init=False, default=False)
    _on_lead: list[Callable[[], Awaitable[object]]] = field(init=False, default_factory=list)
    _tasks: list[asyncio.Task[object]] = field(init=False, default_factory=list)

    def today(self) -> date:
        """The region's local date now (WIB, WITA or WIT), by the process clock."""
        return local_date(self.settings.region, self.clock())

    async def start(self) -> None:
        settings = self.settings
        if settings.database_name is not None:
            await ensure_database(settings.server_url, settings.database_name)
        self.pool = await asyncpg.create_pool(
            settings.database_url, min_size=2, max_size=12, reset=_keep_session
        )
        self.store = EventStore(
            self.pool, region=settings.region, service=settings.service, clock=self.clock
        )
        for projection in self.inline:
            self.store.add_inline(projection)
        await self.store.setup()
        self.commands = Commands(
            self.store, self.registry, clock=self.clock, ids=self.ids, region=settings.region
        )
        self.broker = NatsBroker(settings.nats_url, logger=None, security=broker_security(settings))
        await self.broker.start()
        nc = self.broker.connection
        await ensure_event_streams(nc.jetstream(), settings.stream)
        self.relay = OutboxRelay(self.store, nc, stream=settings.stream)
        for projection in self.remote:  # every worker waits on them; the leader runs them
            if isinstance(projection, Reaction):
                projection.bind(self.commands)
            runner = ProjectionRunner(self.pool, nc, projection, stream=settings.stream)
            await runner.setup()
            self.runners[projection.name] = runner
        self.leadership = Leadership(settings.database_url, f"pas_leader {self.store.log}")
        if await self.leadership.try_acquire():
            await self._lead()
        else:
            self._spawn("leadership", self._campaign())

    async def when_leading(self, start: Callable[[], Awaitable[object]]) -> None:
        """Run `start` now if this process leads, else once it does (at most once)."""
        if self.leading:
            await start()
        else:
            self._on_lead.append(start)

    async def _lead(self) -> None:
        """Start what only one process of the service runs."""
        self.leading = True
        settings = self.settings
        self._spawn("relay", self.relay.run(listen_dsn=settings.database_url))
        for name, runner in self.runners.items():
            self._spawn(f"projection {name}", runner.run())
        for job in self.jobs:
            self._spawn(f"job {job.name}", self._every(job))
        self._spawn("leadership watch", self._watch())
        for start in self._on_lead:
            await start()
        self._on_lead.clear()

    async def _campaign(self) -> None:
        await self.leadership.acquire()
        log.info("%s: this worker leads now (relay, projections, jobs)", self.store.log)
        await self._lead()

    async def _watch(self) -> None:
        while True:
            await self.leadership.lost()
            # Safe to go on (see shared.leadership): a second leader only repeats idempotent
            # work; the lock is taken again as soon as it is free.
            log.error("%s: the leader lock's connection closed; taking it again", self.store.log)
            await self.leadership.acquire()

    def _spawn(self, name: str, work: Awaitable[object]) -> None:
        task: asyncio.Task[object] = asyncio.ensure_future(work)
        task.set_name(name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)

    async def _every(self, job: Job) -> None:
        while True:
            try:
                await job.run(self)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a job failing once must not stop it for good
                log.exception("job %s failed; retrying in %ss", job.name, job.every)
            await asyncio.sleep(job.every)

    async def stop(self) -> None:
        self.relay.stop()
        for runner in self.runners.values():
            runner.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.leadership.release()
        try:
            await self.broker.stop()
        except Exception:  # noqa: BLE001 - shutting down anyway
            log.warning("broker stop failed", exc_info=True)
        await self.pool.close()


def broker_security(settings: Settings) -> NatsSecurity | None:
    """The process's NATS identity as FastStream takes it (a creds file needs `nkeys`)."""
    if settings.nats_creds:
        return NatsCredentials(settings.nats_creds)
    if settings.nats_user:
        return NatsUserPassword(settings.nats_user, settings.nats_password or "")
    return None


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool release without asyncpg's reset query (`RESET ALL; UNLISTEN *; ...`).

    The default reset is one more round trip on every release, several per
    command. Nothing here keeps session state on a pooled connection (no SET,
    no LISTEN: the relay listens on a connection of its own; advisory locks are
    transaction-level), and asyncpg still rolls back an open transaction and
    drops listeners before calling this.
    """


def _report_crash(task: asyncio.Task[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped: %r", task.get_name(), task.exception())
