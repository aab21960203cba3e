"""The dashboard shows a past date: every number equals `GET /reports/evaluation?as_of=` of the
end of that day, and differs from today's report."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl

import httpx
import pytest
from nats.aio.client import Client as NATS
from playwright.async_api import Page

from services.reporting.app import create
from services.reporting.runtime import ReportingRuntime
from services.reporting.zones import today_in
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
        # the end of 30 June where jatim is (WIB, UTC+7), whatever the browser's time zone
        assert params["as_of"] == "2025-06-30T16:59:59.999Z"
        assert await _figures_equal_api(page, url, params) > 60
        async with httpx.AsyncClient() as client:
            past = (await client.get(f"{url}/reports/evaluation", params=params)).json()
        assert past["as_of"] != today.json()["as_of"]
        # the lists are of the day shown too: as the history stood then, counted from that day
        # (a day after the generated history was recorded, months before the test's today)
        await page.goto(f"{url}/?region=jatim&as_of=2026-06-30")
        await page.wait_for_function(
            "document.body.dataset.state === 'ready' && document.body.dataset.scope"
            ".includes('as_of=2026-06-30')",
            timeout=120_000,
        )
        params = dict(parse_qsl(await page.evaluate("document.body.dataset.scope")))
        compared = 0
        for table, path, limit, cells in (
            ("stuck", "/reports/programs/stuck", {"days": "90"}, ("unit_code", "days_in_step")),
            (
                "expiring",
                "/reports/agreements/expiring",
                {"within_days": "90"},
                ("number", "days_left"),
            ),
        ):
            asked = {"region": "jatim", **limit, "as_of": params["as_of"]}
            async with httpx.AsyncClient() as client:
                then = (await client.get(f"{url}{path}", params=asked)).json()
                live = (await client.get(f"{url}{path}", params={**asked, "as_of": ""})).json()
            day = today_in("jatim", datetime.fromisoformat(params["as_of"].replace("Z", "+00:00")))
            assert then["today"] == day.isoformat() and live["today"] != then["today"]
            rows = await page.eval_on_selector_all(
                f"#{table}-table tbody tr",
                "rs => rs.map(r => [...r.cells].map(c => c.textContent))",
            )
            shown = [(row[1], row[-1].replace(".", "")) for row in rows if len(row) > 1]
            expected = [(item[cells[0]], str(item[cells[1]])) for item in then["items"][:20]]
            assert shown == expected, table
            assert then["items"] != live["items"], table  # not today's list
            link = await page.get_attribute(f"#{table}-csv", "href")
            assert link and "as_of=" in link, table
            compared += len(shown)
        assert compared > 0  # not an empty comparison
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert blocked == []
