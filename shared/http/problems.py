"""RFC 9457 problem+json answers for every error, so bad input is never a 500.

One status per meaning, in every service (the rule is shared.http.statuses):
404 the id in the path names nothing, 422 invalid input or an id in the body
that names nothing, 409 the record's state forbids the command (a concurrent
change and a duplicate included), 413 a body too large, 503 not ready yet.

Regional officers read `detail`, so it is in Bahasa Indonesia; every problem
also carries `detail_en` in English, and the machine `code` stays English. A
service passes its catalogue to `create_app`, which keeps it on `app.state`:

* `messages` maps each DomainError code to an Indonesian sentence. The answer
  carries that sentence as `detail` (the domain's own message when the code has
  no entry) and the domain's English message as `detail_en`.
* `terms` maps English words the sentences may show (field names, enum values)
  to Indonesian ones, and the English text of a validator's ValueError
  (exactly, or a key containing a space that the text starts with) to an
  Indonesian sentence.

A sentence is filled by `render`: `{name}` (or `{name[key]}` for a nested
value) takes the error's `details`, and `{field}` its field. Values are shown
through `terms`, ISO dates as "30 Juni 2024", lists and objects as their
values joined by commas. `[...]` marks an optional part, left out when a value
it needs is missing; `[a|b]` uses `a` when it can be filled, else `b`. Rendering
never fails: a sentence without values is the plain sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.commands import IdempotencyKeyReused
from shared.decider import DomainError
from shared.eventstore import ConcurrencyError, DuplicateKeyError
from shared.http.render import render
from shared.http.validation_text import (
    VALIDATION_MESSAGES,
    explain_json_error,
    validation_message,
    validation_message_en,
)

__all__ = [
    "PROBLEM",
    "VALIDATION_MESSAGES",
    "Problem",
    "domain_detail",
    "install_problem_handlers",
    "problem_body",
    "problem_response",
    "render",
    "validation_message",
    "validation_message_en",
]

PROBLEM = "application/problem+json"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Permintaan tidak dapat dibaca (bad request)",
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
        super().__init__(detail_en)
        self.status = status
        self.code = code
        self.detail = detail
        self.detail_en = detail_en
        self.extra = extra


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
    body = problem_body(status, code, detail, detail_en, request.url.path, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


# --- filling a sentence ---------------------------------------------------------------------


def _catalogue(request: Request, name: str) -> Mapping[str, str]:
    found = getattr(request.app.state, name, None)
    return found if isinstance(found, Mapping) else {}


def domain_detail(
    exc: DomainError, messages: Mapping[str, str], terms: Mapping[str, str] | None = None
) -> str:
    """The Indonesian sentence for a DomainError; its own message when the catalogue has none."""
    template = messages.get(exc.code)
    if not template:
        return exc.message
    values: dict[str, Any] = dict(exc.details or {})
    if exc.field:
        values["field"] = exc.field
    return render(template, values, terms) or exc.message


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


# --- plain HTTP errors ----------------------------------------------------------------------

_HTTP_DETAILS = {
    400: "Permintaan tidak dapat dibaca.",
    401: "Belum masuk (autentikasi diperlukan).",
    403: "Anda tidak diizinkan melakukan ini.",
    404: "Alamat yang diminta tidak ditemukan.",
    405: "Metode ini tidak didukung untuk alamat tersebut.",
    406: "Format jawaban yang diminta tidak didukung.",
    413: "Isi permintaan terlalu besar.",
    415: "Jenis isi permintaan tidak didukung; kirim JSON.",
    429: "Terlalu banyak permintaan; coba lagi sebentar lagi.",
    500: "Terjadi kesalahan di server.",
    503: "Layanan belum siap; coba lagi sebentar lagi.",
}


def _http_detail(status: int, detail: Any) -> tuple[str, str]:
    """Starlette's (English) detail of a plain HTTP error: the Indonesian sentence of its
    status, and the English as it was."""
    text = str(detail)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return _HTTP_DETAILS.get(status, f"Permintaan gagal (HTTP {status})."), text or phrase


def _not_utf8(cause: UnicodeDecodeError) -> RequestValidationError:
    """A body whose bytes are not UTF-8, as the validation error it is (byte counted from 1)."""
    place = cause.start + 1
    return RequestValidationError(
        [
            {
                "type": "body_not_utf8",
                "loc": ("body",),
                "msg": f"The body is not UTF-8 text (byte {place}); send JSON encoded as UTF-8",
                "ctx": {"place": place},
            }
        ]
    )


def _sentences(error: Mapping[str, Any], key: str = "message") -> str:
    """One error as `field: message.` for the problem's detail."""
    text = str(error.get(key, "")).rstrip(".")
    return f"{error['field']}: {text}." if text else ""


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the services raise to problem+json.

    The service's catalogue is read from `app.state.messages` and `app.state.terms`
    (set by `create_app`); without one, a DomainError answers with its own message.
    """

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.code, exc.detail, exc.detail_en, **exc.extra
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        detail = domain_detail(exc, _catalogue(request, "messages"), _catalogue(request, "terms"))
        extra: dict[str, Any] = {}
        if exc.field:
            extra["field"] = exc.field
        if exc.details:
            extra["details"] = exc.details
        return problem_response(request, exc.status, exc.code, detail, exc.message, **extra)

    @app.exception_handler(IdempotencyKeyReused)
    async def _key_reused(request: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return problem_response(
            request,
            422,
            "idempotency_key_reused",
            "Idempotency-Key ini sudah dipakai untuk permintaan lain; pakai kunci baru.",
            "This Idempotency-Key was already used for a different request; use a new key.",
            field="Idempotency-Key",
        )

    @app.exception_handler(ConcurrencyError)
    async def _concurrency(request: Request, exc: ConcurrencyError) -> JSONResponse:
        return problem_response(
            request,
            409,
            "version_conflict",
            f"Data sudah diubah orang lain: versi sekarang {exc.actual}, bukan {exc.expected}. "
            "Muat ulang lalu coba lagi.",
            f"Someone else changed it meanwhile: the version is now {exc.actual}, not "
            f"{exc.expected}. Reload it, then try again.",
            current_version=exc.actual,
            expected_version=exc.expected,
        )

    @app.exception_handler(DuplicateKeyError)
    async def _duplicate(request: Request, exc: DuplicateKeyError) -> JSONResponse:
        return problem_response(
            request,
            409,
            "duplicate",
            f"Sudah terdaftar: {exc.scope} milik {exc.holder}.",
            f"Already recorded: this {exc.scope} belongs to {exc.holder}.",
            existing_id=str(exc.holder),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        terms = _catalogue(request, "terms")
        raw = [
            explain_json_error(err, exc.body) if err.get("type") == "json_invalid" else err
            for err in exc.errors()
        ]
        errors = [
            {
                "field": _field(tuple(err.get("loc", ()))),
                "message": validation_message(err, terms),
                "message_en": validation_message_en(err),
                "type": err.get("type", ""),
            }
            for err in raw
        ]
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem_response(
            request,
            422,
            "invalid_input",
            f"Data tidak valid pada: {fields}. " + " ".join(_sentences(e) for e in errors),
            f"Invalid input in: {fields}. " + " ".join(_sentences(e, "message_en") for e in errors),
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI answers a body that is not UTF-8 with a bare 400: it is invalid input.
            return await _invalid(request, _not_utf8(exc.__cause__))
        code = f"http_{exc.status_code}"
        detail, english = _http_detail(exc.status_code, exc.detail)
        return problem_response(request, exc.status_code, code, detail, english)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request,
            500,
            "internal_error",
            "Terjadi kesalahan di server.",
            "Something went wrong on the server.",
        )
