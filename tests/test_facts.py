"""One definition per fact (issue #18): the reading of a typed day, the symbol key, the credits and the factions
a legend lists are each defined once, and every consumer (the commands, the links, the dashboard's panels, the
standalone page's payload, the picture) agrees with it."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

from geo.base.days import iso_day, parse_day
from geo.cli.main import main
from geo.export import files, picture
from geo.map import page, render
from geo.map.payload import map_payload
from geo.reading.outlets import publisher
from geo.view import present, symbols
from geo.view.credits import credited_outlets, tile_attribution_html
from geo.view.look import factions_listed_on
from geo.view.words import LANGS, kind_label, words
from tests.support.roundtrip import render as roundtrip_render

FIXTURES = Path(__file__).parent / "fixtures"
DATA = ["--events", str(FIXTURES / "events.yaml"), "--places", str(FIXTURES / "places.yaml")]
NOT_DAYS = ("20241206", "2024-W48-6", "2024-1-6", "2024-02-30", "6 Dec 2024", "", " 2024-12-06")


# --- a typed day ---------------------------------------------------------------------------------------------
def test_a_day_is_yyyy_mm_dd_only():
    assert iso_day("2024-12-06") == parse_day("2024-12-06") == date(2024, 12, 6)
    for text in NOT_DAYS:
        assert iso_day(text) is None
        with pytest.raises(ValueError, match="is not a date in YYYY-MM-DD form"):
            parse_day(text)


def test_the_links_read_a_day_as_the_commands_do():
    assert present.iso_day is iso_day  # the dashboard's name for it
    for text in NOT_DAYS[:-2]:
        view = present.parse_view_params({"date": text}, date(2024, 11, 26), date(2024, 12, 6), set())
        assert view.day == date(2024, 12, 6) and view.notices


@pytest.mark.parametrize("text", ["20241206", "2024-W49-5"])
def test_state_and_export_refuse_the_same_days(capsys, text):
    assert main(["state", text, *DATA]) == 2
    state_err = capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--date", text, "--no-zones", *DATA])
    assert exit_.value.code == 2
    export_err = capsys.readouterr().err
    assert f"'{text}' is not a date in YYYY-MM-DD form" in state_err and f"'{text}' is not a date in YYYY-MM-DD form" in export_err


def test_state_and_export_read_the_same_day(capsys):
    assert main(["state", "2024-12-05", "--format", "csv", *DATA]) == 0
    state_csv = capsys.readouterr().out
    assert main(["export", "--date", "2024-12-05", "--format", "csv", "--no-zones", *DATA]) == 0
    assert capsys.readouterr().out == state_csv


def test_draft_events_reads_a_day_as_the_others(capsys, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rebels took Hama on Thursday.", encoding="utf-8")
    assert main(["draft-events", str(article), "--published", "20241208", *DATA]) == 2
    assert "--published: '20241208' is not a date in YYYY-MM-DD form" in capsys.readouterr().err


# --- the symbol key ----------------------------------------------------------------------------------------
def test_one_table_of_kinds():
    assert set(symbols.KIND_SYMBOLS) == set(symbols.KIND_LOOKS)
    for kind, (shape, radius, label) in symbols.KIND_SYMBOLS.items():
        assert (shape, radius) == symbols.KIND_LOOKS[kind][:2] and label == kind_label(kind)
        assert shape in picture.MARKERS
    assert symbols.DEFAULT_SYMBOL[2] == kind_label("place")
    assert render.KIND_SYMBOLS is symbols.KIND_SYMBOLS


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_and_the_picture_key_the_same_kinds_and_states_in_one_order(fixture_dataset, lang):
    kinds = symbols.key_kinds(p.kind for p in fixture_dataset.places.values())
    assert kinds == ["city", "border_crossing"]
    w = words(lang)
    web = [text for _, text in present.symbol_rows(fixture_dataset, zones=False, fronts=False, lang=lang)]
    assert web == [kind_label(k, lang) for k in kinds] + [w[f"sym_{s}"] for s in symbols.STATE_KEY]
    entries = picture.legend_entries(fixture_dataset, lang)
    assert [what for what, _ in entries] == kinds + list(symbols.PICTURE_STATE_KEY)
    assert list(symbols.PICTURE_STATE_KEY) == [s for s in symbols.STATE_KEY if s != "selected"]
    assert [text for _, text in entries][: len(kinds)] == web[: len(kinds)]


def test_the_payload_sends_the_dashboards_key(fixture_dataset, fixture_timeline):
    payload = map_payload(fixture_dataset, fixture_timeline)
    assert [text for _, text in payload["symbols"]] == [text for _, text in present.symbol_rows(fixture_dataset, False, False)]


# --- the credits --------------------------------------------------------------------------------------------
def test_a_publisher_is_credited_once():
    assert publisher("Reuters (Maya Gebeily, Timour Azhari)") == "Reuters"
    assert publisher("Shafaq News (Arabic)") == publisher("Shafaq News") == "Shafaq News"
    assert publisher("Devdiscourse, via Reuters") == "Devdiscourse"
    assert publisher("(odd)") == "(odd)"


def test_the_page_the_dashboard_and_the_picture_credit_the_same_outlets(fixture_dataset, fixture_timeline):
    last = fixture_timeline.last_day
    everyone = credited_outlets(fixture_dataset)
    assert everyone == ["Reuters", "AFP", "The Independent"]
    assert present.outlets(fixture_dataset) == everyone
    assert map_payload(fixture_dataset, fixture_timeline)["outlets"] == everyone
    assert credited_outlets(fixture_dataset, last) == everyone
    line = picture.outlets_line(fixture_dataset, last, 1000)
    assert line.split(" — ", 1)[1] == ", ".join(everyone)
    first = fixture_timeline.first_day  # the picture of a day credits the outlets cited up to it
    assert picture.outlets_line(fixture_dataset, first, 1000).split(" — ", 1)[1] == ", ".join(credited_outlets(fixture_dataset, first))


def test_merged_publishers_are_counted_together(fixture_dataset):
    from dataclasses import replace

    event = fixture_dataset.events[0]
    sources = tuple(replace(event.sources[0], outlet=name) for name in ("AFP (Beirut)", "AFP", "AFP, via Yahoo"))
    more = replace(fixture_dataset, events=(*fixture_dataset.events, replace(event, sources=sources)))
    assert credited_outlets(more)[0] == "AFP"


@pytest.mark.parametrize("lang", LANGS)
def test_one_tile_attribution(fixture_dataset, lang):
    carto = tile_attribution_html("carto", lang)
    assert "OpenStreetMap" in carto and "CARTO" in carto and words(lang)["contributors"] in carto
    assert carto in present.attribution_html(fixture_dataset, lang)
    assert tile_attribution_html("carto") == roundtrip_render.TILES_ATTRIBUTION  # the baseline map credits the same
    m = page.folium_map(((32.0, 35.0), (37.0, 42.0)), "carto", None, lang)
    shown = json.loads(re.search(r'"attribution": ("(?:[^"\\]|\\.)*")', m.get_root().render()).group(1))
    assert shown == f"{carto} · {html.escape(words(lang)['map_credit'])}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_maps_own_sources_are_said_once(lang):
    w = words(lang)
    for key in ("map_credit", "png_attribution", "credits_footer"):
        assert w["credit_border"] in w[key] and w["credit_places"] in w[key]
    assert w["credit_control"] in w["map_credit"]
    en = words("en")
    assert files.ATTRIBUTION.startswith(en["credit_control"]) and en["credit_places"] in files.ATTRIBUTION
    assert en["zones_note"] == files.ZONES_NOTE


# --- the factions a legend lists ----------------------------------------------------------------------------
def test_the_dashboard_and_the_picture_list_factions_alike(fixture_dataset, fixture_timeline):
    for day in fixture_timeline.days:
        listed = factions_listed_on(fixture_dataset, day)
        rows = present.legend_rows(fixture_dataset, fixture_timeline, day)
        assert [r.faction for r in rows] == list(listed)
        assert [(r.short, r.label) for r in rows] == [(f.short, f.label) for f in listed.values()]


def test_no_copy_of_the_facts_is_left():
    """The strings each fact had in several places are now in one."""
    root = Path(__file__).parent.parent / "geo"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name not in ("credits.py",):
            assert "openstreetmap.org/copyright" not in text, path
        if path.name != "days.py":
            assert not re.search(r"date\.fromisoformat\((text|when|args)", text), path
