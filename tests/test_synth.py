"""The synthetic dataset generator (geo/cli/synth.py): valid, deterministic, inside Syria, varied."""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from geo.cli import synth
from geo.cli.main import main as cli_main
from geo.reading.loader import load_dataset
from geo.reading.yamlread import ID_RE
from geo.territory.outline import distance_to_border_km, is_in_syria

ROOT = Path(__file__).parent.parent
N_PLACES, N_EVENTS, N_DAYS = 50, 300, 60
COLOURS = {
    "gov": "#D55E00",
    "hts": "#009E73",
    "sna": "#E69F00",
    "sdf": "#F0E442",
    "south": "#CC79A7",
    "sfa": "#56B4E9",
    "isis": "#000000",
    "israel": "#0072B2",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small dataset written to disk and loaded by the real loader."""
    out = tmp_path_factory.mktemp("synth") / "small.yaml"
    events_path, places_path = synth.write(out, N_PLACES, N_EVENTS, N_DAYS, seed=7)
    return events_path, places_path, load_dataset(events_path, places_path)


def test_small_dataset_loads_with_exact_counts(small):
    events_path, places_path, dataset = small
    assert places_path == events_path.with_name("small.places.yaml")
    assert len(dataset.places) == N_PLACES
    assert len(dataset.events) == N_EVENTS
    assert set(dataset.baseline) == set(dataset.places)
    assert {f: dataset.factions[f].colour for f in dataset.factions} == COLOURS
    assert dataset.baseline_date == date(2020, 1, 1)
    days = [e.date for e in dataset.events]
    assert days == sorted(days)
    assert days[0] == date(2020, 1, 1) and days[-1] == date(2020, 1, 1) + timedelta(days=N_DAYS - 1)


def test_same_seed_same_bytes_other_seed_other_bytes():
    first = synth.generate(N_PLACES, N_EVENTS, N_DAYS, seed=3)
    assert synth.generate(N_PLACES, N_EVENTS, N_DAYS, seed=3) == first
    other = synth.generate(N_PLACES, N_EVENTS, N_DAYS, seed=4)
    assert other[0] != first[0] and other[1] != first[1]


def test_output_does_not_depend_on_the_hash_seed():
    code = (
        "import hashlib, sys; from geo.cli import synth; "
        f"e, p = synth.generate({N_PLACES}, {N_EVENTS}, {N_DAYS}, seed=3); "
        "sys.stdout.write(hashlib.sha256((e + p).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    events, places = synth.generate(N_PLACES, N_EVENTS, N_DAYS, seed=3)
    assert done.stdout == hashlib.sha256((events + places).encode()).hexdigest()


def test_places_are_inside_syria_with_synthetic_coordinates(small):
    places = small[2].places.values()
    for place in places:
        assert is_in_syria(place.lon, place.lat, tolerance_km=3.0), place.id
        assert place.coord_source == "synthetic" and place.geonames_id is None
        assert any("\u0600" <= c <= "\u06ff" for c in place.name_ar)
    crossings = [p for p in places if p.kind == "border_crossing"]
    assert crossings
    for place in crossings:  # on the border, at most 2 km inside
        assert is_in_syria(place.lon, place.lat) and distance_to_border_km(place.lon, place.lat) <= 2.0, place.id
    kinds = Counter(p.kind for p in places)
    assert kinds["town"] > N_PLACES / 2
    assert {"city", "border_crossing", "military_base", "dam"} <= set(kinds)


def test_statuses_modes_and_claims_are_mixed(small):
    events = small[2].events
    assert set(Counter(e.status for e in events)) == {"confirmed", "claimed", "disputed"}
    assert set(Counter(e.control.mode for e in events)) == {"held", "contested", "split"}
    for event in events:
        assert (event.claimed_by is not None) == (event.status != "confirmed")
    assert any(e.denied_by for e in events)
    assert sum(e.previous is not None for e in events) > 0.8 * len(events)
    sources = {s for e in events for s in e.sources}
    assert len(sources) > 5


def test_control_changes_spread_from_held_ground(small):
    """Most changes of controller go to a faction holding one of the place's nearest neighbours."""
    dataset = small[2]
    coords = {pid: (p.lon * math.cos(math.radians(35)), p.lat) for pid, p in dataset.places.items()}
    near = {pid: sorted((q for q in coords if q != pid), key=lambda q, a=a: math.dist(a, coords[q]))[:8] for pid, a in coords.items()}
    held = {pid: entry.control.controller for pid, entry in dataset.baseline.items()}
    changes = next_to_own = 0
    for event in dataset.events:
        new = event.control.controller
        if new != held[event.place]:
            changes += 1
            next_to_own += any(held[q] == new for q in near[event.place])
        held[event.place] = new
    assert changes > 50
    assert next_to_own > 0.7 * changes


def test_start_day_and_edge_sizes(tmp_path):
    start = date(2024, 11, 26)
    events_text, places_text = synth.generate(1, 0, 1, seed=1, start=start)
    (tmp_path / "e.yaml").write_text(events_text, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(places_text, encoding="utf-8")
    dataset = load_dataset(tmp_path / "e.yaml", tmp_path / "p.yaml")
    assert dataset.baseline_date == start and len(dataset.places) == 1 and dataset.events == ()
    events_text, places_text = synth.generate(3, 40, 2, seed=1, start=start)
    (tmp_path / "e.yaml").write_text(events_text, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(places_text, encoding="utf-8")
    assert len(load_dataset(tmp_path / "e.yaml", tmp_path / "p.yaml").events) == 40
    with pytest.raises(ValueError):
        synth.generate(0, 10, 10)


def test_text_is_plain_safe_yaml():
    events_text, places_text = synth.generate(20, 100, 10, seed=2)
    events, places = yaml.safe_load(events_text), yaml.safe_load(places_text)
    assert len(events["events"]) == 100 and len(places["places"]) == 20
    ids = [*events["factions"], *events["sources"], *places["places"]]
    assert all(ID_RE.match(i) for i in ids)


@pytest.mark.parametrize(
    "out, expected",
    [
        ("a/run.yaml", "a/run.places.yaml"),
        ("run.yml", "run.places.yaml"),
        ("run", "run.places.yaml"),
    ],
)
def test_places_path_for(out, expected):
    assert synth.places_path_for(out) == Path(expected)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo")
    sub = parser.add_subparsers(dest="command", required=True)
    synth.add_parser(sub)
    return parser


def test_cli_hook_writes_files_that_validate(tmp_path, capsys):
    out = tmp_path / "syn.yaml"
    args = _parser().parse_args(
        ["synth", "--places", "40", "--events", "200", "--days", "30", "--seed", "5", "--start", "2021-03-01", str(out)]
    )
    assert synth.run(args) == 0
    assert "syn.places.yaml" in capsys.readouterr().out
    assert out.read_bytes() == synth.generate(40, 200, 30, seed=5, start=date(2021, 3, 1))[0].encode()
    assert cli_main(["validate", str(out), "--places", str(tmp_path / "syn.places.yaml")]) == 0
    assert capsys.readouterr().out.strip() == "OK: 40 places, 200 events, 2021-03-01..2021-03-30"


def test_cli_hook_refuses_bad_sizes(tmp_path, capsys):
    args = _parser().parse_args(["synth", "--places", "0", "--events", "5", str(tmp_path / "x.yaml")])
    assert synth.run(args) == 2
    assert "error" in capsys.readouterr().err
    assert not (tmp_path / "x.yaml").exists()
    with pytest.raises(SystemExit):
        _parser().parse_args(["synth", "--events", "-3", str(tmp_path / "x.yaml")])
