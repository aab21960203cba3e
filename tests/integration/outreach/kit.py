"""Helpers for the outreach integration tests: partners and outreach in-process, in a region
of their own (see tests/integration/programs/kit.py for why a fresh region)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from services.outreach.app import create as create_outreach
from services.partners.app import create as create_partners
from shared.settings import Settings
from tests.conftest import running_app
from tests.integration.programs.kit import ACTOR, ok, today

__all__ = ["ACTOR", "Services", "ok", "services", "today"]


@dataclass
class Services:
    """The partners and outreach apps of one region, and how to reach them."""

    region: str
    partners: httpx.AsyncClient
    outreach: httpx.AsyncClient
    outreach_settings: Settings

    async def appoint(self, *, starts: date | None = None) -> tuple[str, int]:
        """An ambassador appointed in partners: (id, partners position)."""
        body = {
            "person": {"name": f"Duta {uuid.uuid4().hex[:6]}", "phone": "+62 811-000-111"},
            "term_starts_on": str(starts or today() - timedelta(days=400)),
            "term_ends_on": str(today() + timedelta(days=700)),
        }
        answer = await ok(await self.partners.post("/ambassadors", json=body, headers=ACTOR), 201)
        return answer["id"], answer["position"]

    async def held(self, ambassador_id: str, position: int, **changes: Any) -> dict[str, Any]:
        """An outreach event recorded as held yesterday, led by `ambassador_id`."""
        body = {
            "title": "Sosialisasi Pokmas Lipas",
            "lead_ambassador_id": ambassador_id,
            "channel": "socialization",
            "held_on": str(today() - timedelta(days=1)),
            "place": {"name": "Balai Desa Kenjeran", "regency": "Kota Surabaya"},
            "topics": ["reintegrasi sosial"],
            "audience": {"general_public": 50, "students": 20},
            **changes,
        }
        headers = ACTOR | {"X-Partners-Position": str(position)}
        return await ok(await self.outreach.post("/outreach/held", json=body, headers=headers), 201)

    async def prospect(self, outreach_id: str, ambassador_id: str, name: str = "") -> str:
        body = {
            "outreach_id": outreach_id,
            "ambassador_id": ambassador_id,
            "kind": "community_organization",
            "name": name or f"Karang Taruna {uuid.uuid4().hex[:6]}",
            "contact": {"person_name": "Siti", "phone": "+62 812-3456-7890"},
            "interests": ["reintegration"],
        }
        answer = await ok(await self.outreach.post("/prospects", json=body, headers=ACTOR), 201)
        return answer["id"]  # type: ignore[no-any-return]

    async def register_partner(self, referral: str) -> dict[str, Any]:
        """A partner registered in partners naming `referral`: its answer."""
        body = {
            "kind": "community_organization",
            "name": f"Karang Taruna {uuid.uuid4().hex[:8]}",
            "contact": {"person_name": "Siti", "phone": "+62 812-3456-7890"},
            "interests": ["reintegration"],
            "referral": referral,
        }
        return await ok(await self.partners.post("/partners", json=body, headers=ACTOR), 201)


@asynccontextmanager
async def services(make: Callable[..., Settings], region: str) -> AsyncIterator[Services]:
    """Partners and outreach of `region`, both real, each in a database of its own."""
    outreach_settings = make("outreach", region)
    async with AsyncExitStack() as stack:
        partners = await stack.enter_async_context(
            running_app(create_partners(make("partners", region)))
        )
        outreach = await stack.enter_async_context(running_app(create_outreach(outreach_settings)))
        yield Services(region, partners, outreach, outreach_settings)
