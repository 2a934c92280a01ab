"""The dashboard's download buttons (AppTest): each file is made on click, for the day and layers shown.

A button's data is a callable that Streamlit runs when the browser asks for the file (a
"deferred" download); these tests ask for it as the browser would, through Streamlit's media
file manager, and check the bytes the viewer would get.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from geo.export import static_html
from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline
from tests.support.chromium import MAP_FRAME
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES

LABELS = ["Picture (PNG)", "GeoJSON", "CSV", "Interactive map (HTML)"]


@pytest.fixture(scope="module")
def engine() -> Timeline:
    return Timeline(load_dataset(FIXTURE_EVENTS, FIXTURE_PLACES))


MANAGERS: list[MediaFileManager] = []


class RecordedMediaFiles(MediaFileManager):
    """AppTest's media file manager lives for one run; keep it, to ask for a deferred file afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        MANAGERS.append(self)


@pytest.fixture
def app(monkeypatch, fixture_app):
    monkeypatch.setattr(app_test, "MediaFileManager", RecordedMediaFiles)
    return lambda **params: fixture_app(**params).run()


def buttons(at: AppTest) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


def fetch(at: AppTest, label: str) -> tuple[bytes, str, str]:
    """(bytes, file name, MIME type) that clicking the button would download."""
    proto = buttons(at)[label]
    assert proto.HasField("deferred_file_id"), "the file is made on click, not on every rerun"
    manager = MANAGERS[-1]  # the last run's
    url = manager.execute_deferred(proto.deferred_file_id)
    stored = manager._storage.get_file(url.rsplit("/", 1)[-1].split(".")[0])  # the file Streamlit would serve
    return stored.content, stored.filename, stored.mimetype


def test_four_downloads_under_the_day(app):
    at = app(date="2024-11-30")
    assert not at.exception and not at.error
    assert list(buttons(at)) == LABELS
    assert all(b.ignore_rerun for b in buttons(at).values())  # a click does not rerun the page


def test_the_day_files_follow_the_day_shown(app, engine):
    at = app(date="2024-11-30")
    for day in (date(2024, 11, 30), date(2024, 12, 3)):
        if at.session_state["day"] != day:  # the map settled on another day (streamlit_app.on_map_view)
            at.session_state["day"] = day
            at.run()
        data, name, mime = fetch(at, "GeoJSON")
        assert (name, mime) == (f"syria-control-{day.isoformat()}.geojson", "application/geo+json")
        collection = json.loads(data)
        assert collection["date"] == day.isoformat()
        holders = {
            f["properties"]["place_id"]: f["properties"]["controller"]
            for f in collection["features"]
            if f["properties"]["layer"] == "place"
        }
        assert holders == {pid: s.controller for pid, s in engine.state_on(day).items()}

        data, name, mime = fetch(at, "CSV")
        assert (name, mime) == (f"syria-control-{day.isoformat()}.csv", "text/csv")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert {r["place_id"]: r["controller"] for r in rows} == holders


def download_note(at: AppTest) -> str:
    (note,) = [c.value for c in at.caption if "self-contained file with every day" in c.value]
    return note


def test_zones_come_with_the_geojson_only_when_shown(app):
    at = app(date="2024-12-02")
    layers = {f["properties"]["layer"] for f in json.loads(fetch(at, "GeoJSON")[0])["features"]}
    # zones; front lines only where two sides' zones meet (the fixture's four places are too far apart for that)
    assert {"place", "zone"} <= layers <= {"place", "zone", "front_line"} and "2 Dec 2024, zones included" in download_note(at)
    at.checkbox(key="zones").uncheck().run()
    layers = {f["properties"]["layer"] for f in json.loads(fetch(at, "GeoJSON")[0])["features"]}
    assert layers == {"place"} and "zones included" not in download_note(at)


def test_the_picture_is_a_social_media_png(app):
    data, name, mime = fetch(app(date="2024-12-02"), "Picture (PNG)")
    assert (name, mime) == ("syria-control-2024-12-02.png", "image/png")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1200, 675)
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50  # a map, not a blank canvas


def test_the_interactive_map_holds_every_day(app, engine):
    data, name, mime = fetch(app(date="2024-12-02"), "Interactive map (HTML)")
    assert (name, mime) == ("syria-control-map.html", "text/html")
    embedded = static_html.embedded_data(data.decode("utf-8"))
    assert embedded["days"] == [d.isoformat() for d in engine.days]
    assert "zones" in embedded


@pytest.mark.browser
def test_a_click_in_the_browser_downloads_the_days_picture_and_geojson(live_browser, live_server_factory):
    server = live_server_factory(FIXTURE_EVENTS, FIXTURE_PLACES, "downloads")
    context = live_browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    try:
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((server.url, "data:", "blob:")) else r.abort())
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(server.url + "/?date=2024-12-02")
        # The map's first report reruns the script, which registers each button's file anew: a click racing that rerun
        # asks for the file it replaced and gets nothing (Streamlit's deferred downloads). Click once it has run.
        page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
        deadline = time.monotonic() + 60
        while server.script_runs() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        page.get_by_test_id("stStatusWidgetRunningIcon").wait_for(state="detached")
        button = page.get_by_role("button", name="GeoJSON")
        button.wait_for()
        with page.expect_download() as got:
            button.click()
        download = got.value
        assert download.suggested_filename == "syria-control-2024-12-02.geojson"
        collection = json.loads(Path(download.path()).read_bytes())
        assert collection["date"] == "2024-12-02" and any(f["properties"]["layer"] == "zone" for f in collection["features"])
        with page.expect_download() as got:
            page.get_by_role("button", name="Picture (PNG)").click()
        assert got.value.suggested_filename == "syria-control-2024-12-02.png"
        assert Image.open(got.value.path()).size == (1200, 675)
    finally:
        context.close()
