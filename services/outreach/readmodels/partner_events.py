"""The partners service's events as the outreach service reads them: only the fields it needs.

These are the outreach service's own models of a foreign contract (the wire
types are firm, see DOMAIN.md), not imports of the partners' code. Unknown
fields are ignored, so the partners service may add fields freely; an
ambassador's person (personal data) is not read at all. Events not needed here
are modelled with no fields: received and skipped, never dead-lettered, and
their positions still count, so `X-Partners-Position` can name any position
of the partners log.
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


def reads(event_name: str, aggregate: str) -> Callable[[type[Seen]], type[Seen]]:
    """Bind a model to `pas.partners.<event_name>.v1` and register it."""

    def bind(model: type[Seen]) -> type[Seen]:
        model.TYPE = f"pas.partners.{event_name}.v1"
        model.AGGREGATE = aggregate
        registry.register(model)
        return model

    return bind


@reads("ambassador_appointed", "ambassador")
class AmbassadorAppointed(Seen):
    region: str
    term_starts_on: date
    term_ends_on: date


@reads("ambassador_term_ended", "ambassador")
class AmbassadorTermEnded(Seen):
    """`ended_on` is the last day served (inclusive)."""

    ended_on: date


@reads("partner_registered", "partner")
class PartnerRegistered(Seen):
    """`referral` names the outreach prospect the partner came from, if any."""

    region: str
    referral: UUID | None = None


for _name, _aggregate in (
    ("partner_verified", "partner"),
    ("partner_profile_updated", "partner"),
    ("partner_suspended", "partner"),
    ("partner_reinstated", "partner"),
    ("partner_withdrawn", "partner"),
    ("agreement_signed", "agreement"),
    ("agreement_renewed", "agreement"),
    ("agreement_terminated", "agreement"),
    ("agreement_expired", "agreement"),
):
    reads(_name, _aggregate)(type(f"Skipped_{_name}", (Seen,), {"__doc__": "Not needed here."}))
