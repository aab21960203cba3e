"""Loading an aggregate for a command, at a cost that does not grow with its history.

A decision needs the aggregate's state, not its history. So a load starts from
the newest state already known and folds only the events after it:

* each process keeps the latest state of the aggregates it used recently
  (`StateCache`, a bounded LRU); states are immutable, so sharing one is safe;
* the store keeps a snapshot of each aggregate's state, written in the append
  transaction every `SNAPSHOT_EVERY` events (the first load after a restart,
  or in another worker process, starts there);
* the events after that state are read with one indexed query (none, usually).

The stream stays the truth: a snapshot or cached state names the version it
was folded to, and everything after it is read from the stream, whichever
process wrote it. A snapshot of another shape (the decider's
`snapshot_version` was bumped because `evolve` or the state changed) is
ignored, and the state is folded from the events again.

Why every N events and not every append: a state can be large (a program
keeps its records, so its JSON grows with its activities), and writing it
costs with its size; the cache makes the hot path cheap, the snapshot bounds
the cold one.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from shared.decider import Decider
from shared.envelope import RecordedEvent
from shared.events import EventRegistry
from shared.eventstore import Snapshot, Store

S = TypeVar("S")

SNAPSHOT_EVERY = 100
"""A snapshot is written with the append that takes a stream this many events past its last."""
CACHE_SIZE = 2000
"""How many aggregates' states a process keeps."""


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """An aggregate's state and stream version, with the events read to get there.

    `history` is the whole stream for a full load (`Commands.load`), only the events
    after the known state for a command's load. `decider` and `snapshot_at` (the
    version of the stored snapshot) let the append keep the state for the next load.
    """

    state: S
    version: int
    history: list[RecordedEvent]
    decider: Decider[Any, S, Any] | None = field(default=None, compare=False)
    snapshot_at: int = 0


@dataclass(frozen=True)
class _Known:
    decider: Decider[Any, Any, Any]
    version: int
    state: Any
    snapshot_at: int


class StateCache:
    """The latest known state of recently used aggregates (least recently used go first)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._known: OrderedDict[UUID, _Known] = OrderedDict()

    def get(self, decider: Decider[Any, S, Any], stream_id: UUID) -> _Known | None:
        known = self._known.get(stream_id)
        if known is None or known.decider is not decider:
            return None
        self._known.move_to_end(stream_id)
        return known

    def put(self, stream_id: UUID, known: _Known) -> None:
        kept = self._known.get(stream_id)
        if kept is not None and kept.decider is known.decider and kept.version >= known.version:
            return
        self._known[stream_id] = known
        self._known.move_to_end(stream_id)
        while len(self._known) > self.size:
            self._known.popitem(last=False)


class Aggregates:
    """Loads aggregates for commands (known state + the events after it) and keeps what was
    decided for the next load."""

    def __init__(self, store: Store, registry: EventRegistry, cache: StateCache | None = None):
        self.store = store
        self.registry = registry
        self.cache = cache or StateCache()

    async def load(self, decider: Decider[Any, S, Any], stream_id: UUID) -> Loaded[S]:
        """The aggregate's current state, reading only what is not known yet."""
        known = self.cache.get(decider, stream_id)
        if known is None:
            known = await self._from_snapshot(decider, stream_id)
        after = 0 if known is None else known.version
        recorded = await self.store.read_stream(stream_id, after)
        events = [self.registry.load_json(e.type, e.data_json) for e in recorded]
        state = decider.fold(events, None if known is None else known.state)
        version = after + len(recorded)
        snapshot_at = 0 if known is None else known.snapshot_at
        if recorded:
            self.cache.put(stream_id, _Known(decider, version, state, snapshot_at))
        return Loaded(state, version, recorded, decider, snapshot_at)

    async def _from_snapshot(self, decider: Decider[Any, S, Any], stream_id: UUID) -> _Known | None:
        snapshot = await self.store.read_snapshot(stream_id)
        if snapshot is None or snapshot.schema_version != decider.snapshot_version:
            return None
        state = decider.restore(snapshot.state_json)
        return _Known(decider, snapshot.version, state, snapshot.version)

    def decided(self, loaded: Loaded[Any], events: list[Any]) -> tuple[Any, Snapshot | None]:
        """The state after `events` were decided on `loaded`, and the snapshot to keep with
        them when one is due (None for a load without a decider)."""
        decider = loaded.decider
        if decider is None:
            return None, None
        state = decider.fold(events, loaded.state)
        version = loaded.version + len(events)
        if version - loaded.snapshot_at < SNAPSHOT_EVERY:
            return state, None
        return state, Snapshot(decider.snapshot_version, version, decider.dump(state))

    def appended(
        self, stream_id: UUID, loaded: Loaded[Any], state: Any, version: int, snapshot: bool
    ) -> None:
        """Remember the state an append committed, for the next load of its stream."""
        if loaded.decider is None:
            return
        snapshot_at = version if snapshot else loaded.snapshot_at
        self.cache.put(stream_id, _Known(loaded.decider, version, state, snapshot_at))
