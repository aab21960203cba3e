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
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.commands import IdempotencyKeyReused
from shared.decider import DomainError
from shared.eventstore import ConcurrencyError, DuplicateKeyError
from shared.http.problem_answer import PROBLEM, Problem, problem_body, problem_response
from shared.http.problem_text import (
    catalogue,
    domain_detail,
    error_field,
    http_detail,
    not_utf8,
    sentences,
)
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

log = logging.getLogger(__name__)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the services raise to problem+json.

    The service's catalogue is read from `app.state.messages` and `app.state.terms`
    (set by `create_app`); without one, a DomainError answers with its own message.
    """

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        answer = problem_response(
            request, exc.status, exc.code, exc.detail, exc.detail_en, **exc.extra
        )
        answer.headers.update(exc.headers)
        return answer

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        detail = domain_detail(exc, catalogue(request, "messages"), catalogue(request, "terms"))
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
        terms = catalogue(request, "terms")
        raw = [
            explain_json_error(err, exc.body) if err.get("type") == "json_invalid" else err
            for err in exc.errors()
        ]
        errors = [
            {
                "field": error_field(tuple(err.get("loc", ()))),
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
            f"Data tidak valid pada: {fields}. " + " ".join(sentences(e) for e in errors),
            f"Invalid input in: {fields}. " + " ".join(sentences(e, "message_en") for e in errors),
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI answers a body that is not UTF-8 with a bare 400: it is invalid input.
            return await _invalid(request, not_utf8(exc.__cause__))
        code = f"http_{exc.status_code}"
        detail, english = http_detail(exc.status_code, exc.detail)
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
