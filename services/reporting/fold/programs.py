"""Programs (events of the programs service) as the stage funnel, by track and unit.

`programs.reached.<step>` counts moves into a step on the move's date:
`initial_approach` is the proposal (`proposed_on`), every other step a
`program_stage_advanced` (`on`); a move from stage 2 into `independent_program`
is also a move into its `design` phase. Completed and discontinued count the
`program_completed` / `program_discontinued` events on their own dates. When a
program leaves a step, the days it spent there are kept (medians per step).
"""

from __future__ import annotations

from typing import Any

from services.reporting.fold.core import Fold, State, day_of, on
from shared.readmodel import Delivered

SERVICE = "programs"
STAGE3 = "independent_program"
ENDS = ("completed", "discontinued")
STEPS = (
    "initial_approach",
    "continued_collaboration",
    STAGE3,
    "design",
    "formulation",
    "planning",
    "implementation",
    "evaluation",
)
PATH = (
    "initial_approach",
    "continued_collaboration",
    "design",
    "formulation",
    "planning",
    "implementation",
    "evaluation",
)
"""The seven steps a program walks, in order (stage 3 is walked through its phases)."""


def program_of(fold: Fold, item: Delivered) -> State:
    """The program an event belongs to (a stub if its proposal never reached us)."""
    sid = item.recorded.subject
    state = fold.get(sid)
    if state is None or state.get("kind") != "program":
        state = fold.put(
            sid,
            {
                "kind": "program",
                "region": item.recorded.region,
                "unit_code": "",
                "track": "",
                "status": "open",
                "step": None,
                "since": None,
            },
        )
    return state


def _funnel(fold: Fold, program: State, day: Any, step: str) -> None:
    region, unit, track = program["region"], program["unit_code"], program["track"]
    fold.count(region, day, f"programs.reached.{step}", unit=unit)
    if track:
        fold.count(region, day, f"programs.reached_by_track.{track}.{step}", unit=unit)


@on(SERVICE, "program_proposed")
def program_proposed(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    day, track, unit = day_of(data["proposed_on"]), str(data["track"]), str(data["unit_code"])
    region = str(data.get("region") or item.recorded.region)
    program = fold.put(
        item.recorded.subject,
        {
            "kind": "program",
            "region": region,
            "unit_code": unit,
            "track": track,
            "title": str(data.get("title", "")),
            "status": "open",
            "step": "initial_approach",
            "since": day.isoformat(),
            "proposed_on": day.isoformat(),
            "lead_partner_id": str(data.get("lead_partner_id", "")),
        },
    )
    fold.count(region, day, "programs.proposed", unit=unit)
    fold.count(region, day, f"programs.by_track.{track}", unit=unit)
    _funnel(fold, program, day, "initial_approach")


def _left_step(fold: Fold, program: State, pid: str, day: Any) -> None:
    """Keep how many days the program spent in the step it is leaving."""
    step, since = program.get("step"), program.get("since")
    if step not in PATH or not since:
        return
    entered = day_of(since)
    fold.changes.durations[(pid, step)] = {
        "program_id": pid,
        "region": program["region"],
        "unit_code": program["unit_code"],
        "track": program["track"],
        "step": step,
        "entered_on": entered,
        "left_on": day,
        "days": (day - entered).days,
    }


@on(SERVICE, "program_stage_advanced")
def program_stage_advanced(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    program = program_of(fold, item)
    pid, day = item.recorded.subject, day_of(data["on"])
    to_stage, to_phase = str(data["to_stage"]), data.get("to_phase")
    _left_step(fold, program, pid, day)
    if to_stage in ENDS:
        step = to_stage
        program["status"] = to_stage
    elif to_stage == STAGE3:
        step = str(to_phase or "design")
        if data.get("from_stage") != STAGE3:
            _funnel(fold, program, day, STAGE3)
        _funnel(fold, program, day, step)
    else:
        step = to_stage
        _funnel(fold, program, day, step)
    program["step"], program["since"] = step, day.isoformat()
    fold.touched(pid)


def _ended(fold: Fold, item: Delivered, status: str, day: Any) -> None:
    program = program_of(fold, item)
    program["status"] = status
    program["ended_on"] = day.isoformat()
    fold.touched(item.recorded.subject)
    region, unit, track = program["region"], program["unit_code"], program["track"]
    fold.count(region, day, f"programs.{status}", unit=unit)
    if track:
        fold.count(region, day, f"programs.{status}_by_track.{track}", unit=unit)


@on(SERVICE, "program_completed")
def program_completed(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _ended(fold, item, "completed", day_of(data["completed_on"]))


@on(SERVICE, "program_discontinued")
def program_discontinued(fold: Fold, item: Delivered, data: dict[str, Any]) -> None:
    _ended(fold, item, "discontinued", day_of(data["discontinued_on"]))
