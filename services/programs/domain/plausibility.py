"""Whether an activity's counts are plausible for its program, or need the officer's word.

"Far above the planned number" is more than twice the planned participants *and* at least
10 more than planned: `limit = max(2 × planned, planned + 10)`. Why these numbers:

* The typical slip is a key pressed once too often (250 for 25, 1,200 for 120): ten times
  the plan. Twice the plan catches every such slip with room to spare.
* Real activities do exceed the plan: an open session, a family day, a combined class.
  Up to double is common enough that asking each time would teach officers to tick the
  box without reading; beyond double is rare enough to deserve a second look.
* Small programs swing more: a class of 5 with 15 at its closing ceremony is ordinary, so
  the limit is never less than 10 above the plan.

Above the limit the activity is still recorded when the officer confirms it
(`participants_confirmed: true`), and the event keeps that confirmation, so a reader of the
history sees that the number was checked, not mistyped.
"""

from __future__ import annotations

from services.programs.values import ParticipantCounts
from shared.decider import DomainError

FACTOR = 2
MARGIN = 10


def participants_limit(planned: int) -> int:
    """The most participants an activity may count without a confirmation."""
    return max(FACTOR * planned, planned + MARGIN)


def check_participants(participants: ParticipantCounts, planned: int, confirmed: bool) -> None:
    """422 `participants_implausible` when far above the plan and not confirmed."""
    limit = participants_limit(planned)
    if participants.total > limit and not confirmed:
        raise DomainError(
            "participants_implausible",
            f"{participants.total} participants is far above the {planned} planned (more than "
            f"{limit}); check the counts, or send participants_confirmed: true if they are right",
            field="participants",
            details={
                "participants": participants.total,
                "planned_participants": planned,
                "limit": limit,
            },
        )
