"""The outbox relay: events/s from a filled log to JetStream, and append-to-NATS latency.

Throughput: `OutboxRelay.publish_pending()` over a freshly filled, never
published log (read from PostgreSQL, build the CloudEvent, pipelined publish,
wait for the acks while the next batch is read, store the checkpoint). The limit beside it: nats-py
`publish_async` of the very same message bytes and headers (new
`Nats-Msg-Id`s, a subject of their own), prepared in memory beforehand, in
the same pipelined chunks, into the same stream.

Latency: the relay runs as in a service (`run()`, woken by LISTEN/NOTIFY); an
appender commits one event at a time and a JetStream push subscriber on the
log's subjects notes when each arrives; latency = arrival - commit returned.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js.api import DeliverPolicy

from bench.common import now, percentile
from bench.fill import META
from services.partners import events as ev
from shared.envelope import RecordedEvent, log_subjects
from shared.eventstore import EventStore
from shared.relay import OutboxRelay


async def relay_rate(store: EventStore, nc: NATS, stream: str) -> tuple[float, int]:
    """(events/s, events) of one publish_pending() over everything not yet published."""
    relay = OutboxRelay(store, nc, stream=stream)
    began = now()
    sent = await relay.publish_pending()
    return sent / (now() - began), sent


async def read_all(store: EventStore, *, after: int = 0, batch: int = 5000) -> list[RecordedEvent]:
    out: list[RecordedEvent] = []
    async for events in store.read_log(after, batch=batch):
        out.extend(events)
    return out


async def raw_publish_rate(
    events: list[RecordedEvent], nc: NATS, stream: str, *, chunk: int = 2000
) -> float:
    """nats-py publish_async of the same messages (prepared beforehand), acks awaited per chunk."""
    js = nc.jetstream(timeout=10.0, publish_async_max_pending=chunk)
    raw_service = "benchraw" + uuid.uuid4().hex[:6]
    prepared = []
    for event in events:
        headers = event.headers()
        headers["Nats-Msg-Id"] = str(uuid.uuid4())
        subject = f"pas.events.{event.region}.{raw_service}.{event.event_name}"
        prepared.append((subject, event.to_cloudevent_bytes(), headers))
    began = now()
    for start in range(0, len(prepared), chunk):
        futures = [
            await js.publish_async(s, p, headers=h) for s, p, h in prepared[start : start + chunk]
        ]
        await asyncio.wait_for(asyncio.gather(*futures), 30)
    return len(prepared) / (now() - began)


@dataclass
class Latency:
    p50_ms: float | None
    p99_ms: float | None
    count: int
    missing: int
    rate: float  # appended events/s during the measurement


async def append_to_nats_latency(
    store: EventStore,
    nc: NATS,
    stream: str,
    listen_dsn: str,
    *,
    appenders: int,
    seconds: float,
    pace: float | None,
    say: Callable[[str], None] = lambda _: None,
) -> Latency:
    """Latency from append commit to arrival at a JetStream subscriber, relay running.

    `pace`: seconds between one appender's commits (None: as fast as it can).
    """
    relay = OutboxRelay(store, nc, stream=stream)
    await relay.publish_pending()  # start from an empty backlog
    committed: dict[str, float] = {}
    arrived: dict[str, float] = {}

    async def on_msg(msg: Msg) -> None:
        arrived[msg.headers["Nats-Msg-Id"]] = now()  # type: ignore[index]

    js = nc.jetstream()
    sub = await js.subscribe(
        log_subjects(store.region, store.service),
        stream=stream,
        cb=on_msg,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.NEW,
    )
    task = asyncio.ensure_future(relay.run(listen_dsn=listen_dsn))
    await asyncio.sleep(0.3)  # LISTEN in place
    stop_at = now() + seconds

    async def appender(index: int) -> None:
        n = 0
        while now() < stop_at:
            event = ev.PartnerRegistered(
                kind="community_organization",
                name=f"Pokmas Latensi {index}-{n}",
                region=store.region,
                contact={"person_name": "Siti Aminah", "phone": "+62 812-3456-7890"},
                interests=("reintegration",),
            )
            recorded = await store.append(uuid.uuid4(), 0, [event], META)
            committed[recorded[0].id] = now()
            n += 1
            if pace is not None:
                await asyncio.sleep(pace)

    began = now()
    try:
        await asyncio.gather(*(appender(i) for i in range(appenders)))
        append_rate = len(committed) / (now() - began)
        deadline = now() + 10
        while len(arrived.keys() & committed.keys()) < len(committed) and now() < deadline:
            await asyncio.sleep(0.02)
    finally:
        relay.stop()
        await asyncio.wait_for(task, 10)
        await sub.unsubscribe()
    lat = [arrived[k] - t for k, t in committed.items() if k in arrived]
    missing = len(committed) - len(lat)
    p50, p99 = percentile(lat, 50), percentile(lat, 99)
    return Latency(
        None if p50 is None else p50 * 1000,
        None if p99 is None else p99 * 1000,
        len(lat),
        missing,
        append_rate,
    )
