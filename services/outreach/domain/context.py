"""What an outreach or prospect decision learns from the world besides its command and state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.outreach.domain.ambassadors import Ambassadors
from services.outreach.domain.outreach_state import OutreachState


@dataclass(frozen=True, slots=True, kw_only=True)
class OutreachContext:
    """Today in the region (its own time zone), the staff account acting, the office's
    region, and the facts about every ambassador the command names (see ambassadors.py).

    `ambassadors_complete`: the read model has caught up with the partners position the
    caller sent, so an ambassador it does not know does not exist (422, not 409).
    `outreach_id` is the outreach event the command concerns (coverage names it; None for
    a media campaign), `outreach` its state where a prospect was met (IdentifyProspect).
    """

    today: date
    actor: str
    region: str
    ambassadors: Ambassadors = field(default_factory=dict)
    ambassadors_complete: bool = False
    outreach_id: UUID | None = None
    outreach: OutreachState | None = None
