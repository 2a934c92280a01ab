"""The standalone HTML map: every day's state embedded, self-contained, and working offline in Chromium.

The unit tests read the page's embedded JSON back and compare each day with the
timeline. The browser tests (marked `browser`; they FAIL, never skip, when Chromium
cannot run) open the file from disk, or from a throwaway static HTTP server on
127.0.0.1, with every other request aborted: the page must paint from what it carries.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
import threading
import time
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.base.model import Source
from geo.export import static_html
from geo.reading.loader import DEFAULT_EVENTS, load_dataset
from geo.territory.model import TerritoryModel, site_keys
from geo.timeline.control import Timeline
from tests.support.chromium import OfflinePage
from tests.support.data import ARTIFACTS, HOSTILE, REPO

GOV, HTS, SDF, SOUTH = "#D55E00", "#009E73", "#F0E442", "#CC79A7"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def territory(fixture_timeline):
    return TerritoryModel(fixture_timeline)


@pytest.fixture(scope="module")
def real():
    dataset = load_dataset(DEFAULT_EVENTS)
    timeline = Timeline(dataset)
    return dataset, timeline, TerritoryModel(timeline)


# --- reading a page back -----------------------------------------------------------------------
class PageParts(HTMLParser):
    """Every tag with its attributes, and the text of each <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._in_script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._text)))
            self._in_script = None


def parse(page: str) -> PageParts:
    parts = PageParts()
    parts.feed(page)
    return parts


def decode_days(data: dict) -> list[dict[str, tuple]]:
    """Per day index: place id -> (controller, contested_with, secondary, status), from the places' histories."""
    days = []
    for d in range(len(data["days"])):
        state = {}
        for place in data["places"]:
            entries = [e for e in place["h"] if e["d"] <= d]
            assert entries, f"{place['id']} has no state on day {d}"
            e = entries[-1]
            state[place["id"]] = (e["c"], tuple(e["k"]), e["s"], e["st"])
        days.append(state)
    return days


def expected_days(timeline: Timeline) -> list[dict[str, tuple]]:
    return [
        {pid: (s.controller, s.control.contested_with, s.control.secondary, s.status) for pid, s in timeline.state_on(day).items()}
        for day in timeline.days
    ]


def check_embeds_every_day(dataset, timeline, territory=None) -> dict:
    page = static_html.build_html(dataset, timeline, territory)
    data = static_html.embedded_data(page)
    assert data["days"] == [d.isoformat() for d in timeline.days]
    assert [p["id"] for p in data["places"]] == list(dataset.places)
    assert decode_days(data) == expected_days(timeline)
    for i, day in enumerate(timeline.days):  # the "what changed" list of every day
        on_day = [e for e in data["events"] if e["d"] == i]
        assert [e["sum"] for e in on_day] == [e.summary for e in timeline.events_on(day)]
        assert [data["places"][e["p"]]["id"] for e in on_day] == [e.place for e in timeline.events_on(day)]
    if territory is not None:  # fixed cells, recoloured each day from the embedded states (as the page does)
        zones, tess = data["zones"], territory.tessellation
        index = {pid: i for i, pid in enumerate(dataset.places)}
        assert zones["sites"] == [[index[p] for p in members] for members in tess.site_places]
        assert len(zones["cells"]) == len(tess.cells)
        assert zones["km2"] == pytest.approx([float(a) for a in tess.cell_km2], abs=0.1)
        assert {(a, b) for a, b, _ in zones["edges"]} <= {(e.a, e.b) for e in tess.edges}
        decoded = decode_days(data)
        for i, day in enumerate(timeline.days):
            state = decoded[i]
            keys = []
            for members in zones["sites"]:
                first = state[data["places"][members[0]]["id"]][0]
                rivals = {f for m in members for f in (state[data["places"][m]["id"]][0], *state[data["places"][m]["id"]][1])}
                keys.append((first, tuple(sorted(rivals - {first}))))
            assert keys == list(site_keys(tess, timeline.state_on(day))), day
    else:
        assert data["zones"] is None
    return data


