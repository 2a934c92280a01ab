"""The map application's page: folium builds the map (base map, tiles, panes, outline, attribution);
the application (geo/map/web/map_app.js and .css, real files) and its data (geo.map.payload) go in beside it.

Two uses of one page:
- `standalone_page`: the self-contained export (`python -m geo export-html`): Leaflet, the app and the data
  inline, its own panels (legend, what changed, history, symbols), the view in the address's fragment, a
  Content-Security-Policy that lets only the page's own scripts run (by hash).
- `embedded_page`: the dashboard's map, served by Streamlit from static/maps/ and shown in an iframe by
  the dashboard's map component: Leaflet from static/vendor, no panels (Streamlit draws them); the app
  tells the parent page the day when a gesture settles.
Data text is placed into the rendered page after folium is done (never through a template), with `<`,
`>`, `&` and the JS line separators escaped, so it cannot end its element.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

import folium

from geo.map.app_files import EMBEDDED_BODY, app_files, standalone_panels
from geo.map.render import to_js_json
from geo.view.credits import tile_attribution_html
from geo.view.words import DEFAULT_LANG, lang_of, text_dir, words

TILES = {  # name -> (url, subdomains, max zoom, CSP host); their attribution: geo.view.credits
    "carto": ("https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "abcd", 19, "https://*.basemaps.cartocdn.com"),
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "", 19, "https://tile.openstreetmap.org"),
}


def folium_map(bounds, tiles: str | None, outline: dict | None, lang: str = DEFAULT_LANG) -> folium.Map:
    """The base map: tiles (or none), the panes of the zones and front lines, Syria's outline, the view."""
    from geo.map.render import OUTLINE_OPTIONS_JS, PANES, SYRIA_CENTRE, FitBoundsNow, InlineGeoJson

    m = folium.Map(
        location=list(SYRIA_CENTRE),
        zoom_start=7,
        tiles=None,
        min_zoom=4,
        max_zoom=14,
        control_scale=True,
        zoom_snap=0.25,
        zoom_delta=1,
        prefer_canvas=False,
    )
    if tiles is not None:
        url, sub, max_zoom, _ = TILES[tiles]
        attribution = tile_attribution_html(tiles, lang) + " · " + html.escape(words(lang)["map_credit"])
        folium.TileLayer(url, attr=attribution, name=tiles, max_zoom=max_zoom, subdomains=sub or "abc", control=False).add_to(m)
    for pane, z_index in PANES:
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=False).add_to(m)
    if outline is not None:
        InlineGeoJson(to_js_json(outline), OUTLINE_OPTIONS_JS, name="SyriaOutline").add_to(m)
    FitBoundsNow(bounds).add_to(m)
    return m


def _assemble(m: folium.Map, payload: dict, config: dict, body: str, head: str, body_class: str) -> str:
    page = m.get_root().render()
    app_js, app_css = app_files()
    config = dict(config, mapName=m.get_name())
    head_html = f"{head}<style>{app_css}</style>\n"
    page = page.replace("<head>", "<head>\n" + head_html, 1)
    page = re.sub(r"<body>", f'<body class="syria-app {body_class}">', page, count=1)
    lang = payload.get("lang", DEFAULT_LANG)
    page = re.sub(r"<html>", f'<html lang="{lang_of(lang)}" dir="{text_dir(lang_of(lang))}">', page, count=1)
    body = body.replace("NEEDS_JS", html.escape(words(lang_of(lang))["needs_js"]))
    page = page.replace("</body>", body + "\n</body>", 1)
    tail = (
        f'<script type="application/json" id="syria-data">{to_js_json(payload)}</script>\n'  # cannot end its element
        f'<script type="application/json" id="syria-config">{to_js_json(config)}</script>\n'
        f"<script>{script_safe_code(app_js)}</script>\n"
    )
    cut = page.rindex("</html>")
    return page[:cut] + tail + page[cut:]


def script_safe_code(js: str) -> str:
    """Our own code is ours, but it must not contain '</script' either."""
    if re.search(r"</script", js, flags=re.IGNORECASE):
        raise ValueError("the application's JavaScript must not contain '</script'")
    return js


def embedded_page(payload: dict, bounds, leaflet_base: str = "../vendor/", view: str = "", zones: bool = True, fronts: bool = True) -> str:
    """The dashboard's map page (served from static/maps/): Leaflet from static/vendor, no panels."""
    from geo.map.assets import asset_urls

    m = folium_map(bounds, "carto", payload.get("outline"), lang_of(payload.get("lang")))
    m.default_js, m.default_css = asset_urls(base_url=leaflet_base)
    config = {"embedded": True, "view": view, "zones": zones, "fronts": fronts}
    title = f"<title>{html.escape(words(lang_of(payload.get('lang')))['map_frame'])}</title>\n"
    return _assemble(m, payload, config, EMBEDDED_BODY, title, "syria-embedded")


def standalone_page(
    payload: dict,
    bounds,
    title: str,
    tiles: str | None,
    leaflet_js: str | None,
    leaflet_css: str | None,
    cdn: tuple[str, str, str, str] | None = None,
) -> str:
    """The self-contained page. Leaflet inline (leaflet_js/css) or, with `cdn` (js url, js SRI, css url, css SRI), linked."""
    m = folium_map(bounds, tiles, payload.get("outline"), lang_of(payload.get("lang")))
    m.default_js, m.default_css = [], []
    head = f"<title>{html.escape(title)}</title>\n"
    if leaflet_css is not None:
        head += f"<style>{leaflet_css}</style>\n"
    elif cdn is not None:
        head += f'<link rel="stylesheet" href="{cdn[2]}" integrity="{cdn[3]}" crossorigin="anonymous">\n'
    if leaflet_js is not None:
        head += f"<script>{leaflet_js}</script>\n"
    elif cdn is not None:
        head += f'<script src="{cdn[0]}" integrity="{cdn[1]}" crossorigin="anonymous"></script>\n'
    page = _assemble(m, payload, {"embedded": False}, standalone_panels(), head, "")
    scripts = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.DOTALL)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    csp = _csp(scripts, TILES[tiles][3] if tiles in TILES else "", cdn)
    meta = (
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n<meta name="referrer" content="strict-origin-when-cross-origin">\n'
    )
    return page.replace("<head>\n", "<head>\n" + meta, 1)


def _csp(scripts: list[str], tile_host: str, cdn: tuple[str, str, str, str] | None) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts)
    script_src = f"{hashes} {cdn[0]}" if cdn else hashes
    style_src = f"'unsafe-inline' {cdn[2]}" if cdn else "'unsafe-inline'"
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src data: {tile_host}".rstrip()
        + "; connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def embedded_data(page: str) -> dict:
    """The JSON data of a page (for tests and tools that read an export back)."""
    match = re.search(r'<script type="application/json" id="syria-data">(.*?)</script>', page, flags=re.DOTALL)
    if match is None:
        raise ValueError("no embedded data in this page")
    return json.loads(match.group(1))
