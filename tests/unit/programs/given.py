"""Given/when/then for the programs deciders, and builders of typical histories and contexts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.programs.commands import RegisterUnit
from services.programs.domain import program, unit
from services.programs.domain.program import AgreementPeriod, PartnerFacts, ProgramContext
from services.programs.events import ProgramProposed, ProgramStageAdvanced, UnitRegistered
from services.programs.stages import STEPS, Phase, Stage
from shared.decider import DomainError
from shared.events import Event

TODAY = date(2025, 11, 20)
ACTOR = "officer-7"
LONG_AGO = AgreementPeriod(date(2024, 1, 1), date(2028, 12, 31))


def then(given: Sequence[Event], when: Any, context: Any, expect: Sequence[Event] | str) -> Any:
    """Fold `given`, decide `when`; assert the events, or the error code when `expect` is a str.

    Returns the events, or the DomainError so a test can look at its details.
    """
    module = unit if isinstance(when, RegisterUnit) else program
    state = module.decider.fold(given)
    if isinstance(expect, str):
        with pytest.raises(DomainError) as caught:
            module.decide(when, state, context)
        assert caught.value.code == expect, caught.value.message
        return caught.value
    events = module.decide(when, state, context)
    assert events == list(expect)
    module.decider.fold(events, state)  # what was decided must fold
    return events


def event_id(version: int) -> UUID:
    """The (made-up) CloudEvent id of the event that made a program's `version`."""
    return UUID(int=version)


def event_versions(history: Sequence[Event]) -> dict[str, int]:
    """What a handler puts in the context: each event's id -> the version it made."""
    return {str(event_id(n)): n for n in range(1, len(history) + 1)}


def partner(
    status: str = "verified", *periods: AgreementPeriod, pid: UUID | None = None
) -> PartnerFacts:
    """Facts about a partner, by default verified with an agreement valid 2024–2028."""
    return PartnerFacts(
        partner_id=pid or uuid4(),
        status=status,  # type: ignore[arg-type]
        region="dki",
        agreements=periods or (LONG_AGO,),
    )


class World:
    """One program's surroundings: its unit, lead and co-partner, all eligible."""

    def __init__(self) -> None:
        self.unit_id, self.lead, self.co = uuid4(), uuid4(), uuid4()
        self.unit = unit.decider.fold(
            [
                UnitRegistered(
                    code="LP.CIPINANG-1", name="Lapas Cipinang", type="lapas", region="dki"
                )
            ]
        )
        self.context = ProgramContext(
            today=TODAY,
            actor=ACTOR,
            unit=self.unit,
            partners={self.lead: partner(pid=self.lead), self.co: partner(pid=self.co)},
        )

    def ctx(self, **changes: Any) -> ProgramContext:
        """The context with some fields replaced."""
        return replace(self.context, **changes)

    def with_partner(self, pid: UUID, facts: PartnerFacts | None) -> ProgramContext:
        """The context with one partner's facts replaced."""
        return self.ctx(partners={**self.context.partners, pid: facts})

    def proposed(self, **changes: Any) -> ProgramProposed:
        """The `program_proposed` of a typical program, Jan–Dec 2025."""
        data: dict[str, Any] = {
            "title": "Pelatihan barista",
            "unit_id": self.unit_id,
            "unit_code": "LP.CIPINANG-1",
            "region": "dki",
            "lead_partner_id": self.lead,
            "co_partner_ids": (self.co,),
            "track": "independence",
            "target_group": "adult male inmates",
            "planned_participants": 30,
            "planned_sessions": 12,
            "starts_on": date(2025, 1, 1),
            "ends_on": date(2025, 12, 31),
            "funding_source": "csr",
            "proposed_on": date(2024, 12, 1),
            "proposed_by": ACTOR,
        }
        return ProgramProposed(**{**data, **changes})

    def at(self, stage: Stage, phase: Phase | None = None) -> list[Event]:
        """A history that proposed the program and walked it to `(stage, phase)`."""
        history: list[Event] = [self.proposed()]
        target = STEPS.index((stage, phase))
        for step, (before, after) in enumerate(zip(STEPS, STEPS[1:], strict=False)):
            if step >= target:
                break
            history.append(moved(before, after, date(2025, 1, 1 + step)))
        return history


def moved(
    before: tuple[Stage, Phase | None], after: tuple[Stage, Phase | None], on: date
) -> ProgramStageAdvanced:
    """A `program_stage_advanced` from one position to another."""
    return ProgramStageAdvanced(
        from_stage=before[0],
        from_phase=before[1],
        to_stage=after[0],
        to_phase=after[1],
        reason="ready",
        evidence=("doc-1",),
        advanced_by=ACTOR,
        on=on,
    )
