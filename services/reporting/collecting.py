"""Python's cyclic garbage collector held back while a generation is built from the first event.

The fold allocates a few dicts and tuples per event and makes no cycles, but
the collector still walks every young object it allocates: ~8% of a
rebuild's CPU even with a raised threshold (runtime.start). While any
generation is built, automatic collection is off; the projection collects the
young generations itself every `COLLECT_EVERY` batches (`batch_done`), so
garbage with cycles (from the HTTP side meanwhile, say) is still freed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

COLLECT_EVERY = 50
"""Batches between two collections while building (250,000 events at 5,000 a batch)."""

_building = 0
_was_enabled = True
_batches = 0


@contextlib.contextmanager
def building() -> Iterator[None]:
    """Automatic collection off until the last build under way ends."""
    global _building, _was_enabled
    if _building == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _building += 1
    try:
        yield
    finally:
        _building -= 1
        if _building == 0 and _was_enabled:
            gc.enable()


def batch_done() -> None:
    """Collect now and then while automatic collection is held back."""
    global _batches
    if _building:
        _batches += 1
        if _batches % COLLECT_EVERY == 0:
            gc.collect(1)
