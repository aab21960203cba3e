"""The reporting projection of one generation: load the states a batch touches, fold, write.

Fed by the shared ProjectionRunner from the stream of all regions
(`pas.events.>`), which stores the checkpoint in the same transaction as
these writes. Each batch costs a fixed number of statements whatever its
size: one read of the states it needs, then one `unnest` upsert per table.
The counters go over as the batch's deltas (services/reporting/counters.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import asyncpg
import orjson

from services.reporting import bulk, collecting, counters
from services.reporting.carried import Carried
from services.reporting.fold import Changes, Fold, State, wanted_ids
from services.reporting.reading import REGISTRY, read_message
from services.reporting.schema import projection_name, schema_name, tables
from shared.envelope import SUBJECT_ROOT
from shared.events import EventRegistry
from shared.readmodel import Delivered


class ReportingProjection:
    """Every region's events into the pre-aggregated tables of generation `generation`."""

    subjects: Sequence[str] = (f"{SUBJECT_ROOT}.>",)
    prepare = staticmethod(read_message)  # the runner reads each message with it

    def __init__(
        self, generation: int, *, name: str | None = None, regions: Sequence[str] | None = None
    ) -> None:
        """`name` and `regions`: a part of a split bulk build (services/reporting/parts.py),
        with a checkpoint of its own, that keeps only these regions' events (told by their
        subject, `pas.events.<region>.…`, before anything is decoded)."""
        self.generation = generation
        self.name = name or projection_name(generation)
        self.schema = schema_name(generation)
        self.keep: Callable[[bytes], bool] | None = None
        if regions is not None:
            ours = frozenset(region.encode() for region in regions)

            def keep(subject: bytes) -> bool:
                tokens = subject.split(b".", 3)
                return len(tokens) > 2 and tokens[2] in ours

            self.keep = keep
        self.registry: EventRegistry = REGISTRY
        self.bulk = False
        """Building a generation from the first event (services/reporting/bulk.py): batches
        append what they change, `finish_bulk` adds it up."""
        self.carried = Carried()
        """What a bulk build keeps in memory from batch to batch (services/reporting/carried.py)."""

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(tables(self.generation))

    async def reset(self, conn: asyncpg.Connection) -> None:
        await conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
        await conn.execute(tables(self.generation))

    async def apply(self, conn: asyncpg.Connection, batch: Sequence[Delivered]) -> None:
        s = self.schema
        # Two processes feeding one generation take turns, and the second then finds the
        # aggregates' versions past the batch: nothing counts twice.
        # Rows and checkpoint commit together or not at all; a commit lost in a crash is
        # replayed from the stream, so this transaction need not wait for the disk.
        await conn.execute(
            f"SELECT pg_advisory_xact_lock(hashtext('{self.name}'));"
            " SET LOCAL synchronous_commit = off"
        )
        if self.bulk:  # the tables grow from nothing, unanalysed: plan each read for its size
            await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        loads = orjson.loads
        wanted = wanted_ids(batch)
        if self.bulk:
            carried = self.carried
            if not carried.committed:  # (with every batch until one has committed)
                await bulk.begin(conn, s)
            missing = carried.missing(wanted)
            rows = (
                await conn.fetch(
                    f"SELECT id, state FROM {s}.states WHERE id = ANY($1::text[])", missing
                )
                if missing
                else []
            )
            loaded: dict[str, State] = {row[0]: loads(row[1]) for row in rows}
            changes = Fold(carried.begin(wanted, loaded)).apply_all(batch)
            await bulk.write(conn, s, changes, carried)
            collecting.batch_done()
        else:
            rows = await conn.fetch(
                f"SELECT id, state FROM {s}.states WHERE id = ANY($1::text[])", list(wanted)
            )
            states: dict[str, State] = {row[0]: loads(row[1]) for row in rows}
            changes = Fold(states).apply_all(batch)
            await write(conn, s, changes)
        if changes.evaluations:  # few: kept up to date in both ways
            await _evaluations(conn, s, changes.evaluations)
        await _log_heads(conn, s, batch)

    def committed(self) -> None:
        """The last batch's transaction has committed (called by the runner)."""
        if self.bulk:
            self.carried.take_in()

    async def write_carried(self, pool: asyncpg.Pool) -> None:
        """Write what a bulk build keeps in memory (before it is added up)."""
        async with pool.acquire() as conn, conn.transaction():
            await bulk.write_carried(conn, self.schema, self.carried)
        self.carried = Carried()

    async def finish_bulk(self, pool: asyncpg.Pool, *, answering: bool = False) -> None:
        """Write what is kept in memory, add up what was staged while building, then go on
        batch by batch (`answering`: the generation answers queries meanwhile)."""
        await self.write_carried(pool)
        await bulk.finish(pool, self.schema, answering=answering)
        self.bulk = False

    def drop_carried(self) -> None:
        """Forget what a bulk build cut short kept in memory (it starts over)."""
        self.carried = Carried()


