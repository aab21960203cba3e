"""Request headers every command reads: actor, expected version, idempotency key, correlation.

The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in a
worker thread, and three thread hops per command cost more than the checks themselves.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header

from shared.eventstore import Metadata
from shared.http.problems import Problem

_ACTOR = re.compile(r"^[A-Za-z0-9._:@/-]{1,120}$")
_VERSION = re.compile(r'^(W/)?"?(\d{1,9})"?$')


async def command_metadata(
    x_actor: Annotated[
        str | None,
        Header(
            description="Who issues the command (user id) — recorded in the event; "
            "required until authentication comes"
        ),
    ] = None,
    x_correlation_id: Annotated[str | None, Header(description="Request id to trace")] = None,
) -> Metadata:
    """The actor and correlation id of a command, from its headers."""
    if not x_actor:
        raise Problem(
            422,
            "actor_required",
            "Header X-Actor wajib diisi (siapa yang mencatat).",
            "The X-Actor header is required (who records this).",
            field="X-Actor",
        )
    if not _ACTOR.match(x_actor):
        raise Problem(
            422,
            "actor_invalid",
            "Header X-Actor paling banyak 120 karakter dan hanya boleh memuat huruf, angka, titik, "
            "garis bawah, titik dua, @, garis miring dan tanda hubung (contoh: budi@kanwil-jatim).",
            "The X-Actor header takes at most 120 characters: letters, digits, dots, underscores, "
            "colons, @, slashes and dashes (e.g. budi@kanwil-jatim).",
            field="X-Actor",
        )
    return Metadata(actor=x_actor, correlation_id=x_correlation_id)


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(description='Expected version of the record, as returned in its ETag (e.g. "3")'),
    ] = None,
) -> int | None:
    """The version the client expects the aggregate to be at (If-Match), if given."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = _VERSION.match(if_match.strip())
    if not match:
        raise Problem(
            422,
            "if_match_invalid",
            'If-Match harus berupa versi, contoh: "3".',
            'If-Match must be a version, e.g. "3".',
            field="If-Match",
        )
    return int(match.group(2))


async def idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Any unique string; a retried request with the same key returns "
            "the first answer and records nothing twice"
        ),
    ] = None,
) -> str | None:
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        raise Problem(
            422,
            "idempotency_key_invalid",
            "Idempotency-Key harus 1–200 karakter.",
            "Idempotency-Key must be 1–200 characters long.",
            field="Idempotency-Key",
        )
    return idempotency_key
