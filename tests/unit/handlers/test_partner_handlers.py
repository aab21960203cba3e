"""The command path of the partners service on the in-memory store: claims (taken, released),
agreement numbers, and the agreements a withdrawal ends."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest

from services.partners import events as partner_events
from services.partners import handlers
from services.partners.commands import (
    RegisterPartner,
    SignAgreement,
    UpdatePartnerProfile,
    VerifyPartner,
    WithdrawPartner,
)
from services.partners.domain import agreement
from services.partners.values import Contact, Instrument, PartnerKind, SignedLevel, Track
from shared.commands import CommandCall, CommandMeta, Commands
from shared.eventstore import DuplicateKeyError, InMemoryEventStore, Metadata

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
ACTOR = "budi@kanwil-jatim"
_IDS = (uuid.UUID(int=n) for n in itertools.count(1))


def call(store: InMemoryEventStore) -> CommandCall:
    path = Commands(
        store, partner_events.registry, clock=lambda: NOW, ids=lambda: next(_IDS), region="jatim"
    )
    return path.call(CommandMeta(Metadata(actor=ACTOR)))


def organisation(name: str) -> RegisterPartner:
    return RegisterPartner(
        kind=PartnerKind.COMMUNITY_ORGANIZATION,
        name=name,
        contact=Contact(email="a@b.id"),
        interests=(Track.INDEPENDENCE,),
    )


def sign(partner_id: uuid.UUID, number: str, **changes: Any) -> SignAgreement:
    data: dict[str, Any] = dict(
        partner_id=partner_id,
        instrument=Instrument.MOU,
        number=number,
        scope="Pelatihan",
        signed_level=SignedLevel.KANWIL,
        starts_on=date(2026, 1, 15),
        ends_on=date(2028, 1, 14),
    )
    return SignAgreement(**(data | changes))


async def verified(store: InMemoryEventStore, name: str) -> uuid.UUID:
    answer = await handlers.register_partner(call=call(store), command=organisation(name))
    partner_id = uuid.UUID(answer.body["id"])
    await handlers.verify_partner(call=call(store), partner_id=partner_id, command=VerifyPartner())
    return partner_id


async def test_a_duplicate_name_is_refused_until_the_holder_is_renamed() -> None:
    store = InMemoryEventStore(region="jatim", service="partners", clock=lambda: NOW)
    first = await verified(store, "Yayasan Maju")
    with pytest.raises(DuplicateKeyError) as refused:
        await handlers.register_partner(call=call(store), command=organisation("YAYASAN MAJU"))
    assert refused.value.holder == first
    await handlers.update_partner_profile(
        call=call(store), partner_id=first, command=UpdatePartnerProfile(name="Yayasan Maju Jaya")
    )
    second = await handlers.register_partner(call=call(store), command=organisation("Yayasan Maju"))
    assert second.status == 201


async def test_agreement_numbers_are_claimed_per_instrument_and_level() -> None:
    store = InMemoryEventStore(region="jatim", service="partners", clock=lambda: NOW)
    partner_id = await verified(store, "Yayasan Maju")
    first = await handlers.sign_agreement(call=call(store), command=sign(partner_id, "W-1/2026"))
    with pytest.raises(DuplicateKeyError) as refused:
        await handlers.sign_agreement(call=call(store), command=sign(partner_id, " w-1/2026"))
    assert str(refused.value.holder) == first.body["id"]
    other_level = sign(partner_id, "W-1/2026", signed_level=SignedLevel.DITJENPAS)
    assert (await handlers.sign_agreement(call=call(store), command=other_level)).status == 201
    assert agreement.number_key(sign(partner_id, "A  b")) == "mou:kanwil:a b"


async def test_withdrawal_terminates_each_active_agreement() -> None:
    store = InMemoryEventStore(region="jatim", service="partners", clock=lambda: NOW)
    partner_id = await verified(store, "Yayasan Maju")
    signed = [
        uuid.UUID(
            (await handlers.sign_agreement(call=call(store), command=sign(partner_id, n))).body[
                "id"
            ]
        )
        for n in ("A-1", "A-2")
    ]

    async def active(pid: uuid.UUID) -> Sequence[uuid.UUID]:
        assert pid == partner_id
        return signed

    answer = await handlers.withdraw_partner(
        call=call(store),
        partner_id=partner_id,
        command=WithdrawPartner(reason="Bubar"),
        active_agreements=active,
    )
    withdrawn_id = answer.body["events"][0]["id"]
    for agreement_id in signed:
        last = (await store.read_stream(agreement_id))[-1]
        assert last.type == "pas.partners.agreement_terminated.v1"
        assert last.data == {
            "partner_id": str(partner_id),
            "reason": "partner_withdrawn: Bubar",
            "effective_on": "2026-03-02",
        }
        assert (last.causationid, last.actor) == (withdrawn_id, ACTOR)
    # a second sweep finds nothing left to end
    assert await handlers.sweep_withdrawn(call(store), [(partner_id, signed[0])]) == 0
