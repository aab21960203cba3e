"""The sentences of a problem: a DomainError's Indonesian detail from the service's catalogue,
plain HTTP errors' details, and a validation error's field and message."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from shared.decider import DomainError
from shared.http.render import render


def catalogue(request: Request, name: str) -> Mapping[str, str]:
    """The service's `messages` or `terms` kept on app.state (empty without one)."""
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


def error_field(loc: tuple[Any, ...]) -> str:
    """A validation error's field as the client names it: `contact.phone`, not `body.contact...`."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


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


def http_detail(status: int, detail: Any) -> tuple[str, str]:
    """Starlette's (English) detail of a plain HTTP error: the Indonesian sentence of its
    status, and the English as it was."""
    text = str(detail)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return _HTTP_DETAILS.get(status, f"Permintaan gagal (HTTP {status})."), text or phrase


def not_utf8(cause: UnicodeDecodeError) -> RequestValidationError:
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


def sentences(error: Mapping[str, Any], key: str = "message") -> str:
    """One error as `field: message.` for the problem's detail."""
    text = str(error.get(key, "")).rstrip(".")
    return f"{error['field']}: {text}." if text else ""
