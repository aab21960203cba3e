"""The ambassador aggregate as a decider: an ambassador's term, from appointment to its end.

A term ends once: `term_completed` on or after its last day (`ended_on` is then
`term_ends_on`), or `early` on a day before it. `ended_on` is the last day served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.partners.commands import AmbassadorCommand, AppointAmbassador, EndAmbassadorTerm
from services.partners.domain import require_region
from services.partners.events import AmbassadorAppointed, AmbassadorTermEnded
from services.partners.values import Person, TermEndReason
from shared.decider import Decider, DomainError
from shared.events import Event, Model


class State(Model):
    """What decisions about one ambassador need; `exists` is False before appointment."""

    version: int = 0
    exists: bool = False
    person: Person | None = None
    region: str = ""
    term_starts_on: date | None = None
    term_ends_on: date | None = None
    ended_on: date | None = None
    end_reason: TermEndReason | None = None


@dataclass(frozen=True)
class AmbassadorContext:
    """What an ambassador decision needs from outside: the date and the region addressed."""

    today: date
    region: str


def initial() -> State:
    """An ambassador not yet appointed."""
    return State()


def evolve(state: State, event: Event) -> State:
    """The ambassador after `event`; every event counts one version."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case AmbassadorAppointed():
            update |= dict(exists=True, person=event.person, region=event.region)
            update |= dict(term_starts_on=event.term_starts_on, term_ends_on=event.term_ends_on)
        case AmbassadorTermEnded():
            update |= dict(ended_on=event.ended_on, end_reason=event.reason)
    return state.model_copy(update=update)


def is_serving_on(state: State, day: date) -> bool:
    """Whether the ambassador was (or is) serving on `day`: inside the term and not yet ended."""
    if state.term_starts_on is None or state.term_ends_on is None:
        return False
    last = state.term_ends_on if state.ended_on is None else min(state.ended_on, state.term_ends_on)
    return state.term_starts_on <= day <= last


def decide(command: AmbassadorCommand, state: State, context: AmbassadorContext) -> list[Event]:
    """The events `command` causes on this ambassador, or a DomainError."""
    match command:
        case AppointAmbassador():
            if state.exists:
                raise DomainError(
                    "ambassador_exists", "this ambassador is already appointed", status=409
                )
            require_region(context.region)
            if command.term_ends_on <= command.term_starts_on:
                msg = "term_ends_on must be after term_starts_on"
                raise DomainError("invalid_term", msg, field="term_ends_on")
            appointed = AmbassadorAppointed(
                person=command.person,
                region=context.region,
                term_starts_on=command.term_starts_on,
                term_ends_on=command.term_ends_on,
            )
            return [appointed]
        case EndAmbassadorTerm():
            return [_end_term(command, state, context)]
    raise TypeError(f"not an ambassador command: {command!r}")


def _end_term(command: EndAmbassadorTerm, state: State, context: AmbassadorContext) -> Event:
    if not state.exists:
        raise DomainError("ambassador_not_found", "no such ambassador", status=404)
    if state.ended_on is not None:
        raise DomainError("term_already_ended", f"the term ended on {state.ended_on}", status=409)
    assert state.term_starts_on is not None and state.term_ends_on is not None
    if command.reason is TermEndReason.TERM_COMPLETED:
        if context.today < state.term_ends_on:
            msg = f"the term runs until {state.term_ends_on}; end it early instead"
            raise DomainError("term_not_over", msg, field="reason")
        if command.ended_on not in (None, state.term_ends_on):
            msg = f"a completed term ends on its last day, {state.term_ends_on}"
            raise DomainError("invalid_ended_on", msg, field="ended_on")
        return AmbassadorTermEnded(ended_on=state.term_ends_on, reason=command.reason)
    ended_on = command.ended_on or context.today
    if not state.term_starts_on <= ended_on < state.term_ends_on:
        msg = f"an early end falls from {state.term_starts_on} to before {state.term_ends_on}"
        raise DomainError("invalid_ended_on", msg, field="ended_on")
    return AmbassadorTermEnded(ended_on=ended_on, reason=command.reason)


decider: Decider[AmbassadorCommand, State, AmbassadorContext] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
