"""The round-trip map's zones and front lines (tests/support/roundtrip/zone_layer.py): look, layers, zoom bands, caching."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string

from geo.map.render import FRONTS_PANE, OUTLINE_PANE, ZONES_PANE
from geo.territory.model import DEFAULT_TOLERANCE_M, TerritoryModel, tolerance_for_zoom
from geo.view.escape import NEUTRAL_GREY
from geo.view.look import ZONE_OPACITY, front_swatch_svg, hatch_id, hatch_pattern, zone_style, zone_swatch_svg
from tests.support.roundtrip import zone_layer
from tests.support.roundtrip.render import base_map, day_layer, layer_data
from tests.support.roundtrip.zone_layer import ZoneLayers, zone_group, zone_layer_data, zone_tolerance

CONTESTED_DAY, FRONT_DAY = date(2024, 11, 29), date(2024, 12, 6)


@pytest.fixture(scope="module")
def layers(fixture_timeline):
    return ZoneLayers(TerritoryModel(fixture_timeline))


# --- zoom bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zoom", "expected"),
    [
        (None, DEFAULT_TOLERANCE_M),
        (5, DEFAULT_TOLERANCE_M),
        (7.75, DEFAULT_TOLERANCE_M),
        (8, tolerance_for_zoom(9)),
        (9.99, tolerance_for_zoom(9)),
        (10, tolerance_for_zoom(10)),
        (14, tolerance_for_zoom(10)),
        ("9", DEFAULT_TOLERANCE_M),
        (True, DEFAULT_TOLERANCE_M),
        (float("nan"), DEFAULT_TOLERANCE_M),
        (float("inf"), DEFAULT_TOLERANCE_M),
    ],
)
def test_zone_tolerance_follows_the_zoom_in_three_bands(zoom, expected):
    assert zone_tolerance(zoom) == expected
    assert zone_tolerance(zoom) in zone_layer.TOLERANCES


# --- the look ---------------------------------------------------------------------------------


def test_contested_zones_are_striped_held_zones_plain():
    held, contested = zone_style("#D55E00"), zone_style("#D55E00", "#009E73")
    assert held["fillColor"] == "#D55E00" and held["fillOpacity"] == ZONE_OPACITY < 0.5
    assert "dashArray" not in held
    assert contested["fillColor"] == "url(#syria-hatch-D55E00-009E73)" and contested["dashArray"]
    assert contested["color"] == "#D55E00"
    pattern = hatch_pattern("#d55e00", "#009e73")
    assert 'id="syria-hatch-D55E00-009E73"' in pattern and 'fill="#D55E00"' in pattern and 'fill="#009E73"' in pattern


def test_the_look_is_built_from_checked_colours_only():
    bad = '#123456" onload="alert(1)'
    assert hatch_id(bad, "javascript:x") == f"syria-hatch-{NEUTRAL_GREY[1:]}-{NEUTRAL_GREY[1:]}"
    for text in (hatch_pattern(bad, "<script>"), json.dumps(zone_style(bad, "${x}")), zone_swatch_svg(bad, "`x`")):
        assert "onload" not in text and "script" not in text and "$" not in text and "`" not in text
        assert NEUTRAL_GREY in text
    assert re.fullmatch(r"syria-hatch-[0-9A-F]{6}-[0-9A-F]{6}", hatch_id("#abcdef", "#012345"))


def test_legend_swatches_differ_and_are_svg():
    svgs = [zone_swatch_svg("#4477AA"), zone_swatch_svg("#4477AA", "#DDAA33"), front_swatch_svg()]
    assert len(set(svgs)) == 3
    assert all(s.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and s.endswith("</svg>") for s in svgs)
    assert "<pattern" in svgs[1] and "url(#syria-hatch-4477AA-DDAA33)" in svgs[1]
    assert 'stroke-dasharray="7 4"' in svgs[2]


# --- one day's layers ----------------------------------------------------------------------------


def test_day_layers_carry_only_geometry_and_style(layers):
    data = layers.on(CONTESTED_DAY)
    zones = json.loads(data.zones_json)["features"]
    assert data.zones == len(zones) == 2 and data.fronts == 0  # Aleppo's ground contested; all of it the government's
    assert {f["properties"]["style"]["fillColor"] for f in zones} == {"#D55E00", "url(#syria-hatch-D55E00-009E73)"}
    assert [p for p, _ in data.patterns] == ["syria-hatch-D55E00-009E73"]
    assert all(set(f["properties"]) == {"style"} for f in zones)  # no ids, names or numbers from the data
    later = layers.on(FRONT_DAY)
    fronts = json.loads(later.fronts_json)["features"]
    assert later.fronts == len(fronts) == 3 and all(f["properties"] == {} for f in fronts)
    assert {f["geometry"]["type"] for f in fronts} <= {"LineString", "MultiLineString"}
    assert later.patterns == ()


def test_unknown_controllers_and_colours_become_grey(fixture_dataset, fixture_timeline, layers):
    from dataclasses import replace

    text = layers.model.geojson_text_on(CONTESTED_DAY)
    factions = {**fixture_dataset.factions, "gov": replace(fixture_dataset.factions["gov"], colour="red</script>")}
    data = zone_layer_data(text.replace('"controller":"gov"', '"controller":"nobody"', 1), fixture_dataset.factions)
    assert NEUTRAL_GREY in data.zones_json
    data = zone_layer_data(text, factions)
    assert "script" not in data.zones_json and "red" not in data.zones_json and NEUTRAL_GREY[1:] in data.patterns[0][0]


def test_zone_group_has_the_layers_asked_for(layers, fixture_dataset):
    data = layers.on(FRONT_DAY)
    m = base_map(fixture_dataset)
    both = _get_feature_group_string(zone_group(data), m)
    assert "zone_layer" in both and "front_line_layer" in both
    assert f'pane: "{ZONES_PANE}"' in both and f'pane: "{FRONTS_PANE}"' in both and "interactive: false" in both
    assert 'className: "syria-zone"' in both and 'className: "syria-front"' in both
    only_zones = _get_feature_group_string(zone_group(data, fronts=False), base_map(fixture_dataset))
    assert "zone_layer" in only_zones and "front_line_layer" not in only_zones
    only_fronts = _get_feature_group_string(zone_group(data, zones=False), base_map(fixture_dataset))
    assert "zone_layer" not in only_fronts and "front_line_layer" in only_fronts
    assert zone_group(data, zones=False, fronts=False) is None


def test_base_map_makes_the_panes_zones_under_places(fixture_dataset):
    script = _get_map_string(base_map(fixture_dataset))
    z = {
        name: int(re.search(rf'createPane\(\s*"{name}"\);\s*\S+\.style\.zIndex = (\d+);', script).group(1))
        for name in (OUTLINE_PANE, ZONES_PANE, FRONTS_PANE)
    }
    assert 200 < z[OUTLINE_PANE] < z[ZONES_PANE] < 400 < z[FRONTS_PANE] < 600  # tiles < ... < overlays < ... < markers
    assert script.count("pointerEvents = 'none'") == 3
    assert f'pane: "{OUTLINE_PANE}"' in script
    assert script.index(f'"{OUTLINE_PANE}"') < script.index("L.geoJson(")  # the pane exists before the outline uses it


def test_zone_script_parses_as_javascript(layers, fixture_dataset, fixture_timeline):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup_assets.sh installs it)")
    m = base_map(fixture_dataset)
    code = "\n".join(
        [
            _get_map_string(m),
            _get_feature_group_string(zone_group(layers.on(CONTESTED_DAY)), m, 0),
            _get_feature_group_string(day_layer(layer_data(fixture_dataset, fixture_timeline, CONTESTED_DAY)), m, 1),
        ]
    )
    result = subprocess.run(
        [node, "-e", "new Function(require('fs').readFileSync(0, 'utf8'))"], input=code, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]


# --- built once, on first use -------------------------------------------------------------------


def test_each_state_and_band_is_built_once_on_first_use(layers, fixture_timeline, monkeypatch):
    for day in fixture_timeline.days:
        for zoom in (None, 6, 8.5, 12):
            assert layers.on(day, zoom).zones >= 1

    def no_building(*args, **kwargs):
        raise AssertionError("a lookup rebuilt a layer")

    monkeypatch.setattr(layers, "_build", no_building)
    monkeypatch.setattr(layers.model, "precompute", no_building)
    for day in fixture_timeline.days:
        for zoom in (None, 6, 8.5, 12):
            assert layers.on(day, zoom).zones >= 1
    assert layers.on(date(2024, 11, 27)) is layers.on(date(2024, 11, 28))  # same holders: the same entry
    assert layers.on(FRONT_DAY, 12) is not layers.on(FRONT_DAY)
    assert len(layers.on(FRONT_DAY, 12).zones_json) > len(layers.on(FRONT_DAY).zones_json)  # finer when zoomed in


def test_the_cache_is_bounded(fixture_timeline):
    small = ZoneLayers(TerritoryModel(fixture_timeline), cache_entries=2)
    for day in fixture_timeline.days:
        small.on(day)
    assert len(small._cache) == 2


def test_day_layers_match_the_territory_model(layers, fixture_timeline):
    """The fast path (unions of pre-simplified cells) draws the same zones and front lines as TerritoryModel's GeoJSON."""
    from shapely.geometry import shape

    for day in fixture_timeline.days:
        model = json.loads(layers.model.geojson_text_on(day))
        fast = layers.on(day)
        want = sorted((f["properties"]["controller"], tuple(f["properties"]["contested_with"])) for f in model["zones"]["features"])
        assert fast.zones == len(want) and fast.fronts == len(model["front_lines"]["features"])
        for got, feature in zip(json.loads(fast.zones_json)["features"], model["zones"]["features"], strict=True):
            a, b = shape(got["geometry"]), shape(feature["geometry"])
            assert a.symmetric_difference(b).area < 0.01 * b.area  # the same ground, to the simplification


