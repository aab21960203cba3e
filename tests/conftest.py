"""Fixtures: the project's own dev stack (real NATS and PostgreSQL), started once per session.

With PAS_NATS_URL / PAS_DATABASE_URL set, those servers are used instead.
Every test that needs a database gets its own, so tests never clean up after
each other.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import nats
import pytest
from fastapi import FastAPI
from nats.aio.client import Client as NATS

from shared.databases import drop_database, ensure_database
from shared.devstack.stack import DevStack, StackInfo
from shared.jetstream import ensure_event_streams
from shared.settings import Settings

STREAM = "PAS_EVENTS"
pytest_plugins = ["tests.browser"]


def pytest_configure(config: pytest.Config) -> None:
    """Each run gets a temp folder of its own, unless --basetemp names one.

    pytest's numbered folders (/tmp/pytest-of-<user>/pytest-N) keep only the
    last three, and a run that starts while another one is going may remove
    the older run's folder, with the PostgreSQL and NATS data of its dev stack.
    """
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="sahabat-tests-")
        config.stash[_OWN_BASETEMP] = config.option.basetemp


def pytest_unconfigure(config: pytest.Config) -> None:
    own = config.stash.get(_OWN_BASETEMP, None)
    if own is not None:
        shutil.rmtree(own, ignore_errors=True)


_OWN_BASETEMP = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackInfo]:
    dev = DevStack(tmp_path_factory.mktemp("stack"))
    info = dev.start()
    try:
        yield info
    finally:
        dev.stop()


@pytest.fixture(scope="session")
async def nc(stack: StackInfo) -> AsyncIterator[NATS]:
    client = await nats.connect(stack.nats_url)
    await ensure_event_streams(client.jetstream(), STREAM)
    try:
        yield client
    finally:
        await client.drain()


@pytest.fixture
async def database_url(stack: StackInfo) -> AsyncIterator[str]:
    name = f"pas_test_{uuid.uuid4().hex[:12]}"
    url = await ensure_database(stack.database_url, name)
    try:
        yield url
    finally:
        await drop_database(stack.database_url, name)


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    created = await asyncpg.create_pool(database_url, min_size=1, max_size=10)
    try:
        yield created
    finally:
        await created.close()


@pytest.fixture
async def service_settings(
    stack: StackInfo, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Callable[..., Settings]]:
    """Settings for a service in a fresh database of its own (same NATS, same stream).

    Its state (the checkpoint signing key) is in a temporary folder of its own.

    The service creates the database when it starts; it is dropped after the test,
    so a run against servers of your own leaves nothing behind.
    """
    from shared.databases import database_url as url_on_server

    created: list[str] = []

    def make(service: str, region: str = "jatim") -> Settings:
        name = f"pas_test_{service}_{uuid.uuid4().hex[:10]}"
        created.append(name)
        return Settings(
            service=service,
            region=region,
            nats_url=stack.nats_url,
            server_url=stack.database_url,
            database_url=url_on_server(stack.database_url, name),
            database_name=name,
            stream=STREAM,
            state_dir=str(tmp_path_factory.mktemp("state")),
        )

    yield make
    for name in created:
        await drop_database(stack.database_url, name)


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run an app's lifespan in this loop and talk to it over ASGI (real NATS and PostgreSQL)."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
