"""Ending a program: completed from stage 2 or the evaluation phase, discontinued from anywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.programs.commands import AdvanceStage, CompleteProgram, DiscontinueProgram
from services.programs.domain.program import decide, decider
from services.programs.events import ProgramCompleted, ProgramDiscontinued, ProgramStageAdvanced
from services.programs.stages import STEPS, Phase, Stage

from .given import ACTOR, TODAY, World, partner, then

CC, IP = Stage.CONTINUED_COLLABORATION, Stage.INDEPENDENT_PROGRAM


def ending(before: tuple[Stage, Phase | None], to: Stage, reason: str) -> ProgramStageAdvanced:
    return ProgramStageAdvanced(
        from_stage=before[0],
        from_phase=before[1],
        to_stage=to,
        reason=reason,
        advanced_by=ACTOR,
        on=TODAY,
    )


@pytest.mark.parametrize("before", [(CC, None), (IP, Phase.EVALUATION)])
def test_complete_from_stage_two_or_the_evaluation_phase(
    before: tuple[Stage, Phase | None],
) -> None:
    w = World()
    expected = [
        ending(before, Stage.COMPLETED, "done well"),
        ProgramCompleted(completed_on=TODAY, summary="done well"),
    ]
    then(w.at(*before), CompleteProgram(summary="done well"), w.context, expected)


@pytest.mark.parametrize(
    "before", [s for s in STEPS if s not in [(CC, None), (IP, Phase.EVALUATION)]]
)
def test_complete_from_elsewhere_is_refused(before: tuple[Stage, Phase | None]) -> None:
    w = World()
    then(w.at(*before), CompleteProgram(summary="done"), w.context, "completion_not_allowed")


def test_ending_needs_no_partner_in_good_standing() -> None:
    w = World()
    context = w.with_partner(w.lead, partner("suspended"))
    then(
        w.at(CC),
        CompleteProgram(summary="done"),
        context,
        [
            ending((CC, None), Stage.COMPLETED, "done"),
            ProgramCompleted(completed_on=TODAY, summary="done"),
        ],
    )


@pytest.mark.parametrize("before", STEPS)
def test_discontinue_from_any_step(before: tuple[Stage, Phase | None]) -> None:
    w = World()
    expected = [
        ending(before, Stage.DISCONTINUED, "no funds"),
        ProgramDiscontinued(discontinued_on=TODAY, reason="no funds"),
    ]
    then(w.at(*before), DiscontinueProgram(reason="no funds"), w.context, expected)


def test_discontinue_needs_a_reason_and_a_sensible_date() -> None:
    w = World()
    with pytest.raises(ValidationError):
        DiscontinueProgram(reason="")
    then(
        w.at(CC),
        DiscontinueProgram(reason="x", discontinued_on=TODAY + timedelta(days=1)),
        w.context,
        "date_in_future",
    )
    then(
        w.at(CC),
        DiscontinueProgram(reason="x", discontinued_on=date(2024, 1, 1)),
        w.context,
        "date_before_previous_step",
    )


@pytest.mark.parametrize(
    "end", [CompleteProgram(summary="done"), DiscontinueProgram(reason="stop")]
)
def test_nothing_moves_after_the_end(end: CompleteProgram | DiscontinueProgram) -> None:
    w = World()
    history = w.at(CC)
    history += decide(end, decider.fold(history), w.context)
    for command in [
        AdvanceStage(to_stage=IP, reason="on", evidence=("doc",)),
        CompleteProgram(summary="again"),
        DiscontinueProgram(reason="again"),
    ]:
        assert then(history, command, w.context, "program_closed").status == 409
