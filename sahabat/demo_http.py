"""The demo loaders' POST: the answer's JSON, or an error that says which call failed and why."""

from __future__ import annotations

from typing import Any

import httpx


def post(
    api: httpx.Client,
    path: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    *,
    loader: str,
) -> dict[str, Any]:
    """POST `body` to `path`; a 4xx or 5xx raises RuntimeError naming the loader."""
    response = api.post(path, json=body or {}, headers=headers)
    if response.status_code >= 400:
        raise RuntimeError(f"{loader}: POST {path} -> {response.status_code}: {response.text}")
    return response.json()  # type: ignore[no-any-return]
