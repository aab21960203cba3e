"""What a command answers over HTTP, and how a retry of it is recognised.

The answer of a command is its stream's id and new version, the log position
of its last event and the events it recorded; with an Idempotency-Key it is
stored with the events, and a retry (same key, same request fingerprint) gets
it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.envelope import RecordedEvent


@dataclass(frozen=True)
class Answer:
    """What a command answers over HTTP."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def fingerprint(method: str, path: str, body: bytes) -> str:
    """A request's identity, to tell a retry from a different request under the same key."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def answer_body(stream_id: UUID, version: int, recorded: Sequence[RecordedEvent]) -> dict[str, Any]:
    return {
        "id": str(stream_id),
        "version": version,
        "position": recorded[-1].position if recorded else None,
        "events": [{"id": e.id, "type": e.type, "position": e.position} for e in recorded],
    }


class IdempotencyKeyReused(Exception):
    """An idempotency key sent again with a different request (answered 422)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was used for another request")
        self.key = key


def stored_answer(
    status: int, stream_id: UUID, version: int, recorded: list[RecordedEvent]
) -> tuple[int, dict[str, Any]]:
    return status, answer_body(stream_id, version + len(recorded), recorded)
