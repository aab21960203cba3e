"""The state of an outreach event, and of a media campaign, as their events fold it."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from services.outreach.events import (
    MediaCoverageRecorded,
    OutreachCancelled,
    OutreachHeld,
    OutreachPlanned,
)
from shared.events import Event, Model

OutreachStatus = Literal["planned", "held", "cancelled"]


class OutreachState(Model):
    """What the outreach decider knows about one outreach event.

    `plan` and `held` keep the events as recorded; the properties give what
    holds now (the held record where there is one, else the plan).
    """

    version: int = 0
    plan: OutreachPlanned | None = None
    held: OutreachHeld | None = None
    cancellation: OutreachCancelled | None = None
    coverage: tuple[MediaCoverageRecorded, ...] = ()

    @property
    def exists(self) -> bool:
        return self.plan is not None or self.held is not None

    @property
    def status(self) -> OutreachStatus | None:
        if self.held is not None:
            return "held"
        if self.cancellation is not None:
            return "cancelled"
        return "planned" if self.plan is not None else None

    @property
    def region(self) -> str | None:
        record = self.held or self.plan
        return record.region if record else None

    @property
    def held_on(self) -> date | None:
        return self.held.held_on if self.held else None

    @property
    def ambassador_ids(self) -> tuple[UUID, ...]:
        record = self.held or self.plan
        return (record.lead_ambassador_id, *record.co_ambassador_ids) if record else ()


def initial() -> OutreachState:
    """An outreach event not yet planned or recorded."""
    return OutreachState()


def evolve(state: OutreachState, event: Event) -> OutreachState:
    """The outreach event after `event`; every event counts toward `version`."""
    update: dict[str, object] = {"version": state.version + 1}
    match event:
        case OutreachPlanned():
            update["plan"] = event
        case OutreachHeld():
            update["held"] = event
        case OutreachCancelled():
            update["cancellation"] = event
        case MediaCoverageRecorded():
            update["coverage"] = (*state.coverage, event)
    return state.model_copy(update=update)


class CampaignState(Model):
    """A media campaign without an outreach event: only the coverage recorded on it."""

    version: int = 0
    coverage: tuple[MediaCoverageRecorded, ...] = ()

    @property
    def exists(self) -> bool:
        return bool(self.coverage)


def initial_campaign() -> CampaignState:
    return CampaignState()


def evolve_campaign(state: CampaignState, event: Event) -> CampaignState:
    """The campaign after `event` (only coverage happens to a campaign)."""
    update: dict[str, object] = {"version": state.version + 1}
    if isinstance(event, MediaCoverageRecorded):
        update["coverage"] = (*state.coverage, event)
    return state.model_copy(update=update)
