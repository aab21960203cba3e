"""Wiring of the outreach service: its views, the ambassadors read model, the conversion
reaction, routes; `python -m services.outreach` runs it."""

from __future__ import annotations

from fastapi import FastAPI

from services.outreach import events
from services.outreach.api import media, outreach, outreach_reads, prospects, referrals
from services.outreach.api.messages import MESSAGES, TERMS
from services.outreach.reactions import ProspectConversion
from services.outreach.readmodels import AmbassadorsReadModel
from services.outreach.views import OutreachViews
from shared.events import EventRegistry
from shared.http.app import create_app
from shared.readmodel import Projection
from shared.runtime import ServiceRuntime
from shared.settings import Settings

SERVICE = "outreach"


def registry() -> EventRegistry:
    return events.registry


def inline_projections() -> list[Projection]:
    """The service's own list views, kept in the append transaction (`sahabat rebuild`)."""
    return [OutreachViews()]


def remote_projections(region: str) -> list[Projection]:
    """What it keeps from the partners service's events, and the conversion reaction."""
    return [AmbassadorsReadModel(), ProspectConversion(region)]


def create(settings: Settings | None = None, **runtime_options: object) -> FastAPI:
    """The outreach app; settings from the environment unless given. `runtime_options`
    (clock, ids) go to the ServiceRuntime, for tests."""

    def runtime() -> ServiceRuntime:
        chosen = settings or Settings.from_env(SERVICE)
        return ServiceRuntime(
            settings=chosen,
            registry=registry(),
            inline=inline_projections(),
            remote=remote_projections(chosen.region),
            **runtime_options,  # type: ignore[arg-type]
        )

    return create_app(
        runtime,
        [outreach.router, outreach_reads.router, prospects.router, media.router, referrals.router],
        title="Sahabat — outreach (penjangkauan masyarakat)",
        description="Outreach events led by cooperation ambassadors (Duta Kerja Sama): planned, "
        "held or cancelled, with the audience counted by segment; media coverage; prospects met "
        "there, who decline or become partners. A partner registered in the partners service "
        "with `referral` = a prospect id converts that prospect by itself. Commands are POSTs; "
        "send `X-Actor`, `Idempotency-Key` to make retries safe, `If-Match` to guard changes, "
        "and `X-Partners-Position` to wait for an ambassador just appointed.",
        messages=MESSAGES,
        terms=TERMS,
    )
