"""Both languages, keyboard, phone and axe-core, in a real browser (Debian's Chromium, headless, offline).

The dashboard (a `streamlit run` on the fixture data) and the static export, in English and in Arabic:
- the Arabic view is right to left and has no English left outside what is marked as data text kept as
  published (summaries, notes, outlets, titles: `lang="en"`), in its text and in its labels for screen readers;
- the date control works by keyboard, with a visible focus, an accessible name and the day announced;
- axe-core (node_modules/axe-core, from package.json) finds no serious or critical violation;
- on a 390x844 phone the map comes first, full width, with its date control on the first screen, the panels
  below it and nothing wider than the screen. Screenshots go to test-artifacts/; UPDATE_README_SCREENSHOT=1
  copies the real data's Arabic dashboard to docs/screenshot-ar.png.
These tests FAIL (never skip) when Chromium or axe-core is missing.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from geo.export import static_html
from geo.timeline.control import Timeline
from geo.view.localize import localized
from tests.support.chromium import MAP_FRAME, OfflinePage, map_frame
from tests.support.data import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES, REPO
from tests.support.streamlit_server import running_server

pytestmark = pytest.mark.browser

TIMEOUT_MS = 45_000
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# Latin words an Arabic page may show: names of data sources and formats as published, the language switch, units
# of Leaflet's scale bar, and key names
KEPT_LATIN = {
    "GeoNames",
    "CC",
    "BY",
    "OpenStreetMap",
    "CARTO",
    "Natural",
    "Earth",
    "Leaflet",
    "JavaScript",
    "PNG",
    "GeoJSON",
    "CSV",
    "HTML",
    "English",
    "km",
    "mi",
    "ft",
    "Shift",
    "Home",
    "End",
    "date",
}
# Streamlit's own labels (its page chrome and widgets' buttons): its public API has no way to translate them
STREAMLIT_CHROME = [
    "Skip to main content",
    "Main menu",
    "Link to heading",
    "Clear value",
    "Open",
    "Close",
    "Download as PNG",
    "Copy Vega-Lite spec",
    "Fullscreen",
    "Download as CSV",
    "Search",
    "Press Enter to apply",
]
# Every text node and screen-reader label of the page that is shown, outside elements marked as English, code and icons
LATIN_SHOWN = """(chrome) => {
  const skip = el => el.closest('[lang=en]:not(html), code, script, style, noscript, [aria-hidden=true], [data-testid=stIconMaterial]');
  const out = new Set();
  const add = (text) => {
    const label = text.trim();
    if (chrome.includes(label)) return;
    if (label.startsWith('Help for ')) text = label.slice(9);  // Streamlit's, then the widget's own label
    (text.match(/[A-Za-z]{2,}/g) || []).forEach(w => out.add(w));
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip(el) || !el.checkVisibility()) continue;
    add(node.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
    if (skip(el) || !el.checkVisibility()) continue;
    ['aria-label', 'title', 'alt', 'placeholder'].forEach(a => add(el.getAttribute(a) || ''));
  }
  return [...out];
}"""


@pytest.fixture(scope="module")
def browser(live_browser):
    return live_browser


@pytest.fixture(scope="module")
def server():
    with running_server(FIXTURE_EVENTS, FIXTURE_PLACES, "a11y") as live:
        yield live.url


class Offline(OfflinePage):
    def __init__(self, browser, allowed: tuple[str, ...], width: int = 1400, height: int = 1000):
        super().__init__(browser, allowed, width, height, TIMEOUT_MS, bypass_csp=True)  # axe goes into the static page too

    def dashboard(self, url: str):
        self.page.goto(url)
        self.page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
        frame = map_frame(self.page)
        frame.wait_for_selector("html[data-ready='1']")
        self.page.locator(".syria-legend").wait_for()
        self.idle()
        return frame

    def idle(self) -> None:
        """Streamlit done with its reruns: nothing shown faded as stale."""
        time.sleep(0.8)
        self.page.wait_for_function("!document.querySelector('[data-stale=true]')")

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.evaluate(
            "() => { window.scrollTo(0, 0); document.querySelectorAll('[data-testid=stMain], section').forEach(el => el.scrollTo(0, 0)); }"
        )
        self.page.screenshot(path=str(path))
        return path


def serious(target) -> list[str]:
    """axe-core's serious and critical violations in a page or frame: 'rule: element' lines."""
    assert AXE.is_file(), "axe-core is missing from node_modules: run ./scripts/setup_assets.sh (npm ci)"
    target.add_script_tag(path=str(AXE))
    found = target.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".flatMap(v => v.nodes.map(n => v.id + ': ' + n.html.slice(0, 90) + ': '"
        " + (n.failureSummary || '').split('\\n')[1]))"
    )
    return found


