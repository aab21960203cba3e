"""Hash-chain verification of one service log, as an auditor runs it.

Each event's canonical body is rebuilt from the stored fields; the fast path
pastes the stored canonical `data` (see shared.canonical). Where a hash does
not match, the body is recomputed by the reference `rfc8785` from parsed data
before the event is reported broken, so a stored-but-non-canonical `data` text
is judged by JCS itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

from shared.canonical import ZERO_HASH, body_bytes_reference, chain_hash, parse_json
from shared.envelope import RecordedEvent


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of verifying a log."""

    checked: int
    last_position: int
    broken_at: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _reference_hash(event: RecordedEvent) -> str | None:
    """The hash by the reference JCS; None when the stored data is no JSON JCS accepts."""
    try:
        data = parse_json(event.data_json)
    except ValueError:
        return None
    body = {
        "id": event.id,
        "type": event.type,
        "source": event.source,
        "subject": event.subject,
        "time": event.time,
        "position": event.position,
        "aggregateversion": event.aggregateversion,
        "data": data,
    }
    try:
        return chain_hash(event.prevhash, body_bytes_reference(body))
    except ValueError:  # outside JCS's domain (e.g. a huge integer): cannot be what was hashed
        return None


def check_batch(
    events: Iterable[RecordedEvent], prevhash: str, expected_position: int
) -> tuple[str, int, int, str | None]:
    """Check consecutive events; return (last hash, next position, checked, failure)."""
    checked = 0
    for event in events:
        if event.position != expected_position:
            return (
                prevhash,
                expected_position,
                checked,
                (f"position {expected_position} expected, found {event.position}"),
            )
        if event.prevhash != prevhash:
            return (
                prevhash,
                expected_position,
                checked,
                (f"position {event.position}: prevhash does not match the previous hash"),
            )
        actual = chain_hash(prevhash, event.canonical_body())
        if actual != event.hash and _reference_hash(event) != event.hash:
            return (
                prevhash,
                expected_position,
                checked,
                (f"position {event.position}: stored hash does not match its content"),
            )
        prevhash = event.hash
        expected_position += 1
        checked += 1
    return prevhash, expected_position, checked, None


async def verify_log(
    batches: AsyncIterator[list[RecordedEvent]],
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Walk a log from position 1 and report the first broken position, if any."""
    prevhash, position, total = ZERO_HASH, 1, 0
    async for batch in batches:
        prevhash, position, checked, failure = check_batch(batch, prevhash, position)
        total += checked
        if failure is not None:
            return VerifyReport(total, position - 1, position, failure)
        if progress is not None:
            progress(total)
    return VerifyReport(total, position - 1, None, None)
