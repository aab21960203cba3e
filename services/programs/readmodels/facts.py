"""Turning partner ids into the PartnerFacts a program decision needs, from the read model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

import asyncpg

from services.programs.domain.program import AgreementPeriod, PartnerFacts


def _period(row: asyncpg.Record) -> AgreementPeriod | None:
    """The days an agreement was valid; None if it was terminated before it began."""
    ends_on = row["ends_on"]
    if row["status"] == "terminated" and row["effective_on"] is not None:
        ends_on = min(ends_on, row["effective_on"] - timedelta(days=1))
    if ends_on < row["starts_on"]:
        return None
    return AgreementPeriod(row["starts_on"], ends_on)


async def partner_facts(
    conn: asyncpg.Connection | asyncpg.Pool, partner_ids: Iterable[UUID]
) -> dict[UUID, PartnerFacts | None]:
    """What the read model knows of each partner; None for one it has not seen yet."""
    ids = list(dict.fromkeys(partner_ids))
    partners = await conn.fetch(
        "SELECT partner_id, status, region, name FROM known_partners WHERE partner_id = ANY($1)",
        ids,
    )
    agreements = await conn.fetch(
        "SELECT partner_id, starts_on, ends_on, status, effective_on FROM known_agreements"
        " WHERE partner_id = ANY($1) ORDER BY starts_on, agreement_id",
        ids,
    )
    periods: dict[UUID, list[AgreementPeriod]] = {}
    for row in agreements:
        period = _period(row)
        if period is not None:
            periods.setdefault(row["partner_id"], []).append(period)
    facts: dict[UUID, PartnerFacts | None] = dict.fromkeys(ids)
    for row in partners:
        pid = row["partner_id"]
        facts[pid] = PartnerFacts(
            partner_id=pid,
            status=row["status"],
            region=row["region"],
            agreements=tuple(periods.get(pid, ())),
            name=row["name"],
        )
    return facts