def test_bounds_clip_the_layers(layers):
    whole = layers.on(FRONT_DAY, 12)
    box = (36.5, 35.5, 37.5, 36.5)  # around Aleppo
    clipped = layers.on(FRONT_DAY, 12, box)
    assert len(clipped.zones_wire) < len(whole.zones_wire)
    for feature in json.loads(clipped.zones_json)["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert all(box[0] - 1e-9 <= x <= box[2] + 1e-9 and box[1] - 1e-9 <= y <= box[3] + 1e-9 for x, y in ring)


def test_zones_change_with_the_day(layers):
    assert layers.on(date(2024, 11, 26)).zones_json != layers.on(date(2024, 11, 30)).zones_json
    assert layers.on(date(2024, 11, 26)).fronts == 0 and layers.on(date(2024, 11, 30)).fronts == 1


def test_area_places_get_about_their_polygon_not_a_wide_band():
    """The shipped gazetteer: a place with an `area` (al-Tanf's 55 km zone, the Golan buffer zone) gets its
    polygon and a thin margin, not thousands of km² of desert around it (their weights keep them low)."""
    import shapely
    from shapely.geometry import Polygon

    from geo.reading.loader import load_dataset
    from geo.territory.outline import syria_outline
    from geo.territory.zones import build_tessellation, to_metres

    places = load_dataset().places
    tessellation = build_tessellation(places)
    outline = shapely.make_valid(to_metres(syria_outline()))
    areas = {pid: p for pid, p in places.items() if p.area}
    assert {"al_tanf", "golan_buffer_zone"} <= set(areas)
    for pid, place in areas.items():
        polygon_km2 = to_metres(Polygon(place.area)).intersection(outline).area / 1e6
        zone_km2 = tessellation.cell_km2[tessellation.site_of[pid]]
        assert polygon_km2 <= zone_km2 + 1 < 2 * polygon_km2, (pid, zone_km2, polygon_km2)
