"""Running a service's app under uvicorn (uvloop + httptools, no per-request access log)."""

from __future__ import annotations

import logging
import os

import uvicorn
from fastapi import FastAPI


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serve until SIGINT/SIGTERM; the lifespan stops the relay and runners cleanly."""
    logging.basicConfig(
        level=os.environ.get("PAS_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("faststream").setLevel(logging.WARNING)
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=10,
    )
