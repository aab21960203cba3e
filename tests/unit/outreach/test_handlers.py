"""The outreach handlers on the in-memory event store: each loads what it needs once, takes
"today" in the region's own time zone from the injected clock, appends with the version it
loaded, and answers a retry (same Idempotency-Key) with its first answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.outreach import events as ev
from services.outreach import handlers as h
from services.outreach.commands import (
    ConvertProspect,
    DeclineProspect,
    HoldOutreach,
    IdentifyProspect,
    PlanOutreach,
    RecordCoverage,
)
from services.outreach.domain import outreach, prospect
from services.outreach.domain.ambassadors import AmbassadorFacts
from shared.commands import CommandCall, CommandMeta, Commands
from shared.decider import DomainError
from shared.eventstore import ConcurrencyError, InMemoryEventStore, Metadata

from .given import CONTACT, CROWD, PLACE

# 18:30 UTC on 20 November is already 21 November in Surabaya (WIB, UTC+7).
NOW = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
LOCAL_TODAY = date(2026, 11, 21)


class Office:
    """One office's command path on the in-memory store, with the ambassadors it knows."""

    def __init__(self, region: str = "jatim") -> None:
        self.store = InMemoryEventStore(region=region, service="outreach", clock=lambda: NOW)
        self.commands = Commands(
            self.store, ev.registry, clock=lambda: NOW, ids=uuid4, region=region
        )
        self.lead, self.co = uuid4(), uuid4()
        self.known: dict[UUID, AmbassadorFacts] = {
            aid: AmbassadorFacts(aid, region, date(2025, 1, 1), date(2027, 12, 31))
            for aid in (self.lead, self.co)
        }
        self.asked: list[list[UUID]] = []

    async def ambassadors(self, ids: Iterable[UUID]) -> Mapping[UUID, AmbassadorFacts | None]:
        wanted = list(ids)
        self.asked.append(wanted)
        return {aid: self.known.get(aid) for aid in wanted}

    def call(self, *, key: str | None = None, expected: int | None = None) -> CommandCall:
        meta = CommandMeta(Metadata(actor="officer-7"), expected, key, key or "")
        return self.commands.call(meta)

    async def planned(self) -> UUID:
        command = PlanOutreach(
            title="Sosialisasi",
            lead_ambassador_id=self.lead,
            co_ambassador_ids=(self.co,),
            channel="socialization",
            planned_on=date(2026, 11, 15),
            place=PLACE,
        )
        answer = await h.plan_outreach(
            call=self.call(), command=command, ambassadors=self.ambassadors
        )
        assert answer.status == 201
        return UUID(answer.body["id"])

    async def types(self, stream: UUID) -> list[str]:
        return [e.type.split(".")[2] for e in await self.store.read_stream(stream)]


async def test_plan_hold_and_cover_in_order_with_the_regions_today() -> None:
    office = Office()
    outreach_id = await office.planned()
    held = await h.hold_outreach(
        call=office.call(expected=1),
        outreach_id=outreach_id,
        command=HoldOutreach(audience=CROWD),
        ambassadors=office.ambassadors,
    )
    assert held.body["version"] == 2
    assert office.asked[-1] == [office.lead, office.co]  # the plan's team, looked up once
    cover = RecordCoverage(
        outlet="RRI",
        medium="radio",
        title="Dialog",
        link="https://rri.id/a",
        published_on=LOCAL_TODAY,
        estimated_reach=900,
    )
    await h.record_coverage(call=office.call(), outreach_id=outreach_id, command=cover)
    assert await office.types(outreach_id) == [
        "outreach_planned",
        "outreach_held",
        "media_coverage_recorded",
    ]
    state = (await office.commands.load(outreach.decider, outreach_id)).state
    assert state.held is not None and state.held.held_on == LOCAL_TODAY
    assert state.coverage[0].outreach_id == outreach_id


