"""What a build from the first event keeps in memory from batch to batch (reporting/bulk.py).

Most of what a bulk build wrote was the same rows again: a program's state
read and written back by every batch that touched it, a day's counters
staged by every batch of that day. A generation being built is read by
nobody but its build, so its tables need not hold each batch's result, only
the last one by the time it is added up:

* states: the last `MAX_STATES` aggregates touched stay here (the least
  recently used leave first). A batch reads from the table only the states it
  needs that are not here; a state is written when it leaves (binary COPY if
  it was never in the table, else an UPDATE) or at the end. Records
  (activities, visits, evaluations: made once, seldom corrected) are not
  kept: they are written by the batch that makes or changes them;
* counter deltas: summed here across batches, appended to the staging table
  when more than `MAX_DELTAS` keys are held, and at the end.

A batch's transaction may fail (its events are then applied one at a time:
shared/projection_batches.py), so what a batch changes is set aside (`Step`)
and taken in only once its transaction has committed
(`ReportingProjection.committed`). The fold works on shallow copies of the
states kept here, and its handlers only assign a state's members, never
change a nested value in place (services/reporting/fold/core.py): a batch
that fails leaves this untouched.

A process that stops in the middle of a bulk build loses what is held here,
so a build cut short starts over: a rebuild's generation is dropped
(generations.ensure), a first catch-up begins again (runtime.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import asyncpg
import orjson

from services.reporting.counters import Deltas
from services.reporting.fold import State

MAX_STATES = 60_000
"""Aggregates kept (~0.5 KB each in memory): the ones a stream in time order is busy with."""
MAX_DELTAS = 300_000
"""Counter keys held before they are staged (~0.3 KB each)."""
RECORDS = frozenset({"activity", "monitoring", "evaluation"})
"""Kinds of state written at once, not kept."""


@dataclass
class Step:
    """What one batch changes here, taken in once its transaction has committed."""

    loaded: dict[str, State] = field(default_factory=dict)  # read from the table
    changed: dict[str, State] = field(default_factory=dict)  # kept, to be written later
    used: list[str] = field(default_factory=list)  # kept, needed by the batch
    evicted: list[str] = field(default_factory=list)  # written by the batch, leave
    written: list[str] = field(default_factory=list)  # records written by the batch
    deltas: Deltas = field(default_factory=lambda: defaultdict(int))
    staged: bool = False  # the deltas held were appended to the staging table


class Carried:
    """States and counter deltas of one bulk build, as of its last committed batch."""

    def __init__(self, max_states: int = MAX_STATES, max_deltas: int = MAX_DELTAS) -> None:
        self.max_states = max_states
        self.max_deltas = max_deltas
        self.states: dict[str, State] = {}  # least recently used first
        self.stored: set[str] = set()  # of those, the ones with a row in the table
        self.dirty: set[str] = set()  # of those, changed since read or written
        self.deltas: Deltas = defaultdict(int)
        self.step: Step | None = None
        self.committed = 0  # batches taken in

    def missing(self, wanted: Iterable[str]) -> list[str]:
        """The ids a batch needs that are not kept here (to be read from the table)."""
        states = self.states
        return [sid for sid in wanted if sid not in states]

    def begin(self, wanted: Iterable[str], loaded: dict[str, State]) -> dict[str, State]:
        """The states for a batch's fold: copies of the ones kept, and those just read. A step
        not taken in (its transaction failed) is forgotten."""
        states = self.states
        step = self.step = Step(loaded=loaded)
        given: dict[str, State] = {}
        for sid in wanted:
            kept = states.get(sid)
            if kept is not None:
                given[sid] = dict(kept)
                step.used.append(sid)
        given.update(loaded)
        return given

    def settle(self, changed: dict[str, State]) -> tuple[dict[str, State], dict[str, State]]:
        """Sort a batch's changed states: those to write now, as (new, already in the table);
        the rest are kept. Room is made by choosing the states that leave."""
        assert self.step is not None
        step, states, stored = self.step, self.states, self.stored
        new: dict[str, State] = {}
        known: dict[str, State] = {}
        arriving = 0
        for sid, state in changed.items():
            if state.get("kind") in RECORDS:
                in_table = sid in step.loaded or sid in stored
                (known if in_table else new)[sid] = state
                step.written.append(sid)
            else:
                step.changed[sid] = state
                arriving += sid not in states
        arriving += sum(
            1 for sid, state in step.loaded.items() if _kept_unchanged(sid, state, changed)
        )
        over = len(states) + arriving - self.max_states
        if over > 0:
            busy = step.changed
            for sid in states:  # the least recently used first
                if sid in busy:
                    continue
                step.evicted.append(sid)
                if sid in self.dirty:
                    (known if sid in stored else new)[sid] = states[sid]
                over -= 1
                if over <= 0:
                    break
        return new, known

    def stage_now(self) -> bool:
        """Whether the deltas held go to the staging table with this batch."""
        assert self.step is not None
        self.step.staged = len(self.deltas) >= self.max_deltas
        return self.step.staged

    def take_in(self) -> None:
        """The last batch's transaction has committed: its step counts."""
        step, self.step = self.step, None
        if step is None:
            return
        self.committed += 1
        states, stored, dirty = self.states, self.stored, self.dirty
        for sid in step.evicted:
            states.pop(sid, None)
            stored.discard(sid)
            dirty.discard(sid)
        for sid in step.written:  # records are not kept: a later batch reads them again
            states.pop(sid, None)
            stored.discard(sid)
            dirty.discard(sid)
        for sid in step.used:  # most recently used now
            state = states.pop(sid, None)
            if state is not None:
                states[sid] = state
        for sid, state in step.loaded.items():
            if _kept_unchanged(sid, state, step.changed) and sid not in step.written:
                states[sid] = state  # (not kept before: it was read from the table)
        for sid, state in step.changed.items():
            states.pop(sid, None)
            states[sid] = state
            dirty.add(sid)
        for sid in step.loaded:
            if sid in states:
                stored.add(sid)
        if step.staged:
            self.deltas = defaultdict(int)
        deltas = self.deltas
        for key, n in step.deltas.items():
            deltas[key] += n

    def remaining(self) -> tuple[dict[str, State], dict[str, State]]:
        """Every state changed and not yet written, as (new, already in the table)."""
        new: dict[str, State] = {}
        known: dict[str, State] = {}
        for sid in self.dirty:
            (known if sid in self.stored else new)[sid] = self.states[sid]
        return new, known


