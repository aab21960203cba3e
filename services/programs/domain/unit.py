"""The unit decider: a UPT Pemasyarakatan, registered once by its SDP code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.programs.commands import RegisterUnit
from services.programs.events import UnitRegistered
from services.programs.values import UnitType
from shared.decider import Decider, DomainError
from shared.events import Event, Model


class UnitState(Model):
    """What the unit decider, and program decisions, know about a unit."""

    version: int = 0
    exists: bool = False
    code: str | None = None
    name: str | None = None
    type: UnitType | None = None
    region: str | None = None


State = UnitState


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitContext:
    """What a unit decision needs from the world: today, and the region the service serves.

    `region` None means "any region" (tools and tests); the HTTP API always sets it,
    so a regional office registers only its own units.
    """

    today: date
    region: str | None = None


def initial() -> UnitState:
    """A unit not yet registered."""
    return UnitState()


def evolve(state: UnitState, event: Event) -> UnitState:
    """The unit after `event`; every event counts toward `version`."""
    update: dict[str, object] = {"version": state.version + 1}
    if isinstance(event, UnitRegistered):
        update.update(
            exists=True, code=event.code, name=event.name, type=event.type, region=event.region
        )
    return state.model_copy(update=update)


def decide(
    command: RegisterUnit, state: UnitState, context: UnitContext | None = None
) -> list[Event]:
    """The events a unit command yields; raises DomainError when refused."""
    if state.exists:
        raise DomainError(
            "unit_exists",
            f"unit {state.code} is already registered",
            status=409,
            details={"code": state.code},
        )
    if context is not None and context.region is not None and command.region != context.region:
        raise DomainError(
            "unit_region_mismatch",
            f"this office serves region {context.region}, not {command.region}",
            field="region",
            details={"region": context.region},
        )
    return [
        UnitRegistered(
            code=command.code, name=command.name, type=command.type, region=command.region
        )
    ]


decider: Decider[RegisterUnit, UnitState, UnitContext | None] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