async def test_if_match_guards_and_a_retry_gets_the_first_answer() -> None:
    office = Office()
    outreach_id = await office.planned()
    with pytest.raises(ConcurrencyError):
        await h.hold_outreach(
            call=office.call(expected=5),
            outreach_id=outreach_id,
            command=HoldOutreach(audience=CROWD),
            ambassadors=office.ambassadors,
        )
    first = await h.hold_outreach(
        call=office.call(key="k-1"),
        outreach_id=outreach_id,
        command=HoldOutreach(audience=CROWD),
        ambassadors=office.ambassadors,
    )
    again = await h.hold_outreach(
        call=office.call(key="k-1"),
        outreach_id=outreach_id,
        command=HoldOutreach(audience=CROWD),
        ambassadors=office.ambassadors,
    )
    assert again.replayed and again.body == first.body
    assert await office.types(outreach_id) == ["outreach_planned", "outreach_held"]


async def test_an_ambassador_not_seen_yet_and_unknown_once_caught_up() -> None:
    office = Office()
    del office.known[office.co]
    command = PlanOutreach(
        title="x",
        lead_ambassador_id=office.lead,
        co_ambassador_ids=(office.co,),
        channel="seminar",
        planned_on=date(2026, 11, 15),
        place=PLACE,
    )
    for caught_up, code in ((False, "ambassador_not_yet_known"), (True, "unknown_ambassador")):
        with pytest.raises(DomainError) as refused:
            await h.plan_outreach(
                call=office.call(),
                command=command,
                ambassadors=office.ambassadors,
                caught_up=caught_up,
            )
        assert refused.value.code == code


async def identify(office: Office, outreach_id: UUID) -> UUID:
    command = IdentifyProspect(
        outreach_id=outreach_id,
        ambassador_id=office.lead,
        kind="business",
        name="CV Maju Bersama",
        contact=CONTACT,
    )
    answer = await h.identify_prospect(
        call=office.call(), command=command, ambassadors=office.ambassadors
    )
    return UUID(answer.body["id"])


async def test_a_prospect_is_met_only_at_a_held_event_loaded_from_the_log() -> None:
    office = Office()
    outreach_id = await office.planned()
    with pytest.raises(DomainError) as refused:
        await identify(office, outreach_id)
    assert refused.value.code == "outreach_not_held"
    await h.hold_outreach(
        call=office.call(),
        outreach_id=outreach_id,
        command=HoldOutreach(audience=CROWD),
        ambassadors=office.ambassadors,
    )
    prospect_id = await identify(office, outreach_id)
    state = (await office.commands.load(prospect.decider, prospect_id)).state
    assert state.identified is not None and state.identified.identified_on == LOCAL_TODAY


async def test_conversion_is_recorded_once_per_partner_event() -> None:
    office = Office()
    outreach_id = await office.planned()
    await h.hold_outreach(
        call=office.call(),
        outreach_id=outreach_id,
        command=HoldOutreach(audience=CROWD),
        ambassadors=office.ambassadors,
    )
    prospect_id = await identify(office, outreach_id)
    cause: dict[str, Any] = {
        "partner_id": uuid4(),
        "partner_event_id": uuid4(),
        "converted_on": LOCAL_TODAY,
    }
    key = f"reaction:test:{cause['partner_event_id']}"
    first = await h.convert_prospect(
        call=office.call(key=key), prospect_id=prospect_id, command=ConvertProspect(**cause)
    )
    replayed = await h.convert_prospect(
        call=office.call(key=key), prospect_id=prospect_id, command=ConvertProspect(**cause)
    )
    unkeyed = await h.convert_prospect(
        call=office.call(), prospect_id=prospect_id, command=ConvertProspect(**cause)
    )
    assert replayed.replayed and replayed.body == first.body
    assert unkeyed.body["events"] == []  # the decider knows this cause already
    assert await office.types(prospect_id) == ["prospect_identified", "prospect_converted"]
    with pytest.raises(DomainError) as refused:
        await h.decline_prospect(
            call=office.call(), prospect_id=prospect_id, command=DeclineProspect(reason="x")
        )
    assert refused.value.code == "prospect_closed"
