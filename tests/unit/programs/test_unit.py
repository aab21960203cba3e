"""The unit decider: register once, with a valid code, type and region."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.programs.commands import RegisterUnit
from services.programs.domain.unit import UnitContext, decider
from services.programs.events import UnitRegistered

from .given import then

CONTEXT = UnitContext(today=date(2025, 11, 20))
REGISTER = RegisterUnit(
    code="LPKA.Bandung", name="LPKA Kelas II Bandung", type="lpka", region="jabar"
)
REGISTERED = UnitRegistered(
    code="LPKA.Bandung", name="LPKA Kelas II Bandung", type="lpka", region="jabar"
)


def test_register_a_new_unit() -> None:
    then([], REGISTER, CONTEXT, [REGISTERED])


def test_registering_an_existing_unit_is_a_conflict() -> None:
    error = then([REGISTERED], REGISTER, CONTEXT, "unit_exists")
    assert error.status == 409


def test_state_after_registration() -> None:
    state = decider.fold([REGISTERED])
    assert state.exists and state.version == 1
    assert (state.code, state.type, state.region) == ("LPKA.Bandung", "lpka", "jabar")
    assert not decider.fold([]).exists


@pytest.mark.parametrize("code", ["ab", "LP-01", "rutan.salemba_2", "A" * 40])
def test_codes_accepted(code: str) -> None:
    assert RegisterUnit(code=code, name="x", type="rutan", region="dki").code == code


@pytest.mark.parametrize("code", ["a", "-ab", "ab cd", "A" * 41, "lapas/1", ""])
def test_codes_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        RegisterUnit(code=code, name="x", type="rutan", region="dki")


@pytest.mark.parametrize("type_", ["lapas", "rutan", "lpka", "bapas", "rupbasan", "lpp"])
def test_unit_types_accepted(type_: str) -> None:
    assert RegisterUnit(code="U1", name="x", type=type_, region="dki").type == type_


def test_unknown_unit_type_and_region_refused() -> None:
    with pytest.raises(ValidationError):
        RegisterUnit(code="U1", name="x", type="prison", region="dki")
    with pytest.raises(ValidationError):
        RegisterUnit(code="U1", name="x", type="lapas", region="atlantis")
    with pytest.raises(ValidationError):
        UnitRegistered(code="U1", name="x", type="lapas", region="Jawa Barat")


def test_blank_name_refused() -> None:
    with pytest.raises(ValidationError):
        RegisterUnit(code="U1", name="  ", type="lapas", region="dki")


def test_a_unit_of_another_region_is_refused() -> None:
    error = then(
        [], REGISTER, UnitContext(today=date(2025, 11, 20), region="dki"), "unit_region_mismatch"
    )
    assert error.status == 422 and error.field == "region"


def test_a_unit_of_the_office_region_is_registered() -> None:
    then([], REGISTER, UnitContext(today=date(2025, 11, 20), region="jabar"), [REGISTERED])
