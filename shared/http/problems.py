"""RFC 9457 problem+json answers for every error, so bad input is never a 500.

422 invalid input (with the fields named), 404 unknown id, 409 concurrency or
duplicate, 403 not allowed.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.decider import DomainError
from shared.eventstore import ConcurrencyError, DuplicateKeyError

PROBLEM = "application/problem+json"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Permintaan tidak dapat dibaca (bad request)",
    403: "Tidak diizinkan (forbidden)",
    404: "Tidak ditemukan (not found)",
    405: "Metode tidak didukung (method not allowed)",
    409: "Konflik (conflict)",
    412: "Versi tidak cocok (precondition failed)",
    422: "Data tidak valid (invalid input)",
    500: "Kesalahan server (internal error)",
    503: "Layanan belum siap (service unavailable)",
}


class Problem(Exception):
    """An HTTP error with a problem+json body."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra


def problem_response(
    request: Request, status: int, code: str, detail: str, **extra: Any
) -> JSONResponse:
    body = {
        "type": f"https://sahabat.pas.go.id/problems/{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the services raise to problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.code, exc.detail, **exc.extra)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        extra: dict[str, Any] = {}
        if exc.field:
            extra["field"] = exc.field
        if exc.details:
            extra["details"] = exc.details
        return problem_response(request, exc.status, exc.code, exc.message, **extra)

    @app.exception_handler(ConcurrencyError)
    async def _concurrency(request: Request, exc: ConcurrencyError) -> JSONResponse:
        return problem_response(
            request, 409, "version_conflict",
            f"Data sudah diubah orang lain: versi sekarang {exc.actual}, bukan {exc.expected}. "
            "Muat ulang lalu coba lagi.",
            current_version=exc.actual, expected_version=exc.expected,
        )

    @app.exception_handler(DuplicateKeyError)
    async def _duplicate(request: Request, exc: DuplicateKeyError) -> JSONResponse:
        return problem_response(
            request, 409, "duplicate", f"Sudah terdaftar: {exc.scope} milik {exc.holder}.",
            existing_id=str(exc.holder),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(tuple(err.get("loc", ()))), "message": err.get("msg", ""),
             "type": err.get("type", "")}
            for err in exc.errors()
        ]
        fields = ", ".join(e["field"] for e in errors)
        return problem_response(
            request, 422, "invalid_input", f"Data tidak valid pada: {fields}", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = f"http_{exc.status_code}"
        return problem_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "internal_error", "Terjadi kesalahan di server.")
