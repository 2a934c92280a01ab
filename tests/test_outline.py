"""Syria's outline (geo/data/syria.geojson), geo.territory.outline and scripts/build_outline.py."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Polygon, box, shape

from geo.territory.outline import OUTLINE_PATH, distance_outside_km, is_in_syria, syria_outline

REPO = Path(__file__).resolve().parent.parent
GEOD = Geod(ellps="WGS84")
SYRIA_AREA_KM2 = 185_180

DAMASCUS = (36.2913, 33.5102)
DEIR_EZ_ZOR = (40.1408, 35.3359)
ALEPPO = (37.1612, 36.2021)
QAMISHLI = (41.2266, 37.0521)
BEIRUT = (35.5018, 33.8938)
AMMAN = (35.9106, 31.9539)
BAGHDAD = (44.3661, 33.3152)
ANKARA = (32.8541, 39.9199)
KATZRIN = (35.6900, 32.9930)  # Israeli-occupied Golan: outside Natural Earth's de facto Syria
MEDITERRANEAN = (35.5000, 35.5000)  # ~20 km off Latakia


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_outline", REPO / "scripts" / "build_outline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def border_points() -> np.ndarray:
    """The border densified to vertices <= ~100 m apart, as (lon, lat) rows."""
    return shapely.get_coordinates(shapely.segmentize(syria_outline().boundary, 0.001))


def brute_force_nearest(border_points: np.ndarray, lon: float, lat: float) -> tuple[float, float, float]:
    """(lon, lat, km) of the nearest densified border point, by geodesic distance to every one."""
    n = len(border_points)
    distances = GEOD.inv(np.full(n, lon), np.full(n, lat), border_points[:, 0], border_points[:, 1])[2]
    i = int(np.argmin(distances))
    return float(border_points[i, 0]), float(border_points[i, 1]), float(distances[i]) / 1000.0


# --- the data file ----------------------------------------------------------------------


def test_geojson_file_is_small_and_well_formed():
    text = OUTLINE_PATH.read_text(encoding="utf-8")
    assert len(text.encode()) < 50_000
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["properties"]["name"] == "Syria"
    assert "Natural Earth" in feature["properties"]["source"]
    assert "world-atlas@2.0.2" in feature["properties"]["source"]
    assert "public domain" in feature["properties"]["licence"]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    decimals = [len(m) for m in re.findall(r"\d\.(\d+)", json.dumps(feature["geometry"]["coordinates"]))]
    assert decimals and max(decimals) <= 5


def test_outline_is_a_valid_polygon_in_lon_lat_order():
    outline = syria_outline()
    assert outline.geom_type in ("Polygon", "MultiPolygon")
    assert outline.is_valid, shapely.is_valid_reason(outline)
    lon_min, lat_min, lon_max, lat_max = outline.bounds
    # Syria spans ~35.7-42.4 E and ~32.3-37.3 N; swapped axes would fail this
    assert 35.5 < lon_min < 36.0 and 42.2 < lon_max < 42.6
    assert 32.2 < lat_min < 32.5 and 37.2 < lat_max < 37.5


def test_exterior_rings_are_counter_clockwise_as_rfc_7946_asks():
    for polygon in getattr(syria_outline(), "geoms", [syria_outline()]):
        assert polygon.exterior.is_ccw


def test_syria_outline_is_cached():
    assert syria_outline() is syria_outline()


@pytest.mark.parametrize("method", ["equal_area_projection", "geodesic"])
def test_area_is_about_185180_km2(method):
    outline = syria_outline()
    if method == "geodesic":
        area = abs(GEOD.geometry_area_perimeter(outline)[0]) / 1e6
    else:
        to_ease = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)  # EASE-Grid 2.0, equal-area
        area = shapely.transform(outline, to_ease.transform, interleaved=False).area / 1e6
    assert area == pytest.approx(SYRIA_AREA_KM2, rel=0.01)


# --- distance_outside_km / is_in_syria --------------------------------------------------


@pytest.mark.parametrize("place", [DAMASCUS, DEIR_EZ_ZOR, ALEPPO, QAMISHLI])
def test_cities_inside_syria(place):
    assert distance_outside_km(*place) == 0.0
    assert is_in_syria(*place)


@pytest.mark.parametrize(
    ("place", "low_km", "high_km"),
    [
        (BEIRUT, 30, 60),
        (AMMAN, 50, 80),
        (BAGHDAD, 300, 380),
        (ANKARA, 400, 550),
        (KATZRIN, 8, 25),
        (MEDITERRANEAN, 15, 30),
    ],
)
def test_places_outside_syria(place, low_km, high_km, border_points):
    distance = distance_outside_km(*place)
    assert low_km < distance < high_km
    assert not is_in_syria(*place)
    # an independent check: geodesic distance to every densified border point
    assert distance == pytest.approx(brute_force_nearest(border_points, *place)[2], rel=0.005, abs=0.05)


@pytest.mark.parametrize("towards", [BEIRUT, AMMAN, BAGHDAD, ANKARA])
def test_point_one_km_outside_the_border(towards, border_points):
    # from the border point nearest a foreign city, step 1 km towards that city (outwards)
    lon, lat, _ = brute_force_nearest(border_points, *towards)
    azimuth = GEOD.inv(lon, lat, *towards)[0]
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, azimuth, 1000.0)
    assert distance_outside_km(out_lon, out_lat) == pytest.approx(1.0, abs=0.1)
    assert not is_in_syria(out_lon, out_lat)
    assert not is_in_syria(out_lon, out_lat, tolerance_km=0.5)
    assert is_in_syria(out_lon, out_lat, tolerance_km=2)
    # and 1 km the other way is inside
    in_lon, in_lat, _ = GEOD.fwd(lon, lat, azimuth + 180.0, 1000.0)
    assert is_in_syria(in_lon, in_lat)


def test_tolerance_is_compared_with_the_distance():
    distance = distance_outside_km(*BEIRUT)
    assert is_in_syria(*BEIRUT, tolerance_km=distance + 1)
    assert not is_in_syria(*BEIRUT, tolerance_km=distance - 1)


def test_a_border_vertex_counts_as_inside():
    polygon = next(iter(getattr(syria_outline(), "geoms", [syria_outline()])))
    lon, lat = polygon.exterior.coords[0]
    assert distance_outside_km(lon, lat) == 0.0
    assert distance_outside_km(lon - 0.05, lat) > 0.0 or distance_outside_km(lon + 0.05, lat) > 0.0


@pytest.mark.parametrize(("lon", "lat"), [(math.nan, 33.5), (36.3, math.inf), (36.3, 91.0)])
def test_bad_positions_are_rejected(lon, lat):
    with pytest.raises(ValueError):
        distance_outside_km(lon, lat)


def test_negative_tolerance_is_rejected():
    with pytest.raises(ValueError):
        is_in_syria(*DAMASCUS, tolerance_km=-1)


# --- scripts/build_outline.py: TopoJSON decoding ----------------------------------------

# Grid units (scale 0.5 x 0.25, translate 30 x 10): a frame (-1,-1)-(3,2) and two unit
# squares A = (0,0)-(1,1) and B = (1,0)-(2,1) sharing the arc (1,0)->(1,1). Arcs are
# delta-encoded; B runs the shared arc backwards (~1 == -2).
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [30.123456789, 10]},
    "arcs": [
        [[1, 1], [-1, 0], [0, -1], [1, 0]],  # 0: (1,1) (0,1) (0,0) (1,0)
        [[1, 0], [0, 1]],  # 1: (1,0) (1,1)
        [[1, 0], [1, 0], [0, 1], [-1, 0]],  # 2: (1,0) (2,0) (2,1) (1,1)
        [[-1, -1], [4, 0], [0, 3], [-4, 0], [0, -3]],  # 3: the frame
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "A"}},
                {"type": "Polygon", "arcs": [[-2, 2]], "id": "002", "properties": {"name": "B"}},
                {"type": "MultiPolygon", "arcs": [[[0, 1]], [[-2, 2]]], "id": "760", "properties": {"name": "Syria"}},
                {"type": "Polygon", "arcs": [[3], [0, 1]], "id": "004", "properties": {"name": "Frame"}},
            ],
        }
    },
}
X0, Y0, CELL = 30.123456789, 10.0, 0.5 * 0.25


def grid(i: int, j: int) -> tuple[float, float]:
    return (X0 + 0.5 * i, Y0 + 0.25 * j)


def test_decode_arcs_undoes_delta_encoding_and_quantization():
    arcs = load_build_script().decode_arcs(TOPOLOGY)
    assert np.array(arcs[0]) == pytest.approx(np.array([grid(1, 1), grid(0, 1), grid(0, 0), grid(1, 0)]))
    assert np.array(arcs[2]) == pytest.approx(np.array([grid(1, 0), grid(2, 0), grid(2, 1), grid(1, 1)]))


def test_negative_arc_index_reverses_the_arc():
    build = load_build_script()
    arcs = build.decode_arcs(TOPOLOGY)
    ring = build.ring([-2, 2], arcs)
    assert np.array(ring) == pytest.approx(np.array([grid(1, 1), grid(1, 0), grid(2, 0), grid(2, 1), grid(1, 1)]))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("A", Polygon([grid(0, 0), grid(1, 0), grid(1, 1), grid(0, 1)])),
        ("B", Polygon([grid(1, 0), grid(2, 0), grid(2, 1), grid(1, 1)])),
        ("Frame", box(*grid(-1, -1), *grid(3, 2)).difference(box(*grid(0, 0), *grid(1, 1)))),
    ],
)
def test_polygons_and_holes_decode_to_the_right_shapes(name, expected):
    build = load_build_script()
    geom = build.to_shape(build.find_country(TOPOLOGY, name=name, iso_numeric="none"), build.decode_arcs(TOPOLOGY))
    assert geom.geom_type == "Polygon"
    assert geom.is_valid
    assert geom.symmetric_difference(expected).area < 1e-9 * CELL
    if name == "Frame":
        assert len(geom.interiors) == 1 and geom.area == pytest.approx(11 * CELL)


def test_multipolygon_decodes_to_both_parts():
    build = load_build_script()
    geom = build.to_shape(build.find_country(TOPOLOGY), build.decode_arcs(TOPOLOGY))
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert geom.area == pytest.approx(2 * CELL)
    assert shapely.union_all(geom.geoms).equals(box(*grid(0, 0), *grid(2, 1)))


def test_unknown_country_is_an_error():
    with pytest.raises(LookupError):
        load_build_script().find_country(TOPOLOGY, name="Atlantis", iso_numeric="999")


def test_script_writes_a_rounded_counter_clockwise_feature(tmp_path, capsys):
    source = tmp_path / "countries.json"
    topology = json.loads(json.dumps(TOPOLOGY))
    geometries = topology["objects"]["countries"]["geometries"]
    geometries[2] = {"type": "Polygon", "arcs": [[-2, 2]], "id": "760", "properties": {"name": "Syria"}}
    source.write_text(json.dumps(topology))
    out = tmp_path / "out" / "syria.geojson"

    assert load_build_script().main([str(source), "--output", str(out)]) == 0

    [feature] = json.loads(out.read_text())["features"]
    assert feature["properties"]["name"] == "Syria"
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert {x for x, _ in ring} == {30.62346, 31.12346}  # 30.123456789 + 0.5 i, rounded
    assert shapely.is_ccw(shapely.linearrings(ring))
    assert shape(feature["geometry"]).area == pytest.approx(CELL)
    printed = capsys.readouterr().out
    assert "5 vertices" in printed and "km²" in printed


def test_missing_input_file_is_reported(tmp_path):
    with pytest.raises(SystemExit):
        load_build_script().main([str(tmp_path / "nope.json"), "--output", str(tmp_path / "x.geojson")])


WORLD_ATLAS = Path(os.environ.get("WORLD_ATLAS_10M", REPO / "node_modules" / "world-atlas" / "countries-10m.json"))


@pytest.mark.skipif(not WORLD_ATLAS.is_file(), reason="no countries-10m.json: npm pack world-atlas@2.0.2")
def test_committed_outline_matches_a_fresh_build(tmp_path):
    out = tmp_path / "syria.geojson"
    assert load_build_script().main([str(WORLD_ATLAS), "--output", str(out)]) == 0
    assert out.read_bytes() == OUTLINE_PATH.read_bytes()


def test_distance_to_border_from_both_sides():
    from geo.territory.outline import distance_to_border_km

    # Damascus lies about 25-40 km from the Lebanese border; Beirut about 46 km on the other side
    assert 15 < distance_to_border_km(36.29128, 33.5102) < 45
    assert distance_to_border_km(35.5018, 33.8938) == pytest.approx(distance_outside_km(35.5018, 33.8938))
