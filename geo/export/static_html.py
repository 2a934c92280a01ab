"""The standalone map: one self-contained HTML file with the whole timeline, moved in the browser.

`build_html(dataset, timeline, territory=None)` returns a page that needs no Python
server: open the file, or put it on any static host or CDN, and it shows the same
day-by-day map as the dashboard (slider, play/stop, previous/next, legend with counts,
what changed, each place's history on click). The day is in the URL fragment
(`map.html#date=2024-12-06`, with `&place=aleppo` for a place's history and `&compare=...` for a
comparison; the first exports' `#2024-12-06/aleppo` still works), so a link opens that view, and the
fragment never reaches the host's logs.

What is inside:
- Leaflet's JS and CSS, read at export time from static/vendor/ or node_modules/
  (`./scripts/setup_assets.sh` installs them from npm; they are never committed). When
  neither has them, `leaflet="cdn"` (or "auto") links the pinned version on jsDelivr
  with its Subresource Integrity hash instead; the page then needs the network.
- The data, once, as JSON in `<script type="application/json">` (`<`, `>`, `&` and the
  JS line separators escaped, so no text can end the element): geo.map.payload's timeline,
  with the zones' cells as fixed geometry when zones are included.
- The map application the dashboard uses too (geo/map/web/map_app.js, geo/map/page.py): it builds every
  element with DOM calls and puts data text in with `textContent` only; links are made only for
  http(s) URLs. The markers' SVG symbols are built in Python from whitelisted shapes and checked
  colours (geo.view.look.icon_svg) and parsed by the page as SVG, never as HTML.
- A Content-Security-Policy: only the page's own inline scripts (by hash) may run, so even
  markup that slipped into the page could not run code; no fetch or XHR; images only
  from the page itself and the tile server.

Map tiles (CARTO light, as in the dashboard, or OpenStreetMap, or none) are the only
thing loaded from the network; offline the map shows Syria's outline without them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from geo.base.model import Dataset
from geo.base.paths import PROJECT_DIR
from geo.map.assets import LEAFLET_VERSION, VENDOR_DIR
from geo.map.page import embedded_data, standalone_page
from geo.map.payload import map_payload
from geo.map.render import place_bounds
from geo.timeline.control import Timeline

NODE_MODULES = PROJECT_DIR / "node_modules"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/"
# Subresource Integrity of the npm files of Leaflet 1.9.3 (what jsDelivr serves); checked by a test against node_modules.
LEAFLET_SRI = {
    "leaflet.js": "sha384-okbbMvvx/qfQkmiQKfd5VifbKZ/W8p1qIsWvE1ROPUfHWsDcC8/BnHohF7vPg2T6",
    "leaflet.css": "sha384-o/2yZuJZWGJ4s/adjxVW71R+EO/LyCwdQfP5UWSgX/w87iiTXuvDZaejd3TsN7mf",
}
TILES = ("carto", "osm")


class AssetsMissing(RuntimeError):
    """Leaflet's files are not installed (run ./scripts/setup_assets.sh), and no CDN fallback was allowed."""


# --- Leaflet ------------------------------------------------------------------------------
def leaflet_dir() -> Path | None:
    """Leaflet's dist/ folder: static/vendor first (what the dashboard serves), then node_modules."""
    for base in (VENDOR_DIR / "leaflet" / "dist", NODE_MODULES / "leaflet" / "dist"):
        if (base / "leaflet.js").is_file() and (base / "leaflet.css").is_file():
            return base
    return None


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _script_safe(js: str) -> str:
    """JS text that cannot end its <script> element early (no '</script', no '<!--')."""
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def _inline_leaflet(folder: Path) -> tuple[str, str]:
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)  # the .map file is not bundled
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        image = folder / "images" / match.group(1)
        if not image.is_file():
            return "url(data:,)"
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css)
    css = css.replace("</", "<\\/")
    return _script_safe(js), css


# --- the page --------------------------------------------------------------------------------
def build_html(
    dataset: Dataset, timeline: Timeline, territory=None, tiles: str = "carto", leaflet: str = "inline", lang: str = "en"
) -> str:
    """The standalone page (text/html). tiles: "carto", "osm" or "none"; leaflet: "inline" (fail if Leaflet's
    files are missing: AssetsMissing), "cdn" (link jsDelivr with SRI) or "auto" (inline when installed, else cdn).
    lang: the page's language; the dataset and timeline are named in it (geo.view.localize)."""
    if tiles not in (*TILES, "none"):
        raise ValueError(f"tiles must be one of {', '.join((*TILES, 'none'))}")
    if leaflet not in ("inline", "cdn", "auto"):
        raise ValueError("leaflet must be 'inline', 'cdn' or 'auto'")
    folder = leaflet_dir() if leaflet != "cdn" else None
    if folder is None and leaflet == "inline":
        raise AssetsMissing("Leaflet's files are missing from static/vendor/ and node_modules/: run ./scripts/setup_assets.sh")
    payload = map_payload(dataset, timeline, territory, lang=lang)
    bounds = place_bounds(dataset)
    tile_name = tiles if tiles != "none" else None
    if folder is not None:
        js, css = _inline_leaflet(folder)
        return standalone_page(payload, bounds, dataset.title, tile_name, js, css)
    cdn = (f"{LEAFLET_CDN}leaflet.js", LEAFLET_SRI["leaflet.js"], f"{LEAFLET_CDN}leaflet.css", LEAFLET_SRI["leaflet.css"])
    return standalone_page(payload, bounds, dataset.title, tile_name, None, None, cdn)


def html_bytes(
    dataset: Dataset, timeline: Timeline, territory=None, tiles: str = "carto", leaflet: str = "auto", lang: str = "en"
) -> bytes:
    """`build_html` as UTF-8 bytes, for a download button (falls back to the CDN when Leaflet is not installed)."""
    return build_html(dataset, timeline, territory, tiles, leaflet, lang).encode("utf-8")


__all__ = ["LEAFLET_CDN", "LEAFLET_SRI", "AssetsMissing", "build_html", "embedded_data", "html_bytes", "leaflet_dir", "sri"]
