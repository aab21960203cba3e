"""The stage path of a program, as data, and the pure functions that walk it.

A position is `(stage, phase)`; `phase` is set only inside `independent_program`.
The path is seven steps long; a program then ends `completed` or
`discontinued`, which are positions with no phase and no step after them.
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """The three stages of the framework, and the two terminal statuses."""

    INITIAL_APPROACH = "initial_approach"
    CONTINUED_COLLABORATION = "continued_collaboration"
    INDEPENDENT_PROGRAM = "independent_program"
    COMPLETED = "completed"
    DISCONTINUED = "discontinued"


class Phase(StrEnum):
    """The phases of stage 3, `independent_program`."""

    DESIGN = "design"
    FORMULATION = "formulation"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    EVALUATION = "evaluation"


Position = tuple[Stage, Phase | None]

STEPS: tuple[Position, ...] = (
    (Stage.INITIAL_APPROACH, None),
    (Stage.CONTINUED_COLLABORATION, None),
    *((Stage.INDEPENDENT_PROGRAM, phase) for phase in Phase),
)
"""The seven steps in order; a program is proposed at the first."""

START: Position = STEPS[0]
TERMINAL: frozenset[Stage] = frozenset({Stage.COMPLETED, Stage.DISCONTINUED})
COMPLETABLE: frozenset[Position] = frozenset(
    {(Stage.CONTINUED_COLLABORATION, None), (Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION)}
)
"""Steps a program may complete from: a stage-2 engagement, or stage 3 once evaluated."""


def normalize(stage: Stage, phase: Phase | None) -> Position:
    """The position meant: `independent_program` without a phase means its first phase."""
    if stage is Stage.INDEPENDENT_PROGRAM and phase is None:
        return (stage, Phase.DESIGN)
    return (stage, phase)


def is_terminal(stage: Stage) -> bool:
    """Whether a program at `stage` has ended."""
    return stage in TERMINAL


def is_position(stage: Stage, phase: Phase | None) -> bool:
    """Whether `(stage, phase)` is a step of the path or a terminal status."""
    return (stage, phase) in STEPS or (is_terminal(stage) and phase is None)


def index_of(stage: Stage, phase: Phase | None) -> int | None:
    """The step number (0–6) of a position on the path; None for terminal or unknown ones."""
    try:
        return STEPS.index((stage, phase))
    except ValueError:
        return None


def next_step(stage: Stage, phase: Phase | None) -> Position | None:
    """The one step after `(stage, phase)`; None after the last step or a terminal status."""
    index = index_of(stage, phase)
    if index is None or index + 1 >= len(STEPS):
        return None
    return STEPS[index + 1]


def can_complete(stage: Stage, phase: Phase | None) -> bool:
    """Whether a program at this position may end `completed`."""
    return (stage, phase) in COMPLETABLE
