"""Approximate zones of control (geo/territory/zones.py, geo/territory/model.py, geo/territory/stats.py) on tiny inline geometries.

Everything is compared with tolerances: geometry goes through a projection and back.
The "country" of most tests is a 1°x1° square centred on the projection's centre
meridian (38.5°E), so a bisector between two points mirrored across it is that meridian.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, box, shape

from geo.base.errors import DateOutOfRange
from geo.base.model import BaselineEntry, Control, Dataset, Event, Faction, Place, PlaceState, Source
from geo.reading.loader import load_dataset
from geo.territory.model import (
    NOTE,
    TerritoryModel,
    day_zones,
    front_lines_geojson,
    site_keys,
    territory_series,
    tolerance_for_zoom,
    zones_geojson,
)
from geo.territory.outline import syria_outline
from geo.territory.stats import area_by_controller, contested_area_by_controller, population_by_controller
from geo.territory.zones import build_tessellation, to_lonlat, to_metres
from geo.timeline.control import Timeline

GEOD = Geod(ellps="WGS84")
SQUARE = box(38.0, 34.5, 39.0, 35.5)
FIRST = date(2024, 11, 26)
SOURCE = Source("Test", "Test report", FIRST)


def place(pid: str, lon: float, lat: float, **extra) -> Place:
    return Place(id=pid, name=pid.title(), name_ar="بلدة", kind="town", lat=lat, lon=lon, governorate="Homs", **extra)


def places_of(*items: Place) -> dict[str, Place]:
    return {p.id: p for p in items}


def state_of(**controls: str | Control) -> dict[str, PlaceState]:
    return {pid: PlaceState(pid, c if isinstance(c, Control) else Control(c), "confirmed", FIRST) for pid, c in controls.items()}


def zones_for(places: dict[str, Place], outline=SQUARE, **controls):
    tess = build_tessellation(places, outline)
    return tess, day_zones(tess, site_keys(tess, state_of(**controls)))


def geodesic_km2(geom) -> float:
    # densified, so the edges follow the lon/lat lines as drawn (not geodesics between far vertices)
    return abs(GEOD.geometry_area_perimeter(shapely.segmentize(geom, 0.01))[0]) / 1e6


def metres(lon: float, lat: float) -> Point:
    return to_metres(Point(lon, lat))


FOUR = places_of(place("a", 38.2, 34.8), place("b", 38.75, 34.7), place("c", 38.3, 35.3), place("d", 38.8, 35.2))


# --- cells ----------------------------------------------------------------------------------


def test_cells_line_up_with_their_places():
    tess = build_tessellation(FOUR, SQUARE)
    for pid, p in FOUR.items():
        assert tess.cells[tess.site_of[pid]].contains(metres(p.lon, p.lat)), pid
    assert shapely.coverage_is_valid(tess.cells)


def test_every_point_belongs_to_the_cell_of_its_nearest_place():
    tess = build_tessellation(FOUR, SQUARE)
    sites = np.array([[metres(p.lon, p.lat).x, metres(p.lon, p.lat).y] for p in FOUR.values()])
    rng = np.random.default_rng(5)
    for lon, lat in rng.uniform((38.01, 34.51), (38.99, 35.49), size=(300, 2)):
        probe = metres(lon, lat)
        dist = np.hypot(sites[:, 0] - probe.x, sites[:, 1] - probe.y)
        nearest, second = np.sort(dist)[:2]
        if second - nearest < 10:  # within 10 m of a cell edge: either answer is right
            continue
        assert tess.cells[int(np.argmin(dist))].contains(probe)


def test_cells_are_computed_on_the_ground_not_in_degrees():
    # At 35°N a degree of longitude is ~82% of one of latitude: the probe is nearer the east place
    # in degrees (0.283° against 0.297°) but nearer the north one on the ground (28.9 km against 29.9 km).
    tess = build_tessellation(places_of(place("east", 38.9, 35.0), place("north", 38.5, 35.4)), SQUARE)
    probe = metres(38.75, 35.24)
    assert tess.cells[tess.site_of["north"]].contains(probe)


def test_areas_add_up_to_the_outline_on_a_square():
    tess, day = zones_for(FOUR, a="gov", b="hts", c="gov", d="sdf")
    total = sum(area_by_controller(day).values())
    assert total == pytest.approx(geodesic_km2(SQUARE), rel=0.01)
    assert tess.cell_km2.sum() == pytest.approx(total, rel=1e-9)


def test_areas_add_up_to_syria_with_real_places():
    tanf = to_lonlat(metres(38.6178, 33.5058).buffer(55_000))  # a 55 km circle, partly outside Syria
    real = places_of(
        place("damascus", 36.2913, 33.5102, weight=3.0),
        place("aleppo", 37.1612, 36.2021, weight=3.0),
        place("aleppo_airport", 37.2244, 36.1807, weight=0.5),
        place("homs", 36.7237, 34.7268, weight=2.0),
        place("deir_ez_zor", 40.1408, 35.3359),
        place("qamishli", 41.2266, 37.0521),
        place("daraa", 36.1021, 32.6189),
        place("al_tanf", 38.6178, 33.5058, area=tuple(tanf.exterior.coords)),
    )
    tess, day = zones_for(
        real,
        outline=syria_outline(),
        damascus="gov",
        aleppo="hts",
        aleppo_airport="gov",
        homs="gov",
        deir_ez_zor="sdf",
        qamishli="sdf",
        daraa="south",
        al_tanf="sfa",
    )
    assert shapely.coverage_is_valid(tess.cells)
    areas = area_by_controller(day)
    assert sum(areas.values()) == pytest.approx(geodesic_km2(syria_outline()), rel=0.01)
    assert sum(areas.values()) == pytest.approx(185_180, rel=0.01)
    for pid, p in real.items():
        assert tess.cells[tess.site_of[pid]].contains(metres(p.lon, p.lat)), pid
    assert tess.cells[tess.site_of["al_tanf"]].buffer(1).covers(to_metres(tanf).intersection(tess.outline))


def test_area_is_equal_area_not_degrees():
    # one place, the whole 1°x1° square: its true area (~10,150 km²), not 1 deg² x 111.32² (~12,392 km²)
    _, day = zones_for(places_of(place("x", 38.5, 35.0)), x="gov")
    km2 = day.zones[0].area_km2
    assert km2 == pytest.approx(geodesic_km2(SQUARE), rel=0.001)
    assert abs(km2 - SQUARE.area * 111.32**2) > 2000
    # the same square in degrees, further north, is smaller on the ground
    _, north = zones_for(places_of(place("x", 38.5, 36.5)), outline=box(38.0, 36.0, 39.0, 37.0), x="gov")
    assert north.zones[0].area_km2 < km2 * 0.99
    assert north.zones[0].area_km2 == pytest.approx(geodesic_km2(box(38.0, 36.0, 39.0, 37.0)), rel=0.001)


def test_duplicate_points_share_one_cell_and_both_get_the_zone():
    twins = places_of(place("town", 38.3, 35.0), place("airport", 38.3, 35.0), place("other", 38.8, 35.0))
    tess, day = zones_for(twins, town="gov", airport="gov", other="hts")
    assert tess.site_of["town"] == tess.site_of["airport"]
    gov = next(z for z in day.zones if z.controller == "gov")
    assert set(gov.places) == {"town", "airport"}
    assert sum(area_by_controller(day).values()) == pytest.approx(geodesic_km2(SQUARE), rel=0.01)
    # held by different factions: nobody can tell who holds the ground, so it is contested
    _, split = zones_for(twins, town="gov", airport="hts", other="hts")
    shared = next(z for z in split.zones if "town" in z.places)
    assert shared.controller == "gov" and shared.mode == "contested" and shared.contested_with == ("hts",)


# --- zones ----------------------------------------------------------------------------------


def test_zones_of_one_controller_are_dissolved():
    _, day = zones_for(FOUR, a="gov", b="gov", c="hts", d="hts")
    assert sorted(z.controller for z in day.zones) == ["gov", "hts"]
    for zone in day.zones:
        assert zone.geometry.geom_type == "Polygon" and not zone.geometry.interiors
        assert len(zone.places) == 2


def test_contested_cells_are_flagged_and_kept_apart():
    _, day = zones_for(FOUR, a="gov", b=Control("gov", ("hts",)), c="gov", d="hts")
    by_mode = {(z.controller, z.mode): z for z in day.zones}
    assert set(by_mode) == {("gov", "held"), ("gov", "contested"), ("hts", "held")}
    assert by_mode[("gov", "contested")].contested_with == ("hts",) and by_mode[("gov", "contested")].places == ("b",)
    assert contested_area_by_controller(day) == {"gov": pytest.approx(by_mode[("gov", "contested")].area_km2)}
    props = [f["properties"] for f in zones_geojson(day)["features"]]
    assert {"controller": "gov", "mode": "contested", "contested_with": ["hts"]}.items() <= next(
        p for p in props if p["mode"] == "contested"
    ).items()


def test_split_place_goes_to_its_primary_holder():
    _, day = zones_for(FOUR, a="gov", b=Control("sdf", secondary="gov"), c="gov", d="gov")
    assert {(z.controller, z.mode) for z in day.zones} == {("gov", "held"), ("sdf", "held")}


def test_explicit_area_is_given_to_its_place():
    # a 20 km block in the far corner of b's Voronoi cell, given to a
    area = ((38.75, 34.5), (38.97, 34.5), (38.97, 34.68), (38.75, 34.68))
    with_area = dict(FOUR, a=place("a", 38.2, 34.8, area=area))
    tess, day = zones_for(with_area, a="gov", b="hts", c="sdf", d="sna")
    block = to_metres(Polygon(area))
    cell_a, cell_b = tess.cells[tess.site_of["a"]], tess.cells[tess.site_of["b"]]
    assert cell_a.buffer(1).contains(block)
    assert cell_b.intersection(block).area < 1.0
    assert cell_b.contains(metres(38.75, 34.7))  # b keeps its own place
    assert sum(area_by_controller(day).values()) == pytest.approx(geodesic_km2(SQUARE), rel=0.01)


def test_explicit_area_is_clipped_to_the_outline():
    outside = ((37.5, 34.0), (38.3, 34.0), (38.3, 34.7), (37.5, 34.7))
    tess = build_tessellation(dict(FOUR, a=place("a", 38.2, 34.8, area=outside)), SQUARE)
    assert tess.cell_km2.sum() == pytest.approx(geodesic_km2(SQUARE), rel=0.01)
    assert shapely.coverage_is_valid(tess.cells)


@pytest.mark.parametrize(
    "area",
    [
        ((38.2, 34.8),) * 3,  # three equal points
        ((38.2, 34.8), (38.3, 34.8), (38.4, 34.8)),  # on one line
    ],
)
def test_an_unusable_area_leaves_its_place_a_point(area):
    """Data that bypassed the loader's checks: the place counts as its point, and the model says which one."""
    tess, day = zones_for(dict(FOUR, a=place("a", 38.2, 34.8, area=area)), a="gov", b="hts", c="sdf", d="sna")
    plain, _ = zones_for(FOUR, a="gov", b="hts", c="sdf", d="sna")
    assert tess.unused_areas == ("a",) and plain.unused_areas == ()
    assert tess.cells[tess.site_of["a"]].equals_exact(plain.cells[plain.site_of["a"]], 1e-6)
    assert sum(area_by_controller(day).values()) == pytest.approx(geodesic_km2(SQUARE), rel=0.01)


