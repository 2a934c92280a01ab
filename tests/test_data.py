"""The shipped events.yaml: valid, complete, sourced, and readable by colour-blind viewers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml
from colorspacious import cspace_convert, deltaE

from geo.reading.loader import DEFAULT_EVENTS, load_dataset
from geo.timeline.control import Timeline

REQUIRED_FACTIONS = {"gov", "hts", "sna", "sdf", "south", "sfa", "isis", "israel"}
# Smallest CAM02-UCS colour difference between any two factions, for normal vision and
# for full protanopia, deuteranopia and tritanopia (Machado et al. 2009 simulation).
MIN_DELTA_E = 10.0


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_shipped_data_validates_with_the_promised_size(dataset):
    assert len(dataset.places) >= 70
    assert len(dataset.events) >= 60
    assert dataset.baseline_date.isoformat() == "2024-11-26"
    assert Timeline(dataset).last_day.isoformat() >= "2024-12-15"


def test_every_event_in_the_file_is_in_the_timeline(dataset):
    """Nothing is dropped: count the items of the raw YAML list against the loaded events."""
    raw = yaml.safe_load(DEFAULT_EVENTS.read_text(encoding="utf-8"))
    assert len(raw["events"]) == len(dataset.events)
    assert [e.index for e in dataset.events] == list(range(len(raw["events"])))


def test_every_event_cites_a_source_and_claims_say_who_claims(dataset):
    for event in dataset.events:
        assert event.sources, event.line
        if event.status in ("claimed", "disputed"):
            assert event.claimed_by, event.line


def test_required_factions(dataset):
    assert set(dataset.factions) >= REQUIRED_FACTIONS


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def test_conventional_hues(dataset):
    f = {k: _rgb(v.colour) for k, v in dataset.factions.items()}
    assert f["gov"][0] > max(f["gov"][1], f["gov"][2]) + 0.3, "government is red"
    assert f["hts"][1] > max(f["hts"][0], f["hts"][2]), "the HTS-led rebels are green"
    assert min(f["sdf"][0], f["sdf"][1]) > 0.8 and f["sdf"][2] < 0.5, "the SDF is yellow"
    assert f["isis"].max() < 0.15, "ISIS is black"


@pytest.mark.parametrize("vision", [None, "protanomaly", "deuteranomaly", "tritanomaly"])
def test_faction_colours_stay_distinguishable(dataset, vision):
    colours = {k: _rgb(v.colour) for k, v in dataset.factions.items()}
    if vision:
        space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
        colours = {k: np.clip(cspace_convert(c, space, "sRGB1"), 0, 1) for k, c in colours.items()}
    for a, b in itertools.combinations(colours, 2):
        difference = deltaE(colours[a], colours[b], input_space="sRGB1")
        assert difference >= MIN_DELTA_E, f"{a} and {b} look alike ({vision or 'normal vision'}): ΔE {difference:.1f}"


# --- the faction timeline and the evidence rules, on the shipped data ---------------------------


@pytest.fixture(scope="module")
def timeline(dataset):
    return Timeline(dataset)


def test_nothing_is_held_by_a_faction_after_it_merged(dataset, timeline):
    assert dataset.mergers, "the shipped data has the 2025 mergers into the state's army"
    for merger in dataset.mergers:
        for day in (merger.date, timeline.last_day):
            held = [pid for pid, s in timeline.state_on(day).items() if merger.faction in s.control.factions()]
            assert not held, f"{merger.faction} still holds {held} on {day} after merging on {merger.date}"
        assert timeline.counts_on(timeline.last_day)[merger.faction] == 0


def test_every_place_that_changes_hands_has_a_history_from_the_baseline(dataset, timeline):
    changed = {e.place for e in dataset.events}
    for pid in changed:
        history = timeline.history(pid)
        assert history[0].event is None and history[0].since == dataset.baseline_date, pid
        assert [s.since for s in history] == sorted(s.since for s in history), pid


def test_the_rules_of_evidence_hold(dataset):
    from geo.reading.outlets import distinct_outlets

    for event in dataset.events:
        if event.status == "confirmed":
            assert distinct_outlets(event.sources) >= 2, event.line
        if event.status == "disputed":
            assert event.denied_by, event.line
        if event.basis == "inferred":
            assert event.note, event.line


def test_the_state_is_named_as_it_was_named_on_the_day(dataset):
    hts = dataset.factions["hts"]
    assert hts.on(dataset.baseline_date).short == "HTS-led"
    assert hts.on(dataset.baseline_date.replace(year=2025, month=4, day=1)).label.startswith("Syrian transitional government")
