"""Every validation rule of the loader, each on a small bad fixture, with line numbers asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.base.errors import DataError, Problem
from geo.reading.loader import load_dataset, load_dataset_from_bytes

FIXTURES = Path(__file__).parent / "fixtures"
EVENTS = (FIXTURES / "events.yaml").read_text(encoding="utf-8")
PLACES = (FIXTURES / "places.yaml").read_text(encoding="utf-8")


def problems(events: str | bytes = EVENTS, places: str | bytes = PLACES) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load_dataset_from_bytes(events, "events.yaml", places, "places.yaml")
    assert info.value.problems, "a DataError must carry its problems"
    return info.value.problems


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[occurrence - 1]


def edit(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"fixture lacks {old!r}"
    return text.replace(old, new, count)


def only(found: list[Problem], field_part: str) -> Problem:
    matching = [p for p in found if field_part in p.field]
    assert len(matching) == 1, f"expected one problem on {field_part!r}, got: {[str(p) for p in found]}"
    return matching[0]


# --- the good fixture ---------------------------------------------------------


def test_fixture_loads_with_every_event_in_file_order():
    ds = load_dataset(FIXTURES / "events.yaml", FIXTURES / "places.yaml")
    assert [e.place for e in ds.events] == ["aleppo", "aleppo", "hama", "deir_ez_zor", "nassib_crossing"]
    assert [e.index for e in ds.events] == [0, 1, 2, 3, 4]
    assert ds.events[0].line == line_of(EVENTS, "- date: 2024-11-29")
    assert ds.places["aleppo"].population > 1_000_000  # from GeoNames
    assert ds.places["nassib_crossing"].geonames_id is None
    assert ds.baseline["deir_ez_zor"].control.secondary == "sdf"
    assert ds.events[2].sources[0].outlet == "The Independent"  # inline source
    assert ds.events[0].sources[0].seed == "002_2185bea8e7cef3b8.txt"  # catalogue source
    assert ds.factions["gov"].colour == "#D55E00"


# --- YAML-level problems --------------------------------------------------------


def test_yaml_syntax_error_names_the_line():
    bad = edit(EVENTS, "    place: hama\n", "    place: [hama\n")
    p = only(problems(bad), "yaml")
    assert p.file == "events.yaml"
    assert p.line >= line_of(EVENTS, "    place: hama")


def test_not_utf8_is_reported_with_its_line():
    raw = EVENTS.encode().replace(b"Rebels take Aleppo.", b"Rebels take \xff Aleppo.")
    p = only(problems(raw), "file")
    assert p.line == line_of(EVENTS, "Rebels take Aleppo.")
    assert "UTF-8" in p.message


def test_aliases_are_refused():
    bad = edit(EVENTS, "    sources: [reuters]\n", "    sources: &s [reuters]\n") + "    extra: *s\n"
    assert any("aliases" in p.message for p in problems(bad))


@pytest.mark.parametrize("value", ["~", "null", "NULL", ""])
def test_a_yaml_null_is_nothing_not_text(value):
    bad = edit(EVENTS, "    note: Army denies.\n", f"    note: {value}\n")
    p = only(problems(bad), "note")
    assert (p.line, p.message) == (line_of(EVENTS, "    note: Army denies."), "expected text, got nothing")


@pytest.mark.parametrize("value", ["'~'", '"null"'])
def test_a_quoted_null_is_text(value):
    ds = load_dataset_from_bytes(edit(EVENTS, "    note: Army denies.\n", f"    note: {value}\n"), "e.yaml", PLACES, "p.yaml")
    assert [e.note for e in ds.events if e.note] == [value[1:-1]]


def test_duplicate_key():
    bad = edit(EVENTS, "    summary: Rebels take Aleppo.\n", "    summary: Rebels take Aleppo.\n    summary: Again.\n")
    p = only(problems(bad), "summary")
    assert p.line == line_of(bad, "summary: Again.")
    assert "duplicate key" in p.message and str(line_of(bad, "Rebels take Aleppo.")) in p.message


def test_empty_file():
    assert "empty" in only(problems(""), "file").message


def test_unknown_field_suggests_the_right_one():
    bad = edit(EVENTS, "    summary: Rebels take Aleppo.", "    sumary: Rebels take Aleppo.")
    found = problems(bad)
    p = only(found, "sumary")
    assert p.line == line_of(bad, "sumary:")
    assert "did you mean 'summary'" in p.message
    assert only(found, "].summary").message == "missing"


# --- types and formats --------------------------------------------------------


@pytest.mark.parametrize(
    "value, why",
    [
        ("2024-12-32", "not a real date"),
        ("2024-02-30", "not a real date"),
        ("06/12/2024", "YYYY-MM-DD"),
        ("2024-12", "YYYY-MM-DD"),
    ],
)
def test_bad_dates(value, why):
    bad = edit(EVENTS, "  - date: 2024-12-05", f"  - date: {value}")
    p = only(problems(bad), "].date")
    assert p.line == line_of(bad, f"- date: {value}")
    assert why in p.message


def test_wrong_type_list_instead_of_text():
    bad = edit(EVENTS, "    summary: Rebels take Aleppo.", "    summary: [a, b]")
    p = only(problems(bad), "summary")
    assert p.line == line_of(bad, "summary: [a, b]") and "expected text" in p.message


def test_events_must_be_a_list():
    bad = EVENTS.split("events:\n")[0] + "events:\n  aleppo: hts\n"
    p = only(problems(bad), "events")
    assert p.line == line_of(bad, "  aleppo: hts") and "expected a list" in p.message


def test_bad_colour():
    bad = edit(EVENTS, 'colour: "#009E73"', 'colour: "green"')
    p = only(problems(bad), "colour")
    assert p.line == line_of(bad, 'colour: "green"')
    assert p.field == "factions.hts.colour"


def test_non_http_url_is_refused():
    bad = edit(EVENTS, "url: https://www.reuters.com/world/middle-east/", "url: javascript:alert(1)")
    p = only(problems(bad), "url")
    assert p.line == line_of(bad, "url: javascript") and "http(s)" in p.message


def test_bad_seed_name():
    bad = edit(EVENTS, "seed: 002_2185bea8e7cef3b8.txt", "seed: ../../etc/passwd")
    assert only(problems(bad), "seed").line == line_of(bad, "seed: ../")


def test_bad_status_suggests():
    bad = edit(EVENTS, "    status: claimed\n", "    status: claimd\n")
    p = only(problems(bad), "status")
    assert p.line == line_of(bad, "status: claimd") and "did you mean 'claimed'" in p.message


def test_claimed_needs_claimed_by():
    bad = edit(EVENTS, "    claimed_by: HTS\n", "")
    p = only(problems(bad), "claimed_by")
    assert p.line == line_of(bad, "- date: 2024-12-05")


def test_denial_only_on_disputed():
    bad = edit(EVENTS, "    status: disputed\n", "    status: claimed\n")
    p = only(problems(bad), "denied_by")
    assert p.line == line_of(bad, "denied_by: Syrian army")


# --- references -----------------------------------------------------------------


def test_unknown_place_suggests_by_alias():
    bad = edit(EVENTS, "    place: hama\n", "    place: Halab\n")
    p = only(problems(bad), "place")
    assert p.line == line_of(bad, "place: Halab") and "did you mean 'aleppo'" in p.message


def test_unknown_place_suggests_by_spelling():
    bad = edit(EVENTS, "    place: hama\n", "    place: hamma\n")
    assert "did you mean 'hama'" in only(problems(bad), "place").message


def test_unknown_faction_suggests():
    bad = edit(EVENTS, "    controller: south\n", "    controller: souht\n")
    p = only(problems(bad), "controller")
    assert p.line == line_of(bad, "controller: souht") and "did you mean 'south'" in p.message


def test_unknown_source_suggests():
    bad = edit(EVENTS, "    sources: [reuters]\n", "    sources: [reuter]\n")
    p = only(problems(bad), "sources")
    assert p.line == line_of(bad, "sources: [reuter]") and "did you mean 'reuters'" in p.message


def test_missing_sources():
    bad = edit(EVENTS, "    summary: Rebels take Aleppo.\n    sources: [reuters, afp]\n", "    summary: Rebels take Aleppo.\n")
    p = only(problems(bad), "sources")
    assert p.message == "missing" and p.line == line_of(bad, "- date: 2024-11-30")


def test_empty_source_list():
    bad = edit(
        EVENTS, "    summary: Rebels take Aleppo.\n    sources: [reuters, afp]\n", "    summary: Rebels take Aleppo.\n    sources: []\n"
    )
    assert "at least one source" in only(problems(bad), "sources").message


def test_inline_source_missing_title():
    bad = edit(EVENTS, "        title: Inline source\n", "")
    p = only(problems(bad), "title")
    assert p.line == line_of(bad, "- outlet: The Independent")


def test_contested_with_controller_itself():
    bad = edit(EVENTS, "    contested_with: [hts]", "    contested_with: [gov]")
    assert only(problems(bad), "contested_with").line == line_of(bad, "contested_with: [gov]")


def test_secondary_same_as_controller():
    bad = edit(EVENTS, "      secondary: sdf", "      secondary: gov")
    p = only(problems(bad), "secondary")
    assert p.field == "baseline.control.deir_ez_zor.secondary"


# --- the timeline rules ---------------------------------------------------------


def test_event_before_baseline():
    bad = edit(EVENTS, "  date: 2024-11-26", "  date: 2024-11-30")
    found = problems(bad)
    p = only(found, "events[0].date")
    assert "before the baseline" in p.message and p.line == line_of(bad, "- date: 2024-11-29")


def test_events_out_of_order():
    bad = edit(EVENTS, "  - date: 2024-12-05", "  - date: 2024-11-28")
    p = only(problems(bad), "events[2].date")
    assert "out of order" in p.message
    assert p.line == line_of(bad, "- date: 2024-11-28")
    assert f"line {line_of(bad, '- date: 2024-11-30')}" in p.message


def test_duplicate_event():
    block = EVENTS[EVENTS.index("  - date: 2024-12-06\n    place: nassib_crossing") :]
    bad = EVENTS + block.replace("previous: gov", "previous: south")
    p = only(problems(bad), "events[5]")
    assert "duplicate of the event at line" in p.message
    assert f"line {line_of(bad, 'place: nassib_crossing') - 1}" in p.message
    assert p.line == line_of(bad, "place: nassib_crossing", 2) - 1


def test_previous_controller_mismatch():
    bad = edit(EVENTS, "    place: hama\n    controller: hts\n    previous: gov", "    place: hama\n    controller: hts\n    previous: sdf")
    p = only(problems(bad), "previous")
    assert p.line == line_of(bad, "- date: 2024-12-05")
    assert "expected 'sdf' but hama is held by 'gov'" in p.message


def test_previous_is_checked_against_earlier_events():
    # The second Aleppo event says the previous holder is gov: right after a contested-but-held gov event.
    bad = edit(
        EVENTS,
        "    controller: hts\n    previous: gov\n    status: confirmed\n    summary: Rebels take Aleppo.",
        "    controller: hts\n    previous: hts\n    status: confirmed\n    summary: Rebels take Aleppo.",
    )
    p = only(problems(bad), "previous")
    assert f"set at line {line_of(bad, '- date: 2024-11-29')}" in p.message


def test_baseline_must_cover_every_place():
    bad = edit(EVENTS, "    nassib_crossing: gov\n", "")
    p = only(problems(bad), "baseline.control")
    assert "nassib_crossing" in p.message and p.line == line_of(bad, "    aleppo: gov")


def test_baseline_unknown_place():
    bad = edit(EVENTS, "    nassib_crossing: gov\n", "    nassib_crossing: gov\n    nasib: gov\n")
    p = only(problems(bad), "baseline.control")
    assert p.line == line_of(bad, "nasib: gov") and "did you mean 'nassib_crossing'" in p.message


# --- the gazetteer rules --------------------------------------------------------


def test_gazetteer_unknown_geonames_id():
    bad = edit(PLACES, "geonames_id: 170017", "geonames_id: 999999")
    p = only(problems(places=bad), "geonames_id")
    assert p.file == "places.yaml" and p.line == line_of(bad, "geonames_id: 999999")


def test_gazetteer_governorate_must_match_geonames():
    bad = edit(PLACES, "    governorate: Hama\n", "    governorate: Homs\n")
    p = only(problems(places=bad), "governorate")
    assert "GeoNames puts" in p.message and p.line == line_of(bad, "governorate: Homs")


def test_gazetteer_override_more_than_5km_from_geonames():
    bad = edit(PLACES, "    geonames_id: 170017\n", "    geonames_id: 170017\n    lat: 35.2\n    lon: 36.75783\n    coord_source: test\n")
    p = only(problems(places=bad), "places.hama.lat")
    assert "km from GeoNames" in p.message and p.line == line_of(bad, "lat: 35.2")


def test_gazetteer_hand_coordinates_need_a_source():
    bad = edit(PLACES, "    coord_source: Test fixture, approximate position on the Syria-Jordan border.\n", "")
    p = only(problems(places=bad), "coord_source")
    assert p.line == line_of(PLACES, "  nassib_crossing:") + 1


def test_gazetteer_coordinates_outside_syria():
    bad = edit(PLACES, "lat: 32.5449", "lat: 52.5449")
    assert only(problems(places=bad), "lat").line == line_of(bad, "lat: 52.5449")


def test_gazetteer_bad_kind_and_arabic():
    bad = edit(edit(PLACES, "    kind: border_crossing", "    kind: crossing"), "name_ar: حماة", "name_ar: Hama")
    found = problems(places=bad)
    assert only(found, "kind").line == line_of(bad, "kind: crossing")
    assert only(found, "name_ar").line == line_of(bad, "name_ar: Hama")


# --- all problems at once, nothing lost -------------------------------------------


def test_all_problems_reported_at_once_in_line_order():
    bad = edit(
        edit(edit(EVENTS, "    place: hama\n", "    place: hamma\n"), 'colour: "#009E73"', 'colour: "x"'),
        "    status: claimed\n",
        "    status: rumour\n",
    )
    found = problems(bad)
    assert len(found) >= 3
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert all(str(p).startswith("events.yaml:") for p in found)


def test_error_message_format():
    p = Problem("events.yaml", 12, "events[3].place", "unknown place 'x'")
    assert str(p) == "events.yaml:12: events[3].place: unknown place 'x'"


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(DataError) as info:
        load_dataset(tmp_path / "nope.yaml", FIXTURES / "places.yaml")
    assert "cannot read" in info.value.problems[0].message


# --- polygons (`area`) ---------------------------------------------------------------------------

CROSSING = "    coord_source: Test fixture, approximate position on the Syria-Jordan border.\n"


def with_area(*points: tuple[float, float]) -> str:
    return edit(PLACES, CROSSING, CROSSING + "    area:\n" + "".join(f"      - [{lon}, {lat}]\n" for lon, lat in points))


@pytest.mark.parametrize(
    "points, words",
    [
        ([(36.2, 32.6)] * 3, "at least 3 different points (has 1)"),
        ([(36.2, 32.6), (36.3, 32.6), (36.2, 32.6), (36.3, 32.6)], "at least 3 different points (has 2)"),
        ([(36.2, 32.6), (36.3, 32.7), (36.3, 32.6), (36.2, 32.7)], "not a valid polygon: Self-intersection"),
        ([(36.2, 32.6), (36.3, 32.6), (36.4, 32.6)], "not a valid polygon"),
        ([(36.2, 32.6), (36.3, 32.6), (36.3, 32.7), (36.2, 32.6), (36.2, 32.7)], "not a valid polygon: Ring Self-intersection"),
    ],
)
def test_a_degenerate_area_is_refused(points, words):
    places = with_area(*points)
    p = only(problems(places=places), "nassib_crossing.area")
    assert p.line == line_of(places, "    area:") + 1 and words in p.message  # the list starts at its first point


def test_an_area_point_outside_syria_is_refused():
    places = with_area((36.2, 32.6), (36.3, 32.6), (3.63, 32.7))
    p = only(problems(places=places), "nassib_crossing.area")
    assert p.line == line_of(places, "[3.63, 32.7]") and "[3.63, 32.7] is outside Syria" in p.message


def test_a_good_area_loads():
    ring = ((36.2, 32.6), (36.3, 32.6), (36.3, 32.7), (36.2, 32.7))
    ds = load_dataset_from_bytes(EVENTS, "events.yaml", with_area(*ring), "places.yaml")
    assert ds.places["nassib_crossing"].area == ring


# --- control and direction-override characters ---------------------------------------------------


@pytest.mark.parametrize(
    "written, shown",
    [
        (r'"Rebels \e]0;pwned\a enter"', "U+001B (\\x1b)"),  # sets a terminal's title
        (r'"Rebels \e[2J enter"', "U+001B (\\x1b)"),  # clears the screen
        (r'"Rebels \x85 enter"', "U+0085 (\\x85)"),  # C1
        (r'"Rebels \u202Eretne"', "U+202E (\\u202e)"),  # right-to-left override
        (r'"Rebels \u2066enter\u2069"', "U+2066 (\\u2066)"),  # isolate
        (r'"Rebels\nenter"', "U+000A (\\n)"),
        (r'"Rebels\tenter"', "U+0009 (\\t)"),
    ],
)
def test_control_and_override_characters_are_refused(written, shown):
    bad = edit(EVENTS, "    summary: Rebels enter Aleppo.\n", f"    summary: {written}\n")
    p = only(problems(bad), "events[0].summary")
    assert p.line == line_of(bad, 'summary: "Rebels')
    assert p.message.startswith(f"contains the control character {shown}")
    assert "\x1b" not in str(p) and "\u202e" not in str(p)


def test_control_characters_are_refused_in_names_too():
    bad = edit(PLACES, "    name: Hama\n", '    name: "Ha\\ema"\n')
    p = only(problems(places=bad), "places.hama.name")
    assert p.line == line_of(bad, 'name: "Ha') and "U+001B" in p.message


def test_arabic_text_and_bidi_marks_are_ordinary_text():
    arabic = edit(PLACES, "    name_ar: حماة\n", '    name_ar: "\u200fحماة\u061c"\n')
    ds = load_dataset_from_bytes(EVENTS, "events.yaml", arabic, "places.yaml")
    assert ds.places["hama"].name_ar == "\u200fحماة\u061c"


@pytest.mark.parametrize("short", ["HTS", "hts", "Hts"])
def test_two_factions_with_one_short_label_are_refused(short):
    bad = edit(EVENTS, "    short: SDF\n", f"    short: {short}\n")
    p = only(problems(bad), "factions.sdf.short")
    assert p.line == line_of(bad, f"    short: {short}", 2 if short == "HTS" else 1)
    assert p.message.startswith(f"'{short}' is already the short label of 'hts' (line 12)")


MERGED_BEFORE_EVENTS = """title: t
factions:
  a: {label: A, short: A, colour: "#111111", description: d}
  b: {label: B, short: B, colour: "#222222", description: d}
sources:
  s1: {outlet: x, title: y, date: 2020-01-01}
baseline:
  date: 2020-01-01
  sources: [s1]
  control: {}
mergers:
  - {date: 2020-01-05, faction: a, into: b, summary: s, sources: [s1]}
events:
  - date: 2020-01-10
    place: aleppo
    controller: VALUE
    status: confirmed
    summary: s
    sources: [s1]
"""


@pytest.mark.parametrize("value", ["[a, b]", "{a: b}"])
def test_a_list_or_mapping_where_a_faction_goes_is_a_problem_when_factions_have_merged(value):
    # checking an event's factions against earlier mergers once raised TypeError on a list
    bad = MERGED_BEFORE_EVENTS.replace("VALUE", value)
    p = only(problems(bad), "controller")
    assert p.line == line_of(bad, f"controller: {value}") and "expected text" in p.message
