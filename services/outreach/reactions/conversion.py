"""Conversion, done by the system: a partner registered with `referral` = a prospect id
makes that prospect `prospect_converted`, once.

The partners service's `partner_registered` reaches this reaction through the
shared projection runner (shared/reactions.py says why it happens exactly
once: the command's idempotency key is the partner event's id). A referral
that converts nothing — no such prospect here, or a prospect another partner
already converted — is listed in `unmatched_referrals` with the partner and
the reason, for officers. A referral to an id unknown here from a partner of
another region is left alone: that region's outreach service lists it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from services.outreach.commands import ConvertProspect
from services.outreach.handlers import convert_prospect
from services.outreach.readmodels import partner_events as pe
from shared.decider import DomainError
from shared.envelope import SUBJECT_ROOT
from shared.events import EventRegistry
from shared.reactions import Reaction
from shared.readmodel import Delivered
from shared.regions import local_date

SCHEMA = """
CREATE TABLE IF NOT EXISTS unmatched_referrals (
    partner_event_id uuid PRIMARY KEY,
    partner_id       uuid NOT NULL,
    partner_region   text NOT NULL,
    referral         uuid NOT NULL,
    reason           text NOT NULL,
    details          text NOT NULL,
    registered_at    text NOT NULL
);
CREATE INDEX IF NOT EXISTS unmatched_referrals_time ON unmatched_referrals (registered_at);
"""

_UNMATCHED = (
    "INSERT INTO unmatched_referrals VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"
)
_REASONS = {"prospect_not_found": "unknown_prospect"}


class ProspectConversion(Reaction):
    """partner_registered with a referral in, ConvertProspect out (or an unmatched referral)."""

    name = "outreach_prospect_conversion"
    subjects: Sequence[str] = (f"{SUBJECT_ROOT}.*.partners.partner_registered",)
    schema = SCHEMA
    tables = ("unmatched_referrals",)
    registry: EventRegistry = EventRegistry([pe.PartnerRegistered])
    actor = "system:outreach-conversion"

    def __init__(self, region: str) -> None:
        self.region = region

    async def react(self, conn: asyncpg.Connection, item: Delivered) -> None:
        event, cause = item.event, item.recorded
        assert isinstance(event, pe.PartnerRegistered)
        if event.referral is None:
            return
        converted_on = local_date(event.region, datetime.fromisoformat(cause.time))
        command = ConvertProspect(
            partner_id=cause.subject, partner_event_id=cause.id, converted_on=converted_on
        )
        try:
            await convert_prospect(
                call=self.call_for(item), prospect_id=event.referral, command=command
            )
        except DomainError as refused:
            if refused.code == "prospect_not_found" and event.region != self.region:
                return  # another region's prospect, or its own unmatched referral
            details = json.dumps({**refused.details, "message": refused.message})
            await conn.execute(
                _UNMATCHED,
                cause.id,
                cause.subject,
                event.region,
                event.referral,
                _REASONS.get(refused.code, refused.code),
                details,
                cause.time,
            )
