"""The map in Chromium, for `python -m geo bench` (benchmarks/bench.py): the dashboard whose map moves the day in
the browser, side by side with the round-trip dashboard it replaced (benchmarks/roundtrip_app.py, the baseline) and
with folium's own TimeSliderChoropleth on the same zones.

Everything is offline but for the app's own server (map tiles fail). What each function measures:

- `bench_app`: server start to the first map painted; the repaint after a day change, timed in the page (the map
  application's own clock around its paint, median and p95 of moves to random days); the bytes on the network
  while the slider is dragged (HTTP and websocket, per move) and per settle (the one rerun after a gesture); play
  at 30 days a second (days shown per second); the page's JS heap (map page included); the server's CPU per
  viewer per minute of scrubbing (drag gestures with a settle every ~1.5 s); the map's page gzipped.
- `bench_baseline`: the round-trip dashboard: cold start, "Next day with events" clicked to the markers replaced,
  the websocket bytes of that move, and the server's CPU per minute of stepping a day a second.
- `bench_choropleth`: folium.plugins.TimeSliderChoropleth with the same cells and a colour per cell per day: its
  HTML, and the repaint after its slider moves (its d3, moment and jQuery from node_modules, routed in).
"""

from __future__ import annotations

import gzip
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.chromium import MAP_FRAME, ROUNDTRIP_FRAME, ROUNDTRIP_FRAME_URL, Wire, headless_chromium, map_frame
from tests.support.streamlit_server import Server

