"""A program's records for people: each activity, monitoring visit and evaluation with the
figures that count now, whether it was corrected or voided, and the events that did it.

Pure: built from the folded state and the recorded events (for their ids and times).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.programs.domain.program import ProgramState
from shared.envelope import RecordedEvent

_LISTS = {"activity": "activities", "monitoring": "monitoring", "evaluation": "evaluations"}


def records(
    state: ProgramState, history: Sequence[RecordedEvent], shown: Sequence[int] | None = None
) -> dict[str, list[Any]]:
    """`activities`, `monitoring` and `evaluations`, oldest first, each entry with `event_id`
    (the first event: what a correction or a void names), `status` (recorded, corrected or
    voided), `figures` (the latest) and `changes` (the corrections and void, in order).

    `shown` limits the records to those keyed by these versions (all by default);
    `history` needs only the events of the records shown.
    """
    by_version = {e.aggregateversion: e for e in history}
    keep = None if shown is None else set(shown)
    out: dict[str, list[Any]] = {name: [] for name in _LISTS.values()}
    changes: dict[int, list[dict[str, Any]]] = {}
    for version, first in state.record_of.items():
        if version != first and version in by_version and (keep is None or first in keep):
            e = by_version[version]
            data = e.data
            changes.setdefault(first, []).append(
                {
                    "event_id": e.id,
                    "type": e.type,
                    "recorded_at": e.time,
                    "by": data.get("corrected_by") or data.get("voided_by"),
                    "reason": data.get("reason"),
                }
            )
    for version in sorted(state.records if keep is None else keep & state.records.keys()):
        record = state.records[version]
        first_event = by_version.get(version)
        status = "voided" if record.voided else "corrected" if record.corrections else "recorded"
        out[_LISTS[record.kind.value]].append(
            {
                "event_id": first_event.id if first_event else None,
                "recorded_at": first_event.time if first_event else None,
                "status": status,
                "figures": record.figures.model_dump(mode="json"),
                "changes": changes.get(version, []),
            }
        )
    return out
