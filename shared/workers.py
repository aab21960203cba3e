"""Serving a service from several worker processes (`PAS_HTTP_WORKERS`) under uvicorn.

uvicorn binds the socket once and starts the workers, each importing the app
through `worker_app` (a factory named by `PAS_APP_FACTORY`, e.g.
`services.partners.app:create`, which reads its settings from the environment).
Every worker serves requests and appends to the log; one of them leads and runs
the relay, projections and jobs (shared.leadership). With one worker this is
the single process it always was.
"""

from __future__ import annotations

import importlib
import logging
import os

import uvicorn
from fastapi import FastAPI

from shared.settings import Settings

FACTORY_VARIABLE = "PAS_APP_FACTORY"


def default_workers() -> int:
    """Two workers where the process may use two cores or more, else one."""
    return max(1, min(2, len(os.sched_getaffinity(0))))


def http_workers(env: dict[str, str] | None = None) -> int:
    """`PAS_HTTP_WORKERS`, or the machine's default."""
    value = (os.environ if env is None else env).get("PAS_HTTP_WORKERS", "").strip()
    if not value:
        return default_workers()
    workers = int(value)
    if workers < 1:
        raise ValueError(f"PAS_HTTP_WORKERS must be at least 1, not {workers}")
    return workers


def configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("PAS_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("faststream").setLevel(logging.WARNING)


def worker_app() -> FastAPI:
    """The app of one worker process, made by the factory `PAS_APP_FACTORY` names."""
    configure_logging()
    module, _, name = os.environ[FACTORY_VARIABLE].partition(":")
    factory = getattr(importlib.import_module(module), name)
    app: FastAPI = factory()
    return app


def serve_service(factory: str, service: str) -> None:
    """Serve `factory`'s app (settings from the environment) until SIGINT/SIGTERM."""
    settings = Settings.from_env(service)
    configure_logging()
    os.environ[FACTORY_VARIABLE] = factory
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        workers=http_workers(),
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )
