"""Fixtures of the backbone's integration tests."""

import asyncpg
import pytest

from tests.integration.support import Kit


@pytest.fixture
async def kit(pool: asyncpg.Pool) -> Kit:
    """One test's own service log (store set up), its events and registry."""
    kit = Kit(pool)
    await kit.store.setup()
    return kit
