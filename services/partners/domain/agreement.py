"""The agreement aggregate as a decider: an MoU or PKS from signing to its end.

Only a partner in good standing (verified, not suspended or withdrawn) signs or
renews; the handler loads that partner's State into the context. An active
agreement ends by termination or by expiry; `ExpireAgreement` is safe to send any
number of times (the sweeper's way in): it fires once, when `ends_on` has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from services.partners.commands import (
    AgreementCommand,
    ExpireAgreement,
    RenewAgreement,
    SignAgreement,
    TerminateAgreement,
)
from services.partners.domain.partner import State as PartnerState
from services.partners.events import (
    AgreementExpired,
    AgreementRenewed,
    AgreementSigned,
    AgreementTerminated,
)
from services.partners.values import AgreementStatus, Instrument, PartnerStatus, SignedLevel
from shared.decider import Decider, DomainError
from shared.events import Event, Model

LEVELS: dict[Instrument, frozenset[SignedLevel]] = {
    Instrument.MOU: frozenset({SignedLevel.DITJENPAS, SignedLevel.KANWIL}),
    Instrument.PKS: frozenset({SignedLevel.DITJENPAS, SignedLevel.UPT}),
}
"""Who signs which instrument: an MoU the minister or a Kanwil head, a PKS the DG or a UPT head."""


class State(Model):
    """What decisions about one agreement need; `status` is None before signing."""

    version: int = 0
    status: AgreementStatus | None = None
    partner_id: UUID | None = None
    instrument: Instrument | None = None
    signed_level: SignedLevel | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    terminated_from: date | None = None

    @property
    def exists(self) -> bool:
        return self.status is not None


@dataclass(frozen=True)
class AgreementContext:
    """What an agreement decision needs from outside.

    `partner` is the State of the agreement's partner; required to sign or renew
    (None there means the partner is unknown), ignored otherwise.
    """

    today: date
    partner: PartnerState | None = None


def initial() -> State:
    """An agreement not yet signed."""
    return State()


def evolve(state: State, event: Event) -> State:
    """The agreement after `event`; every event counts one version."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case AgreementSigned():
            kept = {"partner_id", "instrument", "signed_level", "starts_on", "ends_on"}
            update |= {key: getattr(event, key) for key in kept}
            update["status"] = AgreementStatus.ACTIVE
        case AgreementRenewed():
            update["ends_on"] = event.ends_on
        case AgreementTerminated():
            update |= dict(status=AgreementStatus.TERMINATED, terminated_from=event.effective_on)
        case AgreementExpired():
            update["status"] = AgreementStatus.EXPIRED
    return state.model_copy(update=update)


def number_key(command: SignAgreement) -> str:
    """The key an agreement number is unique by: `<instrument>:<signed level>:<number>`.

    One number names one document of an instrument at a signing level; case and runs
    of spaces are not part of it ("pas-1/2026" is "PAS-1/2026"). The handler claims it.
    """
    number = " ".join(command.number.split()).casefold()
    return f"{command.instrument.value}:{command.signed_level.value}:{number}"


def is_valid_on(state: State, day: date) -> bool:
    """Whether the agreement was (or is) in force on `day`.

    For an active agreement this is starts_on <= day <= ends_on. It also answers
    for the past: an expired agreement was valid in its period, a terminated one
    until the day before `effective_on` (so also during a notice period).
    """
    if state.starts_on is None or state.ends_on is None:
        return False
    last = state.ends_on
    if state.terminated_from is not None:
        last = min(last, state.terminated_from - timedelta(days=1))
    return state.starts_on <= day <= last


def decide(command: AgreementCommand, state: State, context: AgreementContext) -> list[Event]:
    """The events `command` causes on this agreement, or a DomainError."""
    if isinstance(command, SignAgreement):
        return _sign(command, state, context)
    if not state.exists:
        raise DomainError("agreement_not_found", "no such agreement", status=404)
    assert (
        state.partner_id is not None and state.starts_on is not None and state.ends_on is not None
    )
    if isinstance(command, ExpireAgreement):
        if state.status is not AgreementStatus.ACTIVE or state.ends_on >= context.today:
            return []
        return [AgreementExpired(partner_id=state.partner_id, ends_on=state.ends_on)]
    if state.status is not AgreementStatus.ACTIVE:
        raise DomainError("agreement_not_active", f"the agreement is {state.status}", status=409)
    match command:
        case RenewAgreement():
            _require_good_standing(context.partner)
            if command.ends_on <= state.ends_on:
                msg = f"the agreement already runs until {state.ends_on}"
                raise DomainError("ends_on_not_later", msg, field="ends_on")
            _require_not_past(command.ends_on, context.today)
            renewed = AgreementRenewed(
                partner_id=state.partner_id, previous_ends_on=state.ends_on, ends_on=command.ends_on
            )
            return [renewed]
        case TerminateAgreement():
            effective_on = command.effective_on or context.today
            if not state.starts_on <= effective_on <= state.ends_on:
                msg = f"effective_on must be between {state.starts_on} and {state.ends_on}"
                raise DomainError("invalid_effective_on", msg, field="effective_on")
            terminated = AgreementTerminated(
                partner_id=state.partner_id, reason=command.reason, effective_on=effective_on
            )
            return [terminated]
    raise TypeError(f"not an agreement command: {command!r}")


def _sign(command: SignAgreement, state: State, context: AgreementContext) -> list[Event]:
    if state.exists:
        raise DomainError("agreement_exists", "this agreement is already signed", status=409)
    _require_good_standing(context.partner)
    if command.ends_on <= command.starts_on:
        raise DomainError("invalid_period", "ends_on must be after starts_on", field="ends_on")
    _require_not_past(command.ends_on, context.today)
    if command.signed_level not in LEVELS[command.instrument]:
        allowed = " or ".join(sorted(LEVELS[command.instrument]))
        msg = f"a {command.instrument} is signed at {allowed} level"
        raise DomainError("signed_level_mismatch", msg, field="signed_level")
    if (command.signed_level is SignedLevel.UPT) != (command.unit_code is not None):
        code = "unit_code_required" if command.unit_code is None else "unit_code_not_allowed"
        msg = "unit_code names the UPT of an upt-level agreement, and only then"
        raise DomainError(code, msg, field="unit_code")
    return [AgreementSigned(**command.model_dump())]


_NOT_IN_GOOD_STANDING = {
    PartnerStatus.WITHDRAWN: ("partner_withdrawn", "the partner has withdrawn"),
    PartnerStatus.SUSPENDED: ("partner_suspended", "the partner is suspended"),
    PartnerStatus.REGISTERED: ("partner_not_verified", "verify the partner first"),
}


def _require_good_standing(state: PartnerState | None) -> None:
    if state is None or state.status is None:
        raise DomainError("unknown_partner", "no such partner", field="partner_id")
    if state.status in _NOT_IN_GOOD_STANDING:
        code, msg = _NOT_IN_GOOD_STANDING[state.status]
        raise DomainError(code, msg, status=409, field="partner_id")


def _require_not_past(ends_on: date, today: date) -> None:
    if ends_on < today:
        msg = f"ends_on {ends_on} has already passed"
        raise DomainError("ends_on_in_past", msg, field="ends_on")


decider: Decider[AgreementCommand, State, AgreementContext] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
