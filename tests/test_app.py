"""The dashboard as Streamlit runs it (streamlit.testing.v1.AppTest), on the fixture data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE_PLACES, REPO
from streamlit.testing.v1 import AppTest

from geo.wire import layer_features as read_layer

APP = str(REPO / "streamlit_app.py")
LAST = date(2024, 12, 6)


@pytest.fixture
def app(fixture_app):
    """An AppTest of the dashboard on the fixture data (conftest); call it with query parameters, then .run()."""
    return fixture_app


def map_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name == "streamlit_folium.st_folium"]
    return json.loads(component.proto.json_args)


def layer_features(at: AppTest, layer: str) -> list[dict] | None:
    """The GeoJSON features of one of the day's layers ("places_layer", "zone_layer", "front_line_layer"),
    read back out of the script st_folium sends; None when the layer is not there."""
    return read_layer(map_args(at)["feature_group"], layer)


def map_features(at: AppTest) -> list[dict]:
    """The places on the map."""
    return layer_features(at, "places_layer")


def chart_field(at: AppTest) -> str:
    """The y field of the chart under the map: "places" or "km2"."""
    (chart,) = at.get("vega_lite_chart")
    return json.loads(chart.proto.spec)["layer"][0]["encoding"]["y"]["field"]


def legend_counts(at: AppTest) -> dict[str, int]:
    (legend,) = [m.value for m in at.markdown if "syria-legend" in m.value]
    return {f: int(n) for f, n in re.findall(r'data-faction="([a-z0-9_]+)"><b>(\d+)</b>', legend)}


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_default_view_is_the_last_day(app):
    at = app().run()
    assert not at.exception
    assert not at.error and not at.warning
    assert at.slider[0].value == LAST
    assert at.title[0].value.startswith("Syria")
    assert "As of 6 Dec 2024" in at.caption[0].value
    assert legend_counts(at) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
    features = map_features(at)
    assert [f["properties"]["place_id"] for f in features] == ["aleppo", "hama", "deir_ez_zor", "nassib_crossing"]
    assert [f["properties"]["c"] for f in features] == ["hts", "hts", "sdf", "south"]
    args = map_args(at)
    assert args["returned_objects"] == ["last_active_drawing", "last_object_clicked_count", "zoom"]
    assert args["js_links"] and all("leaflet" in url for url in args["js_links"])
    assert at.query_params["date"] == "2024-12-06"
    text = markdown_text(at)
    assert "SDF took Deir ez-Zor from Government" in text and "Data &amp; method" not in text
    assert "OpenStreetMap" in text and "What the map shows" in text
    assert at.expander[-1].label == "Data & method"


def test_the_page_starts_without_the_maps_modules():
    """What the script runs before its first element imports no folium (nor pandas with it), shapely or pyproj: on a
    server's first run those take ~0.8 s, so the page's other elements are sent first and the map last."""
    head = Path(APP).read_text(encoding="utf-8").split("st.set_page_config", 1)[0]
    probe = head + "\nimport sys\nprint(sorted({'folium', 'pandas', 'shapely', 'pyproj', 'numpy'} & set(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_moving_the_slider_changes_counts_and_layer_but_not_the_base_map(app):
    at = app().run()
    before_layer, before_args = map_features(at), map_args(at)
    at.slider[0].set_value(date(2024, 11, 29)).run()
    assert not at.exception
    assert legend_counts(at) == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
    after_layer, after_args = map_features(at), map_args(at)
    assert after_layer != before_layer
    assert [f["properties"]["c"] for f in after_layer] == ["gov"] * 4
    assert after_args["feature_group"] != before_args["feature_group"]
    # the same base map: the browser keeps it, with the user's zoom and pan
    for key in ("key", "script", "header", "html", "js_links", "css_links", "zoom", "center"):
        assert after_args[key] == before_args[key], key
    assert at.query_params["date"] == "2024-11-29"
    assert "HTS contests Aleppo, held by Government" in markdown_text(at)


def test_a_shared_link_opens_its_view(app):
    at = app(date="2024-11-30", place="aleppo").run()
    assert not at.exception and not at.warning
    assert at.slider[0].value == date(2024, 11, 30)
    assert at.selectbox[0].value == "aleppo"
    assert legend_counts(at) == {"gov": 3, "hts": 1, "sdf": 0, "south": 0}
    assert any("syria-history" in m.value and "Halab" in m.value for m in at.markdown)
    assert at.query_params["date"] == "2024-11-30" and at.query_params["place"] == "aleppo"
    # the selected place is marked on the map
    aleppo = map_features(at)[0]
    assert aleppo["properties"]["place_id"] == "aleppo"
    assert "#1565C0" in map_args(at)["feature_group"]


@pytest.mark.parametrize(("params", "words"), [
    ({"date": "garbage"}, "not a date"),
    ({"date": "2031-01-01"}, "outside the data"),
    ({"date": "2024-11-01"}, "outside the data"),
    ({"date": "2024-11-30", "place": "atlantis"}, "not in the gazetteer"),
])
def test_bad_links_fall_back_with_a_notice(app, params, words):
    at = app(**params).run()
    assert not at.exception
    assert len(at.warning) == 1 and words in at.warning[0].value
    expected = date(2024, 11, 30) if params["date"] == "2024-11-30" else LAST
    assert at.slider[0].value == expected
    assert at.query_params["date"] == expected.isoformat()
    assert "place" not in at.query_params
    # the notice goes once the user changes the view
    at.slider[0].set_value(date(2024, 11, 27)).run()
    assert not at.warning


def test_buttons_step_through_the_days(app):
    at = app(date="2024-11-27").run()
    buttons = {b.label: b for b in at.button}
    assert set(buttons) == {"Previous day", "Next day", "Next day with events", "Play"}
    buttons["Next day with events"].click().run()
    assert at.slider[0].value == date(2024, 11, 29)
    next(b for b in at.button if b.label == "Next day").click().run()
    assert at.slider[0].value == date(2024, 11, 30)
    next(b for b in at.button if b.label == "Previous day").click().run()
    assert at.slider[0].value == date(2024, 11, 29)
    assert at.query_params["date"] == "2024-11-29"
    at = app().run()
    assert next(b for b in at.button if b.label == "Next day").disabled
    assert next(b for b in at.button if b.label == "Next day with events").disabled


def test_play_starts_over_at_the_end_and_stops(app):
    at = app().run()
    next(b for b in at.button if b.label == "Play").click().run()
    assert at.session_state["playing"] is True
    assert at.slider[0].value == date(2024, 11, 26)  # from the last day, Play starts over
    assert [b.label for b in at.button if b.key == "play"] == ["Stop"]
    next(b for b in at.button if b.label == "Stop").click().run()
    assert at.session_state["playing"] is False


def test_picking_a_place_shows_its_history_and_goes_in_the_link(app):
    at = app().run()
    assert not any("syria-history" in m.value for m in at.markdown)
    at.selectbox[0].select("hama").run()
    (history,) = [m.value for m in at.markdown if "syria-history" in m.value]
    assert "Hama" in history and "Rebels say they took Hama." in history and "The Independent" in history
    assert "claimed by HTS" in history
    assert at.query_params["place"] == "hama"
    assert map_args(at)["center"] == [pytest.approx(35.13, abs=0.1), pytest.approx(36.75, abs=0.1)]  # brought into view
    at.selectbox[0].select(None).run()
    assert "place" not in at.query_params


def test_zones_and_front_lines_are_on_the_map(app):
    at = app(date="2024-11-29").run()
    assert not at.exception
    assert [c.value for c in at.checkbox] == [True, True]
    zones, fronts = layer_features(at, "zone_layer"), layer_features(at, "front_line_layer")
    assert len(zones) == 2 and fronts == []  # Aleppo contested; all the ground still the government's
    assert {z["properties"]["style"]["fillColor"] for z in zones} == {"#D55E00", "url(#syria-hatch-D55E00-009E73)"}
    script = map_args(at)["feature_group"]
    assert "syria-hatch-D55E00-009E73" in script and '"syria-zones"' in script
    assert script.index("zone_layer") < script.index("places_layer")
    legend = next(m.value for m in at.markdown if "syria-legend" in m.value)
    assert 'data-area="gov"' in legend and "185,900 km²" in legend and "not surveyed front lines" in legend
    symbols = next(m.value for m in at.markdown if "syria-symbols" in m.value)
    assert "Contested zone" in symbols and "Front line (approximate)" in symbols
    assert "Zones are approximate" in markdown_text(at)


def test_moving_the_slider_changes_the_zones(app):
    at = app(date="2024-11-29").run()
    before = layer_features(at, "zone_layer")
    at.slider[0].set_value(date(2024, 12, 6)).run()
    after = layer_features(at, "zone_layer")
    assert after != before and len(after) == 3
    assert {z["properties"]["style"]["fillColor"] for z in after} == {"#009E73", "#F0E442", "#CC79A7"}
    assert len(layer_features(at, "front_line_layer")) == 3


def test_toggling_zones_and_front_lines(app):
    at = app(date="2024-12-06").run()
    base_script = map_args(at)["script"]
    at.checkbox(key="zones").uncheck().run()
    assert not at.exception
    assert layer_features(at, "zone_layer") is None and len(layer_features(at, "front_line_layer")) == 3
    assert len(map_features(at)) == 4  # the places stay
    assert at.query_params["zones"] == "0" and "fronts" not in at.query_params
    assert "Contested zone" not in next(m.value for m in at.markdown if "syria-symbols" in m.value)
    at.checkbox(key="fronts").uncheck().run()
    assert layer_features(at, "zone_layer") is None and layer_features(at, "front_line_layer") is None
    assert at.query_params["fronts"] == "0"
    at.checkbox(key="zones").check().run()
    assert len(layer_features(at, "zone_layer")) == 3 and layer_features(at, "front_line_layer") is None
    assert "zones" not in at.query_params
    assert map_args(at)["script"] == base_script  # the base map is never rebuilt


def test_a_link_can_switch_zones_off(app):
    at = app(date="2024-12-06", zones="0", fronts="0").run()
    assert not at.exception and not at.warning
    assert [c.value for c in at.checkbox] == [False, False]
    assert layer_features(at, "zone_layer") is None and layer_features(at, "front_line_layer") is None
    assert at.query_params["zones"] == "0" and at.query_params["fronts"] == "0"


def test_zooming_in_sends_finer_zones(app):
    at = app(date="2024-12-06").run()
    coarse = json.dumps(layer_features(at, "zone_layer"))
    at.session_state["map"] = {"zoom": 11, "last_active_drawing": None, "last_object_clicked_count": None}  # as st_folium reports it
    at.run()
    fine = json.dumps(layer_features(at, "zone_layer"))
    assert not at.exception and len(fine) > len(coarse)
    assert at.session_state["place"] is None


def test_the_chart_shows_places_or_zone_area(app):
    at = app().run()
    assert chart_field(at) == "places"
    at.segmented_control(key="chart").set_value("Zone area (km², approximate)").run()
    assert not at.exception
    assert chart_field(at) == "km2"
    at.slider[0].set_value(date(2024, 11, 30)).run()
    (chart,) = at.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["layer"][-1]["data"] == {"values": [{"day": "2024-11-30"}]}


def test_invalid_events_show_the_validators_messages(monkeypatch, invalid_events):
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(invalid_events))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(FIXTURE_PLACES))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "did not pass validation" in at.error[0].value
    (code,) = at.code
    lines = code.value.splitlines()
    assert any(re.match(rf"{re.escape(str(invalid_events))}:\d+: events\[\d+\]\.place: unknown place 'hamaa'", ln) for ln in lines)
    assert any(re.match(rf"{re.escape(str(invalid_events))}:\d+: events\[\d+\]\.status: 'rumoured'", ln) for ln in lines)
    assert not at.get("component_instance") and not at.slider


def test_a_missing_events_file_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(tmp_path / "nope.yaml"))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(FIXTURE_PLACES))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and at.error
    assert "cannot read" in at.code[0].value


def test_hostile_data_renders_escaped(monkeypatch, hostile_paths):
    events, places = hostile_paths
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(events))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(places))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["date"] = "2024-12-05"
    at.query_params["place"] = "hama"
    at.run()
    assert not at.exception and not at.error
    html_blocks = [m.value for m in at.markdown if m.value.startswith("<")]
    for block in html_blocks:
        assert "<script" not in block and "<img src=x" not in block and "`" not in block and "${" not in block
    assert "`" not in map_args(at)["feature_group"]
