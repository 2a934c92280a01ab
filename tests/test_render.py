"""The map's symbols, escaping and the self-served assets (geo.map.render, geo.view.escape, geo.map.assets), and the
round-trip baseline's layer (tests/support/roundtrip/render.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import folium
import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

from geo.base.model import Control, PlaceState
from geo.map import render
from geo.map.assets import ASSETS, EXTRA_FILES, VENDOR_URL, asset_urls, vendored_complete
from geo.map.render import KIND_SYMBOLS, MarkerStyle, marker_style
from geo.territory.outline import outline_geojson
from geo.view.escape import NEUTRAL_GREY, esc, link, safe_colour, safe_url
from geo.view.look import icon_svg
from geo.view.symbols import SHAPES
from tests.support.data import HOSTILE, REPO
from tests.support.roundtrip.render import apply_assets, base_map, day_layer, layer_data

# --- escaping -------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [HOSTILE, "`", "${x}", "\\", "</script>", "a\nb\r\nc", "{{ 'x' }}", "\u2028", "\x00\x1b"])
def test_esc_leaves_nothing_active(raw):
    out = esc(raw)
    for ch in "<>\"'`$\\{}\n\r\u2028\x00\x1b":
        assert ch not in out
    assert "&" not in out.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace("&quot;", "").replace("&#x27;", "").replace(
        "&#x60;", ""
    ).replace("&#x24;", "").replace("&#x5C;", "").replace("&#x7B;", "").replace("&#x7D;", "")


def test_esc_round_trips_as_html_text():
    import html

    assert html.unescape(esc("Ḥamā ${1} `x` <b> & \\")) == "Ḥamā ${1} `x` <b> & \\"
    assert esc(None) == ""
    assert esc(12) == "12"
    assert esc("حلب") == "حلب"


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2", "http://x.y/"])
def test_safe_url_accepts_http_links(url):
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.org/x",
        "ftp://x.org/f",
        "https://x.org/a b",
        "https:///nohost",
        "http://x.org/\n",
        None,
        5,
        "https://" + "a" * 3000,
    ],
)
def test_safe_url_refuses_everything_else(url):
    assert safe_url(url) is None


def test_link_escapes_href_and_text():
    html_link = link('https://x.org/?a=1&b="2"', "T <i>`${x}`</i>")
    assert html_link.startswith('<a href="https://x.org/?a=1&amp;b=&quot;2&quot;" target="_blank" rel="noopener noreferrer">')
    assert "<i>" not in html_link and "`" not in html_link and "$" not in html_link
    assert link("javascript:alert(1)", "text") == "text"


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ("#1f77b4", "#1F77B4"),
        ("#ABCDEF", "#ABCDEF"),
        ("red", NEUTRAL_GREY),
        ("#12345", NEUTRAL_GREY),
        ('#123456" onload="x', NEUTRAL_GREY),
        ("#1234567", NEUTRAL_GREY),
        (None, NEUTRAL_GREY),
        ("#12345g", NEUTRAL_GREY),
    ],
)
def test_safe_colour(colour, expected):
    assert safe_colour(colour) == expected


# --- symbols ---------------------------------------------------------------------------
SVG_ALLOWED = re.compile(r'^<svg xmlns="http://www.w3.org/2000/svg"[ a-zA-Z0-9="#.,\-:/<>_]*</svg>$')


def test_icon_svg_is_built_from_whitelisted_values_only():
    hostile = MarkerStyle(
        shape='circle"><script>',
        radius=1e9,
        fill='#123456"/><script>',
        fill2="javascript:",
        ring="${x}",
        outline="<b>",
        halo=True,
        selected=True,
    )
    svg = icon_svg(hostile)
    assert SVG_ALLOWED.match(svg), svg
    assert "script" not in svg and "$" not in svg
    assert NEUTRAL_GREY in svg


def test_every_kind_has_its_own_shape_and_cities_are_bigger_than_towns():
    shapes = {(shape, radius) for shape, radius, _ in KIND_SYMBOLS.values()}
    assert len(shapes) == len(KIND_SYMBOLS)
    assert KIND_SYMBOLS["city"][1] > KIND_SYMBOLS["town"][1]
    shapes_drawn = {icon_svg(MarkerStyle(shape, 8, "#336699")) for shape in SHAPES}
    assert len(shapes_drawn) == len(SHAPES) >= 6  # same size, different outline
    assert len({icon_svg(MarkerStyle(s, r, "#336699")) for s, r, _ in KIND_SYMBOLS.values()}) == len(KIND_SYMBOLS)


def test_modes_statuses_and_changes_look_different():
    base = MarkerStyle("circle", 8, "#336699")
    variants = [
        base,
        MarkerStyle("circle", 8, "#336699", ring="#DDAA33"),  # contested
        MarkerStyle("circle", 8, "#336699", fill2="#DDAA33"),  # split
        MarkerStyle("circle", 8, "#336699", outline="claimed"),
        MarkerStyle("circle", 8, "#336699", outline="disputed"),
        MarkerStyle("circle", 8, "#336699", halo=True),
        MarkerStyle("circle", 8, "#336699", selected=True),
    ]
    svgs = [icon_svg(v) for v in variants]
    assert len(set(svgs)) == len(svgs)
    assert "#DDAA33" in svgs[1] and "stroke-dasharray" in svgs[1]
    assert "#DDAA33" in svgs[2]
    assert 'fill-opacity="0.3"' in svgs[3] and 'fill-opacity="0.3"' in svgs[4]  # hollow
    assert "stroke-dasharray" in svgs[4] and "stroke-dasharray" not in svgs[3]
    assert variants[5].size > base.size  # room for the halo


def test_marker_style_follows_the_state(fixture_dataset):
    f = fixture_dataset.factions
    aleppo = fixture_dataset.places["aleppo"]
    held = PlaceState("aleppo", Control("gov"), "confirmed", date(2024, 11, 26))
    assert marker_style(aleppo, held, f) == MarkerStyle("circle", KIND_SYMBOLS["city"][1], "#D55E00")
    contested = PlaceState("aleppo", Control("gov", ("hts",)), "confirmed", date(2024, 11, 29))
    assert marker_style(aleppo, contested, f, changed=True).ring == "#009E73"
    split = PlaceState("aleppo", Control("sdf", (), "gov"), "disputed", date(2024, 12, 6))
    style = marker_style(aleppo, split, f)
    assert (style.fill, style.fill2, style.outline) == ("#F0E442", "#D55E00", "disputed")
    crossing = marker_style(fixture_dataset.places["nassib_crossing"], held, f)
    assert crossing.shape == "diamond"
    unknown = PlaceState("aleppo", Control("nobody"), "confirmed", date(2024, 11, 26))
    assert marker_style(aleppo, unknown, f).fill == NEUTRAL_GREY


# --- the day's layer --------------------------------------------------------------------


def test_layer_has_one_point_per_place_with_id_icon_and_tooltip(fixture_dataset, fixture_timeline):
    data = layer_data(fixture_dataset, fixture_timeline, date(2024, 11, 29))
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert [f["properties"]["place_id"] for f in points] == list(fixture_dataset.places)
    aleppo = points[0]
    place = fixture_dataset.places["aleppo"]
    assert aleppo["geometry"]["coordinates"] == [round(place.lon, 4), round(place.lat, 4)]
    svg, _size, z = data["icons"][aleppo["properties"]["icon"]]
    assert "#009E73" in svg  # contested by HTS that day
    assert z >= 1000  # changed that day: drawn on top
    assert "Aleppo" in aleppo["properties"]["tip"] and "contested by HTS" in aleppo["properties"]["tip"]
    assert "changed this day" in aleppo["properties"]["tip"]
    hama = points[1]
    assert "changed this day" not in hama["properties"]["tip"]
    assert len(data["icons"]) <= len(points)


def test_layer_changes_with_the_day(fixture_dataset, fixture_timeline):
    before = layer_data(fixture_dataset, fixture_timeline, date(2024, 11, 29))
    after = layer_data(fixture_dataset, fixture_timeline, date(2024, 11, 30))
    assert before != after
    icon = after["features"][0]["properties"]["icon"]
    assert after["features"][0]["properties"]["c"] == "hts"
    assert 'fill="#009E73"' in after["icons"][icon][0]
    claimed = layer_data(fixture_dataset, fixture_timeline, date(2024, 12, 5))
    hama = claimed["features"][1]["properties"]
    assert "(claimed)" in hama["tip"]
    assert 'fill-opacity="0.3"' in claimed["icons"][hama["icon"]][0]


def test_selected_place_gets_the_selection_ring(fixture_dataset, fixture_timeline):
    data = layer_data(fixture_dataset, fixture_timeline, date(2024, 12, 6), selected="hama")
    hama = data["features"][1]["properties"]
    assert "#1565C0" in data["icons"][hama["icon"]][0]
    assert all("#1565C0" not in data["icons"][f["properties"]["icon"]][0] for f in data["features"] if f is not data["features"][1])


def test_hostile_strings_are_inert_in_the_map_script(hostile_dataset):
    from geo.timeline.control import Timeline
    from tests.support.roundtrip.wire import layer_features

    tl = Timeline(hostile_dataset)
    data = layer_data(hostile_dataset, tl, date(2024, 12, 5))
    blob = json.dumps([f["properties"]["tip"] for f in data["features"]])
    for bad in ("`", "${", "</script>", "<img", "{{"):
        assert bad not in blob
    m = base_map(hostile_dataset)
    script = _get_feature_group_string(day_layer(data), m)
    for bad in ("`", "${", "</script>", "<img", "{{ 'x' }}"):
        assert bad not in script
    # the page gets the name as text (for textContent), and it survives st_folium's renaming of
    # folium variables (_div, _0 ...): read back, the tooltip is the escaped name
    tips = [f["properties"]["tip"] for f in layer_features(script, "places_layer")]
    assert any(esc(HOSTILE) in tip for tip in tips)
    assert tips == [f["properties"]["tip"] for f in data["features"]]


def test_map_script_parses_as_javascript(hostile_dataset):
    """What st_folium evals in the browser is valid JavaScript (needs node, which the asset setup needs too)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup_assets.sh installs it)")
    from geo.timeline.control import Timeline

    tl = Timeline(hostile_dataset)
    m = base_map(hostile_dataset)
    code = _get_map_string(m) + "\n" + _get_feature_group_string(day_layer(layer_data(hostile_dataset, tl, tl.last_day)), m)
    result = subprocess.run(
        [node, "-e", "new Function(require('fs').readFileSync(0, 'utf8'))"], input=code, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_area_places_become_polygons_too(fixture_dataset, fixture_timeline):
    from dataclasses import replace

    places = dict(fixture_dataset.places)
    places["hama"] = replace(places["hama"], area=((36.7, 35.1), (36.8, 35.1), (36.8, 35.2)))
    ds = replace(fixture_dataset, places=places)
    data = layer_data(ds, fixture_timeline, date(2024, 12, 5))
    polygons = [f for f in data["features"] if f["geometry"]["type"] == "Polygon"]
    assert len(polygons) == 1
    ring = polygons[0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 4
    assert polygons[0]["properties"]["style"]["color"] == "#009E73"
    assert polygons[0]["properties"]["style"]["dashArray"]  # claimed


# --- the base map ---------------------------------------------------------------------------


def test_base_map_is_the_same_on_every_rerun(fixture_dataset, fixture_timeline):
    """st_folium keys the browser's map on the base map's script: it must not change, or the user's zoom is lost."""
    first = base_map(fixture_dataset)
    hash_before = generate_js_hash(_get_map_string(first), "map")
    _get_feature_group_string(day_layer(layer_data(fixture_dataset, fixture_timeline, date(2024, 11, 29))), first)
    second = base_map(fixture_dataset)
    assert generate_js_hash(_get_map_string(second), "map") == hash_before


def test_base_map_fits_the_places_and_has_attributed_tiles(fixture_dataset):
    m = base_map(fixture_dataset)
    html = m.get_root().render()
    assert "basemaps.cartocdn.com" in html and "OpenStreetMap" in html and "CARTO" in html
    assert "fitBounds" in html
    (south, west), (north, east) = render.place_bounds(fixture_dataset)
    for p in fixture_dataset.places.values():
        assert south < p.lat < north and west < p.lon < east


def test_base_map_outline_is_optional(fixture_dataset, tmp_path):
    assert "Syria" not in json.dumps(outline_geojson(tmp_path / "missing.geojson"))
    m = base_map(fixture_dataset, outline_path=tmp_path / "missing.geojson")
    assert m.get_root().render()


# --- self-served assets ------------------------------------------------------------------------


def test_assets_fall_back_to_the_cdn_when_not_vendored(tmp_path):
    js, css = asset_urls(tmp_path)
    assert js == [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
    assert css == [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
    assert not vendored_complete(tmp_path)


def test_assets_are_served_by_the_app_when_vendored(tmp_path):
    for asset in ASSETS:
        (tmp_path / asset.vendored).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / asset.vendored).write_text("x")
    js, css = asset_urls(tmp_path)
    assert js == [("leaflet", VENDOR_URL + "leaflet/dist/leaflet.js")]
    assert css == [("leaflet_css", VENDOR_URL + "leaflet/dist/leaflet.css")]
    m = apply_assets(folium.Map(tiles=None), tmp_path)
    assert m.default_js == js and folium.Map.default_js != js  # the class's lists are untouched
    assert vendored_complete(tmp_path)


def test_a_vendor_folder_linked_from_elsewhere_counts_as_missing(tmp_path):
    """Streamlit serves nothing whose real path leaves the static folder (a symbolic link to another checkout's
    static/vendor gets a 400): such files count as missing, so the map loads Leaflet from the CDN instead of failing."""
    elsewhere = tmp_path / "other-checkout" / "static" / "vendor"
    for asset in ASSETS:
        (elsewhere / asset.vendored).parent.mkdir(parents=True, exist_ok=True)
        (elsewhere / asset.vendored).write_text("x")
    static = tmp_path / "app" / "static"
    static.mkdir(parents=True)
    (static / "vendor").symlink_to(elsewhere)
    assert vendored_complete(elsewhere) and not vendored_complete(static / "vendor")
    js, _ = asset_urls(static / "vendor")
    assert js == [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]


def test_asset_versions_match_folium_and_package_json():
    folium_urls = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    for asset in ASSETS:
        assert folium_urls[asset.name] == asset.cdn, "folium loads another version than the one we vendor"
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    for asset in ASSETS:
        assert package["dependencies"][asset.package] == asset.version
        assert lock["packages"][f"node_modules/{asset.package}"]["version"] == asset.version


def test_vendor_script_copies_the_assets(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("vendor_assets", REPO / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    node_modules = tmp_path / "node_modules"
    assert module.vendor(node_modules, tmp_path / "out")  # nothing installed: problems
    for asset in ASSETS:
        pkg = node_modules / asset.package
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "package.json").write_text(json.dumps({"version": asset.version}))
        (pkg / asset.path).parent.mkdir(parents=True, exist_ok=True)
        (pkg / asset.path).write_text("/* file */")
    for package, paths in EXTRA_FILES.items():
        for path in paths:
            (node_modules / package / path).mkdir(parents=True, exist_ok=True)
            (node_modules / package / path / "a.png").write_bytes(b"png")
    assert module.vendor(node_modules, tmp_path / "out") == []
    assert vendored_complete(tmp_path / "out")
    assert (tmp_path / "out" / "leaflet" / "dist" / "images" / "a.png").exists()
    linked = tmp_path / "static" / "vendor"  # a symbolic link where the folder goes: replaced by a real folder
    linked.parent.mkdir()
    linked.symlink_to(tmp_path / "out")
    assert module.vendor(node_modules, linked) == [] and not linked.is_symlink() and vendored_complete(linked)
    assert vendored_complete(tmp_path / "out")
    (node_modules / "leaflet" / "package.json").write_text(json.dumps({"version": "0.0.1"}))
    assert any("0.0.1" in p for p in module.vendor(node_modules, tmp_path / "out2"))


def test_static_serving_is_enabled():
    import tomllib

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableStaticServing"] is True
    assert Path(REPO / "static").resolve() == (REPO / "static").resolve()


def test_geo_never_imports_streamlit():
    import ast

    for path in sorted((REPO / "geo").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n == "streamlit" or n.startswith(("streamlit.", "streamlit_")) for n in names), path.name
