"""Evaluating a program on the three change domains: when it may be, and with what values."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.programs.commands import CompleteProgram, DiscontinueProgram, EvaluateProgram
from services.programs.domain.program import decide, decider
from services.programs.events import ProgramEvaluated
from services.programs.stages import STEPS, Phase, Stage
from services.programs.values import ChangeScores
from shared.events import Event

from .given import ACTOR, TODAY, World, then

CC, IP = Stage.CONTINUED_COLLABORATION, Stage.INDEPENDENT_PROGRAM


def ended(w: World, history: list[Event], command: Any) -> list[Event]:
    return history + decide(command, decider.fold(history), w.context)


SCORES = ChangeScores(individual=4, institutional=3, policy=2)


def evaluation(**changes: Any) -> EvaluateProgram:
    data: dict[str, Any] = {
        "scores": SCORES,
        "participants_completed": 25,
        "recommendations": "more",
    }
    return EvaluateProgram(**{**data, **changes})


def evaluated(on: date = TODAY) -> ProgramEvaluated:
    return ProgramEvaluated(
        scores=SCORES,
        participants_completed=25,
        recommendations="more",
        evaluated_on=on,
        evaluated_by=ACTOR,
    )


def test_evaluate_in_the_evaluation_phase_or_once_completed() -> None:
    w = World()
    then(w.at(IP, Phase.EVALUATION), evaluation(), w.context, [evaluated()])
    completed = ended(w, w.at(CC), CompleteProgram(summary="x"))
    then(completed, evaluation(), w.context, [evaluated()])
    state = decider.fold([*completed, evaluated()])
    assert state.latest_evaluation == evaluated() and state.status == "completed"


@pytest.mark.parametrize("position", STEPS[:-1])
def test_evaluation_elsewhere_is_refused(position: tuple[Stage, Phase | None]) -> None:
    w = World()
    then(w.at(*position), evaluation(), w.context, "evaluation_not_allowed")


def test_a_discontinued_program_is_not_evaluated() -> None:
    w = World()
    history = ended(w, w.at(IP, Phase.EVALUATION), DiscontinueProgram(reason="x"))
    then(history, evaluation(), w.context, "evaluation_not_allowed")


def test_evaluation_values_and_dates() -> None:
    w = World()
    for bad in ({"individual": 0}, {"policy": 6}):
        with pytest.raises(ValidationError):
            ChangeScores(**{"individual": 3, "institutional": 3, "policy": 3, **bad})
    with pytest.raises(ValidationError):
        evaluation(participants_completed=-1)
    then(
        w.at(IP, Phase.EVALUATION),
        evaluation(participants_completed=0),
        w.context,
        [evaluated().model_copy(update={"participants_completed": 0})],
    )
    future = evaluation(evaluated_on=TODAY + timedelta(days=1))
    then(w.at(IP, Phase.EVALUATION), future, w.context, "date_in_future")
