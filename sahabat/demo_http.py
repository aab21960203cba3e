"""The demo loaders' POST: the answer's JSON, or an error that says which call failed and why.

Every POST carries an `Idempotency-Key` of its own, so a call whose connection
broke before the answer came back (a keep-alive connection the server closed
just as the request went out, a busy machine) is sent again safely: a service
that already did it answers the stored result instead of doing it twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

ATTEMPTS = 3


def post(
    api: httpx.Client,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    *,
    loader: str,
) -> dict[str, Any]:
    """POST `body` to `path`; a 4xx or 5xx raises RuntimeError naming the loader."""
    sent = {"Idempotency-Key": f"demo-{uuid.uuid4()}", **(headers or {})}
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = api.post(path, json=body or {}, headers=sent)
            break
        except httpx.TransportError as exc:
            if attempt == ATTEMPTS:
                raise RuntimeError(f"{loader}: POST {path} failed: {exc!r}") from exc
    if response.status_code >= 400:
        raise RuntimeError(f"{loader}: POST {path} -> {response.status_code}: {response.text}")
    return response.json()  # type: ignore[no-any-return]
