"""Handlers of the partner commands: register, verify, update the profile, suspend, reinstate.

Each loads the partner once (a registration has nothing to load), decides with
the region's local date, and appends with the version it loaded. Withdrawal,
which also ends the partner's agreements, is in `withdrawal`.
"""

from __future__ import annotations

from uuid import UUID

from services.partners.commands import (
    PartnerCommand,
    RegisterPartner,
    ReinstatePartner,
    SuspendPartner,
    UpdatePartnerProfile,
    VerifyPartner,
)
from services.partners.domain import partner
from shared.commands import Answer, CommandCall, idempotent
from shared.eventstore import Claim

CLAIM_SCOPE = "partner"
"""The claim scope of a partner's identity key (`nik:...` or `org:<region>:<kind>:<name>`)."""


def context(call: CommandCall) -> partner.PartnerContext:
    """A partner decision's context: the region's local date and the region addressed."""
    return partner.PartnerContext(today=call.today(), region=call.region)


@idempotent
async def register_partner(*, call: CommandCall, command: RegisterPartner) -> Answer:
    """Register a partner under a new id, claiming its identity key (DuplicateKeyError if held)."""
    key = partner.uniqueness_key(command, call.region)
    partner_id, loaded = call.start(partner.decider)
    events = partner.decider.decide(command, loaded.state, context(call))
    claims = [Claim(CLAIM_SCOPE, key)]
    return await call.append(partner_id, loaded, events, claims=claims, status=201)


@idempotent
async def update_partner_profile(
    *, call: CommandCall, partner_id: UUID, command: UpdatePartnerProfile
) -> Answer:
    """Change a partner's profile; a renamed organisation claims its new name key and releases
    the old one (another organisation may then register under the old name)."""
    loaded = await call.target(partner.decider, partner_id)
    claims, releases = [], []
    if loaded.state.exists:
        keys = partner.uniqueness_key_for_profile(loaded.state, command)
        if keys is not None:
            releases.append(Claim(CLAIM_SCOPE, keys[0]))
            claims.append(Claim(CLAIM_SCOPE, keys[1]))
    events = partner.decider.decide(command, loaded.state, context(call))
    return await call.append(partner_id, loaded, events, claims=claims, releases=releases)


async def _decide(call: CommandCall, partner_id: UUID, command: PartnerCommand) -> Answer:
    loaded = await call.target(partner.decider, partner_id)
    events = partner.decider.decide(command, loaded.state, context(call))
    return await call.append(partner_id, loaded, events)


@idempotent
async def verify_partner(*, call: CommandCall, partner_id: UUID, command: VerifyPartner) -> Answer:
    """Mark a registered partner verified."""
    return await _decide(call, partner_id, command)


@idempotent
async def suspend_partner(
    *, call: CommandCall, partner_id: UUID, command: SuspendPartner
) -> Answer:
    """Suspend a partner, with the reason."""
    return await _decide(call, partner_id, command)


@idempotent
async def reinstate_partner(
    *, call: CommandCall, partner_id: UUID, command: ReinstatePartner
) -> Answer:
    """Lift a partner's suspension."""
    return await _decide(call, partner_id, command)
