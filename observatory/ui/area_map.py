"""The interactive map of areas: a small Streamlit component (`area_map_frontend/`, Leaflet with no
build step) that keeps the outlines in the browser.

The outlines of a territory are written once into the app's static folder, under a name taken from
their content, and fetched once by the browser; each rerun then sends only the areas' colours and
texts (`maps.choropleth`), so a change of profession or indicator costs kilobytes, not the outlines.
"""
from __future__ import annotations

import json
from pathlib import Path

import streamlit.components.v1 as components

from observatory import paths
from observatory.present import offline_assets
from observatory.files import write_atomically

SHAPES_DIR = paths.STATIC_DIR / "shapes"  # served at app/static/shapes/ (see .streamlit/config.toml)
_component = components.declare_component("area_map", path=str(Path(__file__).with_name("area_map_frontend")))


def _published(area_shapes: dict) -> bool:
    """Write the outlines file into the static folder unless it is there; False if it cannot be."""
    target = SHAPES_DIR / area_shapes["file_name"]
    if target.is_file():
        return True
    try:
        write_atomically(target, area_shapes["file"])  # whole or absent, even with two sessions writing it
        return True
    except OSError:
        return False


def area_map(spec: dict, area_shapes: dict, key: str, height: int) -> str | None:
    """Draw the map (`spec` from `maps.choropleth`); the code of the area last clicked, if any."""
    offline_assets.ensure_leaflet()
    inline = None if _published(area_shapes) else json.loads(area_shapes["file"])  # a read-only checkout
    value = _component(spec=spec, shapes_name=area_shapes["file_name"], shapes_inline=inline, height=height,
                       key=key, default=None)
    return (value or {}).get("code")
