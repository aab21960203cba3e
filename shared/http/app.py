"""The FastAPI application of a service: lifespan wiring and the conventions every service
shares — problem handlers, the query-string check, the body limit, offline docs, health."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager

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
        title=title,
        description=description,
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(check_query)],
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