async def write(conn: asyncpg.Connection, s: str, changes: Changes) -> None:
    """Every change of a batch, one statement per table."""
    if changes.states:
        ids = list(changes.states)
        values = [changes.states[i] for i in ids]
        await conn.execute(
            f"INSERT INTO {s}.states (id, kind, region, version, state)"
            " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])"
            " ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, region = EXCLUDED.region,"
            " version = EXCLUDED.version, state = EXCLUDED.state",
            ids,
            [v.get("kind", "") for v in values],
            [v.get("region", "") for v in values],
            [int(v.get("version", 0)) for v in values],
            [orjson.dumps(v).decode() for v in values],
        )
        await _agreements(conn, s, changes.states)
        await _programs(conn, s, changes.states)
    await counters.add(conn, s, changes.counters)
    if changes.ambassadors:
        keys = [k for k, v in changes.ambassadors.items() if v]
        await conn.execute(
            f"INSERT INTO {s}.ambassador_day AS t SELECT * FROM"
            " unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::bigint[])"
            " ON CONFLICT (ambassador_id, region, day, metric) DO UPDATE"
            " SET value = t.value + EXCLUDED.value",
            *_columns(keys, 4),
            [changes.ambassadors[k] for k in keys],
        )
    if changes.durations:
        rows = list(changes.durations.values())
        names = bulk.DURATION_COLUMNS
        await conn.execute(
            f"INSERT INTO {s}.step_durations SELECT * FROM unnest($1::text[], $2::text[],"
            " $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::int[])"
            " ON CONFLICT (program_id, step) DO UPDATE SET entered_on = EXCLUDED.entered_on,"
            " left_on = EXCLUDED.left_on, days = EXCLUDED.days",
            *[[row[n] for row in rows] for n in names],
        )
        # how many programs left each step after how many days, over the whole history: the
        # national medians without sorting every duration (a program leaves a step once)
        histogram: dict[tuple[Any, ...], int] = defaultdict(int)
        for row in rows:
            histogram[(row["region"], row["step"], row["days"])] += 1
        await _upsert_sums(
            conn,
            f"{s}.step_days_total",
            ("region", "step", "days"),
            ("text", "text", "int"),
            histogram,
        )
        await conn.execute(  # the whole history's medians are cached until this moves
            f"INSERT INTO {s}.versions AS t VALUES ('step_days_total', 1)"
            " ON CONFLICT (name) DO UPDATE SET value = t.value + 1"
        )


