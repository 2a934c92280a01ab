"""The data files edited while the dashboard runs.

The app reads both files on every script run and caches the parsed data by a hash of their
bytes (and paths), so:

- an edit shows on the next rerun of any session, with no restart, and going back to content seen
  before costs nothing (it is still in the cache);
- a broken edit (bad values, a half-written or empty file, a file moved away) shows the validator's
  messages, FILE:LINE: field: message (FILE relative to the project, or its name alone), and never an
  exception; it is parsed once per version of the file, however many reruns and sessions; the good
  data's entry is not touched and fixing the file brings back exactly the view every session had (its
  day, its place, its layers) without reloading anything;
- the last good view stays on screen under the errors, for the session that hit the broken file
  and for every other one (see test_a_broken_edit_keeps_the_last_good_view_below_the_errors), even
  after Streamlit's clear_cache message, which any visitor may send.

AppTest runs the script in this process (every AppTest is a session sharing the process's caches,
like browser tabs on one server); the last test does the same against a live `streamlit run` over
Streamlit's websocket protocol and checks the server's own cache counters.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.map.page import embedded_data
from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES, REPO
from tests.support.viewers import Engine, WsViewer, run_async

APP = str(REPO / "streamlit_app.py")
LAST = date(2024, 12, 6)
GOOD = FIXTURE_EVENTS.read_text(encoding="utf-8")
# Nassib goes to HTS instead of the southern factions on the last day
EDITED = GOOD.replace("place: nassib_crossing\n    controller: south", "place: nassib_crossing\n    controller: hts", 1)
# two validation errors: an unknown place and a status that does not exist
INVALID = GOOD.replace("place: hama\n", "place: hamaa\n", 1).replace("status: disputed", "status: rumoured", 1)
BROKEN = {  # the new content, and what the validator's lines must say (after FILE)
    "invalid values": (INVALID, [r"^:\d+: events\[\d+\]\.place: unknown place 'hamaa'", r"^:\d+: events\[\d+\]\.status: 'rumoured'"]),
    "half-written": (
        GOOD[: GOOD.index("  - date: 2024-12-05")] + "  - date: 2024-12-05\n    place: [hama\n",
        [r"^:\d+: yaml: not valid YAML"],
    ),
    "empty": ("", [r"^:1: file: the file is empty"]),
    "moved away": (None, [r"^:1: file: cannot read"]),
}
assert EDITED != GOOD and INVALID != GOOD


@pytest.fixture
def data(tmp_path, monkeypatch):
    """Copies of the fixture files the app reads (through SYRIA_MAP_EVENTS / SYRIA_MAP_PLACES)."""
    events, places = tmp_path / "events.yaml", tmp_path / "places.yaml"
    shutil.copy(FIXTURE_EVENTS, events)
    shutil.copy(FIXTURE_PLACES, places)
    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(events))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(places))
    return events, places


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """Every time the app builds a dataset's timeline, i.e. parses data that passed validation (the app's
    cached `load` does it once per content; whatever module parses the bytes)."""
    calls: list[str] = []
    real = Timeline.__init__

    def counted(self, dataset):
        calls.append(dataset.title)
        real(self, dataset)

    monkeypatch.setattr(Timeline, "__init__", counted)
    return calls


def write(path: Path, text: str | None) -> None:
    if text is None:
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")


def session(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def map_data(at: AppTest) -> dict | None:
    maps = [c for c in at.get("bidi_component") if c.proto.component_name == "syria_map"]
    return json.loads(maps[0].proto.json) if maps else None


def map_places(at: AppTest) -> dict[str, str] | None:
    """The places of the map page the session is shown, each with its holder on the session's day."""
    data = map_data(at)
    if data is None:
        return None
    page = embedded_data((REPO / "static" / data["url"].removeprefix("app/static/")).read_text(encoding="utf-8"))
    d = page["days"].index(data["day"])
    return {p["id"]: [e for e in p["h"] if e["d"] <= d][-1]["c"] for p in page["places"]}


def view(at: AppTest) -> dict:
    """Everything a viewer sees of the data: day, place, legend, every marker, the panels."""
    data = map_data(at)
    legend = [m.value for m in at.markdown if "syria-legend" in m.value]
    return {
        "day": date.fromisoformat(data["day"]) if data else None,
        "url": data["url"] if data else None,
        "place": at.selectbox[0].value if at.selectbox else None,
        "legend": dict(re.findall(r'data-faction="([a-z0-9_]+)"><b>(\d+)</b>', legend[0])) if legend else None,
        "map": map_places(at),
        "panels": [m.value for m in at.markdown if any(k in m.value for k in ("syria-changes", "syria-history"))],
    }


