"""Wiring of the programs service: its views, the partners read model, routes;
`python -m services.programs` runs it."""

from __future__ import annotations

from fastapi import FastAPI

from services.programs import events
from services.programs.api import corrections, program_reads, programs, units
from services.programs.api.messages import MESSAGES, TERMS
from services.programs.readmodels import PartnersReadModel
from services.programs.views import ProgramsViews
from shared.events import EventRegistry
from shared.http.app import create_app
from shared.ids import Clock, IdFactory, utc_now, uuid7
from shared.readmodel import Projection
from shared.runtime import ServiceRuntime
from shared.settings import Settings

SERVICE = "programs"


def registry() -> EventRegistry:
    return events.registry


def inline_projections() -> list[Projection]:
    return [ProgramsViews()]


def remote_projections() -> list[Projection]:
    return [PartnersReadModel()]


def create(
    settings: Settings | None = None, clock: Clock | None = None, ids: IdFactory | None = None
) -> FastAPI:
    """The programs app; settings from the environment unless given, the real clock and
    UUIDv7 ids unless given (tests pass controllable ones)."""

    def runtime() -> ServiceRuntime:
        return ServiceRuntime(
            settings=settings or Settings.from_env(SERVICE),
            registry=registry(),
            inline=inline_projections(),
            remote=remote_projections(),
            clock=clock or utc_now,
            ids=ids or uuid7,
        )

    return create_app(
        runtime,
        [units.router, programs.router, corrections.router, program_reads.router],
        title="Sahabat — programs (program pembinaan dan kerja sama)",
        description="Units (UPT Pemasyarakatan) and the programs partners run with them through "
        "the three stages: initial approach, continued collaboration, independent program "
        "(design, formulation, planning, implementation, evaluation). Commands are POSTs; send "
        "`X-Actor`, `Idempotency-Key` to make retries safe, `If-Match` to guard changes, and "
        "`X-Partners-Position` to wait for a partner change just made in the partners service.",
        messages=MESSAGES,
        terms=TERMS,
    )
