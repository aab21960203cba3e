"""RFC 9457 problem+json answers for every error, so bad input is never a 500.

422 invalid input (with the fields named), 404 unknown id, 409 concurrency or
duplicate, 403 not allowed.

Regional officers read `detail`, so it is in Bahasa Indonesia; the machine
`code` stays English. A service passes its catalogue to `create_app`, which
keeps it on `app.state`:

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
import re
from collections.abc import Mapping
from datetime import date, datetime
from http import HTTPStatus
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

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_FIELD = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
_STASHED = re.compile(r"\x00(\d+)\x00")
_SEGMENT = "__segment_"
_FORMAT_ERRORS = (KeyError, IndexError, AttributeError, ValueError, TypeError)


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


# --- filling a sentence ---------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _text(value: Any, terms: Mapping[str, str]) -> str:
    """A value as an officer reads it."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, str):
        if value in terms:
            return terms[value]
        if _ISO_DATE.match(value):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                return value
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return _text(value.isoformat(), terms)
    if isinstance(value, Mapping):
        return ", ".join(_text(v, terms) for v in value.values() if not _is_empty(v))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_text(v, terms) for v in value if not _is_empty(v))
    return str(value)


class _Value:
    """A detail value inside a format field: `{x}` shows it, `{x[key]}` goes into it."""

    __slots__ = ("raw", "terms")

    def __init__(self, raw: Any, terms: Mapping[str, str]) -> None:
        self.raw = raw
        self.terms = terms

    def __getitem__(self, key: Any) -> _Value:
        raw = self.raw
        if isinstance(raw, Mapping):
            inner = raw[key]
        elif isinstance(raw, list | tuple):
            inner = raw[int(key)]
        else:
            raise KeyError(key)
        if _is_empty(inner):
            raise KeyError(key)
        return _Value(inner, self.terms)

    def __format__(self, spec: str) -> str:
        return format(_text(self.raw, self.terms), spec)

    def __str__(self) -> str:
        return _text(self.raw, self.terms)


class _Values:
    """What `str.format_map` reads: a missing or empty value is a KeyError."""

    def __init__(self, values: Mapping[str, Any], terms: Mapping[str, str]) -> None:
        self.values = values
        self.terms = terms
        self.segments: list[str] = []

    def __getitem__(self, key: str) -> Any:
        if key.startswith(_SEGMENT):
            return self.segments[int(key[len(_SEGMENT):])]
        value = self.values[key]
        if _is_empty(value):
            raise KeyError(key)
        return _Value(value, self.terms)


def render(
    template: str, values: Mapping[str, Any] | None = None, terms: Mapping[str, str] | None = None
) -> str:
    """`template` filled from `values` (see the module docstring); never raises."""
    source = _Values(values or {}, terms or {})
    fields: list[str] = []

    def stash(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)
        fields.append(match.group(0))
        return f"\x00{len(fields) - 1}\x00"

    def restore(text: str) -> str:
        return _STASHED.sub(lambda m: fields[int(m.group(1))], text)

    try:
        # Format fields aside first, so that `{x[key]}` is not read as an optional part.
        text = _FIELD.sub(stash, template)
        while (match := _OPTIONAL.search(text)) is not None:
            filled = ""
            for alternative in match.group(1).split("|"):
                try:
                    filled = restore(alternative).format_map(source)
                    break
                except _FORMAT_ERRORS:
                    continue
            source.segments.append(filled)
            fields.append("{" + _SEGMENT + str(len(source.segments) - 1) + "}")
            text = text[: match.start()] + f"\x00{len(fields) - 1}\x00" + text[match.end():]
        text = restore(text)
        try:
            out = text.format_map(source)
        except _FORMAT_ERRORS:
            out = _PLACEHOLDER.sub(lambda m: _one(m.group(0), source), text)
    except Exception:  # a malformed sentence: better the plain words than a 500
        log.warning("cannot fill the message %r", template, exc_info=True)
        out = _PLACEHOLDER.sub("", template.replace("[", "").replace("]", ""))
    out = re.sub(r"\s{2,}", " ", out).strip()
    return out[:1].upper() + out[1:]


def _one(field: str, source: _Values) -> str:
    try:
        return field.format_map(source)
    except _FORMAT_ERRORS:
        return ""


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


# --- validation errors ----------------------------------------------------------------------

_DATE = "Tanggal tidak valid; gunakan format TTTT-BB-HH (contoh: 2024-06-30)."
_DATETIME = "Waktu tidak valid; gunakan format ISO 8601 (contoh: 2024-06-30T09:00:00+07:00)."
_UUID = "ID tidak valid; harus berupa UUID (contoh: 0190a6f2-7c1e-7d3a-9b1e-2f4c5d6e7f80)."
_INTEGER = "Harus berupa bilangan bulat."
_NUMBER = "Harus berupa angka."
_BOOLEAN = "Harus berupa nilai benar atau salah (true atau false)."
_OBJECT = "Harus berupa objek JSON."
_LIST = "Harus berupa daftar (array JSON)."
_CHOICE = "Nilai tidak dikenal[; pilih salah satu: {expected}]."
_INVALID = "Nilai tidak valid."

