"""Wiring of the reporting service: runtime in the lifespan, routes, the dashboard's files;
`python -m services.reporting` runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.reporting.api import admin, dashboard, reports
from services.reporting.runtime import ReportingRuntime
from shared.http.app import APP_SETTINGS, install_conventions
from shared.http.problems import install_problem_handlers
from shared.settings import Settings

SERVICE = "reporting"


def create(settings: Settings | None = None, runtime: ReportingRuntime | None = None) -> FastAPI:
    """The reporting app; settings from the environment unless given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        running = runtime or ReportingRuntime(settings or Settings.from_env(SERVICE))
        await running.start()
        app.state.runtime = running
        try:
            yield
        finally:
            await running.stop()

    app = FastAPI(
        title="Sahabat — reporting (laporan evaluasi)",
        description="The evaluation report of community participation in corrections, from the "
        "events of every region: JSON, CSV, a spreadsheet, and a dashboard at `/`.",
        version="1",
        lifespan=lifespan,
        **APP_SETTINGS,
    )
    app.state.messages, app.state.terms = {}, {}
    install_problem_handlers(app)
    app.include_router(reports.router)
    app.include_router(admin.router)
    app.include_router(dashboard.router)
    dashboard.mount_static(app)
    install_conventions(app)
    return app
