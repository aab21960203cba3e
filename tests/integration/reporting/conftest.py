"""A reporting service of one test on a NATS server of its own (the session's stream holds
other tests' partners and programs events, which the national report would count). Every
problem it answers a test must be documented in its OpenAPI for that route."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.aio.client import Client as NATS

from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.http.problems import PROBLEM
from shared.jetstream import ensure_event_streams
from shared.readmodel import Delivered
from shared.settings import Settings
from tests.conftest import STREAM, running_app
from tests.integration.support import PrivateNats

NOW = datetime(2030, 11, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
async def private_nats(tmp_path: Path) -> AsyncIterator[tuple[str, NATS]]:
    server = PrivateNats(tmp_path)
    server.start()
    client = await nats.connect(server.url)
    await ensure_event_streams(client.jetstream(), STREAM)
    try:
        yield server.url, client
    finally:
        await client.close()
        server.stop()


async def publish(nc: NATS, items: list[Delivered]) -> None:
    js = nc.jetstream()
    for item in items:
        recorded = item.recorded
        await js.publish(
            recorded.nats_subject, recorded.to_cloudevent_bytes(), headers=recorded.headers()
        )


def documented_problems(document: dict[str, Any]) -> Callable[[httpx.Response], Any]:
    """An httpx response hook: a problem answered by a route its OpenAPI does not list fails."""

    async def check(response: httpx.Response) -> None:
        operation = document["paths"].get(response.request.url.path, {})
        responses = operation.get(response.request.method.lower(), {}).get("responses")
        if response.status_code >= 400 and responses is not None:
            listed = responses.get(str(response.status_code), {}).get("content", {})
            assert PROBLEM in listed, (
                f"{response.request.method} {response.request.url.path} answered "
                f"{response.status_code}, which its OpenAPI does not list"
            )

    return check


@asynccontextmanager
async def reporting(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    runtime = ReportingRuntime(settings, clock=lambda: NOW)
    app = create(settings, runtime)
    async with running_app(app) as client:
        client.event_hooks["response"].append(documented_problems(app.openapi()))
        yield client


@pytest.fixture
def reporting_settings(
    service_settings: Callable[..., Settings], private_nats: tuple[str, NATS]
) -> Settings:
    return dataclasses.replace(service_settings("reporting"), nats_url=private_nats[0])