REPO = Path(__file__).resolve().parent.parent
KIB = 1024
ROUNDTRIP_APP = REPO / "benchmarks" / "roundtrip_app.py"
NODE = REPO / "node_modules"
CDN_FILES = {  # what TimeSliderChoropleth and folium load from CDNs, served from node_modules instead
    "https://d3js.org/d3.v4.min.js": NODE / "d3" / "build" / "d3.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": NODE / "moment" / "min" / "moment.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": NODE / "jquery" / "dist" / "jquery.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": NODE / "leaflet" / "dist" / "leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": NODE / "leaflet" / "dist" / "leaflet.css",
}
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _memory_mib(pid: int) -> tuple[float | None, float | None]:
    """(resident, peak resident) of a process in MiB, from /proc (Linux)."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return None, None


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _drag(page, box: dict, moves: int, start_frac: float, end_frac: float) -> None:
    y = box["y"] + box["height"] / 2
    x0, x1 = box["x"] + 8 + (box["width"] - 16) * start_frac, box["x"] + 8 + (box["width"] - 16) * end_frac
    page.mouse.move(x0, y)
    page.mouse.down()
    for i in range(1, moves + 1):
        page.mouse.move(x0 + (x1 - x0) * i / moves, y)
    page.mouse.up()


def bench_app(files, result, runs: int, say: Callable[[str], None], timeout_s: float, offline_args) -> None:
    from geo.reading.loader import load_dataset
    from geo.timeline.control import Timeline

    days = len(Timeline(load_dataset(files.events, files.places)).days)
    rng = random.Random(11)
    with headless_chromium(offline_args) as browser:
        result.facts["browser"] = f"Chromium {browser.version} (headless)"
        for run in range(runs):
            with Server(files.events, files.places, f"{files.name}-app-{run}", startup_s=timeout_s) as server:
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                page = context.new_page()
                page.set_default_timeout(timeout_s * 1000)
                wire = Wire(page)
                page.goto(f"{server.url}/")
                page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
                result.metric("cold_start", "s").add(time.perf_counter() - server.started)
                frame = map_frame(page, timeout_s)
                page.wait_for_timeout(1000)
                # repaint, timed by the page, through the slider's own input event: as a drag moves (steps of 1-3 days),
                # then jumps to random days (the worst case: most places change)
                start = rng.randrange(days)
                for key, targets in (
                    ("repaint", [(start + sum(rng.randint(1, 3) for _ in range(i))) % days for i in range(60)]),
                    ("repaint_jump", [rng.randrange(days) for _ in range(60)]),
                ):
                    frame.evaluate("() => { window.SyriaMapApp.repaints.length = 0; }")
                    frame.evaluate(
                        """(targets) => { const s = document.getElementById('syria-day');
                        for (const d of targets) { s.value = String(d); s.dispatchEvent(new Event('input')); } }""",
                        targets,
                    )
                    paints = frame.evaluate("window.SyriaMapApp.repaints.slice()")
                    result.metric(key, "ms").add(statistics.median(paints))
                    result.metric(f"{key}_p95", "ms").add(p95(paints))
                wire.start()
                wire.quiet(page)  # the settle of those moves, and its rerun
                # scrubbing by mouse: nothing on the network until the gesture settles
                box = frame.locator("#syria-day").bounding_box()
                wire.start()
                _drag(page, box, 30, 0.1, 0.9)
                result.metric("scrub_bytes", "KiB").add(wire.kib() / 30 if wire.frames or wire.requests else 0.0)
                wire.start()
                page.wait_for_timeout(1000)  # the settle (350 ms after the last move) and its rerun, until the wire is quiet
                wire.quiet(page)
                result.metric("settle_bytes", "KiB").add(wire.kib())
                # play at 30 days a second
                frame.locator("#syria-speed").select_option("30")
                frame.locator("#syria-day").focus()
                page.keyboard.press("Home")
                frame.locator("#syria-play").click()
                # days painted per second, by the page's clock between the first and the last day painted
                rate = frame.evaluate("""() => new Promise(done => { const log = window.SyriaMapApp.playLog; log.length = 0;
                    setTimeout(() => { const a = log[0], b = log[log.length - 1];
                      done(log.length > 1 ? (b[1] - a[1]) / ((b[0] - a[0]) / 1000) : 0); }, 1500); })""")
                frame.evaluate("window.SyriaMapApp.stop()")
                result.metric("play_fps", "days/s").add(rate)
                page.wait_for_timeout(1000)
                # the page's memory
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                heap = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}.get("JSHeapUsedSize")
                result.metric("page_heap", "MiB").add(heap / KIB / KIB if heap else None)
                # the server's CPU per viewer per minute of scrubbing
                before, began = cpu_seconds(server.proc.pid), time.perf_counter()
                while time.perf_counter() - began < 12:
                    a = rng.random() * 0.8
                    _drag(page, box, 12, a, a + 0.15)
                    page.wait_for_timeout(1500)
                spent = cpu_seconds(server.proc.pid) - before
                result.metric("cpu_minute", "s").add(spent * 60 / (time.perf_counter() - began))
                rss, peak = _memory_mib(server.proc.pid)
                result.metric("rss", "MiB").add(rss)
                result.metric("peak_rss", "MiB").add(peak)
                context.close()
                shown = REPO / "static" / "maps" / frame.url.split("/app/static/maps/")[1].split("#")[0]  # the page it showed
                result.metric("map_gz", "KiB").add(len(gzip.compress(shown.read_bytes())) / KIB)
            say(
                f"  browser run {run + 1}: cold start {result.metrics['cold_start'].samples[-1]:.2f} s, repaint "
                f"{result.metrics['repaint'].text()} (p95 {result.metrics['repaint_p95'].text()}), settle "
                f"{result.metrics['settle_bytes'].text()}, play {result.metrics['play_fps'].text()}"
            )


def bench_baseline(files, result, runs: int, moves: int, say: Callable[[str], None], timeout_s: float, offline_args) -> None:
    from geo.reading.loader import load_dataset

    first_day = load_dataset(files.events, files.places).baseline_date
    with headless_chromium(offline_args) as browser:
        for run in range(runs):
            with Server(files.events, files.places, f"{files.name}-base-{run}", startup_s=timeout_s, app=ROUNDTRIP_APP) as server:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.set_default_timeout(timeout_s * 1000)
                wire = Wire(page)
                page.goto(f"{server.url}/?date={first_day.isoformat()}")
                page.frame_locator(ROUNDTRIP_FRAME).locator(".syria-place").first.wait_for(state="attached")
                result.metric("base_cold", "s").add(time.perf_counter() - server.started)
                frame = next(f for f in page.frames if ROUNDTRIP_FRAME_URL in f.url)
                page.wait_for_timeout(1000)
                for _ in range(moves):
                    button = page.get_by_role("button", name="Next day with events", exact=True)
                    if button.is_disabled():
                        break
                    frame.evaluate("() => document.querySelectorAll('.syria-place').forEach(e => e.dataset.old = '1')")
                    wire.start()
                    clicked = time.perf_counter()
                    button.click()
                    frame.wait_for_function(
                        "() => document.querySelector('.syria-place:not([data-old])') !== null"
                        " && document.querySelector('.syria-place[data-old]') === null"
                    )
                    result.metric("base_move", "ms").add((time.perf_counter() - clicked) * 1000)
                    page.wait_for_timeout(300)
                    result.metric("base_bytes", "KiB").add(wire.kib())
                before, began = cpu_seconds(server.proc.pid), time.perf_counter()
                step = 0
                while time.perf_counter() - began < 12:  # a day a second, back and forth
                    page.get_by_role("button", name="Next day" if step % 2 == 0 else "Previous day", exact=True).click()
                    step += 1
                    page.wait_for_timeout(1000)
                spent = cpu_seconds(server.proc.pid) - before
                result.metric("base_cpu_minute", "s").add(spent * 60 / (time.perf_counter() - began))
                context.close()
            say(
                f"  baseline run {run + 1}: cold start {result.metrics['base_cold'].samples[-1]:.2f} s, "
                f"move {result.metrics['base_move'].text()}, {result.metrics['base_bytes'].text()} per move"
            )


def choropleth_html(territory) -> str:
    """folium's TimeSliderChoropleth on the map's own cells: a colour per cell per day."""
    import folium
    import numpy as np
    import shapely
    from folium.plugins import TimeSliderChoropleth
    from shapely.geometry import mapping

    from geo.territory.zones import to_lonlat
    from geo.view.look import faction_colour

    tess, timeline, dataset = territory.tessellation, territory.timeline, territory.dataset
    cells = list(shapely.coverage_simplify(list(tess.cells), 1000.0))
    features = [
        {
            "type": "Feature",
            "id": str(i),
            "properties": {},
            "geometry": mapping(shapely.transform(to_lonlat(g), lambda xy: np.round(xy, 4))),
        }
        for i, g in enumerate(cells)
        if not g.is_empty
    ]
    stamps = [str(int(time.mktime(day.timetuple()))) for day in timeline.days]
    styles: dict[str, dict[str, dict]] = {f["id"]: {} for f in features}
    for day, stamp in zip(timeline.days, stamps, strict=True):
        state = timeline.state_on(day)
        for f in features:
            holder = state[tess.site_places[int(f["id"])][0]].controller
            styles[f["id"]][stamp] = {"color": faction_colour(dataset.factions, holder), "opacity": 0.4}
    m = folium.Map(location=[35.0, 38.5], zoom_start=7, tiles=None)
    TimeSliderChoropleth({"type": "FeatureCollection", "features": features}, styledict=styles).add_to(m)
    return m.get_root().render()


def bench_choropleth(territory, result, workdir: Path, say: Callable[[str], None], timeout_s: float, offline_args) -> None:
    if not all(p.is_file() for p in CDN_FILES.values()):
        result.notes.append("TimeSliderChoropleth: d3, moment or jQuery missing from node_modules (npm ci)")
        return
    page_html = choropleth_html(territory)
    result.metric("tsc_bytes", "KiB").add(len(page_html.encode()) / KIB)
    path = workdir / "time_slider_choropleth.html"
    path.write_text(page_html, encoding="utf-8")
    with headless_chromium(offline_args) as browser:
        context = browser.new_context(viewport={"width": 1440, "height": 900})

        def route(r):
            local = CDN_FILES.get(r.request.url)
            if local is not None:
                r.fulfill(path=str(local))
            elif r.request.url.startswith("file:"):
                r.continue_()
            else:
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.set_default_timeout(timeout_s * 1000)
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelector('input[type=range]') !== null && document.querySelectorAll('path').length > 0")
        times = page.evaluate("""() => { const s = document.querySelector('input[type=range]'); const n = +s.max + 1; const out = [];
            for (let i = 0; i < 60; i++) { s.value = String(Math.floor(Math.random() * n)); const t0 = performance.now();
              s.dispatchEvent(new Event('input')); out.push(performance.now() - t0); } return out; }""")
        result.metric("tsc_repaint", "ms").add(statistics.median(times))
        result.metric("tsc_repaint_p95", "ms").add(p95(times))
        context.close()
    say(f"  TimeSliderChoropleth: {result.metrics['tsc_bytes'].text()}, repaint {result.metrics['tsc_repaint'].text()}")
