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
from conftest import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES, HOSTILE, REPO, hostile_files, running_server

from benchmarks.chromium import MAP_FRAME, OfflinePage, map_frame

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
        return {cells.nth(i).get_attribute("data-faction"): int(cells.nth(i).locator("b").inner_text())
                for i in range(cells.count())}

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
        arg=[place, needle], timeout=TIMEOUT_MS,
    )


def wait_centre(frame, lat: float, lon: float, tolerance: float = 0.05) -> None:
    frame.wait_for_function(
        "([lat, lon, tol]) => { const c = window.map.getCenter(); return Math.abs(c.lat - lat) < tol && Math.abs(c.lng - lon) < tol; }",
        arg=[lat, lon, tolerance], timeout=TIMEOUT_MS,
    )


def stable_legend(view: Offline, expected: dict[str, int]) -> dict[str, int]:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        got = view.legend()
        if got == expected:
            return got
        time.sleep(0.1)
    return view.legend()


def test_shared_link_offline_map_date_move_keeps_zoom(browser, server):
    view = Offline(browser, server)
    try:
        frame = view.open(f"{server}/?date=2024-11-29&place=aleppo")
        page = view.page
        markers = frame.locator(".syria-place")
        assert markers.count() == 4
        assert sorted(markers.nth(i).get_attribute("data-place") for i in range(4)) == \
            ["aleppo", "deir_ez_zor", "hama", "nassib_crossing"]
        aleppo = marker_html(frame, "aleppo")
        assert f'fill="{GOV}"' in aleppo and f'stroke="{HTS}"' in aleppo  # held by the government, contested by HTS
        assert "#1565C0" in aleppo  # selected by the link
        wait_centre(frame, 36.2021, 37.1612)  # and brought into view
        assert stable_legend(view, {"gov": 4, "hts": 0, "sdf": 0, "south": 0}) == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
        page.locator(".syria-history").wait_for()
        assert "Halab" in page.locator(".syria-history").inner_text()
        assert frame.evaluate("typeof L") == "object" and frame.evaluate("L.version") == "1.9.3"
        view.shot("browser-wide-2024-11-29.png")

        # zoom in, leave a mark in the map's page, then move to the next day
        zoom_before = frame.evaluate("window.map.getZoom()")
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function("z => window.map.getZoom() > z", arg=zoom_before)
        time.sleep(0.6)  # the zoom animation
        zoom = frame.evaluate("window.map.getZoom()")
        centre = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
        frame.evaluate("window.__kept = 'yes'")

        started = time.monotonic()
        page.get_by_role("button", name="Next day", exact=True).click()
        wait_marker(frame, "aleppo", f'fill="{HTS}"')
        elapsed_ms = (time.monotonic() - started) * 1000
        page.wait_for_url("**date=2024-11-30**")
        assert "place=aleppo" in page.url
        assert stable_legend(view, {"gov": 3, "hts": 1, "sdf": 0, "south": 0}) == {"gov": 3, "hts": 1, "sdf": 0, "south": 0}
        assert frame.locator(".syria-place").count() == 4  # the old layer was replaced, not stacked
        assert f'fill="{GOV}"' in marker_html(frame, "hama")
        # the same map object: not rebuilt, zoom and centre kept
        assert frame.evaluate("window.__kept") == "yes"
        assert frame.evaluate("window.map.getZoom()") == zoom
        assert frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]") == pytest.approx(centre, abs=1e-6)
        view.shot("browser-wide-2024-11-30.png")

        # offline: the app served Leaflet itself; only map tiles were blocked
        assert not [u for u in view.blocked if "basemaps.cartocdn.com" not in u], view.blocked
        assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
        (ARTIFACTS / "browser-timings.json").write_text(json.dumps({"next_day_click_to_marker_recoloured_ms": round(elapsed_ms)}))
    finally:
        view.close()


def count(frame, selector: str) -> int:
    return frame.evaluate("s => document.querySelectorAll(s).length", selector)


def wait_count(frame, selector: str, test: str) -> None:
    """Wait until the number of elements matching `selector` passes `test`, e.g. "n === 2" or "n > 0"."""
    frame.wait_for_function(f"s => {{ const n = document.querySelectorAll(s).length; return {test}; }}", arg=selector, timeout=TIMEOUT_MS)


def map_colour(view: Offline) -> tuple[float, ...]:
    """The mean colour of the map as painted (tiles are blocked, so what is not the outline is zones and places)."""
    from io import BytesIO

    from PIL import Image, ImageStat

    return tuple(ImageStat.Stat(Image.open(BytesIO(view.page.locator(MAP_FRAME).screenshot())).convert("RGB")).mean)


