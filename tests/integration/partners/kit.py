"""Helpers of the partners integration tests: the app with a clock the test moves, bodies,
problem checks and short-cuts for registering and verifying partners."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from services.partners.app import create
from shared.settings import Settings
from tests.conftest import running_app

ACTOR = "budi@kanwil-jatim"
HEADERS = {"X-Actor": ACTOR}
TODAY = date(2026, 3, 2)
PROBLEM = "application/problem+json"


class FakeClock:
    """A service clock the test moves by hand (UTC, timezone-aware)."""

    def __init__(self, day: date = TODAY) -> None:
        self.now = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)


@asynccontextmanager
async def partners_app(
    settings: Settings, clock: FakeClock | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """The partners app running in this loop, a client for it, and the app (for its runtime)."""
    app = create(settings, clock=clock or FakeClock())
    async with running_app(app) as client:
        yield client, app


# --- request bodies ---------------------------------------------------------------------------


def individual(nik: str = "3578011203850001", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "individual",
        "nik": nik,
        "contact": {"person_name": "Siti Rahayu", "phone": "+62 812-3456-7890"},
        "interests": ["reintegration"],
    } | extra


def organisation(
    name: str | None = "Pokmas Lipas Surabaya", kind: str = "community_organization", **extra: Any
) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "contact": {"person_name": "Ahmad Fauzi", "email": "ahmad@example.org"},
        "interests": ["independence", "personality_development"],
    } | extra


def mou(
    partner_id: str,
    *,
    starts_on: date = date(2026, 1, 15),
    ends_on: date = date(2028, 1, 14),
    **extra: Any,
) -> dict[str, Any]:
    return {
        "partner_id": partner_id,
        "instrument": "mou",
        "number": "W15-PK.01.05-123",
        "scope": "Pelatihan kemandirian warga binaan",
        "signed_level": "kanwil",
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    } | extra


def assert_problem(
    response: httpx.Response, status: int, code: str, field: str | None = None
) -> dict[str, Any]:
    """`response` is an RFC 9457 problem with this status and code (and naming `field`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert {"type", "title", "detail", "instance"} <= body.keys()
    if field is not None:
        named = {body.get("field")} | {e["field"] for e in body.get("errors", [])}
        assert field in named, body
    return body


async def register(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> str:
    response = await client.post("/partners", json=body, headers=HEADERS | headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


async def verified(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    partner_id = await register(client, body)
    response = await client.post(f"/partners/{partner_id}/verify", headers=HEADERS)
    assert response.status_code == 200, response.text
    return partner_id


async def history(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()["history"]  # type: ignore[no-any-return]