def stray_english(target) -> set[str]:
    return set(target.evaluate(LATIN_SHOWN, STREAMLIT_CHROME)) - KEPT_LATIN


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_dashboard_in_both_languages_passes_axe(browser, server, lang):
    view = Offline(browser, (server,))
    try:
        frame = view.dashboard(f"{server}/?date=2024-12-05&place=hama&compare=2024-11-29&lang={lang}")
        view.page.get_by_text("جدول اليوم" if lang == "ar" else "Table of the day").click()  # the table view open too
        view.page.locator("[data-testid=stDataFrame]").wait_for()
        view.idle()
        assert serious(view.page) == [] and serious(frame) == []
        assert view.page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == (
            [lang, "rtl"] if lang == "ar" else [lang, "ltr"]
        )
        view.shot(f"a11y-dashboard-{lang}.png")
        assert not view.errors, view.errors
    finally:
        view.close()


def test_the_arabic_dashboard_is_right_to_left_with_arabic_names(browser, server):
    view = Offline(browser, (server,))
    try:
        frame = view.dashboard(f"{server}/?date=2024-12-05&place=hama&lang=ar")
        page = view.page
        assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=stMainBlockContainer]')).direction") == "rtl"
        assert frame.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        assert frame.locator("#syria-day-label").inner_text() == "5 كانون الأول 2024"
        frame.locator(".syria-place[data-place='hama']").hover()
        tooltip = frame.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert tooltip.inner_text().startswith("حماة") and "الهيئة" in tooltip.inner_text()
        assert "governorate" not in page.locator(".syria-history").inner_text()
        assert stray_english(page) == set() and stray_english(frame) == set()
        # and the English view does say it in English: the check sees English where there is some
        english = Offline(browser, (server,))
        try:
            assert {"Places", "Download"} <= stray_english(english.dashboard(f"{server}/?date=2024-12-05").page.main_frame) | stray_english(
                english.page
            )
        finally:
            english.close()
    finally:
        view.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_date_control_by_keyboard(browser, server, lang):
    view = Offline(browser, (server,))
    try:
        frame = view.dashboard(f"{server}/?date=2024-12-05&lang={lang}")
        slider = frame.locator("#syria-day")
        assert slider.get_attribute("aria-label")  # an accessible name
        assert frame.locator("#syria-day-label").get_attribute("aria-live") == "polite"  # the day is announced
        frame.locator("#syria-prev").focus()
        view.page.keyboard.press("Tab")  # by keyboard: the focus is visible
        focus = frame.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.id, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert focus[0] == "syria-next" and focus[1] != "none" and focus[2] >= 2, focus
        slider.focus()
        earlier = "ArrowRight" if lang == "ar" else "ArrowLeft"  # the slider runs right to left in Arabic
        view.page.keyboard.press(earlier)
        frame.wait_for_function("document.documentElement.dataset.day === '2024-12-04'")
        assert slider.get_attribute("aria-valuetext") == frame.locator("#syria-day-label").inner_text()
        view.page.keyboard.press("End")
        frame.wait_for_function("document.documentElement.dataset.day === '2024-12-06'")
        view.page.wait_for_function("location.search.includes('date=2024-12-06')")  # it settles: the panels follow
        assert ("lang=ar" in view.page.url) == (lang == "ar")
        view.page.keyboard.press(" ")  # Space plays: the day is not read out thirty times a second
        assert frame.locator("#syria-play").get_attribute("aria-pressed") == "true"
        assert frame.locator("#syria-day-label").get_attribute("aria-live") == "off"
        view.page.keyboard.press(" ")  # stops it (or, had play already reached the end, plays once more to the end)
        frame.wait_for_function("document.getElementById('syria-play').getAttribute('aria-pressed') === 'false'")
        assert frame.locator("#syria-day-label").get_attribute("aria-live") == "polite"
    finally:
        view.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_phone_map_first_full_width_no_sideways_overflow(browser, server, lang):
    view = Offline(browser, (server,), width=390, height=844)
    try:
        frame = view.dashboard(f"{server}/?date=2024-12-05&lang={lang}")
        page = view.page
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(MAP_FRAME).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 350, box  # full width
        control = frame.locator("#syria-day").bounding_box()
        assert control["y"] + control["height"] <= 844, (box, control)  # the date control on the first screen, for a thumb
        legend = page.locator(".syria-legend").bounding_box()
        assert legend["y"] >= box["y"] + box["height"], (legend, box)  # the panels below the map
        assert frame.evaluate("document.documentElement.scrollWidth") <= box["width"] + 1
        view.shot(f"phone-390x844-{lang}.png")
    finally:
        view.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_static_export_in_both_languages(browser, fixture_dataset, tmp_path, lang):
    named = localized(fixture_dataset, lang)
    path = tmp_path / f"map-{lang}.html"
    path.write_text(static_html.build_html(named, Timeline(named), lang=lang), encoding="utf-8")
    view = Offline(browser, ("file:",), width=1300, height=850)
    try:
        page = view.page
        page.goto(path.as_uri() + "#date=2024-12-05&place=hama")
        page.wait_for_selector("html[data-ready='1']")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == (
            [lang, "rtl"] if lang == "ar" else [lang, "ltr"]
        )
        page.locator("#table-box summary").click()  # the table of the day, open
        page.wait_for_function("document.querySelectorAll('#table-body tr').length === 4")
        names = page.locator("#table-body th[scope=row]").all_inner_texts()
        assert len(set(names)) == 4 and page.locator("#table-head th").first.get_attribute("aria-sort") == "ascending"
        page.locator("#table-head button").nth(3).click()  # sort by holder, then back the other way
        holders = page.locator("#table-body td:nth-child(4)").all_inner_texts()
        page.locator("#table-head button").nth(3).click()
        assert page.locator("#table-head th").nth(3).get_attribute("aria-sort") == "descending"
        descending = page.locator("#table-body td:nth-child(4)").all_inner_texts()
        assert descending[0] == holders[-1] and descending[-1] == holders[0] and holders[0] != holders[-1]
        page.locator("#table-filter").fill("حماة" if lang == "ar" else "hama")
        page.wait_for_function("document.querySelectorAll('#table-body tr').length === 1")
        assert page.locator("#table-count").get_attribute("aria-live") == "polite"
        assert serious(page) == []
        if lang == "ar":
            assert page.locator("#syria-day-label").inner_text() == "5 كانون الأول 2024"
            assert "سيطرة الهيئة على حماة (كان بيد الحكومة)" in page.locator("#changes").inner_text()
            assert stray_english(page) == set()
        view.shot(f"static-{lang}.png")
        assert not view.errors, view.errors
    finally:
        view.close()
    view = Offline(browser, ("file:",), width=390, height=844)
    try:
        view.page.goto(path.as_uri() + "#date=2024-12-05")
        view.page.wait_for_selector("html[data-ready='1']")
        assert view.page.evaluate("document.documentElement.scrollWidth") <= 390
        view.shot(f"static-phone-{lang}.png")
    finally:
        view.close()


def test_readme_screenshot_in_arabic(browser):
    from geo.reading.loader import DEFAULT_EVENTS

    with running_server(DEFAULT_EVENTS, REPO / "geo" / "data" / "places.yaml", "real-data-ar") as live:
        view = Offline(browser, (live.url,), width=1440, height=900)
        try:
            frame = view.dashboard(f"{live.url}/?date=2026-01-19&lang=ar")
            frame.wait_for_function("document.querySelectorAll('.leaflet-syria-fronts-pane path').length > 0")
            assert frame.locator("#syria-day-label").inner_text() == "19 كانون الثاني 2026"
            time.sleep(1.5)
            path = view.shot("browser-readme-ar.png")
            if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
                shutil.copy(path, REPO / "docs" / "screenshot-ar.png")
        finally:
            view.close()
