"""The dashboard shows a past date: every number equals `GET /reports/evaluation?as_of=` of the
end of that day, and differs from today's report."""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
import pytest
from nats.aio.client import Client as NATS
from playwright.async_api import Page

from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from shared.settings import Settings
from tests.browser import offline
from tests.integration.reporting.conftest import publish
from tests.integration.reporting.serving import serving
from tests.integration.reporting.test_dashboard import NOW, REGIONS, _figures_equal_api
from tests.unit.reporting.generated import generate

pytestmark = pytest.mark.integration


async def test_the_dashboard_shows_a_past_date(
    page: Page, reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    history = generate(REGIONS, 40)
    await publish(private_nats[1], history.items)
    last = history.positions[(REGIONS[-1], "outreach")]
    blocked = await offline(page)
    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    async with serving(app) as url:
        async with httpx.AsyncClient() as client:
            today = await client.get(
                f"{url}/reports/evaluation",
                params={"region": "jatim"},
                headers={"X-Outreach-Position": f"{REGIONS[-1]}/{last}"},
            )
        await page.goto(f"{url}/?region=jatim&as_of=2025-06-30")
        # the first as-of answer replays the history: give a loaded machine time
        await page.wait_for_function("document.body.dataset.state === 'ready'", timeout=120_000)
        assert await page.input_value("#as-of-date") == "2025-06-30"
        assert "riwayat per 2025-06-30" in await page.locator("#scope-title").inner_text()
        params = dict(parse_qsl(await page.evaluate("document.body.dataset.scope")))
        assert params["as_of"].startswith("2025-") and params["as_of"].endswith("Z")
        assert await _figures_equal_api(page, url, params) > 60
        async with httpx.AsyncClient() as client:
            past = (await client.get(f"{url}/reports/evaluation", params=params)).json()
        assert past["as_of"] != today.json()["as_of"]
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert blocked == []
