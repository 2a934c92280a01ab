"""Many viewers on one server, checked against the engine: the harness of the load test (benchmarks/load_test.py,
its command line) and of the tests that run it at a size CI can afford (tests/test_many_viewers.py,
test_live_edit.py, test_hostile_links.py).

- `Engine`: what the engine (geo.timeline.control.Timeline) says a day must look like;
- `WsViewer`: a raw Streamlit websocket client (the browser's protocol: BackMsg / ForwardMsg protobufs over
  /_stcore/stream), whose every script run's legend and map layer are checked against the engine;
- the scenarios: `concurrent_browsers` (pages at once in one headless Chromium), `concurrent_websockets`,
  `sequential_sessions` (memory: sessions do not leak), `clears_and_edits` (clear_cache messages and data edits);
- `Results`, `percentiles` and `table`: their latencies and errors.
"""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from geo.base.model import Dataset
from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline
from geo.view import present
from geo.view.look import day_label, faction_colour
from tests.support.chromium import LOCAL_SCHEMES, MAP_FRAME, MAP_FRAME_URL, launch
from tests.support.roundtrip import controls
from tests.support.streamlit_server import Server

# many pages at once, all in the background: keep their timers and renderers running
BACKGROUND_PAGE_ARGS = (
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
)


# --- what the engine says a day must look like ----------------------------------------------
@dataclass(frozen=True)
class Expected:
    day: date
    counts: dict[str, int]  # places per faction, as the legend shows them
    holders: dict[str, str]  # place id -> controlling faction, as the map's places layer has them
    colours: dict[str, str]  # place id -> the holder's colour (the marker's fill)
    label: str  # the day's heading, e.g. "6 Dec 2024"

    @property
    def query(self) -> str:
        return f"date={self.day.isoformat()}"


class Engine:
    """Expectations for every day, from the same data files the server reads."""

    def __init__(self, dataset: Dataset):
        self.dataset, self.timeline = dataset, Timeline(dataset)
        self.days = self.timeline.days

    def expected(self, day: date) -> Expected:
        ds, tl = self.dataset, self.timeline
        state = tl.state_on(day)
        holders = {pid: state[pid].controller for pid in ds.places}
        colours = {pid: faction_colour(ds.factions, c) for pid, c in holders.items()}
        # the legend's rows: a faction merged into another is gone from it the day after (present.legend_rows)
        counts = {row.faction: row.count for row in present.legend_rows(ds, tl, day)}
        return Expected(day, counts, holders, colours, day_label(day))

    def step(self, day: date, action: str) -> date:
        if action in ("slider_left", "slider_right"):
            return self.timeline.clamp(day + timedelta(days=1 if action == "slider_right" else -1))
        return controls.step_day(self.timeline, day, action)


def load_engine(events: Path, places: Path) -> Engine:
    return Engine(load_dataset(events, places))


# --- a Streamlit websocket client -------------------------------------------------------------
LEGEND_COUNT = re.compile(r'data-faction="([a-z0-9_]+)"><b>(\d+)</b>')


@dataclass
class View:
    """What one script run sent: the page as the browser would build it."""

    elements: dict[tuple, object] = field(default_factory=dict)  # delta path -> Element proto
    query: str | None = None
    latency_s: float = 0.0

    def of_type(self, kind: str) -> list:
        return [getattr(e, kind) for e in self.elements.values() if e.WhichOneof("type") == kind]

    def markdown(self) -> list[str]:
        return [m.body for m in self.of_type("markdown")]

    def legend(self) -> dict[str, int]:
        blocks = [b for b in self.markdown() if "syria-legend" in b]
        return {f: int(n) for f, n in LEGEND_COUNT.findall(blocks[0])} if blocks else {}

    def heading(self) -> str | None:
        found = [h.body for h in self.of_type("heading") if h.tag == "h3"]
        return found[0] if found else None

    def alerts(self, fmt: int) -> list[str]:
        return [a.body for a in self.of_type("alert") if a.format == fmt]

    def warnings(self) -> list[str]:
        return self.alerts(2)

    def errors(self) -> list[str]:
        return self.alerts(1)

    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of_type("exception")]

    def code(self) -> list[str]:
        return [c.code_text for c in self.of_type("code")]

    def map_view(self) -> dict | None:
        """What the run told the map component (dashboard/web/host.js): the page's URL and the view."""
        found = [c for c in self.of_type("bidi_component") if c.component_name == "syria_map"]
        return json.loads(found[0].json) if found else None

    def map_id(self) -> str:
        found = [c for c in self.of_type("bidi_component") if c.component_name == "syria_map"]
        if not found:
            raise KeyError("no map component in this run")
        return found[0].id


