"""Debian's chromium driven by Playwright, with every request outside localhost refused: for the
browser tests and the benchmark (the map must draw with no network)."""
from __future__ import annotations

import contextlib

from observatory.present import deck

LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:")


@contextlib.contextmanager
def offline_browser(viewport=(1366, 900)):
    """A chromium page whose every request outside localhost is aborted and recorded in `page.blocked`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=deck.CHROMIUM, args=deck.CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="fr-FR")
        blocked: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url.startswith(LOCAL):
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


SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (charts.some(chart => !chart.querySelector('.main-svg'))) return false;
    return document.fonts.status === 'loaded';
}"""


def settled(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its run and drawn it: the script is not running, no
    placeholder is left, every plotly chart is drawn and the fonts are loaded. A condition, never a
    fixed sleep: as fast as the machine allows, and still right on a loaded one."""
    page.wait_for_function(SETTLED, timeout=timeout)
