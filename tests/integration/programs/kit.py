"""Helpers for the programs integration tests: both services in-process, ready partners, units.

Each test that relies on `X-Partners-Position` runs both services in a region
whose partners log no earlier test of the session has written to: tests share
one NATS stream, and every test's partners service starts its own log at
position 1, so in a shared region an older log's positions would satisfy the
wait before this test's events arrive. (In production a region has one
partners log, and positions are unambiguous.)
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from nats.aio.client import Client as NATS

from services.partners.app import create as create_partners
from services.programs.app import create as create_programs
from shared.regions import all_regions
from shared.settings import Settings
from tests.conftest import STREAM, running_app

ACTOR = {"X-Actor": "sri.wahyuni@kanwil"}
_TAKEN: set[str] = set()
_KEPT = {"jatim", "ntt"}  # jatim is everyone's; ntt belongs to the partners e2e test


def today() -> date:
    return datetime.now(UTC).date()


async def fresh_region(nc: NATS) -> str:
    """A region with no partners events in the stream yet (and not handed out before)."""
    info = await nc.jetstream().stream_info(STREAM, subjects_filter="pas.events.*.partners.>")
    used = {subject.split(".")[2] for subject in (info.state.subjects or {})}
    for region in reversed(all_regions()):  # from the end: other tests favour jatim, ntt, dki
        if region.code not in used | _TAKEN | _KEPT:
            _TAKEN.add(region.code)
            return region.code
    raise RuntimeError("every region already has partners events in this session's stream")


@dataclass
class Services:
    """The partners and programs apps of one region, and how to reach them."""

    region: str
    partners: httpx.AsyncClient
    programs: httpx.AsyncClient
    programs_settings: Settings


@asynccontextmanager
async def services(make: Callable[..., Settings], region: str) -> AsyncIterator[Services]:
    """Partners and programs of `region`, both real, each in a database of its own."""
    programs_settings = make("programs", region)
    async with AsyncExitStack() as stack:
        partners = await stack.enter_async_context(
            running_app(create_partners(make("partners", region)))
        )
        programs = await stack.enter_async_context(running_app(create_programs(programs_settings)))
        yield Services(region, partners, programs, programs_settings)


async def ok(response: Any, status: int = 200) -> dict[str, Any]:
    """The JSON body, after checking the status (the body is shown when it differs)."""
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


async def ready_partner(partners: httpx.AsyncClient, name: str | None = None) -> tuple[str, int]:
    """A partner registered, verified and under an MoU valid today; (id, last position)."""
    name = name or f"Yayasan Peduli Pemasyarakatan {uuid.uuid4().hex[:6]}"
    body = {
        "kind": "community_organization",
        "name": name,
        "contact": {"person_name": "Rina", "email": "rina@example.org"},
        "interests": ["independence"],
    }
    partner_id = (await ok(await partners.post("/partners", json=body, headers=ACTOR), 201))["id"]
    await ok(await partners.post(f"/partners/{partner_id}/verify", headers=ACTOR))
    agreement = {
        "partner_id": partner_id,
        "instrument": "mou",
        "number": f"MOU/{name[-6:]}",
        "scope": "Pembinaan kemandirian",
        "signed_level": "kanwil",
        "starts_on": str(today() - timedelta(days=30)),
        "ends_on": str(today() + timedelta(days=365)),
    }
    signed = await ok(await partners.post("/agreements", json=agreement, headers=ACTOR), 201)
    return partner_id, signed["position"]


async def register_unit(programs: httpx.AsyncClient, region: str, **changes: Any) -> str:
    body = {
        "code": f"LP-{uuid.uuid4().hex[:8]}",
        "name": "Lapas Kelas I Surabaya",
        "type": "lapas",
        "region": region,
        **changes,
    }
    return (await ok(await programs.post("/units", json=body, headers=ACTOR), 201))["id"]  # type: ignore[no-any-return]


def proposal(unit_id: str, lead: str, *co: str, **changes: Any) -> dict[str, Any]:
    return {
        "title": "Pelatihan Barista bagi Warga Binaan",
        "unit_id": unit_id,
        "lead_partner_id": lead,
        "co_partner_ids": list(co),
        "track": "independence",
        "target_group": "Warga Binaan laki-laki dewasa",
        "planned_participants": 25,
        "planned_sessions": 12,
        "starts_on": str(today() - timedelta(days=10)),
        "ends_on": str(today() + timedelta(days=200)),
        "funding_source": "csr",
        **changes,
    }


def position_header(position: int) -> dict[str, str]:
    return ACTOR | {"X-Partners-Position": str(position)}
