"""Handlers of the agreement commands: sign, renew, terminate, expire.

Signing and renewing read the agreement's partner too (once each): only a
partner in good standing signs or renews. Agreement numbers are claimed per
instrument and signing level, so a number is used once (DuplicateKeyError).
"""

from __future__ import annotations

from uuid import UUID

from services.partners.commands import (
    ExpireAgreement,
    RenewAgreement,
    SignAgreement,
    TerminateAgreement,
)
from services.partners.domain import agreement, partner
from shared.commands import Answer, CommandCall, idempotent
from shared.eventstore import Claim

NUMBER_SCOPE = "agreement_number"
"""The claim scope of an agreement's number (`<instrument>:<signed level>:<number>`)."""


async def _partner(call: CommandCall, partner_id: UUID | None) -> partner.State | None:
    """The partner's state; None when unknown."""
    if partner_id is None:
        return None
    loaded = await call.load(partner.decider, partner_id)
    return loaded.state if loaded.state.exists else None


@idempotent
async def sign_agreement(*, call: CommandCall, command: SignAgreement) -> Answer:
    """Record a signed MoU or PKS under a new id, claiming its number."""
    agreement_id, loaded = call.start(agreement.decider)
    signer = await _partner(call, command.partner_id)
    context = agreement.AgreementContext(today=call.today(), partner=signer)
    events = agreement.decider.decide(command, loaded.state, context)
    claims = [Claim(NUMBER_SCOPE, agreement.number_key(command))]
    return await call.append(agreement_id, loaded, events, claims=claims, status=201)


@idempotent
async def renew_agreement(
    *, call: CommandCall, agreement_id: UUID, command: RenewAgreement
) -> Answer:
    """Extend an active agreement to a later end date."""
    loaded = await call.target(agreement.decider, agreement_id)
    signer = await _partner(call, loaded.state.partner_id)
    context = agreement.AgreementContext(today=call.today(), partner=signer)
    events = agreement.decider.decide(command, loaded.state, context)
    return await call.append(agreement_id, loaded, events)


@idempotent
async def terminate_agreement(
    *, call: CommandCall, agreement_id: UUID, command: TerminateAgreement
) -> Answer:
    """End an active agreement early, with the reason."""
    loaded = await call.target(agreement.decider, agreement_id)
    context = agreement.AgreementContext(today=call.today())
    events = agreement.decider.decide(command, loaded.state, context)
    return await call.append(agreement_id, loaded, events)


async def expire_agreement(*, call: CommandCall, agreement_id: UUID) -> Answer:
    """Expire an agreement whose end date has passed in the region; nothing otherwise."""
    loaded = await call.target(agreement.decider, agreement_id)
    context = agreement.AgreementContext(today=call.today())
    events = agreement.decider.decide(ExpireAgreement(), loaded.state, context)
    return await call.append(agreement_id, loaded, events)
