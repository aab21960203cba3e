"""The partners service's events as the programs service reads them: only the fields it needs.

These are the programs service's own models of a foreign contract (the wire
types are firm, see DOMAIN.md), not imports of the partners' code. Unknown
fields are ignored, so the partners service may add fields freely. Events the
programs service does not need (ambassadors) are modelled
with no fields at all: they are received and skipped, never dead-lettered, and
the runner still records their positions, so `X-Partners-Position` can name
any position of the partners log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from pydantic import ConfigDict

from shared.events import Event, EventRegistry

registry = EventRegistry()
"""Every event type of the partners service (first versions), as read here."""


class Seen(Event):
    """A partners event as read here: immutable, extra fields ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


def reads(event_name: str, aggregate: str = "partner") -> Callable[[type[Seen]], type[Seen]]:
    """Bind a model to `pas.partners.<event_name>.v1` and register it."""

    def bind(model: type[Seen]) -> type[Seen]:
        model.TYPE = f"pas.partners.{event_name}.v1"
        model.AGGREGATE = aggregate
        registry.register(model)
        return model

    return bind


@reads("partner_registered")
class Registered(Seen):
    """`name` is an organisation's name; an individual has none (theirs is personal data)."""

    region: str
    kind: str
    name: str | None = None


@reads("partner_profile_updated")
class ProfileUpdated(Seen):
    """`name` when the organisation's name changed, else None."""

    name: str | None = None


@reads("partner_verified")
class Verified(Seen):
    pass


@reads("partner_suspended")
class Suspended(Seen):
    pass


@reads("partner_reinstated")
class Reinstated(Seen):
    """`status` is the status the partner returns to (registered or verified)."""

    status: str


@reads("partner_withdrawn")
class Withdrawn(Seen):
    pass


@reads("agreement_signed", "agreement")
class Signed(Seen):
    partner_id: UUID
    starts_on: date
    ends_on: date


@reads("agreement_renewed", "agreement")
class Renewed(Seen):
    ends_on: date


@reads("agreement_terminated", "agreement")
class Terminated(Seen):
    """No longer valid from `effective_on` (inclusive)."""

    effective_on: date


@reads("agreement_expired", "agreement")
class Expired(Seen):
    pass


class Skipped(Seen):
    """Base of the partners events received but not needed here."""


@reads("ambassador_appointed", "ambassador")
class AmbassadorAppointed(Skipped):
    pass


@reads("ambassador_term_ended", "ambassador")
class AmbassadorTermEnded(Skipped):
    pass