VALIDATION_MESSAGES: dict[str, str] = {
    "missing": "Wajib diisi.",
    "string_type": "Harus berupa teks.",
    "string_too_short": "Terlalu pendek[; paling sedikit {min_length} karakter].",
    "string_too_long": "Terlalu panjang[; paling banyak {max_length} karakter].",
    "string_pattern_mismatch": "Formatnya tidak sesuai ketentuan.",
    "string_unicode": "Harus berupa teks Unicode yang sah.",
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "bool_parsing": _BOOLEAN,
    "bool_type": _BOOLEAN,
    "greater_than_equal": "[Nilai paling rendah {ge}|Nilai terlalu kecil].",
    "greater_than": "[Nilai harus lebih besar dari {gt}|Nilai terlalu kecil].",
    "less_than_equal": "[Nilai paling tinggi {le}|Nilai terlalu besar].",
    "less_than": "[Nilai harus lebih kecil dari {lt}|Nilai terlalu besar].",
    "multiple_of": "[Nilai harus kelipatan {multiple_of}|Nilai tidak valid].",
    "too_short": "[Paling sedikit {min_length} butir|Jumlah butir terlalu sedikit].",
    "too_long": "[Paling banyak {max_length} butir|Jumlah butir terlalu banyak].",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "Isi tanggal saja, tanpa jam (format TTTT-BB-HH).",
    "date_past": "Tanggal harus sebelum hari ini.",
    "date_future": "Tanggal harus setelah hari ini.",
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "time_parsing": "Jam tidak valid; gunakan format JJ:MM (contoh: 09:30).",
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
    "uuid_version": _UUID,
    "url_parsing": "Alamat URL tidak valid.",
    "url_type": "Alamat URL tidak valid.",
    "json_invalid": "Isi permintaan bukan JSON yang sah; periksa tanda kutip, koma, dan kurung.",
    "json_type": "Harus berupa teks JSON.",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "extra_forbidden": "Isian ini tidak dikenal; hapus dari permintaan.",
    "value_error": _INVALID,
    "assertion_error": _INVALID,
    "union_tag_invalid": "Jenisnya tidak dikenal[; pilih salah satu: {expected_tags}].",
    "union_tag_not_found": "Isian penentu jenis ({discriminator}) wajib diisi.",
}
"""Indonesian text of pydantic's error types; pydantic's English stays in `message_en`."""


def _validator_text(text: str, terms: Mapping[str, str]) -> str | None:
    """The Indonesian of a validator's own ValueError: an exact entry, or the longest phrase
    entry (one with a space) the text starts with."""
    if text in terms:
        return terms[text]
    phrases = [key for key in terms if " " in key and text.startswith(key)]
    return terms[max(phrases, key=len)] if phrases else None


def validation_message(error: Mapping[str, Any], terms: Mapping[str, str] | None = None) -> str:
    """The Indonesian message of one pydantic error (a dict of `errors()`)."""
    terms = terms or {}
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        raw = str(ctx["error"])
        own = _validator_text(raw, terms)
        if own is not None:
            return render(own, {}, terms)
    values: dict[str, Any] = {
        key: value.replace(" or ", " atau ") if isinstance(value, str) else value
        for key, value in ctx.items()
        if isinstance(value, str | int | float)
    }
    return render(VALIDATION_MESSAGES.get(kind, _INVALID), values)


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


def _http_detail(status: int, detail: Any) -> tuple[str, str | None]:
    """Starlette's default English phrase as Indonesian (with the English kept); else as is."""
    text = str(detail)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = None
    if text == phrase and status in _HTTP_DETAILS:
        return _HTTP_DETAILS[status], text
    return text, None


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error the services raise to problem+json.

    The service's catalogue is read from `app.state.messages` and `app.state.terms`
    (set by `create_app`); without one, a DomainError answers with its own message.
    """

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.code, exc.detail, **exc.extra)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        detail = domain_detail(exc, _catalogue(request, "messages"), _catalogue(request, "terms"))
        extra: dict[str, Any] = {"detail_en": exc.message}
        if exc.field:
            extra["field"] = exc.field
        if exc.details:
            extra["details"] = exc.details
        return problem_response(request, exc.status, exc.code, detail, **extra)

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
        terms = _catalogue(request, "terms")
        errors = [
            {"field": _field(tuple(err.get("loc", ()))),
             "message": validation_message(err, terms),
             "message_en": err.get("msg", ""),
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
        detail, english = _http_detail(exc.status_code, exc.detail)
        extra = {"detail_en": english} if english is not None else {}
        return problem_response(request, exc.status_code, code, detail, **extra)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "internal_error", "Terjadi kesalahan di server.")
