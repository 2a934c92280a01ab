"""The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright.

Each module-level server is `streamlit run streamlit_app.py` on a free localhost port,
pointed at test data with SYRIA_MAP_EVENTS / SYRIA_MAP_PLACES. Every request that does
not go to that server is aborted, so the map must paint from the app's own Leaflet
(static/vendor, see scripts/setup_assets.sh); map tiles fail, which is fine.

These tests FAIL (never skip) when Chromium cannot run: CI installs it with apt-get.
Screenshots and timings go to test-artifacts/. Set UPDATE_README_SCREENSHOT=1 to copy
the dashboard screenshot of the real data to docs/screenshot.png.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from tests.support.chromium import MAP_FRAME, OfflinePage, Wire, map_frame
from tests.support.data import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES, HOSTILE, REPO, hostile_files
from tests.support.streamlit_server import running_server

pytestmark = pytest.mark.browser

GOV, HTS, SDF, SOUTH = "#D55E00", "#009E73", "#F0E442", "#CC79A7"
TIMEOUT_MS = 45_000


@pytest.fixture(scope="module")
def browser(live_browser):
    """conftest's headless Chromium; it also fails these tests when the map's Leaflet is not vendored."""
    return live_browser


@pytest.fixture(scope="module")
def server():
    with running_server(FIXTURE_EVENTS, FIXTURE_PLACES, "fixture") as live:
        yield live.url


class Offline(OfflinePage):
    """A dashboard page that can reach only the app's own server."""

    def __init__(self, browser, base_url: str, width: int = 1400, height: int = 1000):
        super().__init__(browser, (base_url,), width, height, TIMEOUT_MS)

    def open(self, url: str):
        """Go to `url`; the map's frame, once it holds the places."""
        self.page.goto(url)
        self.page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
        return map_frame(self.page)

    def legend(self) -> dict[str, int]:
        cells = self.page.locator(".syria-legend td[data-faction]")
        return {cells.nth(i).get_attribute("data-faction"): int(cells.nth(i).locator("b").inner_text()) for i in range(cells.count())}

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


def marker_html(frame, place: str) -> str:
    return frame.evaluate("p => (document.querySelector(`.syria-place[data-place='${p}']`) || {}).innerHTML || ''", place)


def wait_marker(frame, place: str, needle: str) -> None:
    frame.wait_for_function(
        "([p, n]) => { const el = document.querySelector(`.syria-place[data-place='${p}']`); return !!el && el.innerHTML.includes(n); }",
        arg=[place, needle],
        timeout=TIMEOUT_MS,
    )


def wait_centre(frame, lat: float, lon: float, tolerance: float = 0.05) -> None:
    frame.wait_for_function(
        "([lat, lon, tol]) => { const c = window.syriaMap.getCenter();"
        " return Math.abs(c.lat - lat) < tol && Math.abs(c.lng - lon) < tol; }",
        arg=[lat, lon, tolerance],
        timeout=TIMEOUT_MS,
    )


def stable_legend(view: Offline, expected: dict[str, int]) -> dict[str, int]:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        got = view.legend()
        if got == expected:
            return got
        time.sleep(0.1)
    return view.legend()


def count(frame, selector: str) -> int:
    return frame.evaluate("s => document.querySelectorAll(s).length", selector)


def wait_count(frame, selector: str, test: str) -> None:
    """Wait until the number of elements matching `selector` passes `test`, e.g. "n === 2" or "n > 0"."""
    frame.wait_for_function(f"s => {{ const n = document.querySelectorAll(s).length; return {test}; }}", arg=selector, timeout=TIMEOUT_MS)


def shown_day(frame) -> str:
    return frame.evaluate("document.documentElement.dataset.day")


