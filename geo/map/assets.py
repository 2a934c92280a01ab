"""The map's JavaScript and CSS, served by the app itself so the map works offline.

folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. This map needs
only Leaflet (no popups with Bootstrap, no awesome-marker icons, no $.ajax), so the
base map's asset lists are cut down to Leaflet's JS and CSS. `npm ci` installs the
same Leaflet version folium pins (package.json), `scripts/vendor_assets.py` copies
the files below into `static/vendor/` (gitignored), and Streamlit serves that folder
(`.streamlit/config.toml`: `server.enableStaticServing = true`) under `/app/static/`.
A file that is missing there falls back to its CDN URL, so a checkout that skipped
the npm step still works online.

The URLs are relative to the st_folium component's iframe
(`<base>/component/streamlit_folium.st_folium/index.html`), so they also work when
the app is served under a base URL path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.base.paths import PROJECT_DIR

VENDOR_DIR = PROJECT_DIR / "static" / "vendor"
# From the component iframe at <base>/component/<name>/index.html up to <base>/app/static/vendor/.
VENDOR_URL = "../../app/static/vendor/"


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # folium's name for it (the key in Map.default_js / default_css)
    kind: str  # "js" | "css"
    package: str  # npm package
    version: str  # pinned in package.json; the same as folium's CDN URL
    path: str  # file inside the npm package
    cdn: str  # folium's CDN URL, the fallback

    @property
    def vendored(self) -> str:
        """Path under static/vendor/."""
        return f"{self.package}/{self.path}"


LEAFLET_VERSION = "1.9.3"
ASSETS: tuple[Asset, ...] = (
    Asset(
        "leaflet",
        "js",
        "leaflet",
        LEAFLET_VERSION,
        "dist/leaflet.js",
        f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js",
    ),
    Asset(
        "leaflet_css",
        "css",
        "leaflet",
        LEAFLET_VERSION,
        "dist/leaflet.css",
        f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css",
    ),
)
# Files the assets refer to by relative URL (Leaflet's CSS points at its images/).
EXTRA_FILES: dict[str, tuple[str, ...]] = {"leaflet": ("dist/images",)}


def _servable(path: Path, vendor_dir: Path) -> bool:
    """A file Streamlit will serve: it serves nothing whose real path leaves the static folder, so a symbolic link
    from static/vendor (or static/) to elsewhere, say another checkout's, gets a 400 and counts as missing."""
    try:
        return path.is_file() and path.resolve().is_relative_to(vendor_dir.parent.resolve())
    except OSError:
        return False


def asset_urls(vendor_dir: Path | None = None, base_url: str = VENDOR_URL) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) lists for a folium Map: vendored URLs where the file is served, else the CDN."""
    vendor_dir = VENDOR_DIR if vendor_dir is None else vendor_dir
    js: list[tuple[str, str]] = []
    css: list[tuple[str, str]] = []
    for asset in ASSETS:
        url = base_url + asset.vendored if _servable(vendor_dir / asset.vendored, vendor_dir) else asset.cdn
        (js if asset.kind == "js" else css).append((asset.name, url))
    return js, css


def vendored_complete(vendor_dir: Path | None = None) -> bool:
    """Whether every asset is in static/vendor, served (the map then needs no network but for tiles)."""
    vendor_dir = VENDOR_DIR if vendor_dir is None else vendor_dir
    return all(_servable(vendor_dir / a.vendored, vendor_dir) for a in ASSETS)
