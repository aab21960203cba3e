"""A generated history as the stream would hold it: every log recorded in time order, the
regions interleaved by time.

The generator (tests/unit/reporting/generated.py) makes one program, partner or outreach event
after another, with dates spread over two years; a service's log records events as they
happen, and the national stream interleaves every region by time. `in_time_order` sorts one
region's events by their CloudEvent `time` and renumbers what the order decides; `publishable`
turns them into what is published; `merged` interleaves the regions by time.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from shared.envelope import RecordedEvent

# (time, NATS subject, CloudEvent bytes, event id): the event id is the Nats-Msg-Id header.
Message = tuple[str, str, bytes, str]


def in_time_order(events: Iterable[RecordedEvent]) -> list[RecordedEvent]:
    """The events sorted by `time` (ties keep their order), each log's `position` and each
    aggregate's `aggregateversion` renumbered 1..n in that order; ids and the rest kept.

    Corrections still name their originals by id. With `generate(..., recorded_times=True)`
    a correction (or void) is never before its original: the generator records each event of
    an aggregate after the previous one, and an activity and its correction share the
    program's aggregate (`corrections_before_originals` counts it; the unit test holds it at 0).
    """
    ordered = sorted(events, key=lambda event: event.time)
    positions: Counter[str] = Counter()
    versions: Counter[tuple[str, str]] = Counter()
    out = []
    for event in ordered:
        positions[event.source] += 1
        versions[event.aggregatetype, event.subject] += 1
        out.append(
            dataclasses.replace(
                event,
                position=positions[event.source],
                aggregateversion=versions[event.aggregatetype, event.subject],
            )
        )
    return out


def corrections_before_originals(events: Iterable[RecordedEvent]) -> int:
    """How many corrections or voids come before the activity they name, in this order."""
    seen: set[str] = set()
    early = 0
    for event in events:
        seen.add(event.id)
        if event.type.endswith((".activity_corrected.v1", ".activity_voided.v1")):
            early += json.loads(event.data_json)["activity_event_id"] not in seen
    return early


def publishable(events: Iterable[RecordedEvent]) -> Iterator[Message]:
    for event in events:
        yield event.time, event.nats_subject, event.to_cloudevent_bytes(), event.id


def spill(messages: Iterable[Message], path: Path) -> int:
    """Write one region's messages, in order, to `path` (so a million stay out of memory)."""
    count = 0
    with path.open("wb") as out:
        for message in messages:
            pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
    return count


def _read(path: Path) -> Iterator[Message]:
    with path.open("rb") as source:
        while True:
            try:
                yield pickle.load(source)
            except EOFError:
                return


def merged(paths: Iterable[Path]) -> Iterator[Message]:
    """Every region's messages interleaved by time (a region's own order kept on ties)."""
    return heapq.merge(*(_read(path) for path in paths), key=lambda message: message[0])
