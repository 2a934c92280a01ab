"""Big events files are loaded in a child process (geo.reading.isolated), with the same result as in-process."""

from __future__ import annotations

import pickle

import pytest

from geo.base.errors import DataError, Problem
from geo.reading import isolated
from geo.reading.loader import load_dataset_from_bytes
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES


def args(events: bytes | None = None) -> tuple:
    return (
        FIXTURE_EVENTS.read_bytes() if events is None else events,
        str(FIXTURE_EVENTS),
        FIXTURE_PLACES.read_bytes(),
        str(FIXTURE_PLACES),
    )


def test_a_child_process_loads_the_same_dataset():
    assert isolated.load(*args(), isolate_from=1) == load_dataset_from_bytes(*args())


def test_problems_come_back_as_a_data_error(invalid_events):
    with pytest.raises(DataError) as in_child:
        isolated.load(*args(invalid_events.read_bytes()), isolate_from=1)
    with pytest.raises(DataError) as in_process:
        load_dataset_from_bytes(*args(invalid_events.read_bytes()))
    assert [str(p) for p in in_child.value.problems] == [str(p) for p in in_process.value.problems]
    assert any("unknown place 'hamaa'" in str(p) for p in in_child.value.problems)


def test_small_files_stay_in_process(monkeypatch):
    def no_child(*a, **k):
        raise AssertionError("started a child process")

    monkeypatch.setattr(isolated.subprocess, "run", no_child)
    assert isolated.load(*args()).places


def test_without_a_child_process_it_loads_in_process(monkeypatch):
    def cannot(*a, **k):
        raise OSError("no processes left")

    monkeypatch.setattr(isolated.subprocess, "run", cannot)
    assert isolated.load(*args(), isolate_from=1) == load_dataset_from_bytes(*args())


def test_a_crash_of_the_child_is_a_problem_with_the_file_not_of_the_server(monkeypatch):
    monkeypatch.setattr(isolated, "_CHILD", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    with pytest.raises(DataError) as err:
        isolated.load(*args(), isolate_from=1)
    assert "stopped with signal" in str(err.value.problems[0])


def test_the_childs_pickle_rebuilds_the_same_records():
    dataset = load_dataset_from_bytes(*args())
    kind, again = pickle.loads(isolated._dumps(("dataset", dataset)))
    assert kind == "dataset" and again == dataset
    assert again.events[0].sources[0] is again.sources["reuters"]  # shared records stay shared
    problems = [Problem("events.yaml", 3, "events[0].place", "unknown place 'x'")]
    assert pickle.loads(isolated._dumps(("problems", problems))) == ("problems", problems)
