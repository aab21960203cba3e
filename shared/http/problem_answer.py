"""The problem+json answer (RFC 9457): the `Problem` error, its body and its response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

PROBLEM = "application/problem+json"
_TITLES = {
    400: "Permintaan tidak dapat dibaca (bad request)",
    401: "Belum masuk (unauthorized)",
    403: "Tidak diizinkan (forbidden)",
    404: "Tidak ditemukan (not found)",
    405: "Metode tidak didukung (method not allowed)",
    409: "Konflik (conflict)",
    413: "Isi permintaan terlalu besar (content too large)",
    412: "Versi tidak cocok (precondition failed)",
    422: "Data tidak valid (invalid input)",
    500: "Kesalahan server (internal error)",
    503: "Layanan belum siap (service unavailable)",
}


class Problem(Exception):
    """An HTTP error with a problem+json body: `detail` in Bahasa Indonesia, `detail_en` in
    English."""

    def __init__(self, status: int, code: str, detail: str, detail_en: str, **extra: Any) -> None:
        """`extra` goes into the body beside the standard members."""
        super().__init__(detail_en)
        self.status = status
        self.code = code
        self.detail = detail
        self.detail_en = detail_en
        self.extra = extra
        self.headers: dict[str, str] = {}  # onto the answer, e.g. a 401's WWW-Authenticate


def problem_body(
    status: int, code: str, detail: str, detail_en: str, instance: str, **extra: Any
) -> dict[str, Any]:
    """The RFC 9457 body of a problem (also for middleware, which has no Request)."""
    return {
        "type": f"https://sahabat.pas.go.id/problems/{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "detail_en": detail_en,
        "code": code,
        "instance": instance,
        **extra,
    }


def problem_response(
    request: Request, status: int, code: str, detail: str, detail_en: str, **extra: Any
) -> JSONResponse:
    """The problem+json response to `request`."""
    body = problem_body(status, code, detail, detail_en, request.url.path, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)
