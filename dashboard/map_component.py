"""The dashboard's map: the browser's map application (geo/map/web/map_app.js) in a custom component.

The page of the map (folium's base map, the application and the whole timeline: geo.map.page) is
written once per dataset into the app's static folder and shown in an iframe by a Streamlit custom
component v2 (dashboard/web/host.js), which relays the settled day, clicks and Back/Forward between the map
and Streamlit. Moving the day is the browser's own work: only a settled view comes back as a rerun.
Only public APIs: `st.components.v2.component` and the app's static file serving.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.web_files import HOST_JS
from geo.base.atomic import write_bytes
from geo.base.paths import PROJECT_DIR
from geo.view.words import words

STATIC_DIR = PROJECT_DIR / "static"
MAPS_DIR = STATIC_DIR / "maps"
KEEP_PAGES = 8  # older datasets' pages are removed when a new one is written

_HOST = st.components.v2.component(
    "syria_map",
    html='<div class="syria-map-host"></div>',
    js=HOST_JS.read_text(encoding="utf-8"),
    isolate_styles=False,
)


def published(digest: str, maps_dir: Path = MAPS_DIR) -> str | None:
    """The URL of a dataset's map page when it was written before (by this server or an earlier one), else None."""
    name = f"{digest[:16]}.html"
    return f"app/static/maps/{name}" if (maps_dir / name).is_file() else None


def publish(digest: str, page: str, maps_dir: Path = MAPS_DIR) -> str:
    """Write the map page of a dataset (atomically) and return its URL relative to the app."""
    name = f"{digest[:16]}.html"
    maps_dir.mkdir(parents=True, exist_ok=True)
    target = maps_dir / name
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        write_bytes(target, page.encode("utf-8"))
    pages = sorted(maps_dir.glob("*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in pages[KEEP_PAGES:]:
        old.unlink(missing_ok=True)
    return f"app/static/maps/{name}"


def show(url: str, view: dict, height: int, key: str, on_view: Callable[[], None], on_place: Callable[[], None], lang: str = "en"):
    """Mount the map. `view`: day and compare (ISO dates), place, focus (bring the place into view), zones, fronts.
    `lang`: the page's language (the host sets the document's lang and direction: Streamlit has no option for it)."""
    data = {"url": url, "height": height, "lang": lang, "frameTitle": words(lang)["map_frame"], **view}
    return _HOST(key=key, data=data, height=height, on_view_change=on_view, on_place_change=on_place)