def along(west: tuple[float, float], east: tuple[float, float], share: float) -> Point:
    a, b = metres(*west), metres(*east)
    return Point(a.x + share * (b.x - a.x), a.y + share * (b.y - a.y))


def test_weight_enlarges_a_cell():
    west, east = (38.3, 35.0), (38.7, 35.0)
    even = build_tessellation(places_of(place("w", *west), place("e", *east)), SQUARE)
    assert even.cell_km2[0] == pytest.approx(even.cell_km2[1], rel=0.01)
    heavy = build_tessellation(places_of(place("w", *west, weight=3.0), place("e", *east)), SQUARE)
    assert heavy.cell_km2[heavy.site_of["w"]] > 1.5 * heavy.cell_km2[heavy.site_of["e"]]
    # on the line between them the weight-3 place reaches 3/4 of the way (3 times as far as the other)
    assert heavy.cells[heavy.site_of["w"]].contains(along(west, east, 0.74))
    assert heavy.cells[heavy.site_of["e"]].contains(along(west, east, 0.76))
    assert heavy.cells[heavy.site_of["e"]].contains(metres(*east))


def test_weight_below_one_shrinks_a_cell():
    west, east = (38.3, 35.0), (38.7, 35.0)
    light = build_tessellation(places_of(place("w", *west, weight=0.5), place("e", *east)), SQUARE)
    assert light.cell_km2[light.site_of["w"]] < 0.5 * light.cell_km2[light.site_of["e"]]
    assert light.cells[light.site_of["w"]].contains(along(west, east, 0.32))
    assert light.cells[light.site_of["e"]].contains(along(west, east, 0.35))


