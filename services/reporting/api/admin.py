"""Admin: rebuild the projections without downtime, and how far they are; health.

Starting a rebuild costs the whole history's replay, so with `PAS_ADMIN_TOKEN`
set it needs `Authorization: Bearer <token>` (401 otherwise). Its progress
(`GET /admin/rebuild`) stays open, as the reports themselves are: it tells
generation numbers and counts of events, nothing the reports do not, and a
monitor may follow it without holding the token. Unset, the service warns once
at start that admin calls are open (the demo runs that way).
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.reporting.generations import RebuildRunning
from shared.http.openapi import problems
from shared.http.problems import Problem

router = APIRouter(tags=["admin"])
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="adminToken",
    description="The service's PAS_ADMIN_TOKEN (needed only when it is set)",
)


async def admin_only(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse an admin call without the admin token, when the service has one."""
    token = request.app.state.runtime.settings.admin_token
    if token is None:
        return
    sent = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(sent.encode(), token.encode()):
        refused = Problem(
            401,
            "unauthorized",
            "Panggilan admin memerlukan header 'Authorization: Bearer <token>' dengan token "
            "admin layanan ini (PAS_ADMIN_TOKEN)"
            + (": token yang dikirim salah." if sent else "; header itu tidak ada."),
            "Admin calls need 'Authorization: Bearer <token>' with this service's admin token "
            "(PAS_ADMIN_TOKEN)" + (": the token sent is wrong." if sent else "; none was sent."),
            field="Authorization",
        )
        refused.headers["WWW-Authenticate"] = 'Bearer realm="sahabat-admin"'
        raise refused


@router.post(
    "/admin/rebuild",
    status_code=202,
    summary="Build a new generation of the projections from the first event, then "
    "switch to it (the current one answers meanwhile)",
    responses=problems(
        {
            401: "The service has an admin token (PAS_ADMIN_TOKEN) and the call did not send it "
            "as `Authorization: Bearer <token>` (`unauthorized`)",
            409: "A rebuild is under way already (`rebuild_running`, with its `generation`)",
        }
    ),
    dependencies=[Depends(admin_only)],
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
    return {
        "active_generation": runtime.generation,
        "rebuild": await runtime.rebuild_progress(),
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
            "applied_here": await runtime.applied_here(),
        }
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "service": "reporting", "checks": checks},
        status_code=200 if ready else 503,
    )