def counts(at: AppTest) -> dict[str, int]:
    return {k: int(v) for k, v in view(at)["legend"].items()}


def assert_errors(at: AppTest, path: Path, patterns: list[str]) -> None:
    """The page shows the validator's messages about `path` (one per line, FILE:LINE: field: message; outside the
    project FILE is the file's name alone), no exception."""
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "did not pass validation" in at.error[0].value
    lines = at.code[0].value.splitlines()
    for pattern in patterns:
        assert any(line.startswith(path.name) and re.search(pattern, line[len(path.name) :]) for line in lines), (pattern, lines)
    assert str(path.parent) not in at.code[0].value


def test_an_edited_events_file_shows_on_the_next_rerun(data):
    events, places = data
    at = session()
    assert counts(at) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
    write(events, EDITED)
    at.run()
    assert not at.exception and not at.error
    expected = Engine(load_dataset(events, places)).expected(LAST)
    assert counts(at) == expected.counts == {"gov": 0, "hts": 3, "sdf": 1, "south": 0}
    assert view(at)["map"] == expected.holders  # the map's page was made anew for the new data
    assert "HTS took Nassib border crossing from Government" in "".join(view(at)["panels"])


def test_an_edited_places_file_shows_on_the_next_rerun(data):
    _, places = data
    at = session(place="hama")
    write(places, FIXTURE_PLACES.read_text(encoding="utf-8").replace("name: Hama\n", "name: Hamah\n", 1))
    at.run()
    assert not at.exception and not at.error
    data = map_data(at)
    page = embedded_data((REPO / "static" / data["url"].removeprefix("app/static/")).read_text(encoding="utf-8"))
    assert [p["name"] for p in page["places"] if p["id"] == "hama"] == ["Hamah"]  # the map's page too
    assert any("<b>Hamah</b>" in p for p in view(at)["panels"])


def test_the_data_is_cached_by_content(data, loads):
    events, _ = data
    at = session(date="2024-11-30")
    assert len(loads) == 1
    first = view(at)
    at.run()
    write(events, GOOD)  # written again, same bytes (a new modification time): nothing to do
    at.run()
    assert len(loads) == 1
    write(events, EDITED)
    at.run()
    assert len(loads) == 2
    for day in (date(2024, 12, 6), date(2024, 11, 30)):  # the map settling on other days (streamlit_app.on_map_view)
        at.session_state["day"] = day
        at.run()
    assert len(loads) == 2
    write(events, GOOD)  # back to the first content: still cached
    at.run()
    assert len(loads) == 2
    assert view(at) == first
    other = session(date="2024-11-30")  # another session on the same content: cached too
    assert len(loads) == 2 and view(other) == first


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_edit_shows_the_errors_then_the_fix_brings_back_the_same_view(data, loads, kind):
    events, _ = data
    text, patterns = BROKEN[kind]
    at = session(date="2024-11-30", place="aleppo", zones="0")
    before = view(at)
    assert len(loads) == 1 and before["legend"] and before["map"]
    write(events, text)
    at.run()
    assert_errors(at, events, patterns)
    at.run()  # and again: the failure of this version was kept, nothing is parsed again
    assert_errors(at, events, patterns)
    write(events, GOOD)
    at.run()
    assert not at.exception and not at.error
    assert view(at) == before  # same day, place, legend, markers and panels
    assert at.checkbox(key="zones").value is False
    assert len(loads) == 1  # the good content was not parsed again: its cache entry was never touched


def test_a_broken_file_is_parsed_once_per_version(data, monkeypatch):
    """A failed load is kept like a good one (per version of the files' bytes): reruns and other sessions do not parse
    a broken file again (a 4 MB one took 2.3 s per rerun and per viewer); the next edit of it is parsed, once."""
    import geo.reading.isolated

    events, _ = data
    parses: list[int] = []
    real = geo.reading.isolated.load

    def counted(events_data, *args, **kwargs):
        parses.append(len(events_data) if isinstance(events_data, bytes) else -1)
        return real(events_data, *args, **kwargs)

    monkeypatch.setattr(geo.reading.isolated, "load", counted)
    one, two = session(), session(date="2024-11-30")
    write(events, INVALID)
    for at in (one, two, one, two):
        at.run()
        assert_errors(at, events, BROKEN["invalid values"][1])
    assert_errors(session(), events, BROKEN["invalid values"][1])
    assert len(parses) == 2  # the good version, then the broken one
    write(events, INVALID + "# still broken\n")  # another version of the broken file
    for at in (one, two, one):
        at.run()
        assert_errors(at, events, BROKEN["invalid values"][1])
    assert len(parses) == 3


