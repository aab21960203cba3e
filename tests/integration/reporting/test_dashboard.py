"""The dashboard in Debian's Chromium: no console error, charts drawn, every number equal to
the JSON report of the same scope, region / period / language switching; keeps a screenshot
at build/screenshots/dashboard.png (git-ignored), or in the folder PAS_SCREENSHOTS names
(`PAS_SCREENSHOTS=docs/screenshots` refreshes the committed one)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from tests.unit.reporting.generated import generate

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # the generated history ends on 30 November
REGIONS = ("jatim", "jabar", "sulsel", "papua")
SHOTS = Path(os.environ.get("PAS_SCREENSHOTS", Path(__file__).parents[3] / "build/screenshots"))


def _pick(body: Any, path: str) -> Any:
    for key in path.split("."):
        body = body.get(key) if isinstance(body, dict) else None
    return body


async def _figures_equal_api(page: Page, url: str, params: dict[str, str]) -> int:
    """Every number shown equals the report's; how many were compared."""
    async with httpx.AsyncClient() as client:
        report = (await client.get(f"{url}/reports/evaluation", params=params)).json()
    shown = await page.eval_on_selector_all(
        "[data-figure]", "els => els.map(e => [e.dataset.figure, e.dataset.value, e.textContent])"
    )
    assert len(shown) > 60
    thousands, decimal = (
        (".", ",") if await page.get_attribute("html", "lang") == "id" else (",", ".")
    )
    for path, value, text in shown:
        expected = _pick(report, path)
        if expected is None:
            assert (value, text) == ("null", "–"), path
        else:
            assert float(value) == float(expected), path
            digits = text.replace(thousands, "").replace(decimal, ".")
            assert float(digits) == pytest.approx(float(expected)), (path, text)
    return len(shown)


COLUMNS = (  # the regions table's figures (dashboard.js REGION_COLUMNS)
    "partners.registered",
    "agreements.active",
    "programs.proposed",
    "programs.completed",
    "participation.participants",
    "outreach.held",
    "outreach.audience",
    "prospects.converted",
)


async def _regions_with_data_first_the_rest_folded(page: Page, url: str) -> None:
    """The national table lists the regions with any figure first, by partners registered then
    programs proposed (most first); the regions with none are one line that opens and closes."""
    async with httpx.AsyncClient() as client:
        report = (
            await client.get(f"{url}/reports/evaluation", params={"by_region": "true"})
        ).json()
    regions = report["regions"]
    filled = {code for code, inner in regions.items() if any(_pick(inner, p) for p in COLUMNS)}
    assert len(filled) == len(REGIONS) and len(regions) == 33
    shown = await page.eval_on_selector_all(
        "#regions-table tbody.with-data tr", "rows => rows.map(r => r.dataset.region)"
    )
    assert set(shown) == filled
    keys = [
        (_pick(regions[c], "partners.registered"), _pick(regions[c], "programs.proposed"))
        for c in shown
    ]
    assert keys == sorted(keys, reverse=True), keys
    folded = page.locator("#regions-empty")
    toggle = page.locator("#regions-empty-toggle")
    assert await folded.is_hidden() and await toggle.get_attribute("aria-expanded") == "false"
    words = (await toggle.inner_text()).strip(" ▸")
    assert words == f"{33 - len(filled)} wilayah belum mencatat data"
    await toggle.click()
    assert await folded.is_visible() and await toggle.get_attribute("aria-expanded") == "true"
    hidden_rows = await folded.locator("tr").evaluate_all("rows => rows.map(r => r.dataset.region)")
    assert len(hidden_rows) == 33 - len(filled) and not set(hidden_rows) & filled
    for code in hidden_rows:  # nothing at all, as the JSON says
        assert not any(_pick(regions[code], p) for p in COLUMNS), code
    await toggle.click()
    assert await folded.is_hidden()


async def _ready(page: Page, scope: str) -> None:
    await page.wait_for_function(
        "s => document.body.dataset.state === 'ready' && document.body.dataset.scope === s",
        arg=scope,
    )


async def test_dashboard(
    page: Page, reporting_settings: Settings, private_nats: tuple[str, NATS]
) -> None:
    history = generate(REGIONS, 40)
    await publish(private_nats[1], history.items)
    last = history.positions[(REGIONS[-1], "outreach")]
    blocked = await offline(page)
    app = create(reporting_settings, ReportingRuntime(reporting_settings, clock=lambda: NOW))
    async with serving(app) as url:
        async with httpx.AsyncClient() as client:
            answer = await client.get(
                f"{url}/reports/evaluation",
                headers={"X-Outreach-Position": f"{REGIONS[-1]}/{last}"},
            )
            assert answer.status_code == 200
        await page.goto(url)
        await _ready(page, "")
        assert await page.locator("html").get_attribute("lang") == "id"
        assert "Laporan Evaluasi" in await page.locator("h1").inner_text()
        charts = await page.evaluate(
            "Object.values(SahabatCharts.charts).map(c => [c.canvas.id, c.width, c.height,"
            " c.data.datasets.reduce((n, d) => n + d.data.filter(v => v).length, 0)])"
        )
        assert len(charts) == 5
        for chart_id, width, height, points in charts:
            assert width > 100 and height > 100 and points > 0, chart_id
        assert await _figures_equal_api(page, url, {"by_region": "true"}) > 200
        await _regions_with_data_first_the_rest_folded(page, url)
        SHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)
        if os.environ.get("PAS_SCREENSHOT_TOP"):
            await page.screenshot(path=os.environ["PAS_SCREENSHOT_TOP"])

        await page.select_option("#region", "jabar")  # switching region
        await _ready(page, "region=jabar")
        assert await page.locator("#regions-panel").is_hidden()
        await _figures_equal_api(page, url, {"region": "jabar"})

        await page.fill("#from", "2026-01-01")  # switching period
        await page.fill("#to", "2026-06-30")
        await page.click("button[type=submit]")
        await _ready(page, "region=jabar&from=2026-01-01&to=2026-06-30")
        await _figures_equal_api(
            page, url, {"region": "jabar", "from": "2026-01-01", "to": "2026-06-30"}
        )

        await page.click("#lang-en")  # switching language keeps the scope and the numbers
        assert await page.locator("html").get_attribute("lang") == "en"
        assert "Evaluation Report" in await page.locator("h1").inner_text()
        assert "lang=en" in page.url
        await _figures_equal_api(
            page, url, {"region": "jabar", "from": "2026-01-01", "to": "2026-06-30"}
        )
        await page.click("#lang-id")
        assert "Laporan" in await page.locator("h1").inner_text()

        await page.select_option("#region", "")  # back to national, then into a region's row
        await _ready(page, "from=2026-01-01&to=2026-06-30")
        await page.click("#regions-table a[data-region=sulsel]")
        await _ready(page, "region=sulsel&from=2026-01-01&to=2026-06-30")
        await _figures_equal_api(
            page, url, {"region": "sulsel", "from": "2026-01-01", "to": "2026-06-30"}
        )
        await page.emulate_media(media="print")
        assert await page.locator("#controls").is_hidden()
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert blocked == []
