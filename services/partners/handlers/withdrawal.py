"""Withdrawing a partner, and the end of its agreements that follows from it.

A withdrawn partner holds no agreement: each active one gets its own
`agreement_terminated` (reason: the withdrawal, caused by the `partner_withdrawn`
event). Where that reaction lives, and why: in the withdraw handler, right
after `partner_withdrawn` is appended, not in a consumer of our own events.
The partner's agreements are in this service's `agreements_view`, written in
the same transaction as their events, so the handler finds every active one at
once; and the officer's answer comes after they are ended, so listing the
partner's agreements right away shows them terminated (a consumer would end
them some time later). The appends are one per stream, not one transaction:
were the process to stop between them, `sweep_withdrawn` (run with the expiry
sweep) ends what is left, so the rule holds in the end either way.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from services.partners.commands import TerminateAgreement, WithdrawPartner
from services.partners.domain import agreement, partner
from services.partners.events import PartnerWithdrawn
from services.partners.handlers.partners import context
from services.partners.values import AgreementStatus
from shared.commands import Answer, CommandCall, idempotent
from shared.eventstore import ConcurrencyError, Metadata

log = logging.getLogger(__name__)

ActiveAgreements = Callable[[UUID], Awaitable[Sequence[UUID]]]
"""The ids of a partner's active agreements (the service's agreements view)."""

ATTEMPTS = 3
"""How often a termination is decided again when its agreement changed meanwhile."""


@idempotent
async def withdraw_partner(
    *,
    call: CommandCall,
    partner_id: UUID,
    command: WithdrawPartner,
    active_agreements: ActiveAgreements,
) -> Answer:
    """Withdraw a partner for good, then terminate each of its active agreements."""
    loaded = await call.target(partner.decider, partner_id)
    events = partner.decider.decide(command, loaded.state, context(call))
    answer = await call.append(partner_id, loaded, events)
    if answer.body["events"]:
        withdrawn_id = answer.body["events"][0]["id"]
        caused = Metadata(
            actor=call.metadata.actor,
            correlation_id=call.metadata.correlation_id or withdrawn_id,
            causation_id=withdrawn_id,
        )
        for agreement_id in await active_agreements(partner_id):
            await terminate_for_withdrawal(call, agreement_id, command.reason, caused)
    return answer


def termination_reason(withdrawal_reason: str) -> str:
    """The reason an agreement ended by a withdrawal carries."""
    return f"partner_withdrawn: {withdrawal_reason}"


async def terminate_for_withdrawal(
    call: CommandCall, agreement_id: UUID, withdrawal_reason: str, metadata: Metadata
) -> bool:
    """Terminate one active agreement of a withdrawn partner; whether it was.

    Effective today, or on its first day when it has not started yet (it never
    becomes valid). An agreement whose last day has already passed is left to
    expire. Decided again when the agreement changed meanwhile.
    """
    for _ in range(ATTEMPTS):
        loaded = await call.load(agreement.decider, agreement_id)
        state, today = loaded.state, call.today()
        if state.status is not AgreementStatus.ACTIVE or state.starts_on is None:
            return False
        if state.ends_on is None or state.ends_on < today:
            return False
        command = TerminateAgreement(
            reason=termination_reason(withdrawal_reason),
            effective_on=max(today, state.starts_on),
        )
        decided = agreement.decider.decide(command, state, agreement.AgreementContext(today=today))
        try:
            await call.append(agreement_id, loaded, decided, metadata=metadata, answers=False)
        except ConcurrencyError:
            continue
        return True
    log.warning("agreement %s changed %d times while terminating it; sweep", agreement_id, ATTEMPTS)
    return False


async def sweep_withdrawn(call: CommandCall, pairs: Sequence[tuple[UUID, UUID]]) -> int:
    """Terminate active agreements of withdrawn partners left behind; how many were.

    `pairs` are (partner id, agreement id) from the views. The withdrawal's reason
    and event id come from the partner's stream.
    """
    ended = 0
    for partner_id, agreement_id in pairs:
        history = await call.commands.store.read_stream(partner_id)
        recorded = [e for e in history if e.type == PartnerWithdrawn.TYPE]
        if not recorded:
            continue
        event = call.commands.registry.load_json(recorded[-1].type, recorded[-1].data_json)
        assert isinstance(event, PartnerWithdrawn)
        caused = Metadata(
            actor=call.metadata.actor,
            correlation_id=recorded[-1].id,
            causation_id=recorded[-1].id,
        )
        ended += await terminate_for_withdrawal(call, agreement_id, event.reason, caused)
    return ended
