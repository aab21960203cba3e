"""A program's timeline for people: each step entered, when, by whom, why, and how long it lasted.

Pure: built from the folded state, the recorded events (for the times they
were recorded) and today's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from services.programs.domain.program import ProgramState
from services.programs.events import ProgramProposed, ProgramStageAdvanced
from services.programs.stages import is_terminal
from shared.envelope import RecordedEvent
from shared.regions import local_date

LABELS = {
    "initial_approach": "Pendekatan awal",
    "continued_collaboration": "Kolaborasi lanjutan",
    "independent_program": "Program pembinaan mandiri",
    "design": "Perancangan (ide dan strategi)",
    "formulation": "Perumusan",
    "planning": "Perencanaan",
    "implementation": "Pelaksanaan",
    "evaluation": "Evaluasi",
    "completed": "Selesai",
    "discontinued": "Dihentikan",
}
"""Bahasa Indonesia labels of the stages, phases and end statuses, for screens."""

_MOVES = {ProgramProposed.TYPE, ProgramStageAdvanced.TYPE}


def _local_day(recorded: RecordedEvent) -> date:
    """The date in the event's own region when it was recorded (beside `entered_on`)."""
    return local_date(recorded.region, datetime.fromisoformat(recorded.time))


def label(stage: str, phase: str | None) -> str:
    """`Program pembinaan mandiri — Perumusan` for a stage-3 phase, else the stage's label."""
    return LABELS[stage] if phase is None else f"{LABELS[stage]} — {LABELS[phase]}"


def timeline(
    state: ProgramState, history: Sequence[RecordedEvent], today: date
) -> list[dict[str, Any]]:
    """One entry per step the program entered, oldest first.

    `entered_on` is the date the step really happened (a move may be dated in the past);
    `recorded_at` when it was recorded (UTC) and `recorded_on` that moment's date in the
    program's region. `days` is how long the step lasted: until the next move, or until today
    for the current step of a running program; None for the end status.
    """
    moves = [e for e in history if e.type in _MOVES]
    entries: list[dict[str, Any]] = []
    for index, (step, recorded) in enumerate(zip(state.timeline, moves, strict=True)):
        later = state.timeline[index + 1] if index + 1 < len(state.timeline) else None
        current = later is None
        if later is not None:
            days: int | None = (later.entered_on - step.entered_on).days
        else:
            days = None if is_terminal(step.stage) else (today - step.entered_on).days
        phase = step.phase.value if step.phase else None
        entries.append(
            {
                "stage": step.stage.value,
                "phase": phase,
                "label": label(step.stage.value, phase),
                "entered_on": step.entered_on.isoformat(),
                "recorded_at": recorded.time,
                "recorded_on": _local_day(recorded).isoformat(),
                "by": step.by,
                "reason": step.reason,
                "evidence": list(step.evidence),
                "days": days,
                "current": current,
                "event_id": recorded.id,
                "position": recorded.position,
            }
        )
    return entries
