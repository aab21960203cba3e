"""What handlers and jobs look up in the partners service's own views (never for decisions'
state, which comes from the log: only to find which aggregates to load)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

import asyncpg

from services.partners.handlers import ActiveAgreements


def active_agreements(pool: asyncpg.Pool) -> ActiveAgreements:
    """The ids of a partner's active agreements, from agreements_view."""

    async def find(partner_id: UUID) -> Sequence[UUID]:
        async with pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT agreement_id FROM agreements_view WHERE partner_id = $1"
                " AND status = 'active' ORDER BY starts_on, agreement_id",
                partner_id,
            )
        return [row["agreement_id"] for row in rows]

    return find


async def due_to_expire(pool: asyncpg.Pool, today: date, limit: int = 1000) -> list[UUID]:
    """Active agreements whose last day was before `today`, the earliest first."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT agreement_id FROM agreements_view WHERE status = 'active' AND ends_on < $1"
            " ORDER BY ends_on LIMIT $2",
            today,
            limit,
        )
    return [row["agreement_id"] for row in rows]


async def active_of_withdrawn(pool: asyncpg.Pool, limit: int = 1000) -> list[tuple[UUID, UUID]]:
    """(partner id, agreement id) of active agreements whose partner has withdrawn."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT a.partner_id, a.agreement_id FROM agreements_view a"
            " JOIN partners_view p ON p.partner_id = a.partner_id"
            " WHERE a.status = 'active' AND p.status = 'withdrawn'"
            " ORDER BY a.partner_id, a.agreement_id LIMIT $1",
            limit,
        )
    return [(row["partner_id"], row["agreement_id"]) for row in rows]