def check_view(view: View, exp: Expected) -> list[str]:
    """Everything in a script run that must agree with the engine for `exp.day`; [] when it all does."""
    problems = []
    if view.exceptions():
        problems.append(f"exception: {view.exceptions()}")
    if view.errors():
        problems.append(f"error: {view.errors()[0][:100]}")
    if view.query != exp.query:
        problems.append(f"link {view.query!r} != {exp.query!r}")
    if view.heading() != exp.label:
        problems.append(f"heading {view.heading()!r} != {exp.label!r}")
    if view.legend() != exp.counts:
        problems.append(f"legend {view.legend()} != {exp.counts}")
    shown = (view.map_view() or {}).get("day")
    if shown != exp.day.isoformat():
        problems.append(f"map day {shown!r} != {exp.day.isoformat()!r}")
    return problems


class WsViewer:
    """One browser tab's worth of Streamlit protocol: open a link, then move the day as the map does when a gesture
    settles (dashboard/web/host.js sets the map component's "view" state).

    Every call returns the View of the script run it caused (all its elements, the link it left)."""

    def __init__(self, ws, timeout_s: float):
        self.ws, self.timeout_s = ws, timeout_s
        self.query = ""
        self.last: View | None = None

    @classmethod
    async def open(cls, ws_url: str, query: str = "", timeout_s: float = 60) -> WsViewer:
        import websockets

        ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout_s)
        viewer = cls(ws, timeout_s)
        viewer.query = query
        return viewer

    async def close(self) -> None:
        await self.ws.close()

    async def rerun(self, widget_states: Iterable = ()) -> View:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.widget_states.widgets.extend(widget_states)
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        view = View(query=self.query)
        while True:
            data = await asyncio.wait_for(self.ws.recv(), self.timeout_s)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                view.elements[tuple(fwd.metadata.delta_path)] = fwd.delta.new_element
            elif kind == "page_info_changed":
                view.query = self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                if fwd.script_finished == fwd.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows at once
                    continue
                view.latency_s = time.perf_counter() - started
                self.last = view
                return view

    async def load(self) -> View:
        return await self.rerun()

    async def clear_cache(self) -> View:
        """Streamlit's *Clear cache* message, then a rerun (as its menu's "Clear cache" does). Any client may send it:
        it empties every st.cache_data and st.cache_resource of the server, and this session's state."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.clear_cache = True
        await self.ws.send(msg.SerializeToString())
        return await self.rerun()

    async def set_day(self, day: date) -> View:
        """The map settled on `day`: the component's state, as the browser sends it."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        assert self.last is not None, "load() first"
        state = WidgetState(id=self.last.map_id(), json_value=json.dumps({"view": {"day": day.isoformat(), "compare": None}}))
        return await self.rerun([state])


async def ws_walk(
    ws_url: str,
    engine: Engine,
    start: date,
    actions: list[str | date],
    record: Callable[[str, float, list[str]], None],
    timeout_s: float = 60,
) -> None:
    """One websocket viewer: open ?date=start, then each action ("next", "prev", "next_event", or a date
    for the slider); record(kind, latency_s, problems) after every run."""
    viewer = await WsViewer.open(ws_url, f"date={start.isoformat()}", timeout_s)
    try:
        view = await viewer.load()
        day = start
        record("open", view.latency_s, check_view(view, engine.expected(day)))
        for action in actions:
            day = engine.timeline.clamp(action) if isinstance(action, date) else engine.step(day, action)
            view = await viewer.set_day(day)
            record("move", view.latency_s, check_view(view, engine.expected(day)))
    finally:
        await viewer.close()


