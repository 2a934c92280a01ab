"""The map application's own files (geo/map/web/), and a digest of them: no folium here, so the dashboard can
ask whether a map page is already made before importing the map's modules."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from geo.base.paths import PACKAGE_DIR

WEB_DIR = Path(__file__).resolve().parent / "web"
APP_JS = WEB_DIR / "map_app.js"
APP_CSS = WEB_DIR / "map_app.css"
PANELS_HTML = WEB_DIR / "panels.html"
EMBEDDED_BODY = '<div id="syria-timeline" role="group"></div>'  # the dashboard draws the panels itself


def app_files() -> tuple[str, str]:
    """The application's JavaScript and CSS, as in geo/map/web/."""
    return APP_JS.read_text(encoding="utf-8"), APP_CSS.read_text(encoding="utf-8")


def standalone_panels() -> str:
    """The standalone page's panels (geo/map/web/panels.html), without the file's leading comment."""
    text = PANELS_HTML.read_text(encoding="utf-8")
    return text[text.index("-->") + 3 :].strip() if text.startswith("<!--") else text.strip()


@lru_cache(maxsize=1)
def app_version() -> str:
    """A digest of the code that makes a map page (the application's files and the geo package): a page made by
    other code is a different page, so one kept on disk from an earlier server is used only when it is the same."""
    digest = hashlib.sha256()
    for path in sorted((*WEB_DIR.glob("*.*"), *PACKAGE_DIR.rglob("*.py"))):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
