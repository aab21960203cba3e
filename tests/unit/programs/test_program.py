"""Proposing a program: the unit, the period, and the partners it names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from services.programs.commands import ProposeProgram
from services.programs.domain.program import AgreementPeriod, decider
from services.programs.domain.unit import UnitState
from services.programs.stages import Stage

from .given import TODAY, World, partner, then


def propose(w: World, **changes: Any) -> ProposeProgram:
    """A typical ProposeProgram command for the world's unit and partners."""
    data: dict[str, Any] = {
        "title": "Pelatihan barista",
        "unit_id": w.unit_id,
        "lead_partner_id": w.lead,
        "co_partner_ids": (w.co,),
        "track": "independence",
        "target_group": "adult male inmates",
        "planned_participants": 30,
        "planned_sessions": 12,
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 12, 31),
        "funding_source": "csr",
    }
    return ProposeProgram(**{**data, **changes})


def test_propose_copies_the_units_code_and_region_and_dates_it_today() -> None:
    w = World()
    then([], propose(w), w.context, [w.proposed(proposed_on=TODAY)])


def test_a_proposal_can_be_recorded_late_but_not_ahead() -> None:
    w = World()
    late = date(2024, 12, 1)
    then([], propose(w, proposed_on=late), w.context, [w.proposed(proposed_on=late)])
    then([], propose(w, proposed_on=TODAY + timedelta(days=1)), w.context, "date_in_future")


def test_a_proposed_program_starts_at_initial_approach() -> None:
    w = World()
    state = decider.fold([w.proposed()])
    assert state.exists and state.version == 1 and state.status == "active"
    assert (state.stage, state.phase) == (Stage.INITIAL_APPROACH, None)
    assert [(e.stage, e.entered_on, e.by) for e in state.timeline] == [
        (Stage.INITIAL_APPROACH, date(2024, 12, 1), "officer-7")
    ]


def test_proposing_twice_is_a_conflict() -> None:
    w = World()
    assert then([w.proposed()], propose(w), w.context, "program_exists").status == 409


@pytest.mark.parametrize("unit", [None, UnitState()])
def test_the_unit_must_exist(unit: UnitState | None) -> None:
    """An id in the body that names nothing is 422 `unknown_unit` (404 is for the path's id)."""
    w = World()
    error = then([], propose(w), w.ctx(unit=unit), "unknown_unit")
    assert error.status == 422 and error.field == "unit_id"


def test_the_program_ends_after_it_starts() -> None:
    w = World()
    day = date(2025, 3, 1)
    then([], propose(w, starts_on=day, ends_on=day), w.context, "invalid_period")
    then(
        [], propose(w, starts_on=day, ends_on=day - timedelta(days=1)), w.context, "invalid_period"
    )


def test_a_period_of_two_days_is_enough() -> None:
    w = World()
    day = date(2025, 3, 1)
    command = propose(w, starts_on=day, ends_on=day + timedelta(days=1))
    expected = w.proposed(starts_on=day, ends_on=day + timedelta(days=1), proposed_on=TODAY)
    then([], command, w.context, [expected])


@pytest.mark.parametrize("field", ["planned_participants", "planned_sessions"])
def test_planned_counts_are_positive(field: str) -> None:
    w = World()
    assert getattr(propose(w, **{field: 1}), field) == 1
    with pytest.raises(ValidationError):
        propose(w, **{field: 0})


def test_the_lead_is_not_also_a_co_partner() -> None:
    w = World()
    error = then([], propose(w, co_partner_ids=(w.co, w.lead)), w.context, "lead_among_co_partners")
    assert error.details["partner_id"] == str(w.lead)


def test_co_partners_are_named_once() -> None:
    w = World()
    then([], propose(w, co_partner_ids=(w.co, w.co)), w.context, "duplicate_co_partner")
    then(
        [],
        propose(w, co_partner_ids=()),
        w.context,
        [w.proposed(co_partner_ids=(), proposed_on=TODAY)],
    )


def test_unknown_enums_refused() -> None:
    w = World()
    with pytest.raises(ValidationError):
        propose(w, funding_source="lottery")
    with pytest.raises(ValidationError):
        propose(w, track="sports")


EXPIRED = AgreementPeriod(date(2020, 1, 1), TODAY - timedelta(days=1))
NOT_YET = AgreementPeriod(TODAY + timedelta(days=1), date(2030, 1, 1))
ENDS_TODAY = AgreementPeriod(date(2020, 1, 1), TODAY)


@pytest.mark.parametrize("role", ["lead", "co"])
@pytest.mark.parametrize(
    ("facts", "code", "status"),
    [
        (None, "partner_not_yet_known", 409),
        (partner("withdrawn"), "partner_withdrawn", 409),
        (partner("suspended"), "partner_suspended", 409),
        (partner("registered"), "partner_not_verified", 409),
        (partner("verified", EXPIRED), "no_valid_agreement", 409),
        (partner("verified", NOT_YET), "no_valid_agreement", 409),
    ],
)
def test_every_named_partner_must_be_eligible_today(
    role: str, facts: Any, code: str, status: int
) -> None:
    w = World()
    pid = w.lead if role == "lead" else w.co
    error = then([], propose(w), w.with_partner(pid, facts), code)
    assert error.status == status
    assert error.details["partner_id"] == str(pid) and error.details["role"] == role


def test_a_partner_absent_from_the_read_model_is_not_yet_known() -> None:
    w = World()
    error = then([], propose(w), w.ctx(partners={w.lead: partner()}), "partner_not_yet_known")
    assert "not known here yet" in error.message


@pytest.mark.parametrize("role", ["lead", "co"])
def test_once_the_read_model_has_caught_up_a_missing_partner_is_unknown_not_retry(
    role: str,
) -> None:
    w = World()
    pid = w.lead if role == "lead" else w.co
    caught_up = w.ctx(partners={**w.context.partners, pid: None}, partners_complete=True)
    error = then([], propose(w), caught_up, "unknown_partner")
    assert error.status == 422 and error.details == {"partner_id": str(pid), "role": role}
    known = w.ctx(partners_complete=True)  # caught up changes nothing for known partners
    then([], propose(w), known, [w.proposed(proposed_on=TODAY)])


def test_an_agreement_ending_today_is_still_valid_and_any_active_one_will_do() -> None:
    w = World()
    facts = partner("verified", EXPIRED, ENDS_TODAY)
    then([], propose(w), w.with_partner(w.lead, facts), [w.proposed(proposed_on=TODAY)])