# --- results ----------------------------------------------------------------------------------
@dataclass
class Results:
    """Latencies and errors of one scenario (thread-safe enough: list.append)."""

    name: str
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    wall_s: float = 0.0
    server_cpu_s: float = 0.0
    script_runs: int = 0

    def record(self, kind: str, latency_s: float, problems: list[str], who: str = "") -> None:
        self.latencies_ms.setdefault(kind, []).append(latency_s * 1000)
        self.errors.extend(f"{who}{kind}: {p}" for p in problems)

    def cpu_per_run_ms(self) -> float | None:
        return round(1000 * self.server_cpu_s / self.script_runs, 1) if self.script_runs else None

    def measure(self, server: Server):
        """with results.measure(server): ... -> wall time, server CPU and script runs of the block."""
        return _Measure(self, server)

    def count(self, kind: str) -> int:
        return len(self.latencies_ms.get(kind, []))

    def summary(self) -> dict:
        out = {
            "scenario": self.name,
            "wall_s": round(self.wall_s, 1),
            "server_cpu_s": round(self.server_cpu_s, 1),
            "script_runs": self.script_runs,
            "server_cpu_ms_per_run": self.cpu_per_run_ms(),
            "errors": len(self.errors),
            "error_samples": self.errors[:10],
        }
        for kind, values in self.latencies_ms.items():
            out[kind] = percentiles(values)
        out.update(self.extra)
        return out


class _Measure:
    def __init__(self, results: Results, server: Server):
        self.results, self.server = results, server

    def __enter__(self):
        self.started, self.cpu, self.runs = time.perf_counter(), self.server.cpu_s(), self.server.script_runs()

    def __exit__(self, *exc):
        self.results.wall_s = time.perf_counter() - self.started
        self.results.server_cpu_s = self.server.cpu_s() - self.cpu
        self.results.script_runs = self.server.script_runs() - self.runs


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))], 1)

    return {"n": len(values), "p50": round(statistics.median(ordered), 1), "p95": pick(0.95), "max": round(ordered[-1], 1)}


def table(results: list[Results]) -> str:
    rows = [("scenario", "what", "n", "p50 ms", "p95 ms", "max ms", "errors", "wall s", "server CPU s", "runs", "CPU ms/run")]
    for r in results:
        kinds = r.latencies_ms or {"-": []}
        for i, kind in enumerate(kinds):
            p = percentiles(r.latencies_ms.get(kind, []))
            rows.append(
                (
                    r.name if i == 0 else "",
                    kind,
                    str(p["n"]),
                    str(p.get("p50", "-")),
                    str(p.get("p95", "-")),
                    str(p.get("max", "-")),
                    str(len(r.errors)) if i == 0 else "",
                    f"{r.wall_s:.1f}" if i == 0 else "",
                    f"{r.server_cpu_s:.1f}" if i == 0 else "",
                    str(r.script_runs) if i == 0 else "",
                    str(r.cpu_per_run_ms() or "-") if i == 0 else "",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))) for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_async(coro):
    """Run a coroutine to completion in a fresh thread with its own event loop (safe next to
    Playwright's sync API, which keeps a loop of its own in the calling thread)."""
    box: dict = {}

    def target():
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller
            box["error"] = exc

    thread = threading.Thread(target=target, name="load-test")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


# --- scenario: concurrent websocket viewers ------------------------------------------------
def day_walk(engine: Engine, index: int, moves: int) -> tuple[date, list]:
    """A start day and a list of moves for viewer number `index`: different for each viewer, always
    inside the data, mixing the buttons and the slider."""
    days = engine.days
    start = days[(index * 3) % len(days)]
    pattern = ["next", "next", "prev", "slider", "next_event", "next", "prev", "prev"]
    actions: list = []
    day = start
    for i in range(moves):
        action = pattern[(i + index) % len(pattern)]
        if action == "next" and day >= engine.timeline.last_day:
            action = "prev"
        if action == "prev" and day <= engine.timeline.first_day:
            action = "next"
        if action == "next_event" and engine.timeline.next_event_day(day) is None:
            action = "prev"
        if action == "slider":
            action = days[(index * 7 + i * 5) % len(days)]
            day = action
        else:
            day = engine.step(day, action)
        actions.append(action)
    return start, actions


