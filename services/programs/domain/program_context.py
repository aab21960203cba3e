"""What a program decision learns from the world: today, the unit, and partner facts.

Partner facts come from the partners service's events through a read model in
the programs service, so they may lag: a partner id the read model has not seen
is "not yet known" (409, try again), unless the read model has caught up with
the partners position the caller sent: then it is "unknown partner" (422).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple
from uuid import UUID

from services.programs.domain.unit import UnitState
from shared.decider import DomainError

PartnerStatus = Literal["registered", "verified", "suspended", "withdrawn"]


class AgreementPeriod(NamedTuple):
    """The validity of one active agreement (MoU or PKS), both ends inclusive."""

    starts_on: date
    ends_on: date


@dataclass(frozen=True, slots=True)
class PartnerFacts:
    """A partner as the programs read model knows it.

    `agreements` holds the periods the partner's agreements were or are valid:
    an active one from its start to its (renewed) end, an expired one over its
    whole period, a terminated one up to the day before it stopped being valid.
    So a move dated in the past is judged by the agreement valid on that date.
    """

    partner_id: UUID
    status: PartnerStatus
    region: str
    agreements: tuple[AgreementPeriod, ...] = ()
    name: str | None = None  # an organisation's name; None for an individual

    def agreement_valid_on(self, day: date) -> bool:
        """Whether an active agreement covers `day`."""
        return any(period.starts_on <= day <= period.ends_on for period in self.agreements)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramContext:
    """Everything a program decision needs besides the command and the program's state.

    `actor` is the staff account acting (it goes into `proposed_by`,
    `advanced_by`, `recorded_by`, `evaluated_by`). `unit` is the program's
    unit state (only `ProposeProgram` reads it). `partners` maps every partner
    id the command concerns to its facts; a missing key or None means the read
    model has not seen that partner yet. `partners_complete` says the read model
    has applied every partner change the caller relies on (it waited for the
    position the caller sent): then a partner it does not know does not exist,
    422 `unknown_partner`, instead of 409 "not yet known, retry".
    `event_versions` maps the CloudEvent id of each event in the program's stream
    to the program version it made (corrections name records by event id).
    """

    today: date
    actor: str
    unit: UnitState | None = None
    partners: Mapping[UUID, PartnerFacts | None] = field(default_factory=dict)
    partners_complete: bool = False
    event_versions: Mapping[str, int] = field(default_factory=dict)


def check_partner(
    context: ProgramContext, partner_id: UUID, *, role: str, on: date, field_name: str
) -> None:
    """Refuse unless the partner is known, verified, neither suspended nor withdrawn, and
    has an agreement valid on `on`.

    Checks run in that order, so the error names the most basic problem.
    """
    facts = context.partners.get(partner_id)
    details: dict[str, object] = {"partner_id": str(partner_id), "role": role}
    if facts is None and context.partners_complete:
        raise DomainError(
            "unknown_partner",
            f"there is no partner {partner_id}",
            field=field_name,
            details=details,
        )
    if facts is None:
        raise DomainError(
            "partner_not_yet_known",
            f"partner {partner_id} is not known here yet; if it was just registered, retry shortly",
            status=409,
            field=field_name,
            details=details,
        )
    if facts.name is not None:
        details["partner_name"] = facts.name  # the name beside the id, for the officer
    if facts.status == "withdrawn":
        raise DomainError(
            "partner_withdrawn",
            f"partner {partner_id} has withdrawn",
            status=409,
            field=field_name,
            details=details,
        )
    if facts.status == "suspended":
        raise DomainError(
            "partner_suspended",
            f"partner {partner_id} is suspended",
            status=409,
            field=field_name,
            details=details,
        )
    if facts.status != "verified":
        raise DomainError(
            "partner_not_verified",
            f"partner {partner_id} is not verified yet",
            status=409,
            field=field_name,
            details=details,
        )
    if not facts.agreement_valid_on(on):
        raise DomainError(
            "no_valid_agreement",
            f"partner {partner_id} has no agreement valid on {on.isoformat()}",
            status=409,
            field=field_name,
            details={**details, "on": on.isoformat()},
        )
