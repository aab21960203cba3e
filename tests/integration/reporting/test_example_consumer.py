"""The README's example consumer runs: a durable consumer, the CloudEvents SDK, and a restart
that goes on where it stopped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client as NATS

from tests.integration.reporting.conftest import publish
from tests.unit.reporting.scenario import build

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "consumer.py"


def _run(url: str, *extra: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--nats", url, "--once", *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


async def test_example_consumer(private_nats: tuple[str, NATS]) -> None:
    url, nc = private_nats
    history = build()
    await publish(nc, history.items)
    first = _run(url)
    assert first == {
        "events": len(history.items),
        "outreach_audience_by_region": {"jatim": 60, "ntt": 30},
    }
    assert _run(url) == {"events": 0, "outreach_audience_by_region": {}}  # durable: nothing new
    only = _run(url, "--subject", "pas.events.ntt.>", "--durable", "ntt-only")
    assert only["outreach_audience_by_region"] == {"ntt": 30}