def concurrent_websockets(server: Server, engine: Engine, viewers: int, moves: int, timeout_s: float = 120) -> Results:
    results = Results(f"{viewers} websocket viewers at once")

    async def main():
        async def one(i: int):
            start, actions = day_walk(engine, i, moves)
            try:
                await ws_walk(
                    server.ws_url, engine, start, actions, lambda kind, s, problems: results.record(kind, s, problems, f"ws{i} "), timeout_s
                )
            except Exception as exc:
                results.errors.append(f"ws{i}: {type(exc).__name__}: {exc}")

        await asyncio.gather(*(one(i) for i in range(viewers)))

    with results.measure(server):
        run_async(main())
    return results


# --- scenario: sessions one after another, memory ---------------------------------------------
def sequential_sessions(
    server: Server, engine: Engine, sessions: int, warmup: int, sample_every: int = 50, progress: Callable[[str], None] | None = None
) -> Results:
    """`warmup` sessions, then `sessions` more one after another; each opens a link, clicks Next day and
    closes. RSS is sampled after the warm-up, every `sample_every` sessions and at the end."""
    results = Results(f"{sessions} sessions one after another")
    samples: list[tuple[int, float]] = []

    async def one(i: int) -> None:
        days = engine.days
        start = days[i % max(1, len(days) - 1)]  # never the last day: Next day must move
        try:
            await ws_walk(server.ws_url, engine, start, ["next"], lambda kind, s, problems: results.record(kind, s, problems, f"s{i} "))
        except Exception as exc:
            results.errors.append(f"s{i}: {type(exc).__name__}: {exc}")

    async def main():
        for i in range(warmup):
            await one(i)
        await asyncio.sleep(1.0)
        samples.append((0, server.rss_mb()))
        for i in range(1, sessions + 1):
            await one(warmup + i)
            if i % sample_every == 0 or i == sessions:
                samples.append((i, server.rss_mb()))
                if progress:
                    progress(f"  {i} sessions: RSS {samples[-1][1]:.1f} MB")
        await asyncio.sleep(1.0)
        samples.append((sessions, server.rss_mb()))

    with results.measure(server):
        run_async(main())
    metrics = server.metrics()
    after_warmup, final = samples[0][1], samples[-1][1]
    results.extra = {
        "warmup_sessions": warmup,
        "rss_after_warmup_mb": round(after_warmup, 1),
        "rss_final_mb": round(final, 1),
        "rss_growth_mb": round(final - after_warmup, 1),
        "rss_peak_mb": round(max(v for _, v in samples), 1),
        "rss_samples": [(n, round(v, 1)) for n, v in samples],
        "active_sessions_after": metrics.get("active_sessions"),
        "sessions_connected_total": metrics.get('session_events_total{type="connect"}'),
        "sessions_disconnected_total": metrics.get('session_events_total{type="disconnect"}'),
    }
    return results


