"""The dashboard as Streamlit runs it (streamlit.testing.v1.AppTest), on the fixture data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.map.page import embedded_data
from tests.support.data import FIXTURE_PLACES, REPO

APP = str(REPO / "streamlit_app.py")
LAST = date(2024, 12, 6)


@pytest.fixture
def app(fixture_app):
    """An AppTest of the dashboard on the fixture data (conftest); call it with query parameters, then .run()."""
    return fixture_app


def map_data(at: AppTest) -> dict:
    """What the dashboard tells the map component (dashboard/web/host.js): the page's URL and the view."""
    (component,) = [c for c in at.get("bidi_component") if c.proto.component_name == "syria_map"]
    return json.loads(component.proto.json)


def map_page(at: AppTest) -> dict:
    """The data of the map page the component shows (written once per dataset into static/maps/)."""
    url = map_data(at)["url"]
    assert re.fullmatch(r"app/static/maps/[0-9a-f]{16}\.html", url)
    return embedded_data((REPO / "static" / url.removeprefix("app/static/")).read_text(encoding="utf-8"))


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
    assert at.subheader[0].value == "6 Dec 2024"
    assert at.markdown[0].value.startswith("### Syria") or any(m.value.startswith("### Syria") for m in at.markdown)
    assert "As of 6 Dec 2024" in at.caption[0].value
    assert legend_counts(at) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
    data = map_data(at)
    assert data["day"] == "2024-12-06" and data["compare"] is None and data["place"] is None
    assert data["zones"] is True and data["fronts"] is True and data["height"] >= 600
    assert at.query_params["date"] == "2024-12-06"
    text = markdown_text(at)
    assert "SDF took Deir ez-Zor from Government" in text and "Data &amp; method" not in text
    assert "OpenStreetMap" in text and "What the map shows" in text
    assert at.expander[-1].label == "Data & method"
    assert not at.slider and [b.key for b in at.button] == ["language"]  # the date control is the map's own, in the browser


def test_the_map_page_holds_every_day_once(app):
    """The browser gets the timeline once per dataset (a file), not a layer per day: the component sends a URL and a day."""
    at = app().run()
    page = map_page(at)
    assert page["days"][0] == "2024-11-26" and page["days"][-1] == "2024-12-06"
    assert [p["id"] for p in page["places"]] == ["aleppo", "hama", "deir_ez_zor", "nassib_crossing"]
    assert page["zones"] is not None and page["zones"]["reachKm"] == 35
    assert len(json.dumps(map_data(at))) < 400  # what a rerun sends about the map: the view, not the map
    again = app(date="2024-11-29").run()
    assert map_data(again)["url"] == map_data(at)["url"]  # the same page for every day


def test_a_map_page_removed_from_static_maps_is_written_again(app):
    """The server keeps each version's map page URL, but the file may go (newer versions' pages push out old ones):
    the next run writes it again rather than show a frame that finds nothing."""
    at = app().run()
    path = REPO / map_data(at)["url"].removeprefix("app/")
    for _ in range(2):  # the first time, the page may have come from the disk (an earlier run): then it is made here
        path.unlink()
        again = app(date="2024-11-29").run()
        assert not again.exception and map_data(again)["url"] == map_data(at)["url"] and path.is_file()


def test_the_page_starts_without_the_maps_modules():
    """What the script runs before its first element imports no folium (nor pandas with it), shapely or pyproj: on a
    server's first run those take ~0.8 s, so the page's other elements are sent first and the map last."""
    head = (REPO / "dashboard" / "app.py").read_text(encoding="utf-8").split("\ndef main(", 1)[0]  # main() starts with st.set_page_config
    probe = head + "\nimport sys\nprint(sorted({'folium', 'pandas', 'shapely', 'pyproj', 'numpy'} & set(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_shared_link_opens_its_view(app):
    at = app(date="2024-11-30", place="aleppo").run()
    assert not at.exception and not at.warning
    assert at.subheader[0].value == "30 Nov 2024"
    assert at.selectbox[0].value == "aleppo"
    assert legend_counts(at) == {"gov": 3, "hts": 1, "sdf": 0, "south": 0}
    assert any("syria-history" in m.value and "Halab" in m.value for m in at.markdown)
    assert at.query_params["date"] == "2024-11-30" and at.query_params["place"] == "aleppo"
    data = map_data(at)
    assert data["day"] == "2024-11-30" and data["place"] == "aleppo" and data["focus"] is True  # brought into view once
    at.run()
    assert map_data(at)["focus"] is False


def test_a_link_with_a_comparison(app):
    at = app(date="2024-12-06", compare="2024-11-29").run()
    assert not at.exception and not at.warning
    (compare,) = [m.value for m in at.markdown if "syria-compare" in m.value]
    assert "Changed hands between 29 Nov 2024 and 6 Dec 2024" in compare
    assert 'data-compare="hts"' in compare and "gained 2" in compare and "Aleppo (from Government)" in compare
    assert "km²" in compare  # each side's zone area gained or lost
    assert map_data(at)["compare"] == "2024-11-29"
    assert at.query_params["compare"] == "2024-11-29"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"date": "garbage"}, "not a date"),
        ({"date": "2031-01-01"}, "outside the data"),
        ({"date": "2024-11-01"}, "outside the data"),
        ({"date": "2024-11-30", "place": "atlantis"}, "not in the gazetteer"),
        ({"date": "2024-11-30", "compare": "2031-01-01"}, "no comparison is shown"),
    ],
)
def test_bad_links_fall_back_with_a_notice(app, params, words):
    at = app(**params).run()
    assert not at.exception
    assert len(at.warning) == 1 and words in at.warning[0].value
    expected = date(2024, 11, 30) if params["date"] == "2024-11-30" else LAST
    assert at.subheader[0].value == f"{expected.day} {expected:%b %Y}"
    assert at.query_params["date"] == expected.isoformat()
    assert "place" not in at.query_params and "compare" not in at.query_params
    # the notice goes once the user changes the view
    at.selectbox[0].select("hama").run()
    assert not at.warning


