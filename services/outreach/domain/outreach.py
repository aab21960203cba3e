"""The outreach decider: an outreach event is planned and then held, or cancelled; one not
planned may be recorded as held directly. Media coverage is recorded on it.

Decisions a reader should know, with the reason for each:

* The lead and the co-ambassadors must be of the office's region and in term
  on the event's date (`planned_on`, then `held_on`): the framework makes them
  the front line of *their* region. A plan is checked again when held, since
  who led it and when may have changed.
* `held_on` is never in the future; a plan may be for any day.
* Only a planned event can be cancelled; once held or cancelled it stays so
  (409: the caller's idea of it is stale).
* Coverage may be recorded on a planned or held event (announcements count),
  not on a cancelled one; the same link twice on one event is refused
  naming the first record.
"""

from __future__ import annotations

from services.outreach.commands import (
    CancelOutreach,
    HoldOutreach,
    PlanOutreach,
    RecordCoverage,
    RecordHeldOutreach,
)
from services.outreach.domain.ambassadors import check_team
from services.outreach.domain.context import OutreachContext
from services.outreach.domain.coverage import coverage_event
from services.outreach.domain.outreach_state import OutreachState, evolve, initial
from services.outreach.domain.rules import not_future, require_region
from services.outreach.events import OutreachCancelled, OutreachHeld, OutreachPlanned
from shared.decider import Decider, DomainError
from shared.events import Event

OutreachCommand = PlanOutreach | HoldOutreach | RecordHeldOutreach | CancelOutreach | RecordCoverage
"""Every command the outreach decider takes."""


def decide(command: OutreachCommand, state: OutreachState, context: OutreachContext) -> list[Event]:
    """The events an outreach command yields; raises DomainError when refused."""
    match command:
        case PlanOutreach():
            return [_plan(command, state, context)]
        case RecordHeldOutreach():
            return [_record_held(command, state, context)]
        case HoldOutreach():
            return [_hold(command, state, context)]
        case CancelOutreach():
            return [_cancel(command, state, context)]
        case RecordCoverage():
            _require_open(state, "record coverage on")
            region = state.region or context.region
            return [coverage_event(command, state.coverage, context, region=region)]
    raise TypeError(f"not an outreach command: {type(command).__name__}")


def _require_new(state: OutreachState) -> None:
    if state.exists:
        raise DomainError("outreach_exists", "this outreach event is already recorded", status=409)


def _require_exists(state: OutreachState) -> None:
    if not state.exists:
        raise DomainError("outreach_not_found", "no such outreach event", status=404)


def _require_open(state: OutreachState, doing: str) -> None:
    """404 unknown; 409 when cancelled (nothing is recorded on a cancelled event)."""
    _require_exists(state)
    if state.status == "cancelled":
        raise DomainError(
            "outreach_cancelled",
            f"cannot {doing} a cancelled outreach event",
            status=409,
            details={"status": "cancelled"},
        )


def _plan(command: PlanOutreach, state: OutreachState, context: OutreachContext) -> Event:
    _require_new(state)
    region = require_region(context.region)
    check_team(
        context.ambassadors,
        command.lead_ambassador_id,
        command.co_ambassador_ids,
        region=region,
        on=command.planned_on,
        complete=context.ambassadors_complete,
    )
    return OutreachPlanned(**command.model_dump(), region=region, planned_by=context.actor)


def _record_held(
    command: RecordHeldOutreach, state: OutreachState, context: OutreachContext
) -> Event:
    _require_new(state)
    region = require_region(context.region)
    not_future(command.held_on, context.today, "held_on")
    check_team(
        context.ambassadors,
        command.lead_ambassador_id,
        command.co_ambassador_ids,
        region=region,
        on=command.held_on,
        complete=context.ambassadors_complete,
    )
    return OutreachHeld(
        **command.model_dump(), region=region, was_planned=False, recorded_by=context.actor
    )


def _hold(command: HoldOutreach, state: OutreachState, context: OutreachContext) -> Event:
    _require_exists(state)
    plan = state.plan
    if state.status != "planned" or plan is None:
        raise DomainError(
            "outreach_not_planned",
            f"only a planned outreach event can be held; it is {state.status}",
            status=409,
            details={"status": state.status},
        )
    held_on = command.held_on or context.today
    not_future(held_on, context.today, "held_on")
    given = command.model_dump(exclude_none=True, exclude={"held_on", "audience"})
    record = {**plan.model_dump(exclude={"planned_on", "planned_by", "expected_audience"}), **given}
    held = OutreachHeld(
        **record,
        held_on=held_on,
        audience=command.audience,
        was_planned=True,
        recorded_by=context.actor,
    )
    check_team(
        context.ambassadors,
        held.lead_ambassador_id,
        held.co_ambassador_ids,
        region=held.region,
        on=held_on,
        complete=context.ambassadors_complete,
    )
    return held


def _cancel(command: CancelOutreach, state: OutreachState, context: OutreachContext) -> Event:
    _require_exists(state)
    if state.status != "planned" or state.plan is None:
        raise DomainError(
            "outreach_not_planned",
            f"only a planned outreach event can be cancelled; it is {state.status}",
            status=409,
            details={"status": state.status},
        )
    cancelled_on = command.cancelled_on or context.today
    not_future(cancelled_on, context.today, "cancelled_on")
    return OutreachCancelled(
        reason=command.reason, cancelled_on=cancelled_on, cancelled_by=context.actor
    )


decider: Decider[OutreachCommand, OutreachState, OutreachContext] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
