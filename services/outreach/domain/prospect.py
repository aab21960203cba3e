"""The prospect decider: someone met at an outreach event who may become a partner.

Decisions a reader should know, with the reason for each:

* A prospect is identified at an outreach event that was *held* in this
  office's region, on or after the day it was held, by an ambassador of that
  region in term on the day of identification.
* Declining is recorded once, on or after the day of identification; a
  converted prospect cannot decline any more.
* Conversion is the system's, never an officer's: the reaction to the
  partners service's `partner_registered` naming the prospect as referral
  issues ConvertProspect. The same partner event again changes nothing (no
  events: delivery may repeat); a second, different partner naming an
  already converted prospect is refused (409, naming the first partner) and
  listed as an unmatched referral. A prospect who declined and registers
  after all converts: the registration is what happened.
"""

from __future__ import annotations

from typing import Literal

from services.outreach.commands import ConvertProspect, DeclineProspect, IdentifyProspect
from services.outreach.domain.ambassadors import check_ambassador
from services.outreach.domain.context import OutreachContext
from services.outreach.domain.rules import not_before, not_future, require_region
from services.outreach.events import ProspectConverted, ProspectDeclined, ProspectIdentified
from shared.decider import Decider, DomainError
from shared.events import Event, Model

ProspectStatus = Literal["identified", "declined", "converted"]
ProspectCommand = IdentifyProspect | DeclineProspect | ConvertProspect


class ProspectState(Model):
    """What the prospect decider knows about one prospect."""

    version: int = 0
    identified: ProspectIdentified | None = None
    declined: ProspectDeclined | None = None
    converted: ProspectConverted | None = None

    @property
    def exists(self) -> bool:
        return self.identified is not None

    @property
    def status(self) -> ProspectStatus | None:
        if self.converted is not None:
            return "converted"
        if self.declined is not None:
            return "declined"
        return "identified" if self.identified is not None else None


def initial() -> ProspectState:
    """A prospect not yet identified."""
    return ProspectState()


def evolve(state: ProspectState, event: Event) -> ProspectState:
    """The prospect after `event`; every event counts toward `version`."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case ProspectIdentified():
            update["identified"] = event
        case ProspectDeclined():
            update["declined"] = event
        case ProspectConverted():
            update["converted"] = event
    return state.model_copy(update=update)


def decide(command: ProspectCommand, state: ProspectState, context: OutreachContext) -> list[Event]:
    """The events a prospect command yields; raises DomainError when refused."""
    match command:
        case IdentifyProspect():
            return [_identify(command, state, context)]
        case DeclineProspect():
            return [_decline(command, state, context)]
        case ConvertProspect():
            return _convert(command, state)
    raise TypeError(f"not a prospect command: {type(command).__name__}")


def _require_exists(state: ProspectState) -> ProspectIdentified:
    if state.identified is None:
        raise DomainError("prospect_not_found", "no such prospect", status=404)
    return state.identified


def _identify(
    command: IdentifyProspect, state: ProspectState, context: OutreachContext
) -> ProspectIdentified:
    if state.exists:
        raise DomainError("prospect_exists", "this prospect is already identified", status=409)
    region = require_region(context.region)
    outreach = context.outreach
    details = {"outreach_id": str(command.outreach_id)}
    if outreach is None or not outreach.exists:
        raise DomainError(
            "unknown_outreach",
            "there is no outreach event with this id",
            field="outreach_id",
            details=details,
        )
    if outreach.region != region:
        raise DomainError(
            "outreach_other_region",
            f"the outreach event was held in {outreach.region}, "
            f"not in this office's region {region}",
            field="outreach_id",
            details={**details, "outreach_region": outreach.region, "region": region},
        )
    held_on = outreach.held_on
    if held_on is None:
        raise DomainError(
            "outreach_not_held",
            f"prospects are met at a held outreach event; this one is {outreach.status}",
            status=409,
            field="outreach_id",
            details={**details, "status": outreach.status},
        )
    identified_on = command.identified_on or context.today
    not_future(identified_on, context.today, "identified_on")
    not_before(identified_on, held_on, "identified_on", what="the outreach event")
    check_ambassador(
        context.ambassadors,
        command.ambassador_id,
        region=region,
        on=identified_on,
        role="identifier",
        field_name="ambassador_id",
        complete=context.ambassadors_complete,
    )
    return ProspectIdentified(
        **command.model_dump(exclude={"identified_on"}),
        region=region,
        identified_on=identified_on,
        identified_by=context.actor,
    )


def _decline(
    command: DeclineProspect, state: ProspectState, context: OutreachContext
) -> ProspectDeclined:
    identified = _require_exists(state)
    if state.status != "identified":
        raise DomainError(
            "prospect_closed",
            f"the prospect is already {state.status}",
            status=409,
            details={"status": state.status},
        )
    declined_on = command.declined_on or context.today
    not_future(declined_on, context.today, "declined_on")
    not_before(declined_on, identified.identified_on, "declined_on", what="the identification")
    return ProspectDeclined(
        reason=command.reason, declined_on=declined_on, recorded_by=context.actor
    )


def _convert(command: ConvertProspect, state: ProspectState) -> list[Event]:
    _require_exists(state)
    done = state.converted
    if done is not None:
        if done.partner_event_id == command.partner_event_id:
            return []  # the same partner event again: already recorded
        raise DomainError(
            "prospect_already_converted",
            f"the prospect already became partner {done.partner_id}",
            status=409,
            details={
                "partner_id": str(done.partner_id),
                "partner_event_id": str(done.partner_event_id),
            },
        )
    return [
        ProspectConverted(
            partner_id=command.partner_id,
            partner_event_id=command.partner_event_id,
            converted_on=command.converted_on,
        )
    ]


decider: Decider[ProspectCommand, ProspectState, OutreachContext] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
__all__ = ["ProspectState", "decide", "decider", "evolve", "initial"]
