"""The whole path of a program, and the property that its timeline never skips nor goes back."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from services.programs.commands import (
    AdvanceStage,
    CompleteProgram,
    DiscontinueProgram,
    EvaluateProgram,
    ProposeProgram,
    RecordActivity,
)
from services.programs.domain.program import ProgramState, decide, decider
from services.programs.events import ProgramCompleted, ProgramStageAdvanced
from services.programs.stages import STEPS, Phase, Stage, index_of, is_terminal, next_step
from services.programs.values import ChangeScores, ParticipantCounts
from shared.decider import DomainError
from shared.events import Event

from .given import TODAY, World, partner


def run(state: ProgramState, command: Any, context: Any) -> tuple[ProgramState, list[Event]]:
    events = decide(command, state, context)
    return decider.fold(events, state), events


def test_propose_then_every_step_then_evaluate_then_complete() -> None:
    w = World()
    state, _ = run(
        decider.initial(),
        ProposeProgram(
            title="Kebun hidroponik",
            unit_id=w.unit_id,
            lead_partner_id=w.lead,
            track="independence",
            target_group="women inmates",
            planned_participants=20,
            planned_sessions=10,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 12, 31),
            funding_source="partner",
            proposed_on=date(2025, 1, 1),
        ),
        w.context,
    )
    for day, (stage, phase) in enumerate(STEPS[1:], start=2):
        on = date(2025, 1, day)
        advance = AdvanceStage(to_stage=stage, to_phase=phase, reason="go", evidence=("x",), on=on)
        state, _ = run(state, advance, w.context)
        crowd = ParticipantCounts(female_adult=day)
        state, _ = run(state, RecordActivity(held_on=on, sessions=1, participants=crowd), w.context)
    scores = ChangeScores(individual=5, institutional=4, policy=3)
    evaluation = EvaluateProgram(scores=scores, participants_completed=18, recommendations="scale")
    state, _ = run(state, evaluation, w.context)
    state, events = run(state, CompleteProgram(summary="graduated 18"), w.context)

    assert [type(e) for e in events] == [ProgramStageAdvanced, ProgramCompleted]
    assert state.status == "completed" and state.stage is Stage.COMPLETED and state.phase is None
    assert [(e.stage, e.phase) for e in state.timeline] == [*STEPS, (Stage.COMPLETED, None)]
    assert [e.entered_on.day for e in state.timeline] == [1, 2, 3, 4, 5, 6, 7, 20]
    assert state.timeline[-1].reason == "graduated 18" and state.timeline[1].evidence == ("x",)
    assert state.latest_evaluation is not None and state.latest_evaluation.scores == scores
    assert state.totals.activities == 6 and state.totals.participants.total == sum(range(2, 8))
    assert state.version == 1 + 6 + 6 + 1 + 2
    assert state.outcome == ProgramCompleted(completed_on=TODAY, summary="graduated 18")


NEXT = "next"  # the step after wherever the program is, so that runs get far
ENDS = [CompleteProgram(summary="s"), DiscontinueProgram(reason="r")]
targets = st.sampled_from(
    [NEXT] * 30 + [(s, p) for s in Stage for p in (None, *Phase)] + ENDS  # type: ignore[list-item]
)
attempts = st.tuples(targets, st.sampled_from([(), ("doc",), ("doc",)]), st.integers(-3, 30))


def command_for(attempt: tuple[Any, tuple[str, ...], int], state: ProgramState) -> Any:
    """The command an attempt stands for, given where the program is."""
    to, evidence, days = attempt
    if isinstance(to, CompleteProgram | DiscontinueProgram):
        return to
    if to == NEXT:
        to = next_step(state.stage, state.phase) or (Stage.COMPLETED, None)
    on = (state.last_moved_on or date(2025, 1, 1)) + timedelta(days=days)  # may be refused
    return AdvanceStage(to_stage=to[0], to_phase=to[1], reason="r", evidence=evidence, on=on)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(attempts, st.sampled_from(["verified"] * 4 + ["suspended"])), max_size=30)
)
def test_no_sequence_of_attempts_skips_or_goes_back(steps: list[tuple[Any, str]]) -> None:
    w = World()
    state = decider.fold([w.proposed(proposed_on=date(2025, 1, 1))])
    for attempt, lead_status in steps:
        context = w.with_partner(w.lead, partner(lead_status))
        with contextlib.suppress(DomainError):
            state, _ = run(state, command_for(attempt, state), context)
    timeline = [(e.stage, e.phase) for e in state.timeline]
    assert timeline[0] == STEPS[0]
    for before, after in zip(timeline, timeline[1:], strict=False):
        assert not is_terminal(before[0])
        if is_terminal(after[0]):
            assert after == timeline[-1] and after[1] is None
        else:
            assert index_of(*after) == index_of(*before) + 1  # type: ignore[operator]
    dates = [e.entered_on for e in state.timeline]
    assert dates == sorted(dates)
    event(f"timeline of {len(timeline)}")
