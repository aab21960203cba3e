"""The pure core of the reporting projections: events in, state changes and counter deltas out.

A `Fold` is given the current state of every aggregate (and record) a batch
touches, applies the batch's events in order and collects what changed:

* counters: (region, local date, unit, metric) -> delta. Metrics are dotted
  names (`programs.reached.design`, `outreach.by_channel.seminar`), so any
  region and period is a sum over pre-aggregated rows;
* ambassador counters: (ambassador, region, local date, metric) -> delta;
* the states it changed (written back by the projection), evaluations and
  step durations (rows of their own, queried for medians and latest scores).

No I/O here: the projection loads the states before and writes the changes
after, in the runner's transaction, so a batch that fails leaves nothing
behind in memory either. Each aggregate's `version` guards against applying
an event twice (a message re-sent after the duplicate window, a replay).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.events import parse_type
from shared.readmodel import Delivered

State = dict[str, Any]
CounterKey = tuple[str, date, str, str]  # region, local date, unit code ('' if none), metric
AmbassadorKey = tuple[str, str, date, str]  # ambassador id, region, local date, metric
Handler = Callable[["Fold", Delivered, dict[str, Any]], None]

HANDLERS: dict[tuple[str, str], Handler] = {}
REFERENCES: dict[tuple[str, str], tuple[str, ...]] = {}
"""Per event, the data fields naming other states it needs (e.g. the corrected record)."""


_BY_TYPE: dict[str, tuple[Handler | None, tuple[str, ...]]] = {}
"""Per event type seen (`pas.programs.activity_held.v1`), its handler and references."""


def handling(event_type: str) -> tuple[Handler | None, tuple[str, ...]]:
    """The handler and references of an event type (every version reads the same fields)."""
    found = _BY_TYPE.get(event_type)
    if found is None:
        service, name, _ = parse_type(event_type)
        found = (HANDLERS.get((service, name)), REFERENCES.get((service, name), ()))
        if len(_BY_TYPE) < 10_000:
            _BY_TYPE[event_type] = found
    return found


def on(service: str, name: str, *, refers: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register the handler of `pas.<service>.<name>.v*` (every version reads the same fields)."""

    def register(fn: Handler) -> Handler:
        HANDLERS[(service, name)] = fn
        REFERENCES[(service, name)] = refers
        _BY_TYPE.clear()
        return fn

    return register


@dataclass
class Changes:
    """What a batch changed, ready to be written."""

    counters: dict[CounterKey, int] = field(default_factory=lambda: defaultdict(int))
    ambassadors: dict[AmbassadorKey, int] = field(default_factory=lambda: defaultdict(int))
    states: dict[str, State] = field(default_factory=dict)
    evaluations: dict[str, State] = field(default_factory=dict)
    durations: dict[tuple[str, str], State] = field(default_factory=dict)


def wanted_ids(batch: Iterable[Delivered]) -> set[str]:
    """The ids whose states a batch needs: its aggregates and the records it refers to."""
    ids: set[str] = set()
    for item in batch:
        recorded = item.recorded
        ids.add(recorded.subject)
        for ref in handling(recorded.type)[1]:
            value = item.event.get(ref) if isinstance(item.event, dict) else None  # type: ignore[attr-defined]
            if isinstance(value, str):
                ids.add(value)
    return ids


class Fold:
    """Applies events to loaded states; `changes` holds what to write."""

    def __init__(self, states: Mapping[str, State]) -> None:
        self.states: dict[str, State] = dict(states)
        self.changes = Changes()

    def apply_all(self, batch: Iterable[Delivered]) -> Changes:
        for item in batch:
            self.apply(item)
        return self.changes

    def apply(self, item: Delivered) -> None:
        recorded = item.recorded
        handler = handling(recorded.type)[0]
        sid = recorded.subject
        known = self.states.get(sid)
        if known is not None and recorded.aggregateversion <= known.get("version", 0):
            return  # applied before: the aggregate is already past this event
        if handler is not None:
            handler(self, item, item.event)  # type: ignore[arg-type]
        state = self.states.get(sid)
        if state is None:  # an event we do not count: remember only how far the aggregate is
            state = self.put(sid, {"kind": recorded.aggregatetype, "region": recorded.region})
        state["version"] = recorded.aggregateversion
        self.changes.states[sid] = state

    # --- helpers for the handlers ------------------------------------------------------------

    def get(self, sid: str) -> State | None:
        return self.states.get(sid)

    def put(self, sid: str, state: State) -> State:
        state.setdefault("version", 0)
        self.states[sid] = state
        self.changes.states[sid] = state
        return state

    def touched(self, sid: str) -> None:
        self.changes.states[sid] = self.states[sid]

    def count(self, region: str, day: date, metric: str, n: int = 1, unit: str = "") -> None:
        if n:
            self.changes.counters[(region, day, unit, metric)] += n

    def credit(self, ambassador: str | None, region: str, day: date, metric: str, n: int) -> None:
        if ambassador and n:
            self.changes.ambassadors[(ambassador, region, day, metric)] += n


def day_of(value: object) -> date:
    """A date field of an event (`2026-01-31`)."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