def test_a_broken_edit_leaves_other_sessions_their_views(data, loads):
    events, _ = data
    one, two = session(date="2024-11-29", place="aleppo"), session(date="2024-12-05")
    views = view(one), view(two)
    write(events, INVALID)
    one.run()
    assert_errors(one, events, BROKEN["invalid values"][1])
    three = session(date="2024-11-30")  # a new viewer while the file is broken
    assert not three.exception and three.error
    write(events, GOOD)
    two.run()
    one.run()
    three.run()
    assert (view(one), view(two)) == views
    assert view(three)["day"] == date(2024, 11, 30) and view(three)["legend"] == {"gov": "3", "hts": "1", "sdf": "0", "south": "0"}
    assert len(loads) == 1  # the good data: parsed once, for all three sessions


def test_a_broken_edit_keeps_the_last_good_view_below_the_errors(data):
    events, _ = data
    one, two = session(date="2024-11-29", place="aleppo"), session(date="2024-12-05")
    views = view(one), view(two)
    write(events, INVALID)
    one.run()
    two.run()
    three = session(date="2024-11-30")  # opened while the file is broken: the last good data too
    for at, good in ((one, views[0]), (two, views[1])):
        assert_errors(at, events, BROKEN["invalid values"][1])
        assert view(at) == good
    assert_errors(three, events, BROKEN["invalid values"][1])
    assert view(three)["legend"] == {"gov": "3", "hts": "1", "sdf": "0", "south": "0"}
    # and the session can still move through the days of the last good data
    one.session_state["day"] = date(2024, 11, 30)
    one.run()
    assert view(one)["day"] == date(2024, 11, 30) and one.error


def clear_caches() -> None:
    """What Streamlit does on a clear_cache message, which any visitor may send (its app menu's "Clear cache")."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_clear_cache_while_the_file_is_broken_keeps_the_last_good_map(data):
    events, _ = data
    one = session(date="2024-11-29", place="aleppo")
    good = view(one)
    write(events, INVALID)
    one.run()
    clear_caches()
    one.run()
    assert_errors(one, events, BROKEN["invalid values"][1])
    assert view(one) == good  # still the last good map, under the errors
    newcomer = session(date="2024-11-30")  # and a viewer who arrives now gets it too
    assert_errors(newcomer, events, BROKEN["invalid values"][1])
    assert view(newcomer)["legend"] == {"gov": "3", "hts": "1", "sdf": "0", "south": "0"} and view(newcomer)["map"]


NEW_DAY = """  - date: 2024-12-07
    place: hama
    controller: gov
    previous: hts
    status: claimed
    claimed_by: the army
    summary: The army says it retook Hama.
    sources: [reuters]
