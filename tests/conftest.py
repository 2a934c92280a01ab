"""Shared fixtures: the small test dataset, its timeline, and hostile variants of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from benchmarks.chromium import ChromiumUnavailable, headless_chromium
from benchmarks.streamlit_server import Server
from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_EVENTS = FIXTURES / "events.yaml"
FIXTURE_PLACES = FIXTURES / "places.yaml"
ARTIFACTS = REPO / "test-artifacts"

# Strings that break naive HTML/JS/template handling: every one must come out as inert text.
HOSTILE = "Al-`Bab` ${alert(1)} </script><img src=x onerror=alert(2)> \\u0022 {{ 'x' }} & \"q\" 'a' _div _0"


@pytest.fixture(scope="session")
def fixture_dataset():
    """The fixture dataset: 4 places (3 cities, 1 border crossing), 4 factions, 5 events."""
    return load_dataset(FIXTURE_EVENTS, FIXTURE_PLACES)


@pytest.fixture(scope="session")
def fixture_timeline(fixture_dataset):
    return Timeline(fixture_dataset)


def hostile_files(directory: Path) -> tuple[Path, Path]:
    """Copies of the fixture files with HOSTILE in a place name, a summary, a source title and a faction label."""
    events = FIXTURE_EVENTS.read_text(encoding="utf-8")
    places = FIXTURE_PLACES.read_text(encoding="utf-8")
    quoted = '"' + HOSTILE.replace("\\", "\\\\").replace('"', '\\"') + '"'
    places = places.replace("name: Hama\n", f"name: {quoted}\n", 1)
    events = events.replace("summary: Rebels say they took Hama.", f"summary: {quoted}", 1)
    events = events.replace("title: Inline source", f"title: {quoted}", 1)
    events = events.replace("label: HTS-led opposition", f"label: {quoted}", 1)
    assert HOSTILE.split()[0] not in FIXTURE_PLACES.read_text(encoding="utf-8")
    events_path, places_path = directory / "events.yaml", directory / "places.yaml"
    events_path.write_text(events, encoding="utf-8")
    places_path.write_text(places, encoding="utf-8")
    return events_path, places_path


@pytest.fixture
def hostile_paths(tmp_path):
    return hostile_files(tmp_path)


@pytest.fixture
def hostile_dataset(hostile_paths):
    events_path, places_path = hostile_paths
    return load_dataset(events_path, places_path)


@pytest.fixture
def fixture_app(monkeypatch):
    """The dashboard on the fixture data, as Streamlit runs it: fixture_app(**query_params) -> an AppTest, not yet run."""
    from streamlit.testing.v1 import AppTest  # here, not above: most tests never need Streamlit

    monkeypatch.setenv("SYRIA_MAP_EVENTS", str(FIXTURE_EVENTS))
    monkeypatch.setenv("SYRIA_MAP_PLACES", str(FIXTURE_PLACES))

    def make(**params) -> AppTest:
        at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        return at

    return make


@pytest.fixture
def invalid_events(tmp_path) -> Path:
    """An events file the validator rejects: an unknown place and a bad status, with their lines."""
    text = FIXTURE_EVENTS.read_text(encoding="utf-8")
    text = text.replace("place: hama\n", "place: hamaa\n", 1).replace("status: disputed", "status: rumoured", 1)
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- a headless Chromium for browser tests of pages that need no server (the static export) ---
@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, through Playwright (benchmarks/chromium.py). Fails (never skips) when it cannot run."""
    try:
        with headless_chromium() as browser:
            yield browser
    except ChromiumUnavailable as exc:  # raised only while starting: a test's own failures never reach a fixture
        pytest.fail(str(exc))


# --- live servers and a browser for the dashboard's browser, load, hostile-link and live-edit tests ----------
# (tests/test_browser.py, test_many_viewers.py, test_hostile_links.py, test_live_edit.py; the server is
# benchmarks/streamlit_server.py, which the benchmarks use too)
@contextmanager
def running_server(events: Path, places: Path, label: str, extra_args=()) -> Iterator[Server]:
    """A started `streamlit run streamlit_app.py` on the data files (url, ws_url, rss_mb(), metrics()),
    stopped afterwards. Fails (never skips) the test when it does not start."""
    server = Server(events, places, label, extra_args)
    try:
        server.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def live_server_factory():
    """factory(events, places, label, extra_args=()) -> a started server (see running_server); all stop at module end."""
    with ExitStack() as servers:
        def start(events: Path, places: Path, label: str, extra_args=()) -> Server:
            return servers.enter_context(running_server(events, places, label, extra_args))

        yield start


@pytest.fixture(scope="module")
def live_browser(chromium):
    """The `chromium` fixture, for pages of a live server: also FAILS when the map's Leaflet is not
    vendored (scripts/setup_assets.sh), as the map could not paint offline."""
    from geo.map.assets import VENDOR_DIR, vendored_complete

    if not vendored_complete():
        pytest.fail(f"the map's Leaflet is not in {VENDOR_DIR}: run scripts/setup_assets.sh")
    return chromium