def _columns(keys: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    return [[key[i] for key in keys] for i in range(width)]


async def _upsert_sums(
    conn: asyncpg.Connection,
    table: str,
    columns: tuple[str, ...],
    types: tuple[str, ...],
    sums: dict[tuple[Any, ...], int],
) -> None:
    """Add `sums` ({key: delta}) to `table`'s `value`s, one statement."""
    keys = [k for k, v in sums.items() if v]
    if not keys:
        return
    arrays = ", ".join(f"${i + 1}::{kind}[]" for i, kind in enumerate(types))
    await conn.execute(
        f"INSERT INTO {table} AS t SELECT * FROM unnest({arrays}, ${len(types) + 1}::bigint[])"
        f" ON CONFLICT ({', '.join(columns)}) DO UPDATE SET value = t.value + EXCLUDED.value",
        *_columns(keys, len(columns)),
        [sums[k] for k in keys],
    )


async def _log_heads(conn: asyncpg.Connection, s: str, batch: Sequence[Delivered]) -> None:
    """Each log's last position applied and the latest time of its events applied: whether
    this generation holds exactly the history recorded by a moment (services/reporting/asof.py).
    Times compare as text (one time form)."""
    heads: dict[str, tuple[int, str]] = {}
    for item in batch:  # in stream order: each log's events in position order
        recorded = item.recorded
        head = heads.get(recorded.source)
        latest = recorded.time if head is None or recorded.time > head[1] else head[1]
        heads[recorded.source] = (recorded.position, latest)
    if heads:
        await conn.execute(
            f"INSERT INTO {s}.log_heads AS t SELECT * FROM unnest($1::text[], $2::bigint[],"
            " $3::text[]) ON CONFLICT (source) DO UPDATE SET position = greatest(t.position,"
            " EXCLUDED.position), latest = greatest(t.latest, EXCLUDED.latest)",
            list(heads),
            [head[0] for head in heads.values()],
            [head[1] for head in heads.values()],
        )


async def _evaluations(conn: asyncpg.Connection, s: str, records: dict[str, State]) -> None:
    ids = list(records)
    rows = [records[i] for i in ids]
    await conn.execute(
        f"INSERT INTO {s}.evaluations SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
        " $4::text[], $5::text[], $6::date[], $7::bigint[], $8::int[], $9::int[], $10::int[],"
        " $11::int[], $12::bool[])"
        " ON CONFLICT (record_id) DO UPDATE SET evaluated_on = EXCLUDED.evaluated_on,"
        " individual = EXCLUDED.individual, institutional = EXCLUDED.institutional,"
        " policy = EXCLUDED.policy, participants_completed = EXCLUDED.participants_completed,"
        " voided = EXCLUDED.voided",
        ids,
        [r["program_id"] for r in rows],
        [r["region"] for r in rows],
        [r["unit_code"] for r in rows],
        [r["track"] for r in rows],
        [date.fromisoformat(r["evaluated_on"]) for r in rows],
        [r["position"] for r in rows],
        [r["scores"]["individual"] for r in rows],
        [r["scores"]["institutional"] for r in rows],
        [r["scores"]["policy"] for r in rows],
        [r["participants_completed"] for r in rows],
        [bool(r["voided"]) for r in rows],
    )


async def _agreements(conn: asyncpg.Connection, s: str, states: dict[str, State]) -> None:
    rows = [(i, v) for i, v in states.items() if v.get("kind") == "agreement" and "bucket" in v]
    if not rows:
        return
    await conn.execute(
        f"INSERT INTO {s}.agreements SELECT * FROM unnest($1::text[], $2::text[], $3::date[],"
        " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::date[])"
        " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, ends_on = EXCLUDED.ends_on",
        [i for i, _ in rows],
        [v["region"] for _, v in rows],
        [date.fromisoformat(v["bucket"]) for _, v in rows],
        [v["status"] for _, v in rows],
        [v["instrument"] for _, v in rows],
        [v["partner_id"] for _, v in rows],
        [v["number"] for _, v in rows],
        [v.get("unit_code") for _, v in rows],
        [date.fromisoformat(v["starts_on"]) for _, v in rows],
        [date.fromisoformat(v["ends_on"]) for _, v in rows],
    )


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


async def _programs(conn: asyncpg.Connection, s: str, states: dict[str, State]) -> None:
    rows = [(i, v) for i, v in states.items() if v.get("kind") == "program"]
    if not rows:
        return
    await conn.execute(
        f"INSERT INTO {s}.programs SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
        " $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[])"
        " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, step = EXCLUDED.step,"
        " since = EXCLUDED.since, region = EXCLUDED.region, unit_code = EXCLUDED.unit_code,"
        " track = EXCLUDED.track, title = EXCLUDED.title, proposed_on = EXCLUDED.proposed_on",
        [i for i, _ in rows],
        [v["region"] for _, v in rows],
        [v["unit_code"] for _, v in rows],
        [v["track"] for _, v in rows],
        [v.get("title", "") for _, v in rows],
        [v["status"] for _, v in rows],
        [v.get("step") for _, v in rows],
        [_day(v.get("since")) for _, v in rows],
        [_day(v.get("proposed_on")) for _, v in rows],
    )