def test_zones_and_front_lines_are_painted_and_toggle(browser, server):
    view = Offline(browser, server)
    try:
        frame = view.open(f"{server}/?date=2024-11-29")
        page = view.page
        wait_count(frame, "path.syria-zone", "n === 2")  # Aleppo's ground contested, the rest the government's
        fills = frame.evaluate("() => [...document.querySelectorAll('path.syria-zone')].map(p => p.getAttribute('fill'))")
        assert sorted(fills) == sorted([GOV, "url(#syria-hatch-D55E00-009E73)"])
        assert frame.evaluate("() => document.querySelector('#syria-patterns pattern#syria-hatch-D55E00-009E73 rect') !== null")
        sizes = frame.evaluate("() => [...document.querySelectorAll('path.syria-zone')]"
                               ".map(p => { const r = p.getBoundingClientRect(); return r.width * r.height; })")
        assert all(size > 400 for size in sizes), sizes  # painted, with a size on the screen
        z = frame.evaluate("() => ['syria-zones', 'overlayPane', 'syria-fronts', 'markerPane']"
                           ".map(p => +getComputedStyle(window.map.getPane(p)).zIndex)")
        assert z == sorted(z), z  # zones under everything else, front lines under the places
        assert frame.evaluate("() => window.map.getPane('syria-zones').contains(document.querySelector('path.syria-zone'))")
        assert count(frame, "path.syria-front") == 0  # contested, not yet taken: no front line
        frame.evaluate("window.__kept = 'yes'")

        page.get_by_role("button", name="Next day", exact=True).click()  # HTS takes Aleppo: a front line
        wait_count(frame, "path.syria-front", "n > 0")
        wait_count(frame, "path.syria-zone", "n === 2")
        fills = frame.evaluate("() => [...document.querySelectorAll('path.syria-zone')].map(p => p.getAttribute('fill'))")
        assert sorted(fills) == sorted([GOV, HTS])
        assert frame.evaluate("() => getComputedStyle(document.querySelector('path.syria-front')).strokeDasharray") != "none"
        view.shot("browser-zones-2024-11-30.png")
        painted = map_colour(view)

        page.get_by_text("Zones (approximate)", exact=True).click()
        wait_count(frame, "path.syria-zone", "n === 0")
        page.wait_for_url("**zones=0**")
        assert count(frame, "path.syria-front") > 0 and count(frame, ".syria-place") == 4
        time.sleep(0.3)
        unpainted = map_colour(view)
        assert sum(abs(a - b) for a, b in zip(painted, unpainted, strict=True)) > 3, (painted, unpainted)
        page.get_by_text("Front lines", exact=True).click()
        wait_count(frame, "path.syria-front", "n === 0")
        page.wait_for_url("**fronts=0**")
        assert count(frame, ".syria-place") == 4
        page.get_by_text("Zones (approximate)", exact=True).click()
        wait_count(frame, "path.syria-zone", "n === 2")
        assert frame.evaluate("window.__kept") == "yes"  # layers swapped, the map itself never rebuilt
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
        wait_marker(frame, "hama", "#1565C0")  # the selection ring moved to Hama

        # the search box finds places by alias
        page.get_by_role("combobox").click()
        page.keyboard.type("Naseeb")
        page.get_by_role("option", name="Nassib border crossing").click()
        page.wait_for_url("**place=nassib_crossing**")
        wait_centre(frame, 32.5449, 36.2050)  # a place picked in the search box is brought into view
        assert "Nassib border crossing" in page.locator(".syria-history").inner_text()
        assert "date=2024-12-06" in page.url
    finally:
        view.close()


def test_play_advances_day_by_day_until_stopped(browser, server):
    view = Offline(browser, server)
    try:
        view.open(f"{server}/?date=2024-11-27")
        page = view.page
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_url("**date=2024-11-28**", timeout=TIMEOUT_MS)
        page.wait_for_url("**date=2024-11-29**", timeout=TIMEOUT_MS)
        page.get_by_role("button", name="Stop", exact=True).click()
        page.get_by_role("button", name="Play", exact=True).wait_for()
        stopped_at = page.url
        time.sleep(3)
        assert page.url == stopped_at
        assert not view.errors, view.errors
    finally:
        view.close()


def test_phone_width(browser, server):
    view = Offline(browser, server, width=390, height=844)
    try:
        frame = view.open(f"{server}/?date=2024-12-06")
        assert frame.locator(".syria-place").count() == 4
        page = view.page
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= 392, f"the page is {overflow}px wide on a 390px screen"
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["width"] <= 390 and box["x"] >= 0
        view.shot("browser-phone-390.png")
        page.set_viewport_size({"width": 390, "height": 2400})  # the whole page, for a look
        time.sleep(1.0)
        view.shot("browser-phone-390-full.png")
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
            time.sleep(0.5)
            assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
            view.shot("browser-hostile.png")
        finally:
            view.close()


def test_readme_screenshot_of_the_real_data(browser):
    """The real dataset (events.yaml, geo/data/places.yaml): the dashboard, or the validator's messages."""
    from geo.errors import DataError
    from geo.loader import DEFAULT_EVENTS, load_dataset

    try:
        dataset = load_dataset(DEFAULT_EVENTS)
    except DataError:
        dataset = None
    with running_server(DEFAULT_EVENTS, REPO / "geo" / "data" / "places.yaml", "real-data") as live:
        view = Offline(browser, live.url, width=1400, height=1250)
        try:
            if dataset is None:
                view.page.goto(live.url)
                view.page.get_by_text("did not pass validation").wait_for()
                view.shot("browser-real-data-invalid.png")
                return
            from geo.timeline import Timeline

            tl = Timeline(dataset)
            busiest = max(tl.event_days, key=lambda d: (len(tl.events_on(d)), d))
            frame = view.open(f"{live.url}/?date={busiest.isoformat()}")
            frame.wait_for_function("n => document.querySelectorAll('.syria-place').length === n", arg=len(dataset.places))
            wait_count(frame, "path.syria-zone", "n > 0")
            wait_count(frame, "path.syria-front", "n > 0")
            time.sleep(1.0)
            path = view.shot("browser-readme.png")
            if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
                (REPO / "docs").mkdir(exist_ok=True)
                shutil.copy(path, REPO / "docs" / "screenshot.png")
        finally:
            view.close()
