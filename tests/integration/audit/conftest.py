"""Fixtures of the auditing tests: a signed log of 260 events with three checkpoints."""

from pathlib import Path

import asyncpg
import pytest
from nats.aio.client import Client as NATS

from tests.integration.audit.kit import SignedLog, signed_log
from tests.integration.reporting.conftest import (  # noqa: F401 - the bundle report's fixtures
    private_nats,
    reporting_settings,
)


@pytest.fixture
async def signed(pool: asyncpg.Pool, nc: NATS, tmp_path: Path) -> SignedLog:
    return await signed_log(pool, nc, tmp_path / "state")
