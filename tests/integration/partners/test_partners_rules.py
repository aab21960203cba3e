"""The partner rules issue 2 left open (issue 6 item 6), and "today" as the region's local date.

Through the HTTP API against real NATS and PostgreSQL, each test in its own database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from services.partners.commands import WithdrawPartner
from services.partners.expiry import expire_due
from services.partners.handlers import withdraw_partner
from shared.commands import CommandMeta
from shared.eventstore import Metadata
from shared.settings import Settings
from tests.integration.partners.kit import (
    HEADERS,
    TODAY,
    FakeClock,
    assert_problem,
    history,
    mou,
    organisation,
    partners_app,
    verified,
)

pytestmark = pytest.mark.integration


async def sign(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    response = await client.post("/agreements", json=body, headers=HEADERS)
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def test_agreement_numbers_are_unique_per_instrument_and_signing_level(
    client: httpx.AsyncClient,
) -> None:
    partner_id = await verified(client, organisation())
    first = await sign(client, mou(partner_id, number="W15-PK.01.05-123"))

    again = await client.post(
        "/agreements", json=mou(partner_id, number="w15-pk.01.05-123 "), headers=HEADERS
    )
    body = assert_problem(again, 409, "duplicate_agreement_number", field="number")
    assert body["details"]["existing_agreement_id"] == first
    assert first in body["detail"] and "Nomor perjanjian" in body["detail"]
    other = await verified(client, organisation("Yayasan Lain"))
    assert_problem(
        await client.post(
            "/agreements", json=mou(other, number="W15-PK.01.05-123"), headers=HEADERS
        ),
        409,
        "duplicate_agreement_number",
    )

    # the same number at another level, or of another instrument, is another document
    await sign(client, mou(partner_id, number="W15-PK.01.05-123", signed_level="ditjenpas"))
    await sign(
        client,
        mou(
            partner_id,
            number="W15-PK.01.05-123",
            instrument="pks",
            signed_level="upt",
            unit_code="LP-SBY-01",
        ),
    )
    listed = (await client.get("/agreements", params={"partner_id": partner_id})).json()
    assert listed["total"] == 3


async def test_withdrawing_a_partner_terminates_each_active_agreement(
    client: httpx.AsyncClient,
) -> None:
    partner_id = await verified(client, organisation())
    running = await sign(client, mou(partner_id, number="A-1"))
    later = await sign(
        client,
        mou(
            partner_id,
            number="A-2",
            starts_on=TODAY + timedelta(days=30),
            ends_on=TODAY + timedelta(days=400),
        ),
    )
    ended = await sign(client, mou(partner_id, number="A-3"))
    await client.post(
        f"/agreements/{ended}/terminate", json={"reason": "Selesai lebih awal"}, headers=HEADERS
    )
    someone_else = await sign(
        client, mou(await verified(client, organisation("Lain")), number="A-4")
    )

    withdrawn = await client.post(
        f"/partners/{partner_id}/withdraw", json={"reason": "Yayasan dibubarkan"}, headers=HEADERS
    )
    assert withdrawn.status_code == 200, withdrawn.text
    answer = withdrawn.json()
    assert [e["type"] for e in answer["events"]] == ["pas.partners.partner_withdrawn.v1"]

    for agreement_id, effective_on in ((running, TODAY), (later, TODAY + timedelta(days=30))):
        entries = await history(client, f"/agreements/{agreement_id}")
        last = entries[-1]
        assert [e["type"].split(".")[2] for e in entries] == [
            "agreement_signed",
            "agreement_terminated",
        ]
        assert last["data"] == {
            "partner_id": partner_id,
            "reason": "partner_withdrawn: Yayasan dibubarkan",
            "effective_on": effective_on.isoformat(),
        }
        assert last["actor"] == HEADERS["X-Actor"]
    assert len(await history(client, f"/agreements/{ended}")) == 2  # terminated before, once
    assert len(await history(client, f"/agreements/{someone_else}")) == 1
    listed = (
        await client.get("/agreements", params={"partner_id": partner_id, "status": "active"})
    ).json()
    assert listed["total"] == 0

    again = await client.post(
        f"/partners/{partner_id}/withdraw", json={"reason": "Yayasan dibubarkan"}, headers=HEADERS
    )
    assert_problem(again, 409, "already_withdrawn")


async def test_the_sweep_ends_agreements_a_withdrawal_left_active(settings: Settings) -> None:
    async with partners_app(settings) as (client, app):
        partner_id = await verified(client, organisation())
        agreement_id = await sign(client, mou(partner_id, number="S-1"))
        runtime = app.state.runtime

        async def none_found(_: UUID) -> list[UUID]:
            return []  # as if the process stopped right after partner_withdrawn

        call = runtime.commands.call(CommandMeta(Metadata(actor="officer")))
        await withdraw_partner(
            call=call,
            partner_id=UUID(partner_id),
            command=WithdrawPartner(reason="Pindah domisili"),
            active_agreements=none_found,
        )
        assert len(await history(client, f"/agreements/{agreement_id}")) == 1
        assert await expire_due(runtime) == 0  # none expired; the leftover is terminated
        entries = await history(client, f"/agreements/{agreement_id}")
        assert entries[-1]["data"]["reason"] == "partner_withdrawn: Pindah domisili"
        await expire_due(runtime)
        assert len(await history(client, f"/agreements/{agreement_id}")) == 2


async def test_expiry_follows_the_regions_date_not_utcs(settings: Settings) -> None:
    """jatim is WIB (UTC+7): at 17:30 UTC on an agreement's last day it is already the next day."""
    assert settings.region == "jatim"
    clock = FakeClock()
    async with partners_app(settings, clock) as (client, app):
        partner_id = await verified(client, organisation())
        ends_on = TODAY + timedelta(days=3)
        agreement_id = await sign(client, mou(partner_id, ends_on=ends_on))
        runtime = app.state.runtime
        clock.now = datetime(ends_on.year, ends_on.month, ends_on.day, 16, 59, tzinfo=UTC)
        assert await expire_due(runtime) == 0  # 23:59 WIB, still the last day
        expiring = (await client.get("/agreements/expiring", params={"within_days": 0})).json()
        assert [a["days_left"] for a in expiring["items"]] == [0]
        clock.now = datetime(ends_on.year, ends_on.month, ends_on.day, 17, 30, tzinfo=UTC)
        assert await expire_due(runtime) == 1  # 00:30 WIB the next day
        doc = (await client.get(f"/agreements/{agreement_id}")).json()
        assert doc["state"]["status"] == "expired"


