"""The agreement sweep: expires agreements whose end date has passed, once, and ends those a
withdrawn partner left active (see handlers/withdrawal).

Exactly once across restarts: the sweep appends with the agreement's expected
version, and the decider returns nothing for an agreement already expired, so
a second sweep (or a second process) cannot raise it again. "Today" is the
region's local date (the last day of an agreement in WIT ends at 15:00 UTC).
"""

from __future__ import annotations

import logging

from services.partners.handlers import expire_agreement, sweep_withdrawn
from services.partners.lookups import active_of_withdrawn, due_to_expire
from shared.commands import CommandMeta
from shared.eventstore import ConcurrencyError, Metadata
from shared.runtime import Job, ServiceRuntime

log = logging.getLogger(__name__)
ACTOR = "system:agreement-expiry"


async def expire_due(runtime: ServiceRuntime) -> int:
    """Expire every active agreement that ended before the region's today; return how many."""
    call = runtime.commands.call(CommandMeta(Metadata(actor=ACTOR)))
    expired = 0
    for agreement_id in await due_to_expire(runtime.pool, call.today()):
        try:
            answer = await expire_agreement(call=call, agreement_id=agreement_id)
        except ConcurrencyError:
            continue  # someone else changed it meanwhile; the next sweep decides again
        expired += len(answer.body["events"])
    if expired:
        log.info("%d agreement(s) expired", expired)
    ended = await sweep_withdrawn(call, await active_of_withdrawn(runtime.pool))
    if ended:
        log.info("%d agreement(s) of withdrawn partners terminated", ended)
    return expired


JOB = Job(name="agreement-expiry", every=60.0, run=expire_due)
