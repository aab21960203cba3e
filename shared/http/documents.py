"""How an aggregate and a page of a list are shown over HTTP."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.commands import Loaded
from shared.http.problems import Problem


def history_entry(recorded: Any) -> dict[str, Any]:
    return {
        "position": recorded.position,
        "version": recorded.aggregateversion,
        "type": recorded.type,
        "time": recorded.time,
        "actor": recorded.actor,
        "id": recorded.id,
        "data": json.loads(recorded.data_json),
    }


def aggregate_document(
    stream_id: UUID, loaded: Loaded[Any], *, kind: str, exists: bool
) -> JSONResponse:
    """An aggregate's state and full event history, with its version as ETag; 404 if unknown."""
    if not exists:
        raise Problem(404, f"{kind}_not_found", f"{kind} {stream_id} tidak ditemukan.")
    state = loaded.state
    body = {
        "id": str(stream_id),
        "version": loaded.version,
        "state": state.model_dump(mode="json") if isinstance(state, BaseModel) else state,
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


def page(items: list[dict[str, Any]], *, total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page of a list, with what is needed to ask for the next."""
    next_offset = offset + len(items) if offset + len(items) < total else None
    return {"items": items, "total": total, "limit": limit, "offset": offset,
            "next_offset": next_offset}


def row_dict(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if isinstance(value, UUID):
            value = str(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out
