"""Liveness (`/healthz`) and readiness (`/readyz`: PostgreSQL, NATS, relay lag, projections)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="PostgreSQL and NATS reachable; relay lag and projections")
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    ready = True
    try:
        async with asyncio.timeout(2):
            async with runtime.pool.acquire() as conn:
                await conn.fetchval("SELECT 1")
        checks["postgres"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["postgres"] = f"unreachable: {type(exc).__name__}"
        ready = False
    nats_ok = runtime.broker.connection.is_connected
    checks["nats"] = "ok" if nats_ok else "disconnected"
    ready = ready and nats_ok
    if checks["postgres"] == "ok":
        head, _ = await runtime.store.head()
        position, _, _ = await runtime.relay.checkpoint()
        checks["relay"] = {
            "log": runtime.store.log,
            "appended": head,
            "published": position,
            "lag": head - position,
        }
        checks["projections"] = {
            name: {"stream_seq": await runner.checkpoint(), "applied_here": runner.applied}
            for name, runner in runtime.runners.items()
        }
    return JSONResponse(
        {
            "status": "ready" if ready else "not_ready",
            "region": runtime.settings.region,
            "service": runtime.settings.service,
            "checks": checks,
        },
        status_code=200 if ready else 503,
    )