def test_every_day_of_the_fixture_is_embedded(fixture_dataset, fixture_timeline, territory):
    data = check_embeds_every_day(fixture_dataset, fixture_timeline, territory)
    assert data["labels"][0] == "26 Nov 2024"
    aleppo = next(p for p in data["places"] if p["id"] == "aleppo")
    assert [(h["d"], h["c"], h["k"]) for h in aleppo["h"]] == [(0, "gov", []), (3, "gov", ["hts"]), (4, "hts", [])]
    check_embeds_every_day(fixture_dataset, fixture_timeline, None)


def test_every_day_of_the_real_data_is_embedded(real):
    dataset, timeline, territory = real
    data = check_embeds_every_day(dataset, timeline, territory)
    assert len(data["zones"]["cells"]) == len(territory.tessellation.cells)  # the cells once, recoloured per day


def test_page_is_self_contained(fixture_dataset, fixture_timeline, territory):
    page = static_html.build_html(fixture_dataset, fixture_timeline, territory)
    parts = parse(page)
    # nothing to fetch: no src/href on any element, no stylesheet links, no base, no iframes
    assert not [(tag, a) for tag, a in parts.tags if "src" in a or "href" in a], "the page refers to outside files"
    assert not [tag for tag, _ in parts.tags if tag in ("link", "base", "iframe", "object", "embed")]
    kinds = [a.get("type") for a, _ in parts.scripts]
    code = [text for a, text in parts.scripts if a.get("type") is None]
    assert kinds.count("application/json") == 2 and len(code) == len(kinds) - 2  # the data and the view; the rest is code
    leaflet_js = next(text for text in code if "L.version" in text or '"1.9.3"' in text)
    assert 'version="1.9.3"' in leaflet_js.replace(" ", "") or '"1.9.3"' in leaflet_js
    assert "sourceMappingURL" not in leaflet_js
    assert ".leaflet-container" in page  # Leaflet's CSS, inline
    assert any("SyriaMapApp" in text for text in code)  # the application, inline
    # the CSP lets exactly the page's own inline scripts run
    csp = next(a["content"] for tag, a in parts.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp.split("script-src")[1].split(";")[0].count("'sha256-") == len(code)
    for text in code:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "connect-src 'none'" in csp and "basemaps.cartocdn.com" in csp


def test_data_text_cannot_end_its_element(hostile_dataset):
    timeline = Timeline(hostile_dataset)
    page = static_html.build_html(hostile_dataset, timeline)
    raw = re.search(r'id="syria-data">(.*?)</script>', page, flags=re.DOTALL).group(1)
    assert "</" not in raw and "<" not in raw and "<!--" not in raw
    data = static_html.embedded_data(page)
    assert next(p for p in data["places"] if p["id"] == "hama")["name"] == HOSTILE  # the text itself, unchanged
    assert HOSTILE in [e["sum"] for e in data["events"]]
    assert "<img src=x" not in page.replace(json.dumps(HOSTILE), "")  # nowhere as markup
    assert HOSTILE not in page  # only ever inside the escaped JSON
    title = next(f for f in data["factions"] if f["id"] == "hts")["label"]
    assert title == HOSTILE


def test_only_http_links_reach_the_data(fixture_dataset, fixture_timeline):
    event = fixture_dataset.events[0]
    bad = Source("Evil", "click me", date(2024, 11, 29), url="javascript:alert(1)")
    events = (replace(event, sources=(bad, *event.sources)), *fixture_dataset.events[1:])
    dataset = replace(fixture_dataset, events=events)
    data = static_html.embedded_data(static_html.build_html(dataset, Timeline(dataset)))
    urls = {s["t"]: s["u"] for s in data["sources"]}
    assert urls["click me"] is None and urls["Test report"] == "https://www.reuters.com/world/middle-east/"


def test_leaflet_integrity_hashes_match_the_npm_files():
    folder = REPO / "node_modules" / "leaflet" / "dist"
    if not folder.is_dir():
        pytest.fail("node_modules/leaflet is missing: run ./scripts/setup_assets.sh")
    for name, want in static_html.LEAFLET_SRI.items():
        assert static_html.sri((folder / name).read_bytes()) == want, name


def test_cdn_fallback_and_missing_assets(fixture_dataset, fixture_timeline, monkeypatch):
    page = static_html.build_html(fixture_dataset, fixture_timeline, leaflet="cdn")
    assert f'src="{static_html.LEAFLET_CDN}leaflet.js" integrity="{static_html.LEAFLET_SRI["leaflet.js"]}"' in page
    assert static_html.LEAFLET_CDN + "leaflet.js" in page.split("script-src")[1].split(";")[0]
    monkeypatch.setattr(static_html, "leaflet_dir", lambda: None)
    with pytest.raises(static_html.AssetsMissing, match="setup_assets"):
        static_html.build_html(fixture_dataset, fixture_timeline)
    assert b"integrity=" in static_html.html_bytes(fixture_dataset, fixture_timeline)  # "auto" falls back to the CDN
    with pytest.raises(ValueError):
        static_html.build_html(fixture_dataset, fixture_timeline, tiles="google")


def test_sizes_of_the_shipped_data(real, tmp_path):
    """Measured, not guessed: the standalone page for the real data, with and without zones."""
    dataset, timeline, territory = real
    started = time.perf_counter()
    with_zones = static_html.html_bytes(dataset, timeline, territory, leaflet="inline")
    seconds = time.perf_counter() - started
    without = static_html.html_bytes(dataset, timeline, None, leaflet="inline")
    sizes = {
        "with_zones_bytes": len(with_zones),
        "without_zones_bytes": len(without),
        "build_seconds": round(seconds, 3),
        "days": len(timeline.days),
        "places": len(dataset.places),
        "distinct_zone_states": territory.distinct_states,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "static-html-sizes.json").write_text(json.dumps(sizes, indent=1))
    assert len(without) < len(with_zones) < 3 * 2**20  # comfortably small for any static host or CDN


def test_cli_export_html(tmp_path, capsys):
    from geo.cli.main import main
    from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES

    out = tmp_path / "map.html"
    assert main(["export-html", str(out), "--tiles", "none", "--events", str(FIXTURE_EVENTS), "--places", str(FIXTURE_PLACES)]) == 0
    assert "wrote" in capsys.readouterr().out
    data = static_html.embedded_data(out.read_text(encoding="utf-8"))
    assert data["tiles"] is None and data["zones"] is not None and len(data["days"]) == 11


# --- in the browser ------------------------------------------------------------------------------
class Offline(OfflinePage):
    """A page that may load only file:, data: and blob: URLs (and one local server when given)."""

    def __init__(self, browser, allowed: tuple[str, ...] = (), width: int = 1300, height: int = 850, bypass_csp: bool = False):
        super().__init__(browser, ("file:", *allowed), width, height, TIMEOUT_MS, bypass_csp=bypass_csp)

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_selector("html[data-ready='1']")
        return self.page

    def wait(self, expression: str, timeout_ms: int = TIMEOUT_MS) -> None:
        """Poll `expression` until true (page.wait_for_function evaluates strings, which the page's CSP forbids)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not self.page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {expression}")
            time.sleep(0.05)

    def wait_hash(self, hash_: str, timeout_ms: int = TIMEOUT_MS) -> None:
        """The view in the address, written once a gesture settles."""
        self.wait(f"location.hash === {json.dumps(hash_)}", timeout_ms)

    def wait_day(self, iso: str, timeout_ms: int = TIMEOUT_MS) -> None:
        """The day painted (at once, before the address follows)."""
        self.wait(f"document.documentElement.dataset.day === {json.dumps(iso)}", timeout_ms)

    def marker(self, place: str) -> str:
        return self.page.evaluate("p => (document.querySelector(`.syria-place[data-place='${p}']`) || {}).innerHTML || ''", place)

    def legend(self) -> dict[str, int]:
        return self.page.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('#legend td[data-faction]')]"
            ".map(td => [td.dataset.faction, +td.querySelector('b').textContent]))"
        )

    def zone_fills(self) -> set[str]:
        return set(
            self.page.evaluate(
                "() => [...document.querySelectorAll('.leaflet-syria-zones-pane path')]"
                ".map(p => (p.getAttribute('fill') || '').toUpperCase())"
                ".filter(f => f && f !== 'NONE')"
            )
        )

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))


def write_page(tmp_path: Path, dataset, timeline, territory=None, name: str = "map.html") -> Path:
    path = tmp_path / name
    path.write_text(static_html.build_html(dataset, timeline, territory), encoding="utf-8")
    return path


@pytest.mark.browser
def test_offline_file_slider_changes_the_colours(chromium, fixture_dataset, fixture_timeline, territory, tmp_path):
    path = write_page(tmp_path, fixture_dataset, fixture_timeline, territory)
    view = Offline(chromium)
    try:
        page = view.open(path.as_uri())
        assert page.evaluate("L.version") == "1.9.3"
        assert page.locator(".syria-place").count() == 4
        assert page.evaluate("document.documentElement.dataset.day") == "2024-12-06"  # the last day by default
        assert page.locator("#syria-day-label").inner_text() == "6 Dec 2024"
        assert f'fill="{HTS}"' in view.marker("aleppo")
        assert view.legend() == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
        assert "Local fighters seize the crossing." in page.locator("#changes").inner_text()
        view.shot("static-html-2024-12-06.png")

        # the slider: Home goes to the first day, every colour changes back to the government's
        page.focus("#syria-day")
        page.keyboard.press("Home")
        view.wait_hash("#date=2024-11-26")
        assert f'fill="{GOV}"' in view.marker("aleppo") and f'fill="{GOV}"' in view.marker("nassib_crossing")
        assert view.legend() == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
        assert view.zone_fills() == {GOV}
        assert "No recorded change" in page.locator("#changes").inner_text()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        view.wait_hash("#date=2024-11-30")
        assert f'fill="{HTS}"' in view.marker("aleppo") and f'fill="{GOV}"' in view.marker("hama")
        assert "#111111" in view.marker("aleppo")  # the "changed this day" ring
        assert view.legend() == {"gov": 3, "hts": 1, "sdf": 0, "south": 0}
        assert view.zone_fills() == {GOV, HTS}
        assert page.locator(".leaflet-syria-fronts-pane path[stroke-dasharray='7 4']").count() >= 1  # a front line

        # the buttons, and Shift+→ to the next day with changes
        page.get_by_role("button", name="Next day").click()
        view.wait_hash("#date=2024-12-01")
        assert "#111111" not in view.marker("aleppo")
        page.focus("#syria-day")
        page.keyboard.press("Shift+ArrowRight")
        view.wait_hash("#date=2024-12-05")
        assert 'fill-opacity="0.3"' in view.marker("hama")  # claimed: hollow
        page.locator("#zones").uncheck()
        assert view.zone_fills() == set()
        page.locator("#zones").check()
        assert view.zone_fills()

        # hover and click: the tooltip and the place's history
        page.locator(".syria-place[data-place='hama']").hover()
        page.locator(".leaflet-tooltip").wait_for()
        assert "claimed" in page.locator(".leaflet-tooltip").inner_text()
        page.locator(".syria-place[data-place='hama']").click()
        view.wait_hash("#date=2024-12-05&place=hama")
        history = page.locator(".leaflet-popup .history").inner_text()
        assert "Rebels say they took Hama." in history and "The Independent" in history

        # play runs the days on its own until stopped
        page.locator(".leaflet-popup-close-button").click()
        page.focus("#syria-day")
        page.keyboard.press("Home")
        page.select_option("#syria-speed", "1")
        page.locator("#syria-play").click()
        view.wait_day("2024-11-28")
        page.locator("#syria-play").click()  # pause
        stopped = page.evaluate("document.documentElement.dataset.day")
        view.wait_hash(f"#date={stopped}")
        time.sleep(1.5)
        assert page.evaluate("document.documentElement.dataset.day") == stopped

        # only map tiles were asked for outside the file, and nothing broke
        assert view.blocked and all("basemaps.cartocdn.com" in u for u in view.blocked), view.blocked
        assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
    finally:
        view.close()


@pytest.mark.browser
def test_a_link_with_a_date_opens_that_day(chromium, fixture_dataset, fixture_timeline, tmp_path):
    path = write_page(tmp_path, fixture_dataset, fixture_timeline)
    view = Offline(chromium)
    try:
        page = view.open(path.as_uri() + "#2024-11-29/aleppo")
        assert page.locator("#syria-day-label").inner_text() == "29 Nov 2024"
        assert page.locator("#syria-day").input_value() == "3"
        aleppo = view.marker("aleppo")
        assert f'fill="{GOV}"' in aleppo and f'stroke="{HTS}"' in aleppo  # held by the government, contested by HTS
        assert "Rebels enter Aleppo." in page.locator(".leaflet-popup .history").inner_text()
        page.evaluate("location.hash = '#2024-12-06'")  # a new link in the same tab
        view.wait("document.getElementById('syria-day-label').textContent === '6 Dec 2024'")
        assert f'fill="{HTS}"' in view.marker("aleppo")
        page.evaluate("location.hash = '#1999-01-01'")  # not a day of the data: ignored
        time.sleep(0.3)
        assert page.locator("#syria-day-label").inner_text() == "6 Dec 2024"
        page.evaluate("location.hash = '#date=2024-11-30&compare=2024-11-26'")  # the new form, with a comparison
        view.wait("document.getElementById('syria-day-label').textContent === '30 Nov 2024'")
        assert page.locator(".syria-compare-ring").count() == 1  # Aleppo changed hands between the two days
        assert "HTS gained 1" in page.locator("#compare-list").inner_text()
        page.go_back()  # Back: the view before
        view.wait("document.getElementById('syria-day-label').textContent === '6 Dec 2024'")
        assert page.locator(".syria-compare-ring").count() == 0
        assert not view.dialogs and not view.errors, (view.dialogs, view.errors)
    finally:
        view.close()


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["with-csp", "without-csp"])
def test_hostile_text_shows_literally_and_never_runs(chromium, hostile_dataset, tmp_path, csp):
    """With the page's CSP, and without it (bypassed), so escaping alone is shown to be enough."""
    pwn = "window.__pwned=1"
    ds = hostile_dataset
    places = dict(ds.places)
    places["hama"] = replace(places["hama"], aliases=(f'<img src=x onerror="{pwn}">',), name_ar=f"<svg onload={pwn}>")
    i = next(i for i, e in enumerate(ds.events) if e.place == "hama")
    evil = Source(f"<b onmouseover={pwn}>Outlet</b>", "click me", date(2024, 12, 5), url=f"javascript:{pwn}")
    events = list(ds.events)
    events[i] = replace(
        events[i], note=f"</script><script>{pwn}</script>", date_qualifier="`${" + pwn + "}`", sources=(evil, *events[i].sources)
    )
    factions = dict(ds.factions)
    factions["hts"] = replace(factions["hts"], short=f"<i onmouseover={pwn}>HTS</i>", colour="red;background:url(x)")
    dataset = replace(ds, places=places, events=tuple(events), factions=factions)
    timeline = Timeline(dataset)
    path = write_page(tmp_path, dataset, timeline, TerritoryModel(timeline))
    view = Offline(chromium, bypass_csp=csp == "without-csp")
    try:
        page = view.open(path.as_uri() + "#2024-12-05/hama")
        popup = page.locator(".leaflet-popup .history").inner_text()
        assert HOSTILE in popup and f'<img src=x onerror="{pwn}">' in popup and f"<svg onload={pwn}>" in popup
        assert f"<b onmouseover={pwn}>Outlet</b>" in popup and "click me" in popup
        changes = page.locator("#changes").inner_text()
        assert HOSTILE in changes and f"</script><script>{pwn}</script>" in changes
        legend = page.locator("#legend").inner_text()
        assert f"<i onmouseover={pwn}>HTS</i>" in legend and HOSTILE in legend
        assert page.title() == dataset.title
        page.locator(".syria-place[data-place='hama']").hover()
        page.locator(".leaflet-tooltip").wait_for()
        assert HOSTILE in page.locator(".leaflet-tooltip").inner_text()
        # nothing became markup, no link but http(s), nothing ran
        for selector in ("img[src='x']", "svg[onload]", "b[onmouseover]", "i[onmouseover]", "[onerror]"):
            assert page.locator(selector).count() == 0, selector
        assert page.locator("script").count() == path.read_text(encoding="utf-8").count("<script")  # none added
        hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs), hrefs  # "#": Leaflet's buttons
        assert page.get_by_text("click me").first.evaluate("n => n.closest('a') === null")
        colours = page.evaluate("() => [...document.querySelectorAll('#legend .swatch')].map(s => s.style.background)")
        assert not any("url" in c for c in colours)  # the bad colour became the neutral grey
        page.get_by_role("button", name="Previous day").click()
        page.get_by_role("button", name="Next day").click()
        time.sleep(0.3)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert not view.dialogs, view.dialogs
        assert not view.errors, view.errors
        view.shot(f"static-html-hostile-{csp}.png")
    finally:
        view.close()


