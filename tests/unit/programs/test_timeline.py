"""The timeline shown for a program: steps with when, who, why, evidence and days spent."""

from __future__ import annotations

from datetime import date

from services.programs.domain import program
from services.programs.events import ActivityHeld
from services.programs.stages import Phase, Stage
from services.programs.timeline import label, timeline
from shared.envelope import RecordedEvent

from .given import World, moved


def recorded(events: list) -> list[RecordedEvent]:
    return [
        RecordedEvent(
            id=f"id-{n}",
            type=e.TYPE,
            source="/pas/dki/programs",
            subject="p",
            time=f"2025-01-0{n}T00:00:00.000000Z",
            region="dki",
            aggregatetype="program",
            aggregateversion=n,
            position=10 + n,
            actor="a",
            correlationid=None,
            causationid=None,
            prevhash="",
            hash="",
            data_json="{}",
        )
        for n, e in enumerate(events, start=1)
    ]


def test_days_until_the_next_move_and_until_today_for_the_current_step() -> None:
    world = World()
    history = [
        *world.at(Stage.CONTINUED_COLLABORATION),
        ActivityHeld(
            held_on=date(2025, 1, 2),
            sessions=1,
            participants={"male_adult": 3},
            volunteer_hours=0,
            recorded_by="x",
        ),
    ]
    state = program.decider.fold(history)
    entries = timeline(state, recorded(history), date(2025, 1, 11))
    assert [e["stage"] for e in entries] == ["initial_approach", "continued_collaboration"]
    assert [e["days"] for e in entries] == [31, 10]  # proposed 2024-12-01, moved 2025-01-01
    assert [e["current"] for e in entries] == [False, True]
    assert entries[1]["reason"] == "ready" and entries[1]["evidence"] == ["doc-1"]
    assert entries[1]["recorded_at"] == "2025-01-02T00:00:00.000000Z"
    assert entries[1]["recorded_on"] == "2025-01-02"
    assert entries[1]["position"] == 12 and entries[0]["by"] == "officer-7"


def test_an_ended_program_has_no_duration_for_its_end_status() -> None:
    world = World()
    history = [
        *world.at(Stage.CONTINUED_COLLABORATION),
        moved((Stage.CONTINUED_COLLABORATION, None), (Stage.DISCONTINUED, None), date(2025, 1, 5)),
    ]
    entries = timeline(program.decider.fold(history), recorded(history), date(2025, 3, 1))
    assert [e["days"] for e in entries] == [31, 4, None]
    assert entries[-1]["label"] == "Dihentikan" and entries[-1]["current"]


def test_labels_in_bahasa_indonesia() -> None:
    assert label("initial_approach", None) == "Pendekatan awal"
    assert label(Stage.INDEPENDENT_PROGRAM.value, Phase.FORMULATION.value) == (
        "Program pembinaan mandiri — Perumusan"
    )
