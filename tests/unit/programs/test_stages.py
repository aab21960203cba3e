"""The stage path: seven steps, forward one at a time, nothing after the end."""

from __future__ import annotations

from services.programs.stages import (
    STEPS,
    Phase,
    Stage,
    can_complete,
    index_of,
    is_position,
    is_terminal,
    next_step,
    normalize,
)

IP = Stage.INDEPENDENT_PROGRAM


def test_the_path_has_seven_steps_in_order() -> None:
    assert STEPS == (
        (Stage.INITIAL_APPROACH, None),
        (Stage.CONTINUED_COLLABORATION, None),
        (IP, Phase.DESIGN),
        (IP, Phase.FORMULATION),
        (IP, Phase.PLANNING),
        (IP, Phase.IMPLEMENTATION),
        (IP, Phase.EVALUATION),
    )


def test_next_step_walks_the_path_one_step_at_a_time() -> None:
    for before, after in zip(STEPS, STEPS[1:], strict=False):
        assert next_step(*before) == after


def test_entering_stage_three_lands_on_design() -> None:
    assert next_step(Stage.CONTINUED_COLLABORATION, None) == (IP, Phase.DESIGN)
    assert normalize(IP, None) == (IP, Phase.DESIGN)
    assert normalize(Stage.CONTINUED_COLLABORATION, None) == (Stage.CONTINUED_COLLABORATION, None)


def test_nothing_after_the_last_step_or_an_end() -> None:
    assert next_step(IP, Phase.EVALUATION) is None
    assert next_step(Stage.COMPLETED, None) is None
    assert next_step(Stage.DISCONTINUED, None) is None


def test_terminal_statuses() -> None:
    assert is_terminal(Stage.COMPLETED) and is_terminal(Stage.DISCONTINUED)
    assert not any(is_terminal(stage) for stage, _ in STEPS)


def test_positions() -> None:
    assert all(is_position(*step) for step in STEPS)
    assert is_position(Stage.COMPLETED, None)
    assert not is_position(Stage.CONTINUED_COLLABORATION, Phase.DESIGN)
    assert not is_position(IP, None)
    assert not is_position(Stage.COMPLETED, Phase.EVALUATION)
    assert index_of(Stage.COMPLETED, None) is None
    assert [index_of(*step) for step in STEPS] == list(range(7))


def test_completion_from_stage_two_or_the_evaluation_phase_only() -> None:
    allowed = [step for step in STEPS if can_complete(*step)]
    assert allowed == [(Stage.CONTINUED_COLLABORATION, None), (IP, Phase.EVALUATION)]
