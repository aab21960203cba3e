"""`/docs` works on an office network with no internet: Swagger UI comes from the service itself.

The real partners service (its own process) is opened in Chromium with every
request to another machine aborted; the page must render the operations, load
nothing from elsewhere and log no error. The screenshot is kept (in the test's
folder, or in `PAS_SCREENSHOTS` when set) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Page

from sahabat.processes import ServiceProcess
from tests.browser import offline

pytestmark = pytest.mark.e2e


async def test_docs_render_the_operations_with_no_internet(
    page: Page, partners_process: ServiceProcess, tmp_path: Path
) -> None:
    blocked = await offline(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    await page.goto(f"{partners_process.url}/docs", wait_until="networkidle")
    await page.wait_for_selector(".opblock", timeout=20_000)

    operations = await page.locator(".opblock-summary-path").all_inner_texts()
    paths = {text.replace("\u200b", "").strip() for text in operations}
    assert {"/partners", "/partners/{partner_id}", "/agreements", "/ambassadors"} <= paths
    assert await page.locator(".opblock-summary-method", has_text="POST").count() >= 8
    assert "Sahabat" in await page.locator(".info .title").inner_text()

    # Open one command: its 201 result and the problem answers are documented.
    await page.locator("#operations-partners-register_partners_post").click()
    await page.wait_for_selector(".responses-table", timeout=10_000)
    codes = set(await page.locator(".responses-table td.response-col_status").all_inner_texts())
    assert {"201", "409", "413", "422"} <= {code.strip() for code in codes}

    folder = Path(os.environ.get("PAS_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(folder / "docs-offline.png"), full_page=False)

    assert blocked == [], f"/docs asked another machine for {blocked}"
    assert requested and all(url.startswith(partners_process.url) for url in requested), requested
    assert page.console_errors == []  # type: ignore[attr-defined]