@pytest.mark.browser
def test_served_by_a_static_host_it_asks_for_one_file(chromium, fixture_dataset, fixture_timeline, territory, tmp_path):
    write_page(tmp_path, fixture_dataset, fixture_timeline, territory)
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    view = Offline(chromium, allowed=(base,), width=390, height=844)
    try:
        page = view.open(base + "map.html#2024-11-30")
        assert f'fill="{HTS}"' in view.marker("aleppo")
        assert [u for u in view.requests if u.startswith(base)] == [base + "map.html"]  # everything else is inside it
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, f"the page is {width}px wide on a 390px phone"
        view.shot("static-html-phone-390.png")
        assert not view.errors, view.errors
    finally:
        view.close()
        server.shutdown()
        server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


def test_the_page_draws_syrias_outline(fixture_dataset, fixture_timeline):
    scripts = [text for attrs, text in parse(static_html.build_html(fixture_dataset, fixture_timeline)).scripts if not attrs]
    assert any("L.geoJson(" in text and '"syria-outline"' in text for text in scripts)


@pytest.mark.browser
def test_the_outline_and_the_credits_beside_the_scale_offline(chromium, fixture_dataset, fixture_timeline, tmp_path):
    path = write_page(tmp_path, fixture_dataset, fixture_timeline, name="outline.html")
    view = Offline(chromium)
    try:
        page = view.open(path.as_uri())
        assert page.locator(".leaflet-syria-outline-pane path").count() == 1
        for width in (1400, 700, 390):
            page.set_viewport_size({"width": width, "height": 900})
            credits, scale = (page.locator(css).bounding_box() for css in (".leaflet-control-attribution", ".leaflet-control-scale"))
            assert credits is not None and scale is not None
            beside = credits["x"] >= scale["x"] + scale["width"]
            apart = credits["y"] >= scale["y"] + scale["height"] or scale["y"] >= credits["y"] + credits["height"]
            assert beside or apart, (width, credits, scale)
    finally:
        view.close()
