"""Helpers for real-browser tests: a `streamlit run` server and Debian's chromium via Playwright."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from observatory.present import deck
from devtools.browser import offline_browser, settled  # noqa: F401  (used by the browser tests)
from devtools.server import free_port, streamlit_server  # noqa: F401

CHROMIUM = Path(deck.CHROMIUM)
CHROMIUM_FLAGS = deck.CHROMIUM_FLAGS
MAP_FRAME = 'iframe[title="observatory.ui.area_map.area_map"]'  # the map component's frame (ui/area_map.py)


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"chromium absent ({CHROMIUM}) : installez le paquet Debian « chromium » (fait par .ci/run)"
    if os.environ.get("OBSERVATORY_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)
