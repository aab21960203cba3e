"""How an aggregate and a page of a list are shown over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shared.commands import Loaded
from shared.decider import DomainError


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
        raise DomainError(
            f"{kind}_not_found",
            f"no {kind} {stream_id}",
            status=404,
            details={"id": str(stream_id)},
        )
    state = loaded.state
    body = {
        "id": str(stream_id),
        "version": loaded.version,
        "state": state.model_dump(mode="json") if isinstance(state, BaseModel) else state,
        "history": [history_entry(e) for e in loaded.history],
    }
    return JSONResponse(body, headers={"ETag": f'"{loaded.version}"'})


MAX_OFFSET = 2_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many items to skip")]
"""A list's offset, bounded so that it fits PostgreSQL's bigint (a larger one would be a 500)."""


def page(items: list[dict[str, Any]], *, total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page of a list, with what is needed to ask for the next."""
    next_offset = offset + len(items) if offset + len(items) < total else None
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": next_offset,
    }


def row_dict(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dict(row).items():
        if isinstance(value, UUID):
            value = str(value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


Limit = Annotated[int, Query(ge=1, le=500, description="How many items at most")]
"""A list's page size."""


async def query_page(
    pool: Any,
    *,
    columns: str,
    source: str,
    where: str,
    args: Sequence[Any],
    order_by: str,
    limit: int,
    offset: int,
    item: Callable[[Any], dict[str, Any]] = row_dict,
) -> dict[str, Any]:
    """One page of `SELECT columns FROM source WHERE where ORDER BY order_by`, with the total.

    `where` uses $1..$n for `args`; limit and offset are bound after them.
    """
    n = len(args)
    async with pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM {source} WHERE {where}", *args)
        rows = await conn.fetch(
            f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order_by}"
            f" LIMIT ${n + 1} OFFSET ${n + 2}",
            *args,
            limit,
            offset,
        )
    return page([item(r) for r in rows], total=total, limit=limit, offset=offset)
