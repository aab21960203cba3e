"""Test-only events, a counting projection and small helpers for the backbone's integration tests.

Every test gets its own service token (`t` + 8 hex digits): the event types
(`pas.<service>.thing_happened.v1`), the NATS subjects and the dead-letter
subject all carry it, so tests sharing the session's NATS stream never see
each other's messages.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import FetchTimeoutError

from shared.devstack.nats import healthy, nats_binary
from shared.devstack.processes import free_port, wait_until
from shared.envelope import deadletter_subject, log_subjects
from shared.events import Event, EventRegistry
from shared.eventstore import EventStore, Metadata
from shared.readmodel import Delivered

REGION = "jatim"
ACTOR = Metadata(actor="system:test")


def new_service() -> str:
    return f"t{uuid.uuid4().hex[:8]}"


def make_events(service: str) -> tuple[type[Event], type[Event], EventRegistry]:
    """Two tiny events of `service`, and a registry holding them."""

    class ThingHappened(Event):
        TYPE = f"pas.{service}.thing_happened.v1"
        AGGREGATE = "thing"

        name: str
        n: int = 0

    class ThingRenamed(Event):
        TYPE = f"pas.{service}.thing_renamed.v1"
        AGGREGATE = "thing"

        name: str

    return ThingHappened, ThingRenamed, EventRegistry([ThingHappened, ThingRenamed])


class ThingsProjection:
    """One row per event id; applying an event again counts up instead of failing.

    `name == "poison"` makes apply raise, to test dead letters.
    """

    def __init__(self, name: str, subjects: Sequence[str], registry: EventRegistry) -> None:
        self.name = name
        self.subjects = subjects
        self.registry = registry
        self.calls = 0

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS things (event_id uuid PRIMARY KEY, stream_id uuid NOT NULL,"
            " position bigint NOT NULL, name text NOT NULL, times integer NOT NULL DEFAULT 1)"
        )

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute("TRUNCATE things")

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        self.calls += 1
        for item in batch:
            name = item.event.name  # type: ignore[attr-defined]
            if name == "poison":
                raise RuntimeError(f"cannot apply {item.recorded.id}")
            await conn.execute(
                "INSERT INTO things (event_id, stream_id, position, name) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (event_id) DO UPDATE SET times = things.times + 1",
                uuid.UUID(item.recorded.id),
                uuid.UUID(item.recorded.subject),
                item.recorded.position,
                name,
            )


@dataclass
class Kit:
    """One test's service log: store, events and registry."""

    pool: asyncpg.Pool
    service: str = field(default_factory=new_service)
    region: str = REGION

    def __post_init__(self) -> None:
        self.Happened, self.Renamed, self.registry = make_events(self.service)
        self.store = EventStore(self.pool, region=self.region, service=self.service)

    @property
    def subjects(self) -> str:
        return log_subjects(self.region, self.service)

    def projection(self, name: str | None = None) -> ThingsProjection:
        return ThingsProjection(name or f"things_{self.service}", [self.subjects], self.registry)

    async def append(
        self, n: int, stream_id: uuid.UUID | None = None, *, names: Sequence[str] = ()
    ) -> list[Any]:
        """Append `n` events, one per new stream unless `stream_id` is given."""
        recorded = []
        for i in range(n):
            name = names[i] if i < len(names) else f"thing {i}"
            if stream_id is None:
                recorded += await self.store.append(
                    uuid.uuid4(), 0, [self.Happened(name=name, n=i)], ACTOR
                )
            else:
                version = len(await self.store.read_stream(stream_id))
                recorded += await self.store.append(
                    stream_id, version, [self.Happened(name=name, n=i)], ACTOR
                )
        return recorded


async def stream_messages(
    nc: NATS, stream: str, subject: str, *, expect: int | None = None, timeout: float = 5.0
) -> list[Msg]:
    """Every message on `subject` in `stream` (waiting up to `timeout` for `expect` of them)."""
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        subject,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=5.0
        ),
    )
    got: list[Msg] = []
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        while True:
            info = await sub.consumer_info()
            pending = info.num_pending
            if pending == 0 and (expect is None or len(got) >= expect):
                return got
            if asyncio.get_running_loop().time() > deadline:
                return got
            with suppress(FetchTimeoutError, TimeoutError):
                got += await sub.fetch(max(pending, 1), timeout=0.2)
    finally:
        await sub.unsubscribe()


async def deadletters(nc: NATS, consumer: str, *, expect: int, timeout: float = 5.0) -> list[Msg]:
    return await stream_messages(
        nc, "PAS_DEADLETTER", deadletter_subject(consumer), expect=expect, timeout=timeout
    )


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 5.0, interval: float = 0.02
) -> bool:
    """Poll `check` until it holds or `timeout` passes."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if await check():
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(interval)


class PrivateNats:
    """A nats-server of one test, restartable on the same ports with the same store.

    For what the session's server must not suffer: a restart. (Purging a subject
    keeps JetStream's duplicate map, so re-published ids would be dropped for
    the duplicate window; a restarted server rebuilds that map from what it
    still stores, as after a crash that lost acked messages.)
    """

    def __init__(self, state_dir: Path) -> None:
        self.store_dir = state_dir.resolve() / "nats"
        self.port, self.monitor_port = free_port(), free_port()
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self._popen = subprocess.Popen(
            [
                nats_binary(),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-m",
                str(self.monitor_port),
                "-js",
                "-sd",
                str(self.store_dir),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(lambda: healthy(self.monitor_port), 20.0):
            self.stop()
            raise RuntimeError("private nats-server did not start")

    def stop(self) -> None:
        popen, self._popen = self._popen, None
        if popen is not None:
            popen.terminate()
            try:
                popen.wait(10)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
