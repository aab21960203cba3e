"""check_batch on a hand-built chain: a change, a swap or a gap is reported where it is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from shared.canonical import ZERO_HASH, canonical_json, chain_hash
from shared.envelope import RecordedEvent
from shared.verify import check_batch, verify_log

STREAM = "01890a5d-ac96-774b-bcce-b302099a8058"


def chain(n: int) -> list[RecordedEvent]:
    events, prevhash = [], ZERO_HASH
    for position in range(1, n + 1):
        partial = RecordedEvent(
            id=f"01890a5d-ac96-774b-bcce-{position:012d}",
            type="pas.testing.thing_happened.v1",
            source="/pas/jatim/testing",
            subject=STREAM,
            time=f"2026-01-24T03:15:{position % 60:02d}.000001Z",
            region="jatim",
            aggregatetype="thing",
            aggregateversion=position,
            position=position,
            actor="system:test",
            correlationid=None,
            causationid=None,
            prevhash=prevhash,
            hash="",
            data_json=canonical_json(
                {"n": position, "name": f"thing {position}", "r": 0.1 * position}
            ),
        )
        prevhash = chain_hash(prevhash, partial.canonical_body())
        events.append(replace(partial, hash=prevhash))
    return events


def test_an_intact_chain_checks() -> None:
    events = chain(10)
    last, next_position, checked, failure = check_batch(events, ZERO_HASH, 1)
    assert failure is None and checked == 10 and next_position == 11 and last == events[-1].hash


def test_a_chain_checks_in_batches() -> None:
    events = chain(10)
    last, position, checked, failure = check_batch(events[:4], ZERO_HASH, 1)
    assert (position, checked, failure) == (5, 4, None)
    last, position, checked, failure = check_batch(events[4:], last, position)
    assert (position, checked, failure) == (11, 6, None)


def test_tampered_data_is_reported_at_its_position() -> None:
    events = chain(10)
    events[6] = replace(events[6], data_json=canonical_json({"n": 7, "name": "forged", "r": 0.7}))
    _, position, checked, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 7 and checked == 6
    assert failure is not None and "position 7" in failure and "hash" in failure


def test_non_json_data_is_reported_not_raised() -> None:
    events = chain(5)
    events[2] = replace(events[2], data_json="{not json")
    _, position, _, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 3 and failure is not None and "position 3" in failure


def test_non_canonical_but_equal_data_still_verifies() -> None:
    events = chain(3)
    spaced = events[1].data_json.replace(",", ", ")  # same JSON value, other text
    events[1] = replace(events[1], data_json=spaced)
    assert check_batch(events, ZERO_HASH, 1)[3] is None


@pytest.mark.parametrize("field", ["hash", "time", "subject", "aggregateversion", "type"])
def test_any_hashed_field_changed_is_reported(field: str) -> None:
    events = chain(6)
    value = {
        "hash": "f" * 64,
        "time": "2026-01-24T03:16:00.000001Z",
        "subject": "x",
        "aggregateversion": 99,
        "type": "pas.testing.other.v1",
    }[field]
    events[3] = replace(events[3], **{field: value})
    _, position, checked, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 4 and checked == 3 and failure is not None


def test_a_reordered_pair_is_reported_at_the_first_swapped_position() -> None:
    events = chain(10)
    events[4], events[5] = events[5], events[4]
    _, position, checked, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 5 and checked == 4
    assert failure == "position 5 expected, found 6"


def test_a_reordered_pair_with_positions_rewritten_is_reported() -> None:
    events = chain(10)
    a, b = events[4], events[5]
    events[4], events[5] = replace(b, position=5), replace(a, position=6)
    _, position, _, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 5 and failure is not None and "position 5" in failure


def test_a_missing_position_is_reported() -> None:
    events = chain(10)
    del events[7]
    _, position, checked, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 8 and checked == 7
    assert failure == "position 8 expected, found 9"


def test_a_removed_event_renumbered_breaks_the_prevhash() -> None:
    events = chain(10)
    del events[7]
    events[7:] = [replace(e, position=e.position - 1) for e in events[7:]]
    _, position, _, failure = check_batch(events, ZERO_HASH, 1)
    assert position == 8 and failure is not None and "prevhash" in failure


def test_the_first_event_must_start_at_the_zero_hash() -> None:
    events = chain(3)
    _, position, _, failure = check_batch(events[1:], ZERO_HASH, 1)
    assert position == 1 and failure is not None


async def _batches(events: list[RecordedEvent], size: int) -> AsyncIterator[list[RecordedEvent]]:
    for start in range(0, len(events), size):
        yield events[start : start + size]


async def test_verify_log_reports_the_broken_position_across_batches() -> None:
    events = chain(25)
    seen: list[int] = []
    report = await verify_log(_batches(events, 7), progress=seen.append)
    assert report.ok and report.checked == 25 and report.last_position == 25
    assert seen == [7, 14, 21, 25]
    events[17] = replace(events[17], data_json='{"n":18}')
    report = await verify_log(_batches(events, 7))
    assert not report.ok and report.broken_at == 18 and report.checked == 17
    assert report.last_position == 17
