"""A real browser for the pages' tests: Debian's Chromium driven by Playwright.

Playwright's own browser download cannot work on these machines (no internet
beyond the package registries), so the suite drives `/usr/bin/chromium`
(`make test` installs Debian's `chromium` package when it is missing).
Registered for every test through `pytest_plugins` in tests/conftest.py:

- `browser`: one Chromium for the session;
- `page`: a fresh context and page per test; `page.console_errors` collects
  console errors and uncaught page errors, so a test can assert there are none;
- `offline(page)`: every request that does not go to this machine is aborted
  (and recorded in `page.blocked`), as on an office network without internet.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Without the background-networking flags Chromium keeps calling out (and, here, failing).
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed when the suite runs as root, as CI does
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """Where Chromium is: `PAS_CHROMIUM`, else Debian's `/usr/bin/chromium` (or on PATH)."""
    configured = os.environ.get("PAS_CHROMIUM")
    if configured:
        return configured
    found = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail("the browser tests need Debian's chromium: apt-get install chromium")
    return found


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = await context.new_page()
    errors: list[str] = []
    new_page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    new_page.console_errors = errors  # type: ignore[attr-defined]
    try:
        yield new_page
    finally:
        await context.close()


async def offline(page: Page) -> list[str]:
    """Abort every request to another machine; returns the list the aborted URLs go into."""
    blocked: list[str] = []

    async def only_local(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    await page.context.route("**/*", only_local)
    page.blocked = blocked  # type: ignore[attr-defined]
    return blocked
