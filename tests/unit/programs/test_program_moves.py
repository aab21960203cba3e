"""Moving a program along the stages: one step forward at a time, then completed or discontinued."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from services.programs.commands import AdvanceStage
from services.programs.domain.program import AgreementPeriod
from services.programs.events import ProgramStageAdvanced
from services.programs.stages import STEPS, Phase, Stage

from .given import TODAY, World, moved, partner, then

CC, IP = Stage.CONTINUED_COLLABORATION, Stage.INDEPENDENT_PROGRAM
PAIRS = list(zip(STEPS, STEPS[1:], strict=False))


def step(
    to: tuple[Stage, Phase | None],
    on: date | None = TODAY,
    evidence: tuple[str, ...] = ("pks-12.pdf",),
) -> AdvanceStage:
    return AdvanceStage(to_stage=to[0], to_phase=to[1], reason="ready", evidence=evidence, on=on)


def advanced(
    before: tuple[Stage, Phase | None], after: tuple[Stage, Phase | None], **changes: object
) -> ProgramStageAdvanced:
    data = moved(before, after, TODAY).model_dump()
    data.update({"evidence": ("pks-12.pdf",), **changes})
    return ProgramStageAdvanced(**data)


@pytest.mark.parametrize(("before", "after"), PAIRS)
def test_each_step_advances_to_the_next(
    before: tuple[Stage, Phase | None], after: tuple[Stage, Phase | None]
) -> None:
    w = World()
    then(w.at(*before), step(after), w.context, [advanced(before, after)])


def test_entering_stage_three_without_a_phase_lands_on_design() -> None:
    w = World()
    expected = advanced((CC, None), (IP, Phase.DESIGN))
    then(w.at(CC), step((IP, None)), w.context, [expected])


def test_the_date_defaults_to_today() -> None:
    w = World()
    then(w.at(CC), step((IP, None), on=None), w.context, [advanced((CC, None), (IP, Phase.DESIGN))])


@pytest.mark.parametrize("to", [(IP, Phase.DESIGN), (IP, Phase.PLANNING), (IP, Phase.EVALUATION)])
def test_skipping_steps_is_an_invalid_transition(to: tuple[Stage, Phase | None]) -> None:
    w = World()
    error = then(w.at(Stage.INITIAL_APPROACH), step(to), w.context, "invalid_transition")
    assert error.status == 409
    assert error.details == {
        "from": {"stage": "initial_approach", "phase": None},
        "to": {"stage": to[0].value, "phase": to[1].value if to[1] else None},
        "expected": {"stage": "continued_collaboration", "phase": None},
    }


def test_staying_put_is_an_invalid_transition() -> None:
    w = World()
    then(w.at(IP, Phase.PLANNING), step((IP, Phase.PLANNING)), w.context, "invalid_transition")


@pytest.mark.parametrize("to", [(Stage.INITIAL_APPROACH, None), (CC, None), (IP, Phase.DESIGN)])
def test_never_backwards(to: tuple[Stage, Phase | None]) -> None:
    w = World()
    then(w.at(IP, Phase.FORMULATION), step(to), w.context, "stage_backwards")


def test_a_phase_outside_stage_three_is_no_step() -> None:
    w = World()
    then(w.at(Stage.INITIAL_APPROACH), step((CC, Phase.DESIGN)), w.context, "unknown_step")


@pytest.mark.parametrize("to", [Stage.COMPLETED, Stage.DISCONTINUED])
def test_ending_goes_through_its_own_command(to: Stage) -> None:
    w = World()
    then(w.at(CC), step((to, None)), w.context, "end_via_complete_or_discontinue")


def test_an_unknown_program_cannot_move() -> None:
    w = World()
    assert then([], step((CC, None)), w.context, "program_not_found").status == 404


def test_evidence_may_be_empty_only_into_continued_collaboration() -> None:
    w = World()
    accepted = then(
        w.at(Stage.INITIAL_APPROACH),
        step((CC, None), evidence=()),
        w.context,
        [advanced((Stage.INITIAL_APPROACH, None), (CC, None), evidence=())],
    )
    assert accepted[0].evidence == ()
    then(w.at(CC), step((IP, None), evidence=()), w.context, "evidence_required")
    then(
        w.at(IP, Phase.DESIGN),
        step((IP, Phase.FORMULATION), evidence=()),
        w.context,
        "evidence_required",
    )


def test_a_reason_is_required() -> None:
    with pytest.raises(ValidationError):
        AdvanceStage(to_stage=CC, reason="  ")


def test_move_dates_are_not_in_the_future_nor_before_the_previous_move() -> None:
    w = World()
    history = w.at(CC)  # entered continued_collaboration on 2025-01-01
    then(history, step((IP, None), on=TODAY + timedelta(days=1)), w.context, "date_in_future")
    then(history, step((IP, None), on=date(2024, 12, 31)), w.context, "date_before_previous_step")
    same_day = advanced((CC, None), (IP, Phase.DESIGN), on=date(2025, 1, 1))
    then(history, step((IP, None), on=date(2025, 1, 1)), w.context, [same_day])


@pytest.mark.parametrize("status", ["suspended", "withdrawn", "registered"])
def test_a_lead_partner_no_longer_in_good_standing_blocks_the_next_step(status: str) -> None:
    w = World()
    context = w.with_partner(w.lead, partner(status))
    error = then(
        w.at(IP, Phase.DESIGN),
        step((IP, Phase.FORMULATION)),
        context,
        f"partner_{status if status != 'registered' else 'not_verified'}",
    )
    assert error.field == "lead_partner_id"


def test_the_leads_agreement_must_cover_the_move_date() -> None:
    w = World()
    context = w.with_partner(
        w.lead, partner("verified", AgreementPeriod(date(2024, 1, 1), date(2025, 6, 30)))
    )
    then(w.at(CC), step((IP, None), on=date(2025, 7, 1)), context, "no_valid_agreement")
    then(
        w.at(CC),
        step((IP, None), on=date(2025, 6, 30)),
        context,
        [advanced((CC, None), (IP, Phase.DESIGN), on=date(2025, 6, 30))],
    )
    then(w.at(CC), step((IP, None)), w.with_partner(w.lead, None), "partner_not_yet_known")


def test_a_suspended_co_partner_does_not_block_a_move() -> None:
    w = World()
    context = w.with_partner(w.co, partner("suspended"))
    then(w.at(CC), step((IP, None)), context, [advanced((CC, None), (IP, Phase.DESIGN))])