def test_picking_a_place_shows_its_history_and_goes_in_the_link(app):
    at = app().run()
    assert not any("syria-history" in m.value for m in at.markdown)
    at.selectbox[0].select("hama").run()
    (history,) = [m.value for m in at.markdown if "syria-history" in m.value]
    assert "Hama" in history and "Rebels say they took Hama." in history and "The Independent" in history
    assert "claimed by HTS" in history
    assert at.query_params["place"] == "hama"
    assert map_data(at)["place"] == "hama" and map_data(at)["focus"] is True  # the map brings it into view
    at.selectbox[0].select(None).run()
    assert "place" not in at.query_params


def test_zones_legend_counts_the_ground_without_data(app):
    at = app(date="2024-11-29").run()
    assert not at.exception
    assert [c.value for c in at.checkbox] == [True, True]
    legend = next(m.value for m in at.markdown if "syria-legend" in m.value)
    assert 'data-area="gov"' in legend and 'data-area="nodata"' in legend and "farther than 35 km" in legend
    assert "185,900 km²" in legend and "not surveyed front lines" in legend  # zones and no data add up to Syria
    symbols = next(m.value for m in at.markdown if "syria-symbols" in m.value)
    assert "Contested zone" in symbols and "Front line (approximate)" in symbols and "Inferred" in symbols
    assert "Zones are approximate" in markdown_text(at)


def test_toggling_zones_and_front_lines(app):
    at = app(date="2024-12-06").run()
    url = map_data(at)["url"]
    at.checkbox(key="zones").uncheck().run()
    assert not at.exception
    assert map_data(at)["zones"] is False and map_data(at)["fronts"] is True
    assert at.query_params["zones"] == "0" and "fronts" not in at.query_params
    assert "Contested zone" not in next(m.value for m in at.markdown if "syria-symbols" in m.value)
    at.checkbox(key="fronts").uncheck().run()
    assert map_data(at)["fronts"] is False and at.query_params["fronts"] == "0"
    at.checkbox(key="zones").check().run()
    assert map_data(at)["zones"] is True and "zones" not in at.query_params
    assert map_data(at)["url"] == url  # the map's page is never rebuilt for a toggle


def test_a_link_can_switch_zones_off(app):
    at = app(date="2024-12-06", zones="0", fronts="0").run()
    assert not at.exception and not at.warning
    assert [c.value for c in at.checkbox] == [False, False]
    assert map_data(at)["zones"] is False and map_data(at)["fronts"] is False
    assert at.query_params["zones"] == "0" and at.query_params["fronts"] == "0"


def test_the_chart_shows_places_or_zone_area(app):
    at = app().run()
    assert chart_field(at) == "places"
    at.segmented_control(key="chart").set_value("Zone area (km², approximate)").run()
    assert not at.exception
    assert chart_field(at) == "km2"
    at = app(date="2024-11-30").run()
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
    # a file outside the project is named by its name alone: visitors never see the server's folders
    assert any(re.match(r"events\.yaml:\d+: events\[\d+\]\.place: unknown place 'hamaa'", ln) for ln in lines), lines
    assert any(re.match(r"events\.yaml:\d+: events\[\d+\]\.status: 'rumoured'", ln) for ln in lines), lines
    assert str(invalid_events.parent) not in code.value + at.error[0].value
    assert not at.get("bidi_component")


def test_validation_messages_name_files_relative_to_the_project(monkeypatch):
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(FIXTURE_PLACES))  # a gazetteer is not an events file
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(FIXTURE_PLACES))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and at.error
    lines = at.code[0].value.splitlines()
    assert lines and all(line.startswith("tests/fixtures/places.yaml:") for line in lines), lines
    assert str(REPO) not in at.code[0].value


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
    page = map_page(at)  # the map's data is JSON for textContent; the page builder escapes what could end its element
    assert page["places"][1]["id"] == "hama"


def test_a_degenerate_area_is_a_validation_message_not_a_crash(monkeypatch, tmp_path):
    crossing = "    coord_source: Test fixture, approximate position on the Syria-Jordan border.\n"
    text = FIXTURE_PLACES.read_text(encoding="utf-8")
    assert crossing in text
    places = tmp_path / "places.yaml"
    places.write_text(text.replace(crossing, crossing + "    area:\n" + "      - [36.2, 32.6]\n" * 3), encoding="utf-8")
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(REPO / "tests" / "fixtures" / "events.yaml"))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(places))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "did not pass validation" in at.error[0].value
    assert re.search(
        r"(?<![/\w])places\.yaml:\d+: places\.nassib_crossing\.area: a polygon needs at least 3 different points", at.code[0].value
    )
