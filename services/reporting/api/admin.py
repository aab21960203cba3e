"""Admin: rebuild the projections without downtime, and how far they are; health."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.reporting.generations import RebuildRunning
from shared.http.openapi import problems
from shared.http.problems import Problem

router = APIRouter(tags=["admin"])


@router.post(
    "/admin/rebuild",
    status_code=202,
    summary="Build a new generation of the projections from the first event, then "
    "switch to it (the current one answers meanwhile)",
    responses=problems(
        {409: "A rebuild is under way already (`rebuild_running`, with its `generation`)"}
    ),
)
async def rebuild(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    try:
        progress = await runtime.start_rebuild()
    except RebuildRunning as exc:
        raise Problem(
            409,
            "rebuild_running",
            f"Pembangunan ulang generasi {exc.generation} sedang berjalan.",
            detail_en=f"Generation {exc.generation} is being built already.",
            generation=exc.generation,
        ) from None
    return JSONResponse(progress.as_json(), status_code=202, headers={"Location": "/admin/rebuild"})


@router.get("/admin/rebuild", summary="Progress of the rebuild under way, or the last one")
async def rebuild_progress(request: Request) -> dict[str, Any]:
    runtime = request.app.state.runtime
    progress = runtime.rebuild_state
    return {
        "active_generation": runtime.generation,
        "rebuild": progress.as_json() if progress else None,
    }


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="PostgreSQL and NATS reachable; how far the projections are",
    responses={503: {"description": "Not ready: the same body, `status` `not_ready`"}},
)
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    ready = True
    try:
        async with asyncio.timeout(2), runtime.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["postgres"] = f"unreachable: {type(exc).__name__}"
        ready = False
    checks["nats"] = "ok" if runtime.nc.is_connected else "disconnected"
    ready = ready and runtime.nc.is_connected
    if checks["postgres"] == "ok":
        checks["projection"] = {
            "generation": runtime.generation,
            "stream": runtime.settings.stream,
            "stream_seq": await runtime.runner.checkpoint(),
            "applied_here": runtime.runner.applied,
        }
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "service": "reporting", "checks": checks},
        status_code=200 if ready else 503,
    )
