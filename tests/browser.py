"""Helpers for real-browser tests: a `streamlit run` server and Debian's chromium via Playwright."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from observatory import deck
from devtools.server import free_port, streamlit_server  # noqa: F401  (used by the browser tests)

CHROMIUM = Path(deck.CHROMIUM)
CHROMIUM_FLAGS = deck.CHROMIUM_FLAGS


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"chromium absent ({CHROMIUM}) : installez le paquet Debian « chromium » (fait par .ci/run)"
    if os.environ.get("OBSERVATORY_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@contextlib.contextmanager
def offline_browser(viewport=(1366, 900)):
    """A chromium page whose every request outside localhost is aborted and recorded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="fr-FR")
        blocked: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:")):
                request_route.continue_()
            else:
                blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.blocked = blocked
        try:
            yield page
        finally:
            context.close()
            browser.close()
