"""The browser fixture itself: Chromium renders a page and `offline` blocks other machines."""

from __future__ import annotations

from playwright.async_api import Page

from tests.browser import offline


async def test_renders_and_blocks_other_machines(page: Page) -> None:
    blocked = await offline(page)
    await page.set_content('<h1 id="t">Sahabat</h1><img src="http://example.invalid/x.png">')
    await page.wait_for_load_state("load")
    assert await page.text_content("#t") == "Sahabat"
    assert blocked == ["http://example.invalid/x.png"]
