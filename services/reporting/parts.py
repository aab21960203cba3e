"""A build from the first event split over two processes, by region.

A bulk build is bounded by one Python process (receiving, decoding and
folding ~1,000,000 events takes a core for over a minute) while PostgreSQL and
nats-server leave most of the machine's second core idle. Every state the
fold keeps belongs to one region and every counter is kept per region, so
two sets of regions can be folded apart, into the same generation, and added
up once at the end (services/reporting/bulk.py):

* `plan` asks the stream how many events each region has (the subjects
  `pas.events.<region>.…`) and splits the regions in two halves of about as
  many events, with the stream's last sequence at that moment;
* `build` folds one half here and the other in a process of its own
  (`python -m services.reporting.part`, services/reporting/part.py), both in
  bulk, each with a checkpoint of its own (the generation's name +
  `_p0`/`_p1`). Each reads the whole stream and keeps its regions' events by
  their subject before decoding anything: a consumer filtered to 16 regions'
  subjects cost nats-server more than a core to select them (it looks each
  filter up for every next message), while receiving a message and dropping
  it costs a reader a few microseconds;
* then the generation's own checkpoint takes the parts' source positions
  and the planned sequence: from there it goes on batch by batch over every
  region. Events the parts read past that sequence are read again and
  skipped (each aggregate's version is past them), so nothing counts twice,
  and a region whose first event came after the plan is read from there.

Either part failing fails the build (a rebuild's generation is dropped, a
first catch-up starts over). Histories under `LEAST_EVENTS` are built in one
process: a second one costs more than it saves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
from nats.aio.client import Client as NATS

from services.reporting import collecting
from services.reporting.projection import ReportingProjection
from services.reporting.schema import part_name, projection_name
from shared.envelope import SUBJECT_ROOT
from shared.projections import ProjectionRunner

log = logging.getLogger(__name__)

LEAST_EVENTS = 100_000
"""Events in the stream from which a bulk build is split over two processes."""


@dataclass(frozen=True)
class Split:
    """Which regions each part folds, and the stream's last sequence when planned."""

    last_seq: int
    regions: tuple[tuple[str, ...], tuple[str, ...]]


def halves(counts: dict[str, int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Regions in two sets of about as many events (the largest first, each to the lighter)."""
    sets: tuple[list[str], list[str]] = ([], [])
    loads = [0, 0]
    for region, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        lighter = 0 if loads[0] <= loads[1] else 1
        sets[lighter].append(region)
        loads[lighter] += n
    return tuple(sorted(sets[0])), tuple(sorted(sets[1]))


async def plan(nc: NATS, stream: str, least_events: int | None = None) -> Split | None:
    """How to split a build of the stream as it stands; None to build in one process (fewer
    than `least_events`, by default `LEAST_EVENTS`, or a single region)."""
    if least_events is None:
        least_events = LEAST_EVENTS
    info = await nc.jetstream().stream_info(stream, subjects_filter=f"{SUBJECT_ROOT}.>")
    counts: dict[str, int] = {}
    for subject, n in (info.state.subjects or {}).items():
        tokens = subject.split(".")
        if len(tokens) >= 4:
            counts[tokens[2]] = counts.get(tokens[2], 0) + int(n)
    if len(counts) < 2 or sum(counts.values()) < least_events:
        return None
    return Split(int(info.state.last_seq), halves(counts))


@dataclass
class PartsBuild:
    """A split build: how far its parts are (or went)."""

    pool: asyncpg.Pool
    generation: int
    here: ProjectionRunner | None = None
    final: int | None = None

    async def applied(self) -> int:
        """Events applied by both parts so far."""
        if self.final is not None:
            return self.final
        async with self.pool.acquire() as conn:
            value = await conn.fetchval(
                "SELECT applied FROM pas_projection_checkpoints WHERE projection = $1",
                part_name(self.generation, 1),
            )
        return int(value or 0) + (self.here.applied if self.here else 0)


async def alongside(orders: dict[str, Any], here: Callable[[], Awaitable[None]]) -> bytes:
    """Run `python -m services.reporting.part` with `orders` while `here()` runs in this
    process; what the second process wrote on its standard output. Either failing fails it
    (the other is stopped)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.reporting.part",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdin is not None and child.stdout is not None and child.stderr is not None
        child.stdin.write(json.dumps(orders).encode())
        await child.stdin.drain()
        child.stdin.close()
        output = asyncio.ensure_future(child.stdout.read())
        errors = asyncio.ensure_future(child.stderr.read())
        await here()
        code = await child.wait()
        if code != 0:
            tail = (await errors).decode(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"the second part of the build failed ({code}): {' | '.join(tail)}")
        return await output
    finally:
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()


async def build(
    pool: asyncpg.Pool,
    nc: NATS,
    *,
    stream: str,
    generation: int,
    split: Split,
    batch_size: int,
    child_config: dict[str, Any],
    started: Callable[[PartsBuild], None] = lambda _: None,
) -> None:
    """Fold the whole stream into `generation` in two parts (see the module); what they kept
    in memory is written, not yet added up. The generation's checkpoint then stands at the
    planned sequence with the parts' source positions."""
    progress = PartsBuild(pool, generation)
    started(progress)
    batch_size *= 2  # deliveries a request: each part keeps about half of them
    orders = {
        **child_config,
        "stream": stream,
        "generation": generation,
        "name": part_name(generation, 1),
        "regions": list(split.regions[1]),
        "batch_size": batch_size,
    }

    async def here() -> None:
        projection = ReportingProjection(
            generation, name=part_name(generation, 0), regions=split.regions[0]
        )
        runner = ProjectionRunner(
            pool,
            nc,
            projection,
            stream=stream,
            batch_size=batch_size,
            deadletter_consumer="reporting",
        )
        progress.here = runner
        await runner.setup()
        projection.bulk = True
        with collecting.building():
            await runner.run(until_caught_up=True)
            await projection.write_carried(pool)

    await alongside(orders, here)
    progress.final = await progress.applied()
    await _join(pool, generation, split.last_seq)


async def _join(pool: asyncpg.Pool, generation: int, last_seq: int) -> None:
    """The generation's checkpoint: the planned sequence and the parts' source positions."""
    name, parts = projection_name(generation), [part_name(generation, 0), part_name(generation, 1)]
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO pas_projection_sources (projection, source, position)"
            " SELECT $1, source, max(position) FROM pas_projection_sources"
            " WHERE projection = ANY($2::text[]) GROUP BY source"
            " ON CONFLICT (projection, source) DO UPDATE"
            " SET position = greatest(pas_projection_sources.position, EXCLUDED.position)",
            name,
            parts,
        )
        applied = await conn.fetchval(
            "SELECT coalesce(sum(applied), 0) FROM pas_projection_checkpoints"
            " WHERE projection = ANY($1::text[])",
            parts,
        )
        await conn.execute(
            "UPDATE pas_projection_checkpoints SET stream_seq = greatest(stream_seq, $2),"
            " applied = applied + $3, updated_at = now() WHERE projection = $1",
            name,
            last_seq,
            applied,
        )
        await forget_parts(conn, generation)


async def forget_parts(conn: asyncpg.Connection, generation: int) -> None:
    """The parts' checkpoints and positions (the build is joined, or dropped)."""
    names = [part_name(generation, 0), part_name(generation, 1)]
    await conn.execute(
        "DELETE FROM pas_projection_sources WHERE projection = ANY($1::text[])", names
    )
    await conn.execute(
        "DELETE FROM pas_projection_checkpoints WHERE projection = ANY($1::text[])", names
    )