def test_a_light_place_next_to_a_heavy_one_gets_a_disk():
    # an airbase (0.5) 10 km from a city (3): the ground nearer it, weighted, is the Apollonius disk
    city, base = place("city", 38.5, 35.0, weight=3.0), place("base", 38.5, 35.09, weight=0.5)
    tess = build_tessellation(places_of(city, base), SQUARE)
    c, b = metres(city.lon, city.lat), metres(base.lon, base.lat)
    k, d = 0.5 / 3.0, c.distance(b)
    radius = k * d / (1 - k * k)
    assert tess.cell_km2[tess.site_of["base"]] == pytest.approx(math.pi * radius**2 / 1e6, rel=0.01)
    for x, y in shapely.get_coordinates(tess.cells[tess.site_of["base"]].exterior):
        assert math.hypot(x - b.x, y - b.y) / 0.5 == pytest.approx(math.hypot(x - c.x, y - c.y) / 3.0, abs=50)


def test_every_point_belongs_to_the_place_nearest_by_weighted_distance():
    rng = np.random.default_rng(7)
    lon_lat = rng.uniform((38.05, 34.55), (38.95, 35.45), size=(14, 2))
    weights = rng.choice([0.5, 1.0, 2.0, 3.0], size=14)
    items = places_of(*(place(f"p{i}", lon, lat, weight=float(w)) for i, ((lon, lat), w) in enumerate(zip(lon_lat, weights, strict=True))))
    tess = build_tessellation(items, SQUARE)
    assert shapely.coverage_is_valid(tess.cells)
    assert tess.cell_km2.sum() == pytest.approx(geodesic_km2(SQUARE), rel=0.01)
    sites = np.array([[metres(lon, lat).x, metres(lon, lat).y] for lon, lat in lon_lat])
    checked = 0
    for lon, lat in rng.uniform((38.01, 34.51), (38.99, 35.49), size=(400, 2)):
        probe = metres(lon, lat)
        weighted = np.hypot(sites[:, 0] - probe.x, sites[:, 1] - probe.y) / weights
        best, second = np.sort(weighted)[:2]
        if second - best < 100:  # within ~100 m of a border: either answer is right
            continue
        assert tess.cells[int(np.argmin(weighted))].contains(probe)
        checked += 1
    assert checked > 350


