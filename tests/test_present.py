"""The dashboard's view model (geo.view.present) and chart (geo.view.charts): pure functions."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import altair as alt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.view import present
from geo.view.charts import area_chart_spec, area_rows, chart_spec, control_chart, series_rows, spec_for_day, with_day
from geo.view.escape import esc
from tests.support.data import HOSTILE
from tests.support.roundtrip import controls

FIRST, LAST = date(2024, 11, 26), date(2024, 12, 6)
PLACES = {"aleppo", "hama", "deir_ez_zor", "nassib_crossing"}


# --- query parameters ---------------------------------------------------------------------


def parse(params):
    return present.parse_view_params(params, FIRST, LAST, PLACES)


def test_no_parameters_is_the_latest_day():
    assert parse({}) == present.ViewParams(LAST, None, ())


def test_a_valid_link_opens_its_view():
    assert parse({"date": "2024-11-30", "place": "aleppo"}) == present.ViewParams(date(2024, 11, 30), "aleppo", ())
    assert parse({"date": ["2024-11-28", "2024-11-28"]}).day == date(2024, 11, 28)  # repeated, one value: fine
    assert parse({"date": "2024-11-26"}).day == FIRST and parse({"date": "2024-12-06"}).day == LAST


def test_a_parameter_repeated_with_different_values_is_ambiguous():
    view = parse({"date": ["2024-11-27", "2024-11-28"], "place": ["aleppo", "hama"], "zones": ["0", "1"], "fronts": ["0", "0"]})
    assert (view.day, view.place, view.zones, view.fronts) == (LAST, None, True, False)
    assert [n.split(":")[0] for n in view.notices] == [f"The link gives {name} 2 different values" for name in ("date", "place", "zones")]


@pytest.mark.parametrize(
    "raw", ["garbage", "2024-W48-6", "2024-335", "2024-13-01", "2024-02-30", "2024-1-5", "20241205", "2024-12-05T00:00", "<script>", "💥"]
)
def test_garbage_dates_fall_back_with_a_notice(raw):
    view = parse({"date": raw})
    assert view.day == LAST
    assert len(view.notices) == 1 and "not a date" in view.notices[0]


@pytest.mark.parametrize("raw", ["2024-11-25", "1999-01-01", "2024-12-07", "9999-12-31"])
def test_out_of_range_dates_fall_back_with_a_notice(raw):
    view = parse({"date": raw})
    assert view.day == LAST
    assert "outside the data" in view.notices[0] and "2024-11-26 to 2024-12-06" in view.notices[0]


@pytest.mark.parametrize("raw", ["homs", "Aleppo", "aleppo'", "../x", "a" * 500])
def test_unknown_places_are_dropped_with_a_notice(raw):
    view = parse({"place": raw, "date": "2024-11-30"})
    assert view.place is None and view.day == date(2024, 11, 30)
    assert "not in the gazetteer" in view.notices[0]


def test_empty_parameters_are_ignored_silently():
    assert parse({"date": "", "place": " "}) == present.ViewParams(LAST, None, ())


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["date", "place", "other"]), st.one_of(st.text(), st.lists(st.text(), max_size=3))))
def test_any_parameters_give_a_valid_view_and_safe_notices(params):
    view = parse(params)
    assert FIRST <= view.day <= LAST
    assert view.place is None or view.place in PLACES
    for notice in view.notices:
        # quoted values are reduced to harmless characters inside a code span
        for quoted in re.findall(r"`([^`]*)`", notice):
            assert re.fullmatch(r"[0-9A-Za-z.:+?\-…]*", quoted)
        assert notice.count("`") % 2 == 0 and "<" not in notice and "$" not in notice


def test_view_query_always_carries_the_date():
    assert present.view_query(date(2024, 12, 6), None) == {"date": "2024-12-06"}
    assert present.view_query(date(2024, 12, 6), "homs") == {"date": "2024-12-06", "place": "homs"}


def test_round_trip(fixture_timeline, fixture_dataset):
    for day in fixture_timeline.days:
        query = present.view_query(day, "hama")
        assert present.parse_view_params(
            query, fixture_timeline.first_day, fixture_timeline.last_day, fixture_dataset.places
        ) == present.ViewParams(day, "hama", ())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", False),
        ("false", False),
        (" OFF ", False),
        ("no", False),
        (["0", " 0"], False),
        (["1", "0"], None),
        ("1", True),
        ("true", True),
        ("on", True),
        ("yes", True),
        ("", None),
        (None, None),
        ("2", None),
        ("<b>", None),
        ([], None),
    ],
)
def test_parse_flag(raw, expected):
    assert present.parse_flag(raw) is expected


def test_zones_and_front_lines_can_be_switched_off_by_link():
    assert parse({}).zones is True and parse({}).fronts is True
    view = parse({"date": "2024-11-30", "zones": "0"})
    assert (view.zones, view.fronts, view.notices) == (False, True, ())
    assert parse({"fronts": "0"}).fronts is False and parse({"fronts": "0"}).zones is True
    junk = parse({"zones": "maybe`${x}`", "fronts": "1"})
    assert junk.zones is True and junk.fronts is True
    assert len(junk.notices) == 1 and "zones" in junk.notices[0] and "$" not in junk.notices[0] and "`" not in junk.notices[0]


def test_view_query_has_the_toggles_only_when_off():
    day = date(2024, 12, 6)
    assert present.view_query(day, None, zones=True, fronts=True) == {"date": "2024-12-06"}
    assert present.view_query(day, "homs", zones=False, fronts=False) == {
        "date": "2024-12-06",
        "place": "homs",
        "zones": "0",
        "fronts": "0",
    }
    for zones in (True, False):
        for fronts in (True, False):
            view = parse(present.view_query(date(2024, 11, 30), "hama", zones, fronts))
            assert view == present.ViewParams(date(2024, 11, 30), "hama", (), zones, fronts)


# --- stepping and playing ------------------------------------------------------------------


def test_step_day(fixture_timeline):
    step = controls.step_day
    assert step(fixture_timeline, date(2024, 11, 29), "prev") == date(2024, 11, 28)
    assert step(fixture_timeline, fixture_timeline.first_day, "prev") == fixture_timeline.first_day
    assert step(fixture_timeline, fixture_timeline.last_day, "next") == fixture_timeline.last_day
    assert step(fixture_timeline, date(2024, 11, 26), "next_event") == date(2024, 11, 29)
    assert step(fixture_timeline, date(2024, 11, 30), "next_event") == date(2024, 12, 5)
    assert step(fixture_timeline, fixture_timeline.last_day, "next_event") == fixture_timeline.last_day
    assert step(fixture_timeline, date(2024, 12, 5), "prev_event") == date(2024, 11, 30)
    assert step(fixture_timeline, date(2024, 11, 29), "prev_event") == fixture_timeline.first_day
    assert step(fixture_timeline, date(2024, 12, 1), "first") == fixture_timeline.first_day
    assert step(fixture_timeline, date(2024, 12, 1), "last") == fixture_timeline.last_day
    assert step(fixture_timeline, date(2030, 1, 1), "prev") == fixture_timeline.last_day - timedelta(days=1)
    with pytest.raises(ValueError, match="unknown step"):
        step(fixture_timeline, date(2024, 12, 1), "sideways")


def test_play_walks_to_the_last_day_and_stops(fixture_timeline):
    day = controls.play_start(fixture_timeline, fixture_timeline.last_day)
    assert day == fixture_timeline.first_day  # at the end, Play starts over
    assert controls.play_start(fixture_timeline, date(2024, 12, 1)) == date(2024, 12, 1)
    seen, playing = [day], True
    while playing:
        day, playing = controls.play_tick(fixture_timeline, day)
        seen.append(day)
    assert seen == list(fixture_timeline.days)


# --- legend -------------------------------------------------------------------------------------


def test_legend_counts_follow_the_day(fixture_dataset, fixture_timeline):
    rows = {r.faction: r for r in present.legend_rows(fixture_dataset, fixture_timeline, date(2024, 11, 30))}
    assert list(rows) == list(fixture_dataset.factions)
    assert (rows["gov"].count, rows["hts"].count, rows["gov"].change, rows["hts"].change) == (3, 1, -1, 1)
    first = {r.faction: r.count for r in present.legend_rows(fixture_dataset, fixture_timeline, fixture_timeline.first_day)}
    assert first == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
    last = {r.faction: r.count for r in present.legend_rows(fixture_dataset, fixture_timeline, fixture_timeline.last_day)}
    assert sum(last.values()) == len(fixture_dataset.places)
    html_text = present.legend_html(present.legend_rows(fixture_dataset, fixture_timeline, date(2024, 11, 30)), 4)
    assert 'data-faction="hts"><b>1</b>' in html_text and "(+1)" in html_text and "HTS-led opposition" in html_text


STATS = [
    {"faction": "gov", "area_km2": 157177.7, "contested_km2": 0.0, "population": 732402},
    {"faction": "hts", "area_km2": 28763.6, "contested_km2": 1234.5, "population": 2098210},
    {"faction": "sdf", "area_km2": 0.0, "contested_km2": 0.0, "population": 0},
]  # "south" missing: zero


def test_legend_rows_carry_zone_area_and_population(fixture_dataset, fixture_timeline):
    day = date(2024, 11, 30)
    plain = present.legend_rows(fixture_dataset, fixture_timeline, day)
    assert all(r.area_km2 is None and r.population is None for r in plain)
    assert "km²" not in present.legend_html(plain, 4) and "not surveyed" not in present.legend_html(plain, 4)
    rows = {r.faction: r for r in present.legend_rows(fixture_dataset, fixture_timeline, day, STATS)}
    assert (rows["gov"].count, rows["gov"].area_km2, rows["gov"].population) == (3, 157177.7, 732402)
    assert (rows["hts"].contested_km2, rows["south"].area_km2, rows["south"].population) == (1234.5, 0.0, 0)
    html_text = present.legend_html(list(rows.values()), 4)
    assert 'data-faction="hts"><b>1</b>' in html_text  # the place count stays where it was
    assert 'data-area="gov"' in html_text and "157,200 km²" in html_text and "28,800 km²" in html_text
    assert 'data-population="hts"' in html_text and "2.1 M" in html_text and "732 k" in html_text
    assert "of which 1,200 km² contested" in html_text
    assert "185,900 km²" in html_text  # the total
    assert present.ZONES_CAPTION in html_text
    assert "approximate zones inferred from held places, not surveyed front lines" in present.ZONES_CAPTION
    assert "listed towns (GeoNames), not the zones" in present.ZONES_CAPTION


@pytest.mark.parametrize(
    ("km2", "text"),
    [
        (0, "0 km²"),
        (-1, "0 km²"),
        (4.2, "<10 km²"),
        (82.6, "80 km²"),
        (524.5, "520 km²"),
        (999, "1,000 km²"),
        (10183.3, "10,200 km²"),
        (12345, "12,300 km²"),
        (185941.3, "185,900 km²"),
    ],
)
def test_km2_text_rounds_an_estimate(km2, text):
    assert present.km2_text(km2) == text


@pytest.mark.parametrize(
    ("people", "text"),
    [
        (0, "0"),
        (600, "600"),
        (9500, "9,500"),
        (10_000, "10 k"),
        (849_600, "850 k"),
        (2_098_210, "2.1 M"),
    ],
)
def test_people_text(people, text):
    assert present.people_text(people) == text


def test_symbols_explain_every_shape_in_the_data_and_every_look(fixture_dataset):
    rows = present.symbol_rows(fixture_dataset)
    texts = [text for _, text in rows]
    assert "City" in texts and "Border crossing" in texts and "Military base" not in texts
    for word in ("Contested", "Split", "Claimed", "Disputed", "Changed on this day", "Selected"):
        assert any(word in t for t in texts), word
    assert len({svg for svg, _ in rows}) == len(rows)
    assert present.symbols_html(rows).count("<img") == len(rows)
    for word in ("Zone (approximate)", "Contested zone", "Front line (approximate)"):
        assert any(word in t for t in texts), word
    without = [text for _, text in present.symbol_rows(fixture_dataset, zones=False, fronts=False)]
    assert not any("Zone" in t or "zone" in t or "Front" in t for t in without)
    only_fronts = [text for _, text in present.symbol_rows(fixture_dataset, zones=False)]
    assert any("Front line" in t for t in only_fronts) and not any("Zone" in t for t in only_fronts)


# --- what changed, history ---------------------------------------------------------------------------


def test_changes_of_a_day_in_words(fixture_dataset, fixture_timeline):
    items = present.change_items(fixture_dataset, fixture_timeline, date(2024, 12, 6))
    assert [i.event.place for i in items] == ["deir_ez_zor", "nassib_crossing"]
    assert items[0].headline == "SDF took Deir ez-Zor from Government"
    assert present.status_words(items[0].event) == "disputed: claimed by Syrian sources, denied by Syrian army"
    assert items[1].headline == "South took Nassib border crossing from Government"
    assert present.status_words(items[1].event) == "claimed by rebel sources"
    text = present.changes_html(items, date(2024, 12, 6))
    assert "SDF enters Deir ez-Zor." in text and "Note: Army denies." in text
    assert '<a href="https://www.reuters.com/world/middle-east/" target="_blank"' in text
    assert "status-disputed" in text and "status-claimed" in text
    assert "\n" not in text  # one HTML block for Markdown


def test_contested_and_quiet_days(fixture_dataset, fixture_timeline):
    (item,) = present.change_items(fixture_dataset, fixture_timeline, date(2024, 11, 29))
    assert item.headline == "HTS contests Aleppo, held by Government"
    (taken,) = present.change_items(fixture_dataset, fixture_timeline, date(2024, 11, 30))
    assert taken.headline == "HTS took Aleppo from Government" and taken.before.control.contested_with == ("hts",)
    assert present.change_items(fixture_dataset, fixture_timeline, date(2024, 12, 1)) == []
    assert "No recorded change" in present.changes_html([], date(2024, 12, 1))
    (claimed,) = present.change_items(fixture_dataset, fixture_timeline, date(2024, 12, 5))
    assert "(evening)" in present.changes_html([claimed], date(2024, 12, 5))


def test_history_of_a_place(fixture_dataset, fixture_timeline):
    rows = present.history_rows(fixture_dataset, fixture_timeline, "aleppo")
    assert [(r.since, r.control, r.status) for r in rows] == [
        (date(2024, 11, 26), "Government", "confirmed"),
        (date(2024, 11, 29), "Government, contested by HTS", "confirmed"),
        (date(2024, 11, 30), "HTS", "confirmed"),
    ]
    assert rows[0].baseline and rows[0].sources == fixture_dataset.baseline_sources
    text = present.history_html(fixture_dataset.places["aleppo"], rows, date(2024, 11, 29))
    assert "Aleppo" in text and "حلب" in text and "Halab" in text and "Reuters" in text
    assert text.count("opacity:.55") == 1  # the future change is greyed out
    split = present.history_rows(fixture_dataset, fixture_timeline, "deir_ez_zor")
    assert split[0].control == "Government, part held by SDF"


def test_hostile_data_is_escaped_everywhere(hostile_dataset):
    from geo.timeline.control import Timeline

    tl = Timeline(hostile_dataset)
    blobs = [
        present.changes_html(present.change_items(hostile_dataset, tl, date(2024, 12, 5)), date(2024, 12, 5)),
        present.history_html(hostile_dataset.places["hama"], present.history_rows(hostile_dataset, tl, "hama")),
        present.legend_html(present.legend_rows(hostile_dataset, tl, tl.last_day), 4),
        present.attribution_html(hostile_dataset),
        present.baseline_html(hostile_dataset),
    ]
    for blob in blobs:
        for bad in ("`", "$", "<script", "<img src=x", "{{", "\\"):
            assert bad not in blob
    assert esc(HOSTILE) in blobs[0] and esc(HOSTILE) in blobs[1] and esc(HOSTILE) in blobs[2]
    assert html.unescape(esc(HOSTILE)) == HOSTILE


# --- search, clicks, captions ----------------------------------------------------------------------


def test_place_search_labels_hold_every_name(fixture_dataset):
    options = present.place_options(fixture_dataset)
    assert options == ["aleppo", "deir_ez_zor", "hama", "nassib_crossing"]
    label = present.place_label(fixture_dataset.places["deir_ez_zor"])
    assert label == "Deir ez-Zor · دير الزور (Deir al-Zor, Deir Ezzor), city"
    assert "Naseeb" in present.place_label(fixture_dataset.places["nassib_crossing"])


def test_clicked_place(fixture_dataset):
    click = {"last_active_drawing": {"type": "Feature", "properties": {"place_id": "hama", "tip": "x"}}}
    assert controls.clicked_place(click, fixture_dataset.places) == "hama"
    assert controls.clicked_place({"last_active_drawing": {"properties": {"place_id": "nowhere"}}}, fixture_dataset.places) is None
    assert controls.clicked_place({"last_active_drawing": None}, fixture_dataset.places) is None
    assert controls.clicked_place(None, fixture_dataset.places) is None
    assert controls.clicked_place({"last_active_drawing": {"properties": None}}, fixture_dataset.places) is None


def test_map_click_tells_clicks_from_zooms(fixture_dataset):
    places = fixture_dataset.places
    click = {"last_active_drawing": {"properties": {"place_id": "hama"}}, "last_object_clicked_count": 1, "zoom": 7}
    assert controls.map_click(click, places, None) == ("hama", 1)
    zoomed = {**click, "zoom": 9}  # the same click still in the value: not a new one
    assert controls.map_click(zoomed, places, 1) == (None, 1)
    assert controls.map_click({**zoomed, "last_object_clicked_count": 2}, places, 1) == ("hama", 2)
    assert controls.map_click(None, places, 3) == (None, None)
    assert controls.map_zoom(click) == 7.0 and controls.map_zoom({"zoom": 8.25}) == 8.25
    assert controls.map_zoom({"zoom": "8"}) is None and controls.map_zoom({"zoom": True}) is None and controls.map_zoom(None) is None


def test_method_explains_the_zones_honestly():
    text = present.METHOD_MD
    assert "Zones are approximate" in text and "not surveyed front lines" in text and "docs/zones.md" in text
    assert "zones=0" in text


def test_captions(fixture_dataset, fixture_timeline):
    caption = present.as_of_caption(fixture_dataset, fixture_timeline)
    assert caption.startswith("As of 6 Dec 2024: 4 places, 5 sourced events since 26 Nov 2024.")
    assert present.outlets(fixture_dataset) == ["Reuters", "AFP", "The Independent"]
    assert "OpenStreetMap" in present.attribution_html(fixture_dataset) and "CARTO" in present.attribution_html(fixture_dataset)
    assert "Reuters" in present.baseline_html(fixture_dataset)


# --- chart --------------------------------------------------------------------------------------------


def test_chart_has_every_day_and_faction_and_marks_the_day(fixture_dataset, fixture_timeline):
    rows = series_rows(fixture_dataset, fixture_timeline)
    assert len(rows) == len(fixture_timeline.days) * len(fixture_dataset.factions)
    assert {"day": "2024-11-30", "faction": "HTS", "places": 1, "order": 1} in rows
    spec = with_day(control_chart(fixture_dataset, fixture_timeline), date(2024, 11, 30)).to_dict()
    assert isinstance(with_day(control_chart(fixture_dataset, fixture_timeline), date(2024, 11, 30)), alt.LayerChart)
    area, rule = spec["layer"]
    assert area["mark"]["type"] == "area" and rule["mark"]["type"] == "rule"
    colour = area["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Government", "HTS", "SDF", "South"]
    assert colour["range"] == ["#D55E00", "#009E73", "#F0E442", "#CC79A7"]
    assert rule["data"]["values"] == [{"day": "2024-11-30"}]


def test_chart_spec_is_built_once_and_moved_by_day(fixture_dataset, fixture_timeline):
    spec = chart_spec(fixture_dataset, fixture_timeline)
    moved = spec_for_day(spec, date(2024, 11, 30))
    assert moved["layer"][-1]["data"] == {"values": [{"day": "2024-11-30"}]}
    assert spec["layer"][-1]["data"] != moved["layer"][-1]["data"]  # the cached spec is not changed
    assert moved["layer"][0] == spec["layer"][0] and moved["layer"][0] is not spec["layer"][0]
    assert moved["layer"][-1]["mark"]["type"] == "rule"


def test_chart_specs_are_what_altair_writes(fixture_dataset, fixture_timeline):
    """chart_spec and area_chart_spec build the dict without altair (slow to import): the same as altair's."""
    from geo.territory.model import TerritoryModel

    assert (
        chart_spec(fixture_dataset, fixture_timeline)
        == with_day(control_chart(fixture_dataset, fixture_timeline), fixture_timeline.last_day).to_dict()
    )
    series = TerritoryModel(fixture_timeline).series()
    from geo.view.charts import area_chart

    assert (
        area_chart_spec(fixture_dataset, series, fixture_timeline.last_day)
        == with_day(area_chart(fixture_dataset, series), fixture_timeline.last_day).to_dict()
    )


