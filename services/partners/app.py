"""Wiring of the partners service: views, routes and jobs (`python -m services.partners`)."""

from __future__ import annotations

from fastapi import FastAPI

from services.partners import events
from services.partners.api import agreements, ambassadors, partners
from services.partners.api.messages import MESSAGES, TERMS
from services.partners.expiry import JOB
from services.partners.views import PartnersViews
from shared.events import EventRegistry
from shared.http.app import create_app
from shared.ids import Clock, IdFactory, utc_now, uuid7
from shared.readmodel import Projection
from shared.runtime import ServiceRuntime
from shared.settings import Settings

SERVICE = "partners"


def registry() -> EventRegistry:
    return events.registry


def inline_projections() -> list[Projection]:
    return [PartnersViews()]


def create(
    settings: Settings | None = None, clock: Clock | None = None, ids: IdFactory | None = None
) -> FastAPI:
    """The partners app; settings from the environment unless given, the real clock and
    UUIDv7 ids unless given.

    `clock` decides "today" (the region's local date) for the rules (expiry, dates
    not in the past) and the recorded event times; `ids` the new aggregates' ids.
    Tests pass controllable ones.
    """

    def runtime() -> ServiceRuntime:
        return ServiceRuntime(
            settings=settings or Settings.from_env(SERVICE),
            registry=registry(),
            inline=inline_projections(),
            jobs=[JOB],
            clock=clock or utc_now,
            ids=ids or uuid7,
        )

    return create_app(
        runtime,
        [partners.router, agreements.router, ambassadors.router],
        title="Sahabat — partners (Sahabat Pemasyarakatan)",
        description="Partners, their cooperation agreements (MoU/PKS) and the cooperation "
        "ambassadors (Duta Kerja Sama) of one regional office. Commands are POSTs; send "
        "`X-Actor`, and `Idempotency-Key` to make retries safe, `If-Match` to guard updates.",
        messages=MESSAGES,
        terms=TERMS,
    )