def test_ground_around_an_area_goes_by_distance_to_the_area():
    # a thin strip held by one place whose point is at its west end, and a town near its east end
    strip = ((38.05, 34.98), (38.95, 34.98), (38.95, 35.02), (38.05, 35.02))
    items = places_of(place("strip", 38.1, 35.0, area=strip), place("town", 38.9, 35.3))
    tess = build_tessellation(items, SQUARE)
    assert tess.cells[tess.site_of["strip"]].contains(metres(38.9, 35.06))  # 4 km off the strip, 27 km from the town
    assert tess.cells[tess.site_of["town"]].contains(metres(38.9, 35.2))


def test_two_heavy_neighbours_keep_their_own_places():
    items = places_of(place("w", 38.45, 35.0, weight=10.0), place("e", 38.55, 35.0, weight=10.0), place("n", 38.5, 35.3))
    tess = build_tessellation(items, SQUARE)
    for pid, p in items.items():
        assert tess.cells[tess.site_of[pid]].contains(metres(p.lon, p.lat)), pid
    assert tess.cell_km2[0] == pytest.approx(tess.cell_km2[1], rel=0.01)  # equal weights: still symmetric


# --- front lines ---------------------------------------------------------------------------


def test_front_line_lies_on_the_bisector():
    pair = places_of(place("w", 38.3, 35.0), place("e", 38.7, 35.0))
    _, day = zones_for(pair, w="gov", e="hts")
    (front,) = day.front_lines
    assert front.factions == ("gov", "hts")
    coords = shapely.get_coordinates(to_lonlat(front.geometry))
    assert np.allclose(coords[:, 0], 38.5, atol=1e-6)  # the centre meridian is the mirror line
    assert coords[:, 1].min() == pytest.approx(34.5, abs=1e-6) and coords[:, 1].max() == pytest.approx(35.5, abs=1e-6)
    assert front.length_km == pytest.approx(GEOD.inv(38.5, 34.5, 38.5, 35.5)[2] / 1000, rel=0.01)


