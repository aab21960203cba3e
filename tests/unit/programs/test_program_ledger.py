"""Totals after any mix of activities, corrections and voids equal a plain recount of the latest
figures of the records not voided (an oracle that knows nothing of the ledger's bookkeeping)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from services.programs.commands import RecordActivity, RecordMonitoring
from services.programs.commands_corrections import (
    CorrectActivity,
    CorrectMonitoring,
    RecordKind,
    VoidRecord,
)
from services.programs.domain.program import decide, decider
from services.programs.domain.program_state import ProgramState
from services.programs.stages import Stage
from services.programs.values import ParticipantCounts
from shared.decider import DomainError
from shared.events import Event

from .given import TODAY, World, event_id, event_versions


def figures(rng: random.Random) -> dict[str, Any]:
    return {
        "held_on": date(2025, 1 + rng.randrange(10), 1 + rng.randrange(28)),
        "sessions": rng.randint(1, 4),
        "volunteer_hours": rng.randint(0, 9),
        "participants": ParticipantCounts(
            male_adult=rng.randint(0, 20), female_child=rng.randint(0, 5)
        ),
    }


@pytest.mark.parametrize("seed", range(30))
def test_totals_equal_a_recount_of_the_latest_figures(seed: int) -> None:
    rng = random.Random(seed)
    world = World()
    history: list[Event] = world.at(Stage.CONTINUED_COLLABORATION)
    latest: dict[int, dict[str, Any]] = {}  # oracle: first version -> figures now
    visits: dict[int, int] = {}  # oracle: first version -> rating now
    ids: dict[int, int] = {}  # any record event's version -> its first version
    for _ in range(rng.randint(5, 40)):
        state: ProgramState = decider.fold(history)
        context = world.ctx(event_versions=event_versions(history))
        version = len(history) + 1
        known = list(ids)
        choice = rng.random()
        command: Any
        if choice < 0.35 or not known:
            data = figures(rng)
            command = RecordActivity(**data)
            latest[version], ids[version] = data, version
        elif choice < 0.45:
            rating = rng.randint(1, 5)
            command = RecordMonitoring(visited_on=TODAY, findings="f", rating=rating)
            visits[version], ids[version] = rating, version
        else:
            named = rng.choice(known)  # the first event, a correction or a void
            first = ids[named]
            is_visit = first in visits or (first not in latest and rng.random() < 0.5)
            if rng.random() < 0.3:
                kind = RecordKind.MONITORING if first in visits else RecordKind.ACTIVITY
                command = VoidRecord(kind=kind, record_event_id=event_id(named), reason="r")
            elif is_visit:
                rating = rng.randint(1, 5)
                command = CorrectMonitoring(
                    monitoring_event_id=event_id(named),
                    visited_on=TODAY,
                    findings="g",
                    rating=rating,
                    reason="r",
                )
            else:
                data = figures(rng)
                command = CorrectActivity(activity_event_id=event_id(named), reason="r", **data)
        try:
            events = decide(command, state, context)
        except DomainError as error:
            assert error.code in {
                "record_voided",
                "correction_changes_nothing",
                "activity_not_found",
                "monitoring_not_found",
                "participants_implausible",
            }, error.code
            latest.pop(version, None), visits.pop(version, None), ids.pop(version, None)
            continue
        history.extend(events)
        if isinstance(command, VoidRecord):
            first = ids[_named(command)]
            latest.pop(first, None), visits.pop(first, None)
            ids[version] = first
        elif isinstance(command, CorrectActivity):
            first = ids[_named(command)]
            latest[first] = {k: getattr(command, k) for k in latest.get(first, figures(rng))}
            ids[version] = first
        elif isinstance(command, CorrectMonitoring):
            first = ids[_named(command)]
            visits[first] = command.rating
            ids[version] = first
    totals = decider.fold(history).totals
    assert totals.activities == len(latest)
    assert totals.sessions == sum(f["sessions"] for f in latest.values())
    assert totals.volunteer_hours == sum(f["volunteer_hours"] for f in latest.values())
    assert totals.participants.total == sum(f["participants"].total for f in latest.values())
    assert totals.monitoring_visits == len(visits)
    assert totals.last_rating == (visits[max(visits)] if visits else None)


def _named(command: Any) -> int:
    for name in ("record_event_id", "activity_event_id", "monitoring_event_id"):
        if hasattr(command, name):
            return getattr(command, name).int  # type: ignore[no-any-return]
    raise AssertionError(command)
