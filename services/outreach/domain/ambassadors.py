"""What an outreach decision knows of ambassadors, and the one rule about them.

Ambassadors are appointed in the partners service; the outreach service learns
them from its events through a read model, so it may lag: an id the read
model has not seen is "not yet known" (409, retry), never "does not exist".
Only an ambassador appointed in the same region and in term on the day may
lead an outreach event, take part in it or identify a prospect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.decider import DomainError


@dataclass(frozen=True, slots=True)
class AmbassadorFacts:
    """An ambassador as the read model knows it; `ended_on` is the last day served."""

    ambassador_id: UUID
    region: str
    term_starts_on: date
    term_ends_on: date
    ended_on: date | None = None

    @property
    def last_day(self) -> date:
        """The last day of the term: its planned end, or the day it ended early."""
        if self.ended_on is None:
            return self.term_ends_on
        return min(self.ended_on, self.term_ends_on)


Ambassadors = Mapping[UUID, AmbassadorFacts | None]
"""What the read model knows of each ambassador a command names; None: not seen yet."""


def check_ambassador(
    ambassadors: Ambassadors,
    ambassador_id: UUID,
    *,
    region: str,
    on: date,
    role: str,
    field_name: str,
    complete: bool = False,
) -> None:
    """Refuse unless the ambassador is known, of `region`, and in term on `on`, naming why.

    `complete` says the read model has caught up with the partners position the caller
    sent: an ambassador it does not know then does not exist (422 `unknown_ambassador`).
    """
    facts = ambassadors.get(ambassador_id)
    details: dict[str, object] = {"ambassador_id": str(ambassador_id), "role": role}
    if facts is None and complete:
        raise DomainError(
            "unknown_ambassador",
            f"there is no ambassador {ambassador_id}",
            field=field_name,
            details=details,
        )
    if facts is None:
        raise DomainError(
            "ambassador_not_yet_known",
            f"ambassador {ambassador_id} is not known here yet; if just appointed, retry shortly",
            status=409,
            field=field_name,
            details=details,
        )
    if facts.region != region:
        raise DomainError(
            "ambassador_other_region",
            f"ambassador {ambassador_id} serves region {facts.region}, not {region}",
            field=field_name,
            details={**details, "ambassador_region": facts.region, "region": region},
        )
    if on < facts.term_starts_on:
        raise DomainError(
            "ambassador_term_not_begun",
            f"ambassador {ambassador_id}'s term begins on {facts.term_starts_on.isoformat()}, "
            f"after {on.isoformat()}",
            field=field_name,
            details={
                **details,
                "term_starts_on": facts.term_starts_on.isoformat(),
                "on": on.isoformat(),
            },
        )
    if on > facts.last_day:
        raise DomainError(
            "ambassador_term_ended",
            f"ambassador {ambassador_id}'s term ended on {facts.last_day.isoformat()}, "
            f"before {on.isoformat()}",
            field=field_name,
            details={**details, "term_ended_on": facts.last_day.isoformat(), "on": on.isoformat()},
        )


def check_team(
    ambassadors: Ambassadors,
    lead: UUID,
    co: tuple[UUID, ...],
    *,
    region: str,
    on: date,
    complete: bool = False,
) -> None:
    """The lead and every co-ambassador: named once each, and each eligible on `on`."""
    if lead in co:
        raise DomainError(
            "lead_among_co_ambassadors",
            "the lead ambassador cannot also be a co-ambassador",
            field="co_ambassador_ids",
            details={"ambassador_id": str(lead)},
        )
    if len(set(co)) != len(co):
        twice = next(a for a in co if co.count(a) > 1)
        raise DomainError(
            "duplicate_co_ambassador",
            "a co-ambassador is named twice",
            field="co_ambassador_ids",
            details={"ambassador_id": str(twice)},
        )
    check_ambassador(
        ambassadors,
        lead,
        region=region,
        on=on,
        role="lead",
        field_name="lead_ambassador_id",
        complete=complete,
    )
    for other in co:
        check_ambassador(
            ambassadors,
            other,
            region=region,
            on=on,
            role="co",
            field_name="co_ambassador_ids",
            complete=complete,
        )