def test_front_line_is_equidistant_from_two_arbitrary_places():
    pair = places_of(place("p", 38.2, 34.7), place("q", 38.9, 35.4))
    _, day = zones_for(pair, p="gov", q="hts")
    p, q = metres(38.2, 34.7), metres(38.9, 35.4)
    line = shapely.segmentize(day.front_lines[0].geometry, 1000)
    for x, y in shapely.get_coordinates(line):
        assert math.hypot(x - p.x, y - p.y) == pytest.approx(math.hypot(x - q.x, y - q.y), abs=0.05)


def test_weighted_front_line_lies_on_the_circle_of_equal_weighted_distance():
    pair = places_of(place("p", 38.4, 35.0, weight=2.0), place("q", 38.7, 35.1))
    _, day = zones_for(pair, p="gov", q="hts")
    p, q = metres(38.4, 35.0), metres(38.7, 35.1)
    for x, y in shapely.get_coordinates(day.front_lines[0].geometry):
        assert math.hypot(x - p.x, y - p.y) / 2.0 == pytest.approx(math.hypot(x - q.x, y - q.y), abs=20)


def test_front_line_appears_exactly_where_two_controllers_meet():
    tess, day = zones_for(FOUR, a="gov", b="gov", c="gov", d="hts")
    (front,) = day.front_lines
    cell_d = tess.cells[tess.site_of["d"]]
    inner = cell_d.boundary.difference(tess.outline.boundary.buffer(0.01))  # d's edges not on the border
    assert front.geometry.hausdorff_distance(inner) < 0.1
    assert front.length_km == pytest.approx(inner.length / 1000, rel=1e-4)


def test_no_front_line_between_cells_of_one_controller():
    _, day = zones_for(FOUR, a="gov", b="gov", c="gov", d=Control("gov", ("hts",)))
    assert day.front_lines == ()
    assert front_lines_geojson(day)["features"] == []


# --- GeoJSON ---------------------------------------------------------------------------------


def test_geojson_is_lon_lat_rounded_and_gap_free():
    _, day = zones_for(FOUR, a="gov", b="hts", c="gov", d="sdf")
    zones = zones_geojson(day, tolerance_m=1000)
    assert zones["type"] == "FeatureCollection" and zones["note"] == NOTE
    geoms = [shape(f["geometry"]) for f in zones["features"]]
    coords = np.vstack([shapely.get_coordinates(g) for g in geoms])
    assert coords[:, 0].min() >= 38.0 - 1e-4 and coords[:, 0].max() <= 39.0 + 1e-4
    assert np.allclose(coords, np.round(coords, 4), atol=1e-12)
    # still a coverage after simplification: areas add up, neighbours do not overlap
    assert sum(g.area for g in geoms) == pytest.approx(SQUARE.area, rel=0.01)
    assert shapely.union_all(geoms).area == pytest.approx(sum(g.area for g in geoms), rel=1e-6)
    for feature in zones["features"]:
        assert set(feature["properties"]) == {"controller", "mode", "contested_with", "area_km2", "places"}
    json.dumps(zones)