def test_a_shared_link_then_scrubbing_in_the_browser(browser, server):
    """Dragging the date control repaints the map at once and sends nothing; the panels and the link follow when it settles."""
    view = Offline(browser, server)
    try:
        page = view.page
        traffic = Wire(page)  # HTTP requests and websocket frames, once started
        frame = view.open(f"{server}/?date=2024-11-29&place=aleppo")
        markers = frame.locator(".syria-place")
        assert markers.count() == 4
        assert sorted(markers.nth(i).get_attribute("data-place") for i in range(4)) == ["aleppo", "deir_ez_zor", "hama", "nassib_crossing"]
        aleppo = marker_html(frame, "aleppo")
        assert f'fill="{GOV}"' in aleppo and f'stroke="{HTS}"' in aleppo  # held by the government, contested by HTS
        wait_centre(frame, 36.2021, 37.1612)  # the linked place is brought into view
        assert stable_legend(view, {"gov": 4, "hts": 0, "sdf": 0, "south": 0}) == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
        page.locator(".syria-history").wait_for()
        assert "Halab" in page.locator(".syria-history").inner_text()
        assert frame.evaluate("L.version") == "1.9.3"
        view.shot("browser-wide-2024-11-29.png")

        # zoom in and leave a mark in the map's page: a day change must keep both
        zoom_before = frame.evaluate("window.syriaMap.getZoom()")
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function("z => window.syriaMap.getZoom() > z", arg=zoom_before)
        time.sleep(0.6)  # the zoom animation
        zoom = frame.evaluate("window.syriaMap.getZoom()")
        frame.evaluate("window.__kept = 'yes'")
        time.sleep(1.0)

        # drag the thumb from the first day to the last: the map follows every step, nothing goes over the network
        slider = frame.locator("#syria-day")
        box = slider.bounding_box()
        traffic.start()
        page.mouse.move(box["x"] + 8, box["y"] + box["height"] / 2)
        page.mouse.down()
        seen = []
        for i in range(1, 11):
            page.mouse.move(box["x"] + 8 + (box["width"] - 16) * i / 10, box["y"] + box["height"] / 2, steps=2)
            seen.append(shown_day(frame))
        assert len(set(seen)) >= 6, seen  # repainted while dragging, not only on release
        assert traffic.frames == [] and traffic.requests == [], (traffic.frames, traffic.requests)
        page.mouse.up()
        assert shown_day(frame) == "2024-12-06"  # (Playwright reports frames as its client runs: the waits below collect them)
        wait_marker(frame, "aleppo", f'fill="{HTS}"')
        # settled: one round trip, then the panels and the link follow
        page.wait_for_url("**date=2024-12-06**", timeout=TIMEOUT_MS)
        assert stable_legend(view, {"gov": 0, "hts": 2, "sdf": 1, "south": 1}) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
        page.locator("h3", has_text="6 Dec 2024").wait_for()
        time.sleep(1.0)
        settle_kib = sum(traffic.frames) / 1024
        assert 0 < settle_kib <= 60, settle_kib
        assert frame.evaluate("window.__kept") == "yes" and frame.evaluate("window.syriaMap.getZoom()") == zoom  # never reloaded
        repaints = frame.evaluate("window.SyriaMapApp.repaints.slice()")
        assert repaints and sorted(repaints)[len(repaints) // 2] < 100, repaints
        view.shot("browser-wide-2024-12-06.png")

        # keys on the date control: ← a day, Shift+← the previous day with changes, Home, End
        slider.focus()
        page.keyboard.press("ArrowLeft")
        assert shown_day(frame) == "2024-12-05"
        page.keyboard.press("Shift+ArrowLeft")
        assert shown_day(frame) == "2024-11-30"
        page.keyboard.press("Home")
        assert shown_day(frame) == "2024-11-26"
        page.keyboard.press("End")
        assert shown_day(frame) == "2024-12-06"
        page.keyboard.press("Shift+ArrowLeft")
        page.wait_for_url("**date=2024-12-05**", timeout=TIMEOUT_MS)

        # offline: the app served Leaflet and the map's page itself; only map tiles were blocked
        assert not [u for u in view.blocked if "basemaps.cartocdn.com" not in u], view.blocked
        assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
        (ARTIFACTS / "browser-timings.json").write_text(
            json.dumps({"repaint_ms_median": sorted(repaints)[len(repaints) // 2], "settle_kib": round(settle_kib, 1)})
        )
    finally:
        view.close()


PERIODS = """periods:
  - name: "Aleppo falls"
    from: 2024-11-29
    to: 2024-11-30
  - name: "The south"
    from: 2024-12-06
    to: 2024-12-06
"""


def test_histogram_periods_play_compare_and_back_forward(browser, tmp_path):
    events, places = tmp_path / "events.yaml", tmp_path / "places.yaml"
    text = FIXTURE_EVENTS.read_text(encoding="utf-8")
    events.write_text(text.replace("factions:\n", PERIODS + "factions:\n", 1), encoding="utf-8")
    shutil.copy(FIXTURE_PLACES, places)
    with running_server(events, places, "periods") as live:
        view = Offline(browser, live.url)
        try:
            page = view.page
            frame = view.open(f"{live.url}/?date=2024-11-27")
            # the histogram: a bar per day with changes; a click goes there
            bars = frame.locator("#syria-histogram .bar")
            assert sorted(bars.nth(i).get_attribute("data-day") for i in range(bars.count())) == [
                "2024-11-29",
                "2024-11-30",
                "2024-12-05",
                "2024-12-06",
            ]
            frame.locator("#syria-histogram .bar[data-day='2024-11-30']").click()
            assert shown_day(frame) == "2024-11-30"
            page.wait_for_url("**date=2024-11-30**", timeout=TIMEOUT_MS)
            page.locator("h3", has_text="30 Nov 2024").wait_for()  # the panels followed
            # the periods: marks on the control and a menu
            assert frame.locator("#syria-period-marks .mark").all_inner_texts() == ["Aleppo falls", "The south"]
            frame.locator("#syria-periods").select_option(label="The south")
            assert shown_day(frame) == "2024-12-06"
            page.wait_for_url("**date=2024-12-06**", timeout=TIMEOUT_MS)
            page.locator("h3", has_text="6 Dec 2024").wait_for()

            # Back and Forward move between the views
            page.go_back()
            frame.wait_for_function("() => document.documentElement.dataset.day === '2024-11-30'", timeout=TIMEOUT_MS)
            page.locator("h3", has_text="30 Nov 2024").wait_for()
            page.go_forward()
            frame.wait_for_function("() => document.documentElement.dataset.day === '2024-12-06'", timeout=TIMEOUT_MS)
            page.locator("h3", has_text="6 Dec 2024").wait_for()

            # compare two dates: rings on the map, a list by new holder and the zone area in the panel, the link keeps it
            frame.locator("#syria-compare").fill("2024-11-29")
            wait_count(frame, ".syria-compare-ring", "n === 4")  # Aleppo, Hama, Deir ez-Zor and Nassib changed hands
            page.wait_for_url("**compare=2024-11-29**", timeout=TIMEOUT_MS)
            compare = page.locator(".syria-compare")
            compare.wait_for()
            assert "Changed hands between 29 Nov 2024 and 6 Dec 2024" in compare.inner_text()
            assert "HTS gained 2" in compare.inner_text() and "km²" in compare.inner_text()
            reopened = view.context.new_page()
            reopened.goto(page.url)  # the link opens the same view
            reopened.frame_locator(MAP_FRAME).locator(".syria-compare-ring").first.wait_for(state="attached")
            reopened.locator(".syria-compare").wait_for()
            reopened.close()
            frame.locator("#syria-compare-clear").click()
            wait_count(frame, ".syria-compare-ring", "n === 0")

            # play: 30 days a second runs to the end; "changes only" steps from change to change
            frame.locator("#syria-speed").select_option("30")
            frame.locator("#syria-day").focus()
            page.keyboard.press("Home")
            started = time.monotonic()
            frame.locator("#syria-play").click()
            frame.wait_for_function("() => document.documentElement.dataset.day === '2024-12-06'", timeout=TIMEOUT_MS)
            assert time.monotonic() - started < 5  # 10 days at 30 a second, not a rerun per day
            assert frame.locator("#syria-play").get_attribute("aria-pressed") == "false"  # stopped at the end
            frame.locator("#syria-speed").select_option("changes")
            page.keyboard.press("Home")
            frame.locator("#syria-play").click()
            frame.wait_for_function("() => document.documentElement.dataset.day === '2024-11-29'", timeout=TIMEOUT_MS)
            frame.locator("#syria-play").click()  # pause
            paused = shown_day(frame)
            time.sleep(1.5)
            assert shown_day(frame) == paused and paused in ("2024-11-29", "2024-11-30")
            assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
        finally:
            view.close()


def test_zones_and_front_lines_are_painted_and_toggle(browser, server):
    view = Offline(browser, server)
    try:
        frame = view.open(f"{server}/?date=2024-11-29")
        page = view.page
        zones = ".leaflet-syria-zones-pane path"
        wait_count(frame, zones, "n >= 4")  # the no-data ground and a cell per place
        fills = set(frame.evaluate(f"() => [...document.querySelectorAll('{zones}')].map(p => p.getAttribute('fill'))"))
        assert GOV in fills and "#BDBDBD" in fills  # the government's cells, and grey where no listed place is near
        z = frame.evaluate(
            "() => ['syria-zones', 'overlayPane', 'syria-fronts', 'markerPane']"
            ".map(p => +getComputedStyle(window.syriaMap.getPane(p)).zIndex)"
        )
        assert z == sorted(z), z  # zones under everything else, front lines under the places
        frame.evaluate("window.__kept = 'yes'")

        page.get_by_text("Zones (approximate)", exact=True).click()
        wait_count(frame, zones, "n === 0")
        page.wait_for_url("**zones=0**")
        assert count(frame, ".syria-place") == 4
        page.get_by_text("Zones (approximate)", exact=True).click()
        wait_count(frame, zones, "n >= 4")
        assert frame.evaluate("window.__kept") == "yes"  # layers switched, the map itself never rebuilt
        assert not view.errors, view.errors
    finally:
        view.close()


def test_hover_click_and_search_select_a_place(browser, server):
    view = Offline(browser, server)
    try:
        frame = view.open(f"{server}/?date=2024-12-06")
        page = view.page
        frame.locator(".syria-place[data-place='deir_ez_zor']").hover()
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert "Deir ez-Zor" in tooltip.inner_text() and "SDF" in tooltip.inner_text()
        assert "disputed" in tooltip.inner_text()

        frame.locator(".syria-place[data-place='hama']").click()
        page.wait_for_url("**place=hama**")
        history = page.locator(".syria-history")
        history.wait_for()
        assert "Hama" in history.inner_text() and "claimed by HTS" in history.inner_text()
        assert "The Independent" in history.inner_text()

        # the search box finds places by alias, and the map brings the place into view
        page.get_by_role("combobox").click()
        page.keyboard.type("Naseeb")
        page.get_by_role("option", name="Nassib border crossing").click()
        page.wait_for_url("**place=nassib_crossing**")
        wait_centre(frame, 32.5449, 36.2050)
        assert "Nassib border crossing" in page.locator(".syria-history").inner_text()
        assert "date=2024-12-06" in page.url
    finally:
        view.close()


def test_map_first_on_a_wide_screen_and_on_a_phone(browser, server):
    view = Offline(browser, server, width=1440, height=900)
    try:
        frame = view.open(f"{server}/?date=2024-12-06")
        map_box = frame.locator(".folium-map").bounding_box()
        control = frame.locator("#syria-day").bounding_box()
        assert map_box["height"] >= 0.65 * 900, map_box  # the map takes most of the first screen
        assert control["y"] + control["height"] <= 900, control  # and the date control is on it too
        view.shot("browser-1440x900.png")
    finally:
        view.close()
    view = Offline(browser, server, width=390, height=844)
    try:
        frame = view.open(f"{server}/?date=2024-12-06")
        assert frame.locator(".syria-place").count() == 4
        page = view.page
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 392, f"the page is {overflow}px wide on a 390px screen"
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["width"] <= 390 and box["x"] >= 0
        control = frame.locator("#syria-day").bounding_box()
        assert control["y"] + control["height"] <= 844, control  # the date control on the first screen, for a thumb
        view.shot("browser-phone-390.png")
    finally:
        view.close()


def test_hostile_data_stays_text_in_the_browser(browser, tmp_path):
    events, places = hostile_files(tmp_path)
    with running_server(events, places, "hostile") as live:
        view = Offline(browser, live.url)
        try:
            frame = view.open(f"{live.url}/?date=2024-12-05&place=hama")
            assert frame.locator(".syria-place").count() == 4
            frame.locator(".syria-place[data-place='hama']").hover()
            tooltip = frame.locator(".leaflet-tooltip")
            tooltip.wait_for()
            assert HOSTILE.split(" </script>")[0] in tooltip.inner_text()  # shown literally
            history = view.page.locator(".syria-history")
            history.wait_for()
            assert "${alert(1)}" in history.inner_text() and "<img src=x" in history.inner_text()
            assert frame.locator("img[src='x']").count() == 0 and view.page.locator("img[src='x']").count() == 0
            frame.locator("#syria-next").click()
            time.sleep(0.5)
            assert frame.evaluate("typeof window.__pwned") == "undefined"
            assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
            view.shot("browser-hostile.png")
        finally:
            view.close()


def test_readme_screenshot_of_the_real_data(browser):
    """The real dataset (events.yaml, geo/data/places.yaml): the dashboard, or the validator's messages."""
    from geo.base.errors import DataError
    from geo.reading.loader import DEFAULT_EVENTS, load_dataset

    try:
        dataset = load_dataset(DEFAULT_EVENTS)
    except DataError:
        dataset = None
    with running_server(DEFAULT_EVENTS, REPO / "geo" / "data" / "places.yaml", "real-data") as live:
        view = Offline(browser, live.url, width=1440, height=900)
        try:
            if dataset is None:
                view.page.goto(live.url)
                view.page.get_by_text("did not pass validation").wait_for()
                view.shot("browser-real-data-invalid.png")
                return
            frame = view.open(f"{live.url}/?date=2026-01-19")
            frame.wait_for_function("n => document.querySelectorAll('.syria-place').length === n", arg=len(dataset.places))
            wait_count(frame, ".leaflet-syria-fronts-pane path", "n > 0")
            time.sleep(1.5)
            path = view.shot("browser-readme.png")
            if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
                (REPO / "docs").mkdir(exist_ok=True)
                shutil.copy(path, REPO / "docs" / "screenshot.png")
        finally:
            view.close()