async def test_default_dates_are_the_regions_today(settings: Settings) -> None:
    clock = FakeClock()
    clock.now = datetime(TODAY.year, TODAY.month, TODAY.day, 18, 0, tzinfo=UTC)  # 01:00 WIB
    async with partners_app(settings, clock) as (client, _):
        partner_id = await verified(client, organisation())
        agreement_id = await sign(client, mou(partner_id))
        ended = await client.post(
            f"/agreements/{agreement_id}/terminate",
            json={"reason": "Mitra meminta"},
            headers=HEADERS,
        )
        assert ended.status_code == 200, ended.text
        last = (await history(client, f"/agreements/{agreement_id}"))[-1]
        assert last["data"]["effective_on"] == (TODAY + timedelta(days=1)).isoformat()


async def test_a_renamed_organisation_releases_its_old_name(client: httpx.AsyncClient) -> None:
    first = await verified(client, organisation("Yayasan Bina Insan"))
    renamed = await client.post(
        f"/partners/{first}/profile", json={"name": "Yayasan Bina Insani"}, headers=HEADERS
    )
    assert renamed.status_code == 200, renamed.text
    # the old name is free: another organisation of that name registers
    second = await client.post(
        "/partners", json=organisation("Yayasan Bina Insan"), headers=HEADERS
    )
    assert second.status_code == 201, second.text
    # and the first cannot take its old name back, now someone else's
    back = await client.post(
        f"/partners/{first}/profile", json={"name": "YAYASAN BINA INSAN"}, headers=HEADERS
    )
    body = assert_problem(back, 409, "duplicate_partner")
    assert body["existing_partner_id"] == second.json()["id"]
    # the new name stays claimed
    again = await client.post(
        "/partners", json=organisation("Yayasan Bina Insani"), headers=HEADERS
    )
    assert assert_problem(again, 409, "duplicate_partner")["existing_partner_id"] == first
