"""The dashboard in Arabic and its table view, as Streamlit runs it (AppTest), on the fixture data."""

from __future__ import annotations

import re

import pytest

from tests.test_app import legend_counts, map_data, map_page, markdown_text

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ENGLISH_MARKED = re.compile(r'<span lang="en" dir="ltr">.*?</span>(?:</span>)?')
TAG = re.compile(r"<[^>]+>")
CODE = re.compile(r"`[^`]*`")  # file names and commands in "data & method"


@pytest.fixture
def app(fixture_app):
    return fixture_app


def visible_latin(html: str) -> set[str]:
    """Latin words in the text of some HTML, outside what is marked as English (data text kept as published)."""
    text = TAG.sub(" ", ENGLISH_MARKED.sub(" ", CODE.sub(" ", html))).replace("&amp;", "&")
    return set(LATIN_WORD.findall(text)) - {"GeoNames", "CC", "BY", "OpenStreetMap", "CARTO", "Natural", "Earth", "km"}


def test_a_link_in_arabic_gives_the_page_in_arabic(app):
    at = app(date="2024-12-06", place="hama", lang="ar").run()
    assert not at.exception and not at.warning
    assert at.subheader[0].value == "6 كانون الأول 2024"
    assert legend_counts(at) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
    panels = markdown_text(at)
    assert "سيطرة قسد على دير الزور (كان بيد الحكومة)" in panels and "تاريخ الموقع" in panels and "حماة" in panels
    assert not visible_latin(panels), visible_latin(panels)
    assert any("direction: rtl" in h.proto.body for h in at.get("html"))  # the page's blocks right to left
    assert at.checkbox[0].label == "المناطق (تقريبية)" and at.button[0].label == "English"
    assert at.selectbox[0].placeholder == "الاسم بالعربية أو بالإنجليزية"
    assert at.query_params["lang"] == "ar" and at.query_params["date"] == "2024-12-06"
    data = map_data(at)
    assert data["lang"] == "ar" and data["frameTitle"] == "خريطة سوريا مع أداة التاريخ"
    page = map_page(at)
    assert page["lang"] == "ar" and {p["name"] for p in page["places"]} == {"حلب", "حماة", "دير الزور", "معبر نصيب"}


def test_the_language_switch_keeps_the_view(app):
    at = app(date="2024-12-05", place="aleppo", compare="2024-11-29", zones="0").run()
    english_url = map_data(at)["url"]
    at.button(key="language").click().run()
    assert not at.exception
    assert at.subheader[0].value == "5 كانون الأول 2024" and at.selectbox[0].value == "aleppo"
    assert dict(at.query_params) == {"date": "2024-12-05", "place": "aleppo", "compare": "2024-11-29", "zones": "0", "lang": "ar"}
    assert map_data(at)["url"] != english_url and map_data(at)["lang"] == "ar"  # the map's own page in Arabic
    at.button(key="language").click().run()
    assert at.subheader[0].value == "5 Dec 2024" and "lang" not in at.query_params and map_data(at)["url"] == english_url


def test_the_table_view_follows_the_day_and_the_language(app):
    at = app(date="2024-11-29").run()
    (table,) = at.dataframe
    assert list(table.value.columns) == ["Place", "Kind", "Governorate", "Holder", "Since", "Status", "Basis"]
    aleppo = table.value[table.value["Place"] == "Aleppo"].iloc[0]
    assert aleppo["Holder"] == "Government, contested by HTS" and aleppo["Status"] == "confirmed"
    at.text_input(key="table_filter").input("sdf").run()
    assert list(at.dataframe[0].value["Place"]) == ["Deir ez-Zor"]
    at = app(date="2024-12-06", lang="ar").run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["الموقع", "النوع", "المحافظة", "الجهة المسيطرة", "منذ", "الحالة", "الأساس"]
    assert set(table["الموقع"]) == {"حلب", "حماة", "دير الزور", "معبر نصيب"}
    assert table[table["الموقع"] == "دير الزور"].iloc[0]["الجهة المسيطرة"] == "قسد"


def test_a_bad_link_is_explained_in_arabic(app):
    at = app(date="2024-13-45", place="nowhere", lang="ar").run()
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert len(notices) == 2 and notices[0].startswith("تاريخ الرابط `2024-13-45`") and "يُعرض آخر يوم، 6 كانون الأول 2024" in notices[0]
    assert "ليس في المعجم الجغرافي" in notices[1]
