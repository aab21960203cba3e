"""The programs handlers on the in-memory event store: a move dated by the region's own
today (WIT here), the timeline's two dates, corrections naming their record by event id, and
an unknown partner once the read model has caught up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.programs import commands as c
from services.programs import events as ev
from services.programs import handlers as h
from services.programs.commands_corrections import CorrectActivity, RecordKind, VoidRecord
from services.programs.domain import program
from services.programs.domain.program import PartnerFacts
from services.programs.timeline import timeline
from shared.commands import CommandCall, CommandMeta, Commands
from shared.decider import DomainError
from shared.eventstore import InMemoryEventStore, Metadata

from .given import LONG_AGO

# 16:30 UTC on 20 November is already 01:30 on 21 November in Jayapura (WIT, UTC+9).
NOW = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
LOCAL_TODAY = date(2026, 11, 21)
CROWD = {"male_adult": 12, "female_adult": 6}


class Office:
    """The programs command path of Kanwil Papua on the in-memory store."""

    def __init__(self) -> None:
        self.store = InMemoryEventStore(region="papua", service="programs", clock=lambda: NOW)
        self.commands = Commands(
            self.store, ev.registry, clock=lambda: NOW, ids=uuid4, region="papua"
        )
        self.lead = uuid4()
        self.known: dict[UUID, PartnerFacts] = {
            self.lead: PartnerFacts(self.lead, "verified", "papua", (LONG_AGO,), "Yayasan Cendana")
        }

    async def facts(self, ids: Iterable[UUID]) -> Mapping[UUID, PartnerFacts | None]:
        return {pid: self.known.get(pid) for pid in ids}

    def call(self) -> CommandCall:
        return self.commands.call(CommandMeta(Metadata(actor="officer-9"), None, None, ""))

    async def proposed(self, **changes: Any) -> UUID:
        unit = await h.register_unit(
            call=self.call(),
            command=c.RegisterUnit(
                code=f"LP-{uuid4().hex[:6]}", name="Lapas Jayapura", type="lapas", region="papua"
            ),
        )
        body: dict[str, Any] = {
            "title": "Kelas Ukir",
            "unit_id": unit.body["id"],
            "lead_partner_id": self.lead,
            "track": "independence",
            "target_group": "Warga Binaan",
            "planned_participants": 20,
            "planned_sessions": 10,
            "starts_on": date(2026, 10, 1),
            "ends_on": date(2027, 6, 30),
            "funding_source": "partner",
            "proposed_on": date(2026, 11, 1),
            **changes,
        }
        answer = await h.propose_program(
            call=self.call(), command=c.ProposeProgram(**body), partner_facts=self.facts
        )
        return UUID(answer.body["id"])

    async def advance(self, program_id: UUID, on: date | None) -> Any:
        move = c.AdvanceStage(to_stage="continued_collaboration", reason="MoU berjalan", on=on)
        return await h.advance_stage(
            call=self.call(), program_id=program_id, command=move, partner_facts=self.facts
        )


async def test_a_move_may_be_dated_the_regions_today_not_its_tomorrow() -> None:
    office = Office()
    program_id = await office.proposed()
    with pytest.raises(DomainError) as refused:
        await office.advance(program_id, LOCAL_TODAY + timedelta(days=1))
    assert refused.value.code == "date_in_future"
    assert refused.value.details == {"today": "2026-11-21"}  # Jayapura's date, not UTC's 20th
    await office.advance(program_id, LOCAL_TODAY)


async def test_the_timeline_shows_when_a_move_happened_and_when_it_was_recorded() -> None:
    office = Office()
    program_id = await office.proposed()
    await office.advance(program_id, date(2026, 11, 10))
    loaded = await office.commands.load(program.decider, program_id)
    step = timeline(loaded.state, loaded.history, LOCAL_TODAY)[1]
    assert step["entered_on"] == "2026-11-10"
    assert step["recorded_at"].startswith("2026-11-20T16:30")
    assert step["recorded_on"] == "2026-11-21"  # in Jayapura
    with pytest.raises(DomainError) as refused:  # before the previous move: never
        await office.advance(await office.proposed(), date(2026, 10, 31))
    assert refused.value.code == "date_before_previous_step"


async def test_corrections_find_their_record_by_the_event_id_the_officer_was_given() -> None:
    office = Office()
    program_id = await office.proposed()
    await office.advance(program_id, None)
    held = await h.record_activity(
        call=office.call(),
        program_id=program_id,
        command=c.RecordActivity(held_on=LOCAL_TODAY, sessions=2, participants=CROWD),
    )
    first = UUID(held.body["events"][0]["id"])
    fix = CorrectActivity(
        activity_event_id=first,
        held_on=LOCAL_TODAY,
        sessions=3,
        participants=CROWD,
        reason="Sesi salah catat",
    )
    fixed = await h.correct_record(call=office.call(), program_id=program_id, command=fix)
    again = fix.model_copy(
        update={"activity_event_id": UUID(fixed.body["events"][0]["id"]), "sessions": 4}
    )
    await h.correct_record(call=office.call(), program_id=program_id, command=again)
    await h.correct_record(
        call=office.call(),
        program_id=program_id,
        command=VoidRecord(kind=RecordKind.ACTIVITY, record_event_id=first, reason="Batal"),
    )
    stream = await office.store.read_stream(program_id)
    named = [e.data.get("activity_event_id") for e in stream[-3:]]
    assert named == [str(first)] * 3
    assert (await office.commands.load(program.decider, program_id)).state.totals.sessions == 0


async def test_an_unknown_partner_once_caught_up_is_422_not_retry() -> None:
    office = Office()
    office.known.clear()
    unit = await h.register_unit(
        call=office.call(),
        command=c.RegisterUnit(code="LP-X", name="Lapas X", type="lapas", region="papua"),
    )
    body = {
        "title": "T",
        "unit_id": unit.body["id"],
        "lead_partner_id": uuid4(),
        "track": "independence",
        "target_group": "W",
        "planned_participants": 5,
        "planned_sessions": 5,
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2027, 1, 1),
        "funding_source": "partner",
    }
    for complete, code in ((False, "partner_not_yet_known"), (True, "unknown_partner")):
        with pytest.raises(DomainError) as refused:
            await h.propose_program(
                call=office.call(),
                command=c.ProposeProgram(**body),
                partner_facts=office.facts,
                partners_complete=complete,
            )
        assert refused.value.code == code