"""


def test_a_new_day_in_the_data_keeps_each_session_on_its_day(data):
    events, _ = data
    at = session(date="2024-12-02", place="hama")
    write(events, GOOD + NEW_DAY)  # the most common edit: the next day's events
    at.checkbox(key="fronts").uncheck().run()  # any rerun that does not itself move the day
    assert not at.exception and not at.error
    assert view(at)["day"] == date(2024, 12, 2) and at.selectbox[0].value == "hama"
    assert at.query_params["date"] == "2024-12-02"
    at.session_state["day"] = date(2024, 12, 7)  # the new last day is there to go to
    at.run()
    assert view(at)["day"] == date(2024, 12, 7) and at.subheader[0].value == "7 Dec 2024"


def test_a_shorter_timeline_or_a_removed_place_moves_the_session_to_what_is_left(data):
    events, places = data
    at = session(date="2024-12-06", place="nassib_crossing")
    shorter = GOOD.replace("    nassib_crossing: gov\n", "")
    shorter = shorter[: shorter.index("  - date: 2024-12-06\n")]  # no events on 6 Dec (nor for Nassib) any more
    gazetteer = FIXTURE_PLACES.read_text(encoding="utf-8")
    write(events, shorter)
    write(places, gazetteer[: gazetteer.index("  nassib_crossing:")])
    at.run()
    assert not at.exception and not at.error
    assert view(at)["day"] == date(2024, 12, 5) and at.selectbox[0].value is None
    assert {k: at.query_params[k] for k in at.query_params} == {"date": "2024-12-05"}
    assert set(view(at)["map"]) == {"aleppo", "hama", "deir_ez_zor"}


# --- the same on a live server ------------------------------------------------------------------
def test_a_live_server_picks_up_edits_and_survives_a_broken_one(tmp_path, live_server_factory):
    events, places = tmp_path / "events.yaml", tmp_path / "places.yaml"
    shutil.copy(FIXTURE_EVENTS, events)
    shutil.copy(FIXTURE_PLACES, places)
    server = live_server_factory(events, places, "live-edit")

    def loads() -> int:  # the server logs every parse of the data files (dashboard/store.py)
        return len(re.findall(r"data: parsed ", server.log.read_text(errors="replace")))

    good, edited = Engine(load_dataset(events, places)), None

    async def scenario():
        nonlocal edited
        one = await WsViewer.open(server.ws_url, "date=2024-12-05")
        two = None
        try:
            first = await one.load()
            assert first.legend() == good.expected(date(2024, 12, 5)).counts
            write(events, EDITED)
            edited = Engine(load_dataset(events, places))
            moved = await one.set_day(LAST)  # the next rerun reads the edited file
            assert moved.legend() == edited.expected(LAST).counts != good.expected(LAST).counts
            assert moved.map_view()["day"] == LAST.isoformat()
            misses = loads()

            write(events, INVALID)
            broken = await one.set_day(date(2024, 12, 5))
            assert not broken.exceptions() and len(broken.errors()) == 1
            assert any(line.startswith("events.yaml:") and "'rumoured'" in line for line in broken.code()[0].splitlines())
            two = await WsViewer.open(server.ws_url, "date=2024-11-30")  # a new viewer meanwhile
            opened = await two.load()
            assert not opened.exceptions() and len(opened.errors()) == 1

            write(events, EDITED)  # fixed: back to the content the server already has
            back = await one.rerun()
            assert not back.errors() and back.legend() == edited.expected(date(2024, 12, 5)).counts
            assert back.heading() == "5 Dec 2024"  # the click made while the file was broken still counted
            again = await two.rerun()
            assert again.legend() == edited.expected(date(2024, 11, 30)).counts
            assert loads() == misses + 1  # the broken version, once for both viewers; the good content was kept
        finally:
            await one.close()
            if two is not None:
                await two.close()

    run_async(scenario())
    assert server.healthy()


def test_a_new_day_on_a_live_server_keeps_the_session_on_its_day(tmp_path, live_server_factory):
    events, places = tmp_path / "events.yaml", tmp_path / "places.yaml"
    shutil.copy(FIXTURE_EVENTS, events)
    shutil.copy(FIXTURE_PLACES, places)
    server = live_server_factory(events, places, "live-edit-new-day")

    async def scenario():
        viewer = await WsViewer.open(server.ws_url, "date=2024-12-02")
        try:
            assert (await viewer.load()).heading() == "2 Dec 2024"
            write(events, GOOD + NEW_DAY)
            again = await viewer.rerun()  # as after a layer toggle: the browser reruns the script
            assert not again.exceptions() and not again.errors()
            assert (again.heading(), again.query) == ("2 Dec 2024", "date=2024-12-02")
        finally:
            await viewer.close()

    run_async(scenario())


def test_a_clear_cache_message_on_a_live_server_neither_loses_the_last_good_map_nor_parses_again(tmp_path, live_server_factory):
    """Any visitor may send Streamlit's clear_cache message; while the events file is broken it must not take the last
    good map from everyone (the server keeps that outside Streamlit's caches), and it must not make the server parse or
    build anything again (the server's log says when it parses)."""
    events, places = tmp_path / "events.yaml", tmp_path / "places.yaml"
    shutil.copy(FIXTURE_EVENTS, events)
    shutil.copy(FIXTURE_PLACES, places)
    server = live_server_factory(events, places, "live-edit-clear-cache")
    good = Engine(load_dataset(events, places))

    async def scenario():
        one = await WsViewer.open(server.ws_url, "date=2024-12-05")
        attacker = await WsViewer.open(server.ws_url, "")
        try:
            assert (await one.load()).legend() == good.expected(date(2024, 12, 5)).counts
            await attacker.load()
            write(events, INVALID)
            broken = await one.rerun()
            assert len(broken.errors()) == 1 and broken.legend() == good.expected(date(2024, 12, 5)).counts
            for _ in range(3):
                cleared = await attacker.clear_cache()
                assert not cleared.exceptions() and len(cleared.errors()) == 1
                assert cleared.legend() == good.expected(LAST).counts  # the last good map, still
            again = await one.rerun()
            assert not again.exceptions() and len(again.errors()) == 1
            assert again.legend() == good.expected(date(2024, 12, 5)).counts and again.map_view()["day"] == "2024-12-05"
            newcomer = await WsViewer.open(server.ws_url, "date=2024-11-30")
            try:
                opened = await newcomer.load()
                assert len(opened.errors()) == 1 and opened.legend() == good.expected(date(2024, 11, 30)).counts
            finally:
                await newcomer.close()
        finally:
            await one.close()
            await attacker.close()

    run_async(scenario())
    log = server.log.read_text(errors="replace")
    # one parse of the good files and one of the broken ones, whatever the clear_cache messages did
    assert len(re.findall(r"data: parsed .*events\.yaml", log)) == 2, log[-3000:]
