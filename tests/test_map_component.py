"""map_component.show sends the browser exactly what st_folium would, with the base map worked out once."""

from __future__ import annotations

from datetime import date

import pytest
import streamlit_folium
from streamlit_folium import st_folium

import map_component
from geo.render import base_map, day_layer, layer_data
from geo.territory import TerritoryModel
from geo.zone_layer import ZoneLayers, zone_group


@pytest.fixture(scope="module")
def zones(fixture_timeline):
    return ZoneLayers(TerritoryModel(fixture_timeline))


@pytest.mark.parametrize(("zones_on", "fronts_on", "center", "returned"), [
    (True, True, None, ["last_active_drawing", "last_object_clicked_count", "zoom"]),
    (False, True, (35.13, 36.75), ["last_active_drawing", "last_object_clicked_count", "zoom", "bounds"]),
    (False, False, None, ["zoom"]),
])
def test_show_sends_what_st_folium_sends(monkeypatch, fixture_dataset, fixture_timeline, zones, zones_on, fronts_on, center, returned):
    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    monkeypatch.setattr(map_component, "_component_func", lambda **kw: sent.append(kw))
    day = date(2024, 11, 30)

    def groups():
        found = [zone_group(zones.on(day), zones_on, fronts_on), day_layer(layer_data(fixture_dataset, fixture_timeline, day, "hama"))]
        return [g for g in found if g is not None]

    st_folium(base_map(fixture_dataset), key="map", feature_group_to_add=groups(), returned_objects=returned,
              use_container_width=True, height=520, center=center)
    base = map_component.MapBase(base_map(fixture_dataset))
    map_component.show(base, "map", groups(), returned, 520, center=center)
    map_component.show(base, "map", groups(), returned, 520, center=center)  # the base is reused unchanged
    expected, first, second = sent
    for got in (first, second):
        assert list(got) == list(expected)
        assert {k: v for k, v in got.items() if k != "on_change"} == {k: v for k, v in expected.items() if k != "on_change"}
