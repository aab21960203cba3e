"""The FastAPI application of a service: lifespan wiring and the conventions every service
shares — problem handlers, the query-string check, the body limit, offline docs, health."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from shared.audit.service import router as audit_router
from shared.audit.service import start_audit
from shared.http import health
from shared.http.docs import install_docs
from shared.http.limits import BodyLimit
from shared.http.openapi import install_openapi
from shared.http.problems import install_problem_handlers
from shared.http.queries import check_query
from shared.runtime import ServiceRuntime


def create_app(
    make_runtime: Callable[[], ServiceRuntime],
    routers: Sequence[APIRouter],
    *,
    title: str,
    description: str,
    messages: Mapping[str, str] | None = None,
    terms: Mapping[str, str] | None = None,
) -> FastAPI:
    """A service's app; the runtime is built and started in the lifespan, stopped after.

    `messages` is the service's catalogue of Bahasa Indonesia sentences by DomainError
    code, `terms` the Indonesian of the English words those sentences may show (field
    names, enum values, validator texts); see shared.http.problems. Both are kept on
    `app.state`, where the problem handlers read them.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = make_runtime()
        await runtime.start()
        app.state.runtime = runtime
        app.state.audit = await start_audit(runtime)
        try:
            yield
        finally:
            await app.state.audit.stop(runtime)
            await runtime.stop()

    app = FastAPI(
        title=title, description=description, version="1", lifespan=lifespan, **APP_SETTINGS
    )
    app.add_middleware(BodyLimit)
    app.state.messages = dict(messages or {})
    app.state.terms = dict(terms or {})
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(audit_router)
    for router in routers:
        app.include_router(router)
    install_docs(app)
    install_openapi(app)
    return app


APP_SETTINGS: dict[str, Any] = {
    "docs_url": None,  # install_docs serves /docs from the packaged assets, no CDN
    "redoc_url": None,  # ReDoc would load from a CDN
    "dependencies": [Depends(check_query)],
}
"""What a service's FastAPI(...) takes to follow the conventions; with `install_conventions`
after its routers, for a service that builds its app itself (reporting)."""


def install_conventions(app: FastAPI) -> None:
    """The body limit, offline /docs and the OpenAPI answers on an app made with APP_SETTINGS
    (create_app does the same for the services it builds)."""
    app.add_middleware(BodyLimit)
    install_docs(app)
    install_openapi(app)
