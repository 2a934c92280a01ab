"""The test data's files, where test output goes, and hostile variants of the data."""

from __future__ import annotations

from pathlib import Path

from geo.base.model import Place
from geo.reading.gazetteer import DEFAULT_PLACES, read_places
from geo.reading.yamlread import FieldReader, YamlFailure, compose

REPO = Path(__file__).resolve().parents[2]  # the checkout the tests run from
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_EVENTS = FIXTURES / "events.yaml"
FIXTURE_PLACES = FIXTURES / "places.yaml"
ARTIFACTS = REPO / "test-artifacts"

# Strings that break naive HTML/JS/template handling: every one must come out as inert text.
HOSTILE = "Al-`Bab` ${alert(1)} </script><img src=x onerror=alert(2)> \\u0022 {{ 'x' }} & \"q\" 'a' _div _0"


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


def load_places(path: str | Path = DEFAULT_PLACES) -> tuple[dict[str, Place], FieldReader]:
    """Read a places file; the reader carries any problems (an unreadable file is one)."""
    path = Path(path)
    reader = FieldReader(str(path))
    try:
        root = compose(path.read_bytes(), str(path))
    except YamlFailure as exc:
        reader.problems.append(exc.problem)
        return {}, reader
    except OSError as exc:
        reader.problem(1, "file", f"cannot read: {exc.strerror}")
        return {}, reader
    return read_places(root, reader), reader
