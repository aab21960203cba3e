"""Fixtures of the partners integration tests: each test its own database and app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from shared.settings import Settings
from tests.integration.partners.kit import partners_app


@pytest.fixture
def settings(service_settings: Callable[..., Settings]) -> Settings:
    return service_settings("partners")


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with partners_app(settings) as (c, _):
        yield c
