"""Every aggregate's state survives its snapshot: restore(dump(state)) is the state."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.partners.domain import agreement, ambassador, partner
from services.programs.commands_corrections import RecordKind
from services.programs.domain import program, unit
from services.programs.events import ProgramCompleted, ProgramDiscontinued, UnitRegistered
from services.programs.stages import Phase, Stage
from shared.decider import Decider
from tests.unit.partners.test_agreement import SIGNED, TERMINATED
from tests.unit.partners.test_ambassador import APPOINTED
from tests.unit.partners.test_partner import ORG
from tests.unit.programs.given import World
from tests.unit.programs.test_program_corrections import (
    Program,
    evaluated,
    fix_activity,
    held,
    visit,
    void,
)


def programs() -> list[Any]:
    w = World()
    ended = w.at(Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION)
    return [
        [],
        w.at(Stage.CONTINUED_COLLABORATION),
        [*w.at(Stage.CONTINUED_COLLABORATION), held(), held(date(2025, 4, 1))],
        [*ended, ProgramCompleted(completed_on=date(2025, 12, 1), summary="Selesai baik")],
        [*ended, ProgramDiscontinued(discontinued_on=date(2025, 6, 1), reason="Dana habis")],
        corrected(),
    ]


def corrected() -> list[Any]:
    """Every kind of record, corrected and voided: the ledger's union of figures survives."""
    p = Program(held(), visit(3), evaluated(2), at=(Stage.INDEPENDENT_PROGRAM, Phase.EVALUATION))
    first = p.version - 2
    p.add(fix_activity(first, sessions=4))
    p.add(void(RecordKind.MONITORING, first + 1))
    return p.history


@pytest.mark.parametrize(
    "decider, history",
    [(program.decider, h) for h in programs()]
    + [
        (unit.decider, [UnitRegistered(code="LP.A-1", name="Lapas A", type="lapas", region="dki")]),
        (partner.decider, [ORG]),
        (agreement.decider, [SIGNED, TERMINATED]),
        (ambassador.decider, [APPOINTED]),
    ],
)
def test_a_state_restored_from_its_snapshot_is_the_state(
    decider: Decider[Any, Any, Any], history: list[Any]
) -> None:
    state = decider.fold(history)
    restored = decider.restore(decider.dump(state))
    assert restored == state and type(restored) is type(state)
