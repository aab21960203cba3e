"""What officers see of the system's own work: referrals that converted no prospect, and the
ambassadors the service knows (from the partners service's events)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter

from shared.http.commands import Runtime
from shared.http.documents import Limit, Offset, query_page, row_dict

router = APIRouter(tags=["officers"])

_REASONS = {
    "unknown_prospect": "Tidak ada calon mitra dengan ID ini di wilayah ini.",
    "prospect_already_converted": "Calon mitra ini sudah menjadi mitra lain lebih dulu.",
}


def _unmatched(row: Any) -> dict[str, Any]:
    item = row_dict(row)
    item["details"] = json.loads(row["details"])
    item["reason_id"] = _REASONS.get(row["reason"], row["reason"])
    return item


@router.get(
    "/referrals/unmatched",
    summary="Partners registered with a referral that converted no prospect, and why",
)
async def unmatched_referrals(
    runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    return await query_page(
        runtime.pool,
        columns="*",
        source="unmatched_referrals",
        where="true",
        args=(),
        order_by="registered_at, partner_event_id",
        limit=limit,
        offset=offset,
        item=_unmatched,
    )


@router.get("/ambassadors", summary="The ambassadors this service knows (region and term only)")
async def known_ambassadors(
    runtime: Runtime, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    return await query_page(
        runtime.pool,
        columns="*",
        source="known_ambassadors",
        where="true",
        args=(),
        order_by="term_starts_on, ambassador_id",
        limit=limit,
        offset=offset,
    )
