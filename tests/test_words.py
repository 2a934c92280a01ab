"""The interface in Arabic: the tables of words, the dataset named in Arabic, the loader's Arabic names,
the Arabic panels and the map application's payload, and the table view of a day."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from geo.base.errors import DataError
from geo.map.payload import map_payload
from geo.reading.loader import load_dataset_from_bytes
from geo.timeline.control import Timeline
from geo.view import present
from geo.view.day_table import COLUMNS, day_rows, filter_rows, headers
from geo.view.localize import localized
from geo.view.words import AR, EN, MONTHS_AR, day_label, kind_label, lang_of, words

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin words an Arabic text may hold: names of data sources, formats and keys, as published
KEPT_LATIN = {
    "GeoNames",
    "CC",
    "BY",
    "OpenStreetMap",
    "CARTO",
    "Natural",
    "Earth",
    "JavaScript",
    "PNG",
    "GeoJSON",
    "CSV",
    "HTML",
    "English",
    "Shift",
    "Home",
    "End",
    "date",
    "FILE",
    "LINE",
    "static",
    "maps",
    "events",
    "yaml",
    "python",
    "geo",
    "validate",
    "docs",
    "zones",
    "md",
    "place",
    "homs",
    "lang",
    "ar",
}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_tables_have_the_same_strings_and_fields():
    assert set(EN) == set(AR)
    for key in EN:
        assert fields(AR[key]) <= fields(EN[key]), key  # Arabic may say "one change" without the number


def test_the_arabic_table_has_no_english_words():
    for key, text in AR.items():
        stray = set(LATIN_WORD.findall(re.sub(r"\{\w+\}", "", text))) - KEPT_LATIN
        assert not stray, (key, stray)
    assert all(
        re.search("[\u0600-\u06ff]", text)
        for key, text in AR.items()
        if key not in ("dl_geojson", "dl_csv", "km2", "png_held", "other_language", "list_sep", "and")
    )


def test_day_labels_and_words_by_language():
    assert day_label(date(2024, 12, 6)) == "6 Dec 2024"
    assert day_label(date(2024, 12, 6), "ar") == "6 كانون الأول 2024"
    assert [day_label(date(2025, m, 1), "ar").split(" ", 1)[1].rsplit(" ", 1)[0] for m in range(1, 13)] == list(MONTHS_AR)
    assert kind_label("border_crossing", "ar") == "معبر حدودي" and kind_label("nonsense", "en") == "Place"
    assert lang_of("AR") == "ar" and lang_of("fr") == "en" and lang_of(None) == "en" and words("xx") is EN


def test_the_dataset_named_in_arabic(fixture_dataset):
    named = localized(fixture_dataset, "ar")
    assert localized(fixture_dataset, "en") is fixture_dataset
    assert named.places["aleppo"].name == "حلب" and named.places["aleppo"].governorate == "حلب"
    assert named.factions["sdf"].short == "قسد" and named.factions["sdf"].label == "قوات سوريا الديمقراطية"
    assert fixture_dataset.places["aleppo"].name == "Aleppo" and fixture_dataset.factions["sdf"].short == "SDF"  # unchanged
    assert named.events == fixture_dataset.events and "2024" in named.title and "كانون" in named.title


def test_renamed_factions_have_arabic_names_in_force():
    from geo.reading.loader import load_dataset

    named = localized(load_dataset(), "ar")
    assert named.factions_on(date(2024, 12, 1))["hts"].short == "بقيادة الهيئة"
    assert named.factions_on(date(2025, 6, 1))["hts"].short == "الحكومة السورية"
    assert named.factions_on(date(2025, 9, 1))["suwayda"].short == "الحرس الوطني"
    assert all(p.name_ar for p in named.periods)


def _load(events_text: str, places: bytes):
    return load_dataset_from_bytes(events_text.encode(), "events.yaml", places, "places.yaml")


def test_the_loader_checks_arabic_names(fixture_dataset):
    from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES

    text, places = FIXTURE_EVENTS.read_text(encoding="utf-8"), FIXTURE_PLACES.read_bytes()
    with pytest.raises(DataError) as err:  # left in English
        _load(text.replace("short_ar: قسد", "short_ar: SDF"), places)
    assert any("factions.sdf.short_ar" in str(p) and "no Arabic letter" in str(p) for p in err.value.problems)
    with pytest.raises(DataError) as err:  # one without the other
        _load(text.replace("    short_ar: قسد\n", ""), places)
    assert any("factions.sdf.short_ar" in str(p) and "missing" in str(p) for p in err.value.problems)
    bare = _load(re.sub(r"    (label|short)_ar: .*\n", "", text), places)  # optional: the Arabic view falls back
    assert localized(bare, "ar").factions["sdf"].short == "SDF"


def test_the_arabic_panels(fixture_dataset):
    named = localized(fixture_dataset, "ar")
    tl = Timeline(named)
    day = date(2024, 12, 6)
    legend = present.legend_html(present.legend_rows(named, tl, day), len(named.places), lang="ar")
    assert "كل المواقع" in legend and "قسد" in legend and "All places" not in legend
    changes = present.changes_html(present.change_items(named, tl, day, "ar"), day, "ar")
    assert "سيطرة قسد على دير الزور (كان بيد الحكومة)" in changes
    assert 'lang="en"' in changes  # the summaries and sources stay as written, marked so
    claimed = next(e for e in named.events if e.status == "disputed")
    assert present.status_html(claimed, "ar") == (
        'متنازَع عليه: ادّعاء من <span lang="en" dir="ltr">Syrian sources</span>, نفي من <span lang="en" dir="ltr">Syrian army</span>'
    )
    assert present.status_words(claimed) == "disputed: claimed by Syrian sources, denied by Syrian army"
    history = present.history_html(named.places["hama"], present.history_rows(named, tl, "hama", "ar"), day, "ar")
    assert "محافظة حماة" in history and "governorate" not in history
    caption = present.as_of_caption(named, tl, "ar")
    assert "حتى" in caption and not LATIN_WORD.search(caption)
    assert present.view_query(day, None, lang="ar")["lang"] == "ar" and "lang" not in present.view_query(day, None)


def test_the_payload_speaks_arabic(fixture_dataset):
    named = localized(fixture_dataset, "ar")
    data = map_payload(named, Timeline(named), lang="ar")
    assert data["lang"] == "ar" and data["dir"] == "rtl" and data["ui"] == AR
    assert {p["name"] for p in data["places"]} == {"حلب", "حماة", "دير الزور", "معبر نصيب"}
    assert data["labels"][-1].endswith("2024") and any("كانون" in label for label in data["labels"])
    assert all(not LATIN_WORD.search(text) for _, text in data["symbols"])
    english = map_payload(fixture_dataset, Timeline(fixture_dataset))
    assert english["lang"] == "en" and english["ui"] == EN and english["places"][0]["name"] == "Aleppo"


def test_the_table_of_a_day(fixture_dataset, fixture_timeline):
    rows = day_rows(fixture_dataset, fixture_timeline, date(2024, 12, 6))
    assert [r["place"] for r in rows] == sorted(r["place"] for r in rows) and len(rows) == len(fixture_dataset.places)
    aleppo = next(r for r in rows if r["id"] == "aleppo")
    assert aleppo["holder"].startswith("HTS") and aleppo["kind"] == "City" and aleppo["governorate"] == "Aleppo"
    assert set(COLUMNS) <= set(aleppo)
    assert [r["id"] for r in filter_rows(rows, "hts aleppo")] == ["aleppo"]
    assert filter_rows(rows, "  ") == rows and filter_rows(rows, "no such thing") == []
    named = localized(fixture_dataset, "ar")
    rows_ar = day_rows(named, Timeline(named), date(2024, 12, 6), "ar")
    assert {r["place"] for r in rows_ar} == {"حلب", "حماة", "دير الزور", "معبر نصيب"}
    assert headers("ar")["holder"] == "الجهة المسيطرة"
    assert all(not LATIN_WORD.search(r[c]) for r in rows_ar for c in COLUMNS)


def test_the_real_data_names_everything_in_arabic():
    from geo.reading.loader import load_dataset

    dataset = load_dataset()
    assert all(p.name_ar for p in dataset.places.values())
    assert all(f.label_ar and f.short_ar for f in dataset.factions.values())
    assert all(r.label_ar and r.short_ar for f in dataset.factions.values() for r in f.renames)
    assert all(p.name_ar for p in dataset.periods)


def test_hostile_text_stays_text_in_the_arabic_panels(hostile_dataset):
    named = localized(hostile_dataset, "ar")
    tl = Timeline(named)
    html = "".join(present.changes_html(present.change_items(named, tl, d, "ar"), d, "ar") for d in tl.event_days)
    html += "".join(
        present.history_html(named.places[p], present.history_rows(named, tl, p, "ar"), tl.last_day, "ar") for p in named.places
    )
    assert "<img" not in html and "</script>" not in html and "&lt;img src=x" in html
