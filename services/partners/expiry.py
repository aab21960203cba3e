"""Raises `agreement_expired` for active agreements whose end date has passed, once.

Exactly once across restarts: the sweep appends with the agreement's expected
version, and the decider returns nothing for an agreement already expired, so
a second sweep (or a second process) cannot raise it again.
"""

from __future__ import annotations

import logging

from services.partners.commands import ExpireAgreement
from services.partners.domain import agreement
from shared.eventstore import ConcurrencyError, Metadata
from shared.runtime import Job, ServiceRuntime

log = logging.getLogger(__name__)
ACTOR = "system:agreement-expiry"


async def expire_due(runtime: ServiceRuntime) -> int:
    """Expire every active agreement that ended before today; return how many."""
    today = runtime.clock().date()
    async with runtime.pool.acquire() as conn:
        due = await conn.fetch(
            "SELECT agreement_id FROM agreements_view WHERE status = 'active' AND ends_on < $1"
            " ORDER BY ends_on LIMIT 1000",
            today,
        )
    expired = 0
    context = agreement.AgreementContext(today=today)
    for row in due:
        try:
            answer = await runtime.commands.execute(
                agreement.decider,
                row["agreement_id"],
                lambda s: agreement.decide(ExpireAgreement(), s, context),
                Metadata(actor=ACTOR),
            )
        except ConcurrencyError:
            continue  # someone else changed it meanwhile; the next sweep decides again
        expired += len(answer.body["events"])
    if expired:
        log.info("%d agreement(s) expired", expired)
    return expired


JOB = Job(name="agreement-expiry", every=60.0, run=expire_due)