# --- scenario: clear_cache messages and data edits, memory ---------------------------------------
def clears_and_edits(
    server: Server,
    engine: Engine,
    events: Path,
    rounds: int,
    warmup: int,
    edit_every: int = 5,
    sample_every: int = 25,
    progress: Callable[[str], None] | None = None,
) -> Results:
    """One viewer sends Streamlit's clear_cache message and reruns, `warmup` times and then `rounds` times more; every
    `edit_every`-th time the events file is saved with new bytes first (a comment appended: a new version of the data
    for the server, to be parsed and built anew, with the same view). Every run is checked against the engine. RSS is
    sampled after the warm-up (the data store full, every version's map page written once), every `sample_every`
    rounds and at the end. `events` must be the file the server reads, and a copy: it is edited."""
    results = Results(f"{rounds} clear_cache messages, " + (f"an edit every {edit_every}" if edit_every else "no edits"))
    samples: list[tuple[int, float]] = []
    original = events.read_bytes()
    edits = 0
    edit_every = edit_every or warmup + rounds + 1  # 0: no edits

    def edit() -> None:
        nonlocal edits
        edits += 1
        events.write_bytes(original + f"\n# load test edit {edits}\n".encode())

    async def main():
        days = engine.days
        day = days[len(days) // 2]
        viewer = await WsViewer.open(server.ws_url, f"date={day.isoformat()}")
        try:
            view = await viewer.load()
            results.record("open", view.latency_s, check_view(view, engine.expected(day)))
            for i in range(1, warmup + rounds + 1):
                if i % edit_every == 0:
                    edit()
                view = await viewer.clear_cache()
                results.record("clear", view.latency_s, check_view(view, engine.expected(day)), f"round {i} ")
                if i == warmup or (i > warmup and ((i - warmup) % sample_every == 0 or i == warmup + rounds)):
                    await asyncio.sleep(0.2)
                    samples.append((i - warmup, server.rss_mb()))
                    if progress:
                        progress(f"  {i - warmup} rounds: RSS {samples[-1][1]:.1f} MB")
        finally:
            await viewer.close()
            events.write_bytes(original)

    with results.measure(server):
        run_async(main())
    after_warmup, final = samples[0][1], samples[-1][1]
    results.extra = {
        "warmup_rounds": warmup,
        "rounds": rounds,
        "edits": edits,
        "rss_after_warmup_mb": round(after_warmup, 1),
        "rss_final_mb": round(final, 1),
        "rss_growth_mb": round(final - after_warmup, 1),
        "rss_peak_mb": round(max(v for _, v in samples), 1),
        "rss_samples": [(n, round(v, 1)) for n, v in samples],
    }
    return results


# --- scenario: concurrent browser pages -------------------------------------------------------
# the map's own date control, in its frame: a button, or a key on its slider
BROWSER_ACTIONS = {
    "next": ("#syria-next", None),
    "prev": ("#syria-prev", None),
    "next_event": ("#syria-day", "Shift+ArrowRight"),
    "slider_left": ("#syria-day", "ArrowLeft"),
    "slider_right": ("#syria-day", "ArrowRight"),
}

VIEW_JS = """([day, label, counts]) => {
    if (!location.search.includes('date=' + day)) return false;
    const h = [...document.querySelectorAll('h3')].map(e => e.textContent.trim());
    if (!h.includes(label)) return false;
    const cells = document.querySelectorAll('.syria-legend td[data-faction]');
    if (cells.length !== Object.keys(counts).length) return false;
    for (const c of cells) {
        const b = c.querySelector('b');
        if (!b || Number(b.textContent) !== counts[c.getAttribute('data-faction')]) return false;
    }
    return true;
}"""

MAP_JS = """(colours) => {
    const els = document.querySelectorAll('.syria-place');
    if (els.length !== Object.keys(colours).length) return false;
    for (const el of els) {
        const want = colours[el.getAttribute('data-place')];
        if (!want || !el.innerHTML.includes('fill="' + want + '"')) return false;
    }
    return true;
}"""

SEEN_JS = """() => ({url: location.search, h3: [...document.querySelectorAll('h3')].map(e => e.textContent.trim()),
    legend: Object.fromEntries([...document.querySelectorAll('.syria-legend td[data-faction]')].map(
        c => [c.getAttribute('data-faction'), (c.querySelector('b') || {}).textContent]))})"""


def browser_actions(engine: Engine, index: int, moves: int) -> tuple[date, list[str]]:
    """Start day and moves for browser page `index`: buttons and the slider's arrow keys."""
    days = engine.days
    start = days[(index * 3 + 1) % len(days)]
    pattern = ["next", "slider_left", "next", "next_event", "prev", "slider_right", "prev", "next"]
    actions, day = [], start
    for i in range(moves):
        action = pattern[(i + index) % len(pattern)]
        if action in ("next", "slider_right") and day >= engine.timeline.last_day:
            action = "prev"
        if action in ("prev", "slider_left") and day <= engine.timeline.first_day:
            action = "next"
        if action == "next_event" and engine.timeline.next_event_day(day) is None:
            action = "prev"
        day = engine.step(day, action)
        actions.append(action)
    return start, actions


def offline_route(base_url: str):
    """A context route that lets through only the app's own server (map tiles fail: the map is offline)."""

    async def route(r):
        if r.request.url.startswith((base_url, *LOCAL_SCHEMES)):
            await r.continue_()
        else:
            await r.abort()

    return route


class Gate:
    """Opens once `n` callers have arrived: each calls arrive() exactly once (in a finally), then waits on `open`."""

    def __init__(self, n: int):
        self.n, self.arrived, self.open = n, 0, asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.n:
            self.open.set()


async def _browser_page(
    context,
    server: Server,
    engine: Engine,
    index: int,
    moves: int,
    results: Results,
    timeout_ms: int,
    start_gate: asyncio.Event,
    all_open: Gate,
    opening: asyncio.Semaphore,
) -> None:
    dialogs: list[str] = []
    page_errors: list[str] = []
    who = f"page{index} "
    page = await context.new_page()
    try:
        page.set_default_timeout(timeout_ms)
        page.on("dialog", lambda d: (dialogs.append(d.message), asyncio.ensure_future(d.dismiss())))
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        await start_gate.wait()
        start, actions = browser_actions(engine, index, moves)

        async def wait_view(day: date, began: float, kind: str) -> None:
            exp = engine.expected(day)
            try:
                await page.wait_for_function(VIEW_JS, arg=[day.isoformat(), exp.label, exp.counts], timeout=timeout_ms)
                await page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached", timeout=timeout_ms)
                map_frame = next(f for f in page.frames if MAP_FRAME_URL in f.url)
                await map_frame.wait_for_function(MAP_JS, arg=exp.colours, timeout=timeout_ms)
            except Exception as exc:
                try:
                    seen = await page.evaluate(SEEN_JS)
                except Exception as again:
                    seen = f"nothing ({type(again).__name__})"
                results.record(kind, time.perf_counter() - began, [f"{day}: {type(exc).__name__}; saw {seen}"], who)
                raise
            results.record(kind, time.perf_counter() - began, [], who)

        try:
            async with opening:
                began = time.perf_counter()
                await page.goto(f"{server.url}/?date={start.isoformat()}")
                day = start
                await wait_view(day, began, "open")
        finally:
            all_open.arrive()
        await all_open.open.wait()  # then every page moves at the same time
        for action in actions:
            day = engine.step(day, action)
            began = time.perf_counter()
            selector, key = BROWSER_ACTIONS[action]
            control = page.frame_locator(MAP_FRAME).locator(selector)
            if key is None:
                await control.click()
            else:
                await control.focus()
                await control.press(key)
            await wait_view(day, began, "move")
    except Exception as exc:
        if not any(e.startswith(who) for e in results.errors):
            results.errors.append(f"{who}{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        if dialogs:
            results.errors.append(f"{who}dialogs: {dialogs}")
        if page_errors:
            results.errors.append(f"{who}page errors: {page_errors[:3]}")
        await page.close()


def concurrent_browsers(
    server: Server,
    engine: Engine,
    pages: int,
    moves: int,
    timeout_ms: int = 90_000,
    shared_context: bool = True,
    open_at_once: int | None = None,
) -> Results:
    """`pages` pages at once in one headless Chromium, each moving through the days (see the module doc).
    shared_context: all pages in one browser context (one HTTP cache: the app's JavaScript is fetched
    and compiled once, as for tabs of one browser); else one context each (separate viewers).
    The pages load (`open_at_once` at a time, default all), wait for each other, then all make their
    moves at the same time: `pages` sessions open on the server, all moving."""
    results = Results(f"{pages} browser pages at once")

    async def main():
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await launch(p, BACKGROUND_PAGE_ARGS)
            try:
                contexts = []
                for _ in range(1 if shared_context else pages):
                    context = await browser.new_context(
                        viewport={"width": 1000, "height": 700}, device_scale_factor=1, reduced_motion="reduce"
                    )
                    await context.route("**/*", offline_route(server.url))
                    contexts.append(context)
                gate, all_open, opening = asyncio.Event(), Gate(pages), asyncio.Semaphore(open_at_once or pages)
                tasks = [
                    asyncio.create_task(
                        _browser_page(contexts[i % len(contexts)], server, engine, i, moves, results, timeout_ms, gate, all_open, opening)
                    )
                    for i in range(pages)
                ]
                await asyncio.sleep(0.5)
                gate.set()
                await asyncio.gather(*tasks)
            finally:
                await browser.close()

    with results.measure(server):
        run_async(main())
    results.extra = {"pages": pages, "moves_per_page": moves, "shared_context": shared_context, "open_at_once": open_at_once or pages}
    return results