def test_area_chart_is_stacked_km2_per_faction(fixture_dataset, fixture_timeline):
    from geo.territory.model import TerritoryModel

    series = TerritoryModel(fixture_timeline).series()
    rows = area_rows(fixture_dataset, series)
    assert len(rows) == len(fixture_timeline.days) * len(fixture_dataset.factions)
    assert {"day": "2024-11-30", "faction": "HTS", "km2": 28764, "order": 1} in rows
    spec = area_chart_spec(fixture_dataset, series, fixture_timeline.last_day)
    area, rule = spec["layer"]
    assert area["mark"]["type"] == "area" and area["encoding"]["y"]["field"] == "km2"
    assert area["encoding"]["y"]["stack"] == "zero" and "approximate" in area["encoding"]["y"]["title"]
    assert area["encoding"]["color"]["scale"]["range"] == ["#D55E00", "#009E73", "#F0E442", "#CC79A7"]
    assert spec_for_day(spec, date(2024, 11, 30))["layer"][-1]["data"] == {"values": [{"day": "2024-11-30"}]}
    assert rule["mark"]["type"] == "rule"
    assert sum(r["km2"] for r in rows if r["day"] == "2024-12-06") == pytest.approx(185_941, abs=5)


def test_centre_and_sentence(fixture_dataset):
    aleppo = fixture_dataset.places["aleppo"]
    assert controls.centre_of(fixture_dataset, "aleppo") == (aleppo.lat, aleppo.lon)
    assert controls.centre_of(fixture_dataset, None) is None and controls.centre_of(fixture_dataset, "x") is None
    assert present.sentence("claimed by Syrian Observatory") == "Claimed by Syrian Observatory."
    assert present.sentence("done.") == "Done." and present.sentence("") == ""


def test_unused_areas_notice_names_the_places():
    notice = present.unused_areas_notice(("al_tanf", *(f"p{i}" for i in range(11))))
    assert notice.startswith("The area of `al_tanf`, `p0`") and "and 2 more" in notice and "\n" not in notice
