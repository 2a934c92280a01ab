"""Which places the round-trip map draws (tests/support/roundtrip/place_layer.py): every place for small data,
thinned by zoom and cut to the view for big data."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from geo.cli import synth
from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline
from tests.support.roundtrip.place_layer import CULL_FROM_ZOOM, PlaceLayers, view_box, zoom_level
from tests.support.roundtrip.render import layer_data, places_features, places_wire


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A synthetic dataset of 400 places over 60 days, drawn thinned (limit 100)."""
    out = tmp_path_factory.mktemp("synth") / "big.yaml"
    events, places = synth.write(out, 400, 1200, 60)
    dataset = load_dataset(events, places)
    timeline = Timeline(dataset)
    return dataset, timeline, PlaceLayers(dataset, timeline, limit=100)


def ids(wire: str) -> list[str]:
    return [f["properties"]["place_id"] for f in places_features(wire) if f["geometry"]["type"] == "Point"]


def test_small_data_draws_every_place_at_every_zoom(fixture_dataset, fixture_timeline):
    layers = PlaceLayers(fixture_dataset, fixture_timeline)
    assert not layers.thinned
    day = date(2024, 11, 29)
    wire = layers.wire(day, "hama", zoom=12, bounds={"_southWest": {"lat": 36, "lng": 37}, "_northEast": {"lat": 36.3, "lng": 37.3}})
    assert wire == places_wire(layer_data(fixture_dataset, fixture_timeline, day, "hama"))
    assert ids(wire) == list(fixture_dataset.places)
    assert layers.wire(day, "hama") is wire  # cached


def test_big_data_is_thinned_by_zoom(big):
    dataset, timeline, layers = big
    assert layers.thinned
    day = timeline.days[30]
    counts = {zoom: len(ids(layers.wire(day, zoom=zoom))) for zoom in (5, 7, 9, 14)}
    assert counts[5] < counts[7] < counts[9] <= counts[14] <= len(dataset.places)
    assert counts[5] < len(dataset.places) / 4
    shown = ids(layers.wire(day, zoom=7))
    assert set(timeline.changed_on(day)) <= set(shown)  # what changed that day is always drawn
    assert len(shown) == len(set(shown))


def test_the_selected_place_is_always_drawn_and_representatives_count_the_rest(big):
    dataset, timeline, layers = big
    day = timeline.days[10]
    hidden = next(pid for pid in dataset.places if pid not in ids(layers.wire(day, zoom=5)))
    assert hidden in ids(layers.wire(day, hidden, zoom=5))
    features = [f for f in places_features(layers.wire(day, zoom=5)) if f["geometry"]["type"] == "Point"]
    noted = [f for f in features if "more place" in f["properties"]["tip"]]
    assert noted
    total = 0
    for f in noted:
        found = re.search(r"(\d+) more places? near here: (.*?)</i>", f["properties"]["tip"])
        counts = [int(n) for n in re.findall(r" (\d+)(?:,|$)", found.group(2))]
        assert sum(counts) == int(found.group(1))
        total += int(found.group(1))
    assert total + len(features) == len(dataset.places)  # every place is drawn or counted


def test_zoomed_in_only_the_view_is_sent(big):
    dataset, timeline, layers = big
    day = timeline.days[5]
    bounds = {"_southWest": {"lat": 34.0, "lng": 36.0}, "_northEast": {"lat": 34.6, "lng": 36.8}}
    box = view_box(bounds, 10)
    assert box is not None and box[0] < 36.0 and box[2] > 36.8 and box[1] < 34.0 and box[3] > 34.6
    shown = ids(layers.wire(day, zoom=10, bounds=bounds))
    everything = ids(layers.wire(day, zoom=10))
    assert 0 < len(shown) < len(everything)
    for pid in shown:
        place = dataset.places[pid]
        assert box[0] <= place.lon <= box[2] and box[1] <= place.lat <= box[3]
    # a small pan asks for the same box: the same (cached) layer
    nudged = {"_southWest": {"lat": 34.01, "lng": 36.01}, "_northEast": {"lat": 34.61, "lng": 36.81}}
    assert view_box(nudged, 10.3) == box


@pytest.mark.parametrize(
    ("bounds", "zoom"),
    [
        (None, 12),
        ({"_southWest": {"lat": 34, "lng": 36}, "_northEast": {"lat": 35, "lng": 37}}, CULL_FROM_ZOOM - 0.5),
        ({"_southWest": {"lat": "x", "lng": 36}, "_northEast": {"lat": 35, "lng": 37}}, 12),
        ({"_southWest": {"lat": 35, "lng": 37}, "_northEast": {"lat": 34, "lng": 36}}, 12),
        ({"_southWest": {"lat": float("nan"), "lng": 36}, "_northEast": {"lat": 35, "lng": 37}}, 12),
        ("junk", 12),
    ],
)
def test_no_view_box_without_usable_bounds_or_below_the_culling_zoom(bounds, zoom):
    assert view_box(bounds, zoom) is None


def test_zoom_level():
    assert zoom_level(7.75) == 7 and zoom_level(30) == 14 and zoom_level(1) == 5
    assert zoom_level(None) is None and zoom_level(True) is None and zoom_level(float("inf")) is None


def test_thinned_layer_is_a_fraction_of_the_full_one(big):
    dataset, timeline, layers = big
    day = timeline.days[20]
    full = places_wire(layer_data(dataset, timeline, day))
    thinned = layers.wire(day, zoom=6)
    assert len(thinned) < len(full) / 2
    assert json.loads(thinned)["f"]
