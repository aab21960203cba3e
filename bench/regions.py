"""Five regions on loopback into one hub: raw publish rate, hub ingestion, catch-up after an outage.

A topology of its own (`NatsTopology`, 5 regional servers as leaf nodes of a
1-node hub, each leaf link through a cuttable proxy), in a temp folder:

* raw publish: each region publishes its share of the events (pipelined, with
  `Nats-Msg-Id`, a CloudEvent-sized body) into its own server, all five at once;
* hub ingestion: from the first publish until the hub's stream holds them all,
  with the links up (sourcing runs while the regions publish);
* catch-up: every link cut, the backlog published in the regions, the links
  restored: the time until the hub holds the whole backlog.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import nats

from bench.common import Row, now, token
from shared.devstack.topology import NatsTopology, TopologyInfo

REGIONS = ["jatim", "jabar", "jateng", "sulsel", "papua"]
BODY = b"{" + b'"x": "' + b"e" * 680 + b'"}'  # about the size of one of our CloudEvents
BATCH = 2000


async def _publish(info: TopologyInfo, region: str, run: str, count: int) -> None:
    own = info.regions[region]
    nc = await nats.connect(own.nats_url, **own.credentials.options())
    js = nc.jetstream(publish_async_max_pending=BATCH)
    try:
        for start in range(0, count, BATCH):
            acks = [
                await js.publish_async(
                    f"pas.events.{region}.{run}.x",
                    BODY,
                    headers={"Nats-Msg-Id": f"{run}-{region}-{i}"},
                )
                for i in range(start, min(start + BATCH, count))
            ]
            await asyncio.gather(*acks)
    finally:
        await nc.close()


async def _publish_all(info: TopologyInfo, run: str, per_region: int) -> float:
    began = now()
    await asyncio.gather(*(_publish(info, region, run, per_region) for region in REGIONS))
    return now() - began


async def _hub_holds(info: TopologyInfo, run: str, expect: int, timeout: float = 600) -> float:
    """Wait until the hub's stream holds `expect` messages of this run; the time it took."""
    began = now()
    hub = await nats.connect(info.hub_url, **info.auditor.options())
    js = hub.jetstream()
    try:
        while now() - began < timeout:
            state = await js.stream_info(info.stream, subjects_filter=f"pas.events.*.{run}.>")
            if sum((state.state.subjects or {}).values()) >= expect:
                return now() - began
            await asyncio.sleep(0.05)
        raise TimeoutError(f"the hub did not get {expect} events of {run} in {timeout:.0f} s")
    finally:
        await hub.close()


async def section(repeat: int, events: int, backlog: int, say: object) -> list[Row]:
    report = say if callable(say) else print
    raw = Row(
        "regions",
        f"5 regions publish at once, {events:,} events",
        "events/s",
        note="pipelined, into each region's own server (acked there)",
    )
    ingest = Row(
        "regions",
        "hub ingestion while they publish (sourcing 5 regions)",
        "events/s",
        limit_name="raw regional publish events/s",
        note="first publish until the hub's stream holds all; links via a TCP proxy",
    )
    catch_up = Row(
        "regions",
        f"catch-up of {backlog:,} backlogged events after an outage",
        "s",
        higher_is_better=False,
        note="links restored until the hub holds all",
    )
    catch_rate = Row("regions", "catch-up rate", "events/s")
    with tempfile.TemporaryDirectory(prefix="sahabat-bench-regions-") as folder:
        topology = NatsTopology(Path(folder), REGIONS, cuttable=True)
        info = topology.start()
        try:
            for n in range(repeat):
                run = f"b{token()}"
                per_region = events // len(REGIONS)
                waiting = asyncio.ensure_future(_hub_holds(info, run, per_region * len(REGIONS)))
                published = await _publish_all(info, run, per_region)
                held = await waiting
                raw.runs.append(per_region * len(REGIONS) / published)
                ingest.runs.append(per_region * len(REGIONS) / held)
                ingest.limit_runs.append(raw.runs[-1])

                run = f"b{token()}"
                per_region = backlog // len(REGIONS)
                for region in REGIONS:
                    await asyncio.to_thread(topology.cut_link, region)
                await _publish_all(info, run, per_region)
                began = now()
                for region in REGIONS:
                    await asyncio.to_thread(topology.restore_link, region)
                await _hub_holds(info, run, per_region * len(REGIONS))
                catch_up.runs.append(now() - began)
                catch_rate.runs.append(per_region * len(REGIONS) / catch_up.runs[-1])
                report(
                    f"regions run {n + 1}: publish {raw.runs[-1]:,.0f}/s, hub ingestion "
                    f"{ingest.runs[-1]:,.0f}/s, catch-up of {backlog:,} in "
                    f"{catch_up.runs[-1]:.1f} s ({catch_rate.runs[-1]:,.0f}/s)"
                )
        finally:
            topology.stop()
    return [raw, ingest, catch_up, catch_rate]