def test_geojson_front_lines_lie_on_the_drawn_zone_edges():
    _, day = zones_for(FOUR, a="gov", b="hts", c="gov", d="sdf")
    zones = zones_geojson(day, tolerance_m=5000)
    fronts = front_lines_geojson(day, tolerance_m=5000)
    edges = shapely.union_all([shape(f["geometry"]).boundary for f in zones["features"]])
    assert {tuple(f["properties"]["factions"]) for f in fronts["features"]} == {f.factions for f in day.front_lines}
    for feature in fronts["features"]:
        line = shape(feature["geometry"])
        assert line.length > 0.1 and edges.buffer(1e-7).covers(line)


def test_tolerance_for_zoom():
    assert tolerance_for_zoom(7) == pytest.approx(1002, rel=0.01)
    assert tolerance_for_zoom(8) == pytest.approx(tolerance_for_zoom(7) / 2)


# --- the model over a timeline ------------------------------------------------------------


def tiny_dataset() -> Dataset:
    factions = {f: Faction(f, f, f, "#777777", f) for f in ("gov", "hts", "sdf")}
    places = {
        "a": place("a", 38.2, 34.8, population=1000),
        "b": place("b", 38.75, 34.7, population=200),
        "c": place("c", 38.3, 35.3),
        "d": place("d", 38.8, 35.2, population=50),
    }
    baseline = {pid: BaselineEntry(pid, Control("gov"), 0) for pid in places}

    def event(i: int, days: int, pid: str, control: Control) -> Event:
        return Event(i, 0, FIRST + timedelta(days=days), pid, control, "confirmed", "test", (SOURCE,))

    events = (event(0, 2, "d", Control("gov", ("hts",))), event(1, 3, "d", Control("hts")), event(2, 5, "b", Control("sdf")))
    return Dataset("tiny", factions, places, FIRST, baseline, (SOURCE,), events)


@pytest.fixture(scope="module")
def model() -> TerritoryModel:
    return TerritoryModel(Timeline(tiny_dataset()), outline=SQUARE)


def test_model_computes_each_distinct_state_once(model):
    days = model.timeline.days
    assert len(days) == 6 and model.distinct_states == 4
    assert model.zones_on(days[0]) is model.zones_on(days[1])  # nothing changed: the same object
    assert model.zones_on(days[3]) is model.zones_on(days[4])
    assert model.zones_on(days[-1] + timedelta(days=30)) is model.zones_on(days[-1])
    with pytest.raises(DateOutOfRange):
        model.zones_on(FIRST - timedelta(days=1))


def test_model_days(model):
    days = model.timeline.days
    assert [z.controller for z in model.zones_on(days[0]).zones] == ["gov"]
    assert model.front_lines_on(days[0]) == ()
    assert {(z.controller, z.mode) for z in model.zones_on(days[2]).zones} == {("gov", "contested"), ("gov", "held")}
    assert [f.factions for f in model.front_lines_on(days[5])] == [("gov", "hts"), ("gov", "sdf"), ("hts", "sdf")]


def test_model_geojson_is_cached_text_and_fresh_dicts(model):
    day = model.timeline.days[5]
    text = model.geojson_text_on(day)
    assert model.geojson_text_on(day) is text
    first = model.geojson_on(day)
    assert set(first) == {"zones", "front_lines"} and len(first["zones"]["features"]) == 3
    first["zones"]["features"].clear()  # folium adds style properties: a caller's changes must not leak
    assert len(model.geojson_on(day)["zones"]["features"]) == 3
    assert json.loads(model.geojson_text_on(day, tolerance_m=0)) != first
    model.series()[0]["area_km2"] = -1.0  # rows are copies too
    assert model.series()[0]["area_km2"] >= 0