def _kept_unchanged(sid: str, state: State, changed: dict[str, State]) -> bool:
    """A state read for a batch that the batch did not change, and that is kept."""
    return sid not in changed and state.get("kind") not in RECORDS


async def write_states(
    conn: asyncpg.Connection, s: str, new: dict[str, State], known: dict[str, State]
) -> None:
    """States never in the table appended (binary COPY), the others updated (one statement)."""
    dumps = orjson.dumps
    if new:
        await conn.copy_records_to_table(
            "states",
            schema_name=s,
            columns=("id", "kind", "region", "version", "state"),
            records=[
                (
                    sid,
                    v.get("kind", ""),
                    v.get("region", ""),
                    int(v.get("version", 0)),
                    dumps(v).decode(),
                )
                for sid, v in new.items()
            ],
        )
    if known:
        ids = list(known)
        values = [known[sid] for sid in ids]
        await conn.execute(
            f"UPDATE {s}.states AS t SET kind = u.kind, region = u.region, version = u.version,"
            " state = u.state FROM unnest($1::text[], $2::text[], $3::text[], $4::int[],"
            " $5::text[]) AS u (id, kind, region, version, state) WHERE t.id = u.id",
            ids,
            [v.get("kind", "") for v in values],
            [v.get("region", "") for v in values],
            [int(v.get("version", 0)) for v in values],
            [dumps(v).decode() for v in values],
        )
