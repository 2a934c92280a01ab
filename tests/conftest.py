"""Shared fixtures: the small test dataset, its timeline, and hostile variants of it."""

from __future__ import annotations

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