def test_series_areas_add_up_and_population_counts_listed_places(model):
    rows = model.series()
    assert len(rows) == 6 * 3
    for day in model.timeline.days:
        day_rows = model.stats_on(day)
        assert [r["faction"] for r in day_rows] == ["gov", "hts", "sdf"]
        assert sum(r["area_km2"] for r in day_rows) == pytest.approx(geodesic_km2(SQUARE), rel=0.01)
        assert sum(r["population"] for r in day_rows) == 1250
    last = {r["faction"]: r for r in model.stats_on(model.timeline.days[-1])}
    assert last["hts"]["population"] == 50 and last["sdf"]["population"] == 200 and last["gov"]["population"] == 1000
    contested = {r["faction"]: r for r in model.stats_on(model.timeline.days[2])}
    assert contested["gov"]["contested_km2"] > 0 and contested["gov"]["contested_km2"] < contested["gov"]["area_km2"]


def test_stats_from_site_codes_equal_the_zones_figures(model, fixture_timeline):
    """The model's per-day figures come from cell areas by each day's holders (no geometry): the same numbers
    as summing the day's zones (territory_rows), on the tiny dataset and the fixture data."""
    from tests.support.oracles import territory_rows

    for m in (model, TerritoryModel(fixture_timeline)):
        for day in m.timeline.days:
            want = territory_rows(m.dataset, day, m.timeline.state_on(day), m.zones_on(day))
            got = m.stats_on(day)
            assert [r["faction"] for r in got] == [r["faction"] for r in want]
            for a, b in zip(got, want, strict=True):
                assert a["population"] == b["population"] and a["day"] == b["day"]
                assert a["area_km2"] == pytest.approx(b["area_km2"], abs=0.11)
                assert a["contested_km2"] == pytest.approx(b["contested_km2"], abs=0.11)


def test_states_are_built_lazily_and_kept_in_a_bounded_cache():
    model = TerritoryModel(Timeline(tiny_dataset()), outline=SQUARE, cache_states=2)
    assert model._zones == {} and model._json == {}  # nothing built up front
    days = model.timeline.days
    for day in days:
        model.geojson_text_on(day)
    assert len(model._zones) <= 2 and len(model._json) <= 4
    assert model.zones_on(days[-1]) is model.zones_on(days[-1])


def test_population_by_controller_includes_every_faction():
    dataset = tiny_dataset()
    totals = population_by_controller(dataset, state_of(a="hts", b="hts", c="gov", d="hts"))
    assert totals == {"gov": 0, "hts": 1250, "sdf": 0}


def test_territory_series_on_the_fixture_data():
    dataset = load_dataset(Path(__file__).parent / "fixtures" / "events.yaml", Path(__file__).parent / "fixtures" / "places.yaml")
    model = TerritoryModel(Timeline(dataset))
    # what a slider move sends stays small (4 places on the real outline: a few KB)
    assert max(len(model.geojson_text_on(day).encode()) for day in model.timeline.days) < 20_000
    rows = territory_series(dataset)
    days = {r["day"] for r in rows}
    assert len(rows) == len(days) * len(dataset.factions)
    for day in days:
        assert sum(r["area_km2"] for r in rows if r["day"] == day) == pytest.approx(185_180, rel=0.01)
    with pytest.raises(ValueError):
        territory_series(dataset, Timeline(tiny_dataset()))


def test_faces_go_to_the_same_seed_by_tree_as_by_brute_force(monkeypatch):
    from geo.territory import zones

    rng = np.random.default_rng(7)
    seeds = rng.uniform(0, 100_000, (3_000, 2))
    seeds[1] = seeds[0] + 0.0  # not distinct positions in the tessellation, but a tie here: the first seed wins
    weights = rng.choice([1.0, 1.5, 3.0], len(seeds))
    weights[1] = weights[0]
    probes = np.vstack([rng.uniform(-5_000, 105_000, (5_000, 2)), seeds[:1]])
    by_tree = zones._nearest_weighted(probes, seeds, weights)
    monkeypatch.setattr(zones, "MAX_WEIGHT_GROUPS", 0)
    assert np.array_equal(by_tree, zones._nearest_weighted(probes, seeds, weights))
    assert by_tree[-1] == 0
