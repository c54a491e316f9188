"""Leaflet served by Streamlit itself (static/ folder), so the map needs no CDN.

Leaflet's files come from the `xstatic-leaflet` package (BSD-2-Clause) and are copied into
`static/leaflet/` when a map is first drawn; Streamlit serves that folder at `app/static/`
(`enableStaticServing` in `.streamlit/config.toml`), where the map component's frame finds it
(`observatory/ui/area_map_frontend/index.html`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from observatory import paths

FILES = ("leaflet.js", "leaflet.css")


def leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as leaflet  # imported lazily: only the map needs it

    return Path(leaflet.BASE_DIR)


def ensure_leaflet(static_dir: Path = paths.STATIC_DIR) -> Path:
    target = static_dir / "leaflet"
    if all((target / name).is_file() for name in FILES):
        return target
    target.mkdir(parents=True, exist_ok=True)
    source = leaflet_dir()
    for name in FILES:
        shutil.copyfile(source / name, target / name)
    if (source / "images").is_dir():
        shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target
