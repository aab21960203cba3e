"""The partner aggregate as a decider: registration, verification, profile and status.

Status machine: registered -> verified; registered/verified -> suspended -> back to
the status before; any but withdrawn -> withdrawn, which is final. Refusals that
depend on the current status are 409 (verifying twice is `already_verified`, not a
silent no-op: the caller learns that nothing happened); bad values are 422.
Identity rules and the uniqueness keys for duplicates are in `identity` (re-exported).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.partners.commands import (
    PartnerCommand,
    RegisterPartner,
    ReinstatePartner,
    SuspendPartner,
    UpdatePartnerProfile,
    VerifyPartner,
    WithdrawPartner,
)
from services.partners.domain import require_region
from services.partners.domain.identity import check_identity, check_individual
from services.partners.domain.identity import normalise_name as normalise_name
from services.partners.domain.identity import uniqueness_key as uniqueness_key
from services.partners.domain.identity import (
    uniqueness_key_for_profile as uniqueness_key_for_profile,
)
from services.partners.events import (
    PartnerProfileUpdated,
    PartnerRegistered,
    PartnerReinstated,
    PartnerSuspended,
    PartnerVerified,
    PartnerWithdrawn,
)
from services.partners.values import Contact, PartnerKind, PartnerStatus, Track
from shared.decider import Decider, DomainError
from shared.events import Event, Model


class State(Model):
    """What decisions about one partner need; `status` is None before registration."""

    version: int = 0
    status: PartnerStatus | None = None
    kind: PartnerKind | None = None
    region: str = ""
    name: str | None = None
    contact: Contact | None = None
    interests: tuple[Track, ...] = ()
    status_before_suspension: PartnerStatus | None = None

    @property
    def exists(self) -> bool:
        return self.status is not None


@dataclass(frozen=True)
class PartnerContext:
    """What a partner decision needs from outside: the date and the region addressed."""

    today: date
    region: str


def initial() -> State:
    """A partner not yet registered."""
    return State()


def evolve(state: State, event: Event) -> State:
    """The partner after `event`; every event counts one version."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case PartnerRegistered():
            update |= dict(status=PartnerStatus.REGISTERED, kind=event.kind, region=event.region)
            update |= dict(name=event.name, contact=event.contact, interests=event.interests)
        case PartnerVerified():
            update["status"] = PartnerStatus.VERIFIED
        case PartnerProfileUpdated():
            for key in ("name", "contact", "interests"):
                if (value := getattr(event, key)) is not None:
                    update[key] = value
        case PartnerSuspended():
            update |= dict(status=PartnerStatus.SUSPENDED, status_before_suspension=state.status)
        case PartnerReinstated():
            update |= dict(status=event.status, status_before_suspension=None)
        case PartnerWithdrawn():
            update["status"] = PartnerStatus.WITHDRAWN
    return state.model_copy(update=update)


def decide(command: PartnerCommand, state: State, context: PartnerContext) -> list[Event]:
    """The events `command` causes on this partner, or a DomainError."""
    if isinstance(command, RegisterPartner):
        return _register(command, state, context)
    if not state.exists:
        raise DomainError("partner_not_found", "no such partner", status=404)
    if state.status is PartnerStatus.WITHDRAWN:
        code = "already_withdrawn" if isinstance(command, WithdrawPartner) else "partner_withdrawn"
        raise DomainError(code, "the partner has withdrawn; nothing can change it", status=409)
    match command:
        case VerifyPartner():
            if state.status is PartnerStatus.SUSPENDED:
                raise DomainError("partner_suspended", "reinstate the partner first", status=409)
            if state.status is PartnerStatus.VERIFIED:
                raise DomainError("already_verified", "the partner is already verified", status=409)
            return [PartnerVerified()]
        case UpdatePartnerProfile():
            return _update_profile(command, state)
        case SuspendPartner():
            if state.status is PartnerStatus.SUSPENDED:
                raise DomainError(
                    "already_suspended", "the partner is already suspended", status=409
                )
            return [PartnerSuspended(reason=command.reason)]
        case ReinstatePartner():
            if (
                state.status is not PartnerStatus.SUSPENDED
                or state.status_before_suspension is None
            ):
                raise DomainError(
                    "not_suspended", "only a suspended partner can be reinstated", status=409
                )
            return [PartnerReinstated(status=state.status_before_suspension)]
        case WithdrawPartner():
            return [PartnerWithdrawn(reason=command.reason)]
    raise TypeError(f"not a partner command: {command!r}")


def _register(command: RegisterPartner, state: State, context: PartnerContext) -> list[Event]:
    if state.exists:
        raise DomainError("partner_exists", "this partner is already registered", status=409)
    require_region(context.region)
    check_identity(command)
    return [
        PartnerRegistered(
            kind=command.kind,
            name=command.name,
            nik=command.nik,
            region=context.region,
            contact=command.contact,
            interests=command.interests,
            referral=command.referral,
        )
    ]


def _update_profile(command: UpdatePartnerProfile, state: State) -> list[Event]:
    if command.name is None and command.contact is None and command.interests is None:
        raise DomainError("empty_update", "give at least one of name, contact, interests")
    if state.kind is PartnerKind.INDIVIDUAL:
        check_individual(command.name, command.contact)
    changed: dict[str, Any] = {
        key: value
        for key, value in (
            ("name", command.name),
            ("contact", command.contact),
            ("interests", command.interests),
        )
        if value is not None and value != getattr(state, key)
    }
    # Nothing differs: an idempotent retry, so no event rather than an error.
    return [PartnerProfileUpdated(**changed)] if changed else []


decider: Decider[PartnerCommand, State, PartnerContext] = Decider(
    initial=initial, evolve=evolve, decide=decide
)
