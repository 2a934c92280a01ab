"""Shared fixtures: the small test dataset, its timeline, and hostile variants of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo.loader import load_dataset
from geo.timeline import Timeline

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
def invalid_events(tmp_path) -> Path:
    """An events file the validator rejects: an unknown place and a bad status, with their lines."""
    text = FIXTURE_EVENTS.read_text(encoding="utf-8")
    text = text.replace("place: hama\n", "place: hamaa\n", 1).replace("status: disputed", "status: rumoured", 1)
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- a headless Chromium for browser tests of pages that need no server (the static export) ---
CHROMIUM_PATH = os.environ.get("SYRIA_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, headless, through Playwright. Fails (never skips) when it cannot run."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} is missing: install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover
        pytest.fail(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_LAUNCH_ARGS, headless=True)
        except Exception as exc:
            pytest.fail(f"cannot launch {CHROMIUM_PATH}: {exc}")
        yield browser
        browser.close()


# --- live servers and a browser for the load, hostile-link and live-edit tests --------------------
# (tests/test_many_viewers.py, test_hostile_links.py, test_live_edit.py; the helpers are in
# benchmarks/load_test.py, which the bigger benchmark run uses too)
@pytest.fixture(scope="module")
def live_server_factory():
    """Start `streamlit run streamlit_app.py` on given data files: factory(events, places, label, extra_args=())
    returns a started benchmarks.load_test.Server (url, ws_url, rss_mb(), metrics()); all stop at module end."""
    from benchmarks.load_test import Server

    started = []

    def start(events: Path, places: Path, label: str, extra_args=()) -> Server:
        server = Server(events, places, label, extra_args)
        try:
            server.__enter__()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def live_browser(chromium):
    """The `chromium` fixture, for pages of a live server: also FAILS when the map's Leaflet is not
    vendored (scripts/setup_assets.sh), as the map could not paint offline."""
    from geo.assets import VENDOR_DIR, vendored_complete

    if not vendored_complete():
        pytest.fail(f"the map's Leaflet is not in {VENDOR_DIR}: run scripts/setup_assets.sh")
    return chromium
