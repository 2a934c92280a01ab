"""The timeline engine on the tiny hand-made fixture timeline (contested, split, claimed cases)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.base.errors import DateOutOfRange
from geo.reading.loader import load_dataset, load_dataset_from_bytes
from geo.timeline import control as timeline_module
from geo.timeline.control import Timeline

FIXTURES = Path(__file__).parent / "fixtures"
D = date.fromisoformat


@pytest.fixture(scope="module")
def tl() -> Timeline:
    return Timeline(load_dataset(FIXTURES / "events.yaml", FIXTURES / "places.yaml"))


def test_days_run_from_baseline_to_last_event(tl):
    assert tl.first_day == D("2024-11-26") and tl.last_day == D("2024-12-06")
    assert len(tl.days) == 11 and tl.days[0] == tl.first_day and tl.days[-1] == tl.last_day
    assert tl.event_days == (D("2024-11-29"), D("2024-11-30"), D("2024-12-05"), D("2024-12-06"))


def test_baseline_state(tl):
    state = tl.state_on(D("2024-11-26"))
    assert {pid: s.controller for pid, s in state.items()} == {
        "aleppo": "gov",
        "hama": "gov",
        "deir_ez_zor": "gov",
        "nassib_crossing": "gov",
    }
    assert all(s.event is None and s.since == D("2024-11-26") and s.status == "confirmed" for s in state.values())


def test_split_control_at_baseline(tl):
    deir = tl.state_on(D("2024-11-28"))["deir_ez_zor"]
    assert deir.control.mode == "split" and deir.control.secondary == "sdf" and deir.controller == "gov"


def test_contested_then_taken(tl):
    contested = tl.state_on(D("2024-11-29"))["aleppo"]
    assert contested.control.mode == "contested"
    assert contested.controller == "gov" and contested.control.contested_with == ("hts",)
    assert contested.since == D("2024-11-29") and contested.event.summary == "Rebels enter Aleppo."
    taken = tl.state_on(D("2024-11-30"))["aleppo"]
    assert taken.controller == "hts" and taken.control.mode == "held" and taken.since == D("2024-11-30")


def test_state_is_the_end_of_the_day(tl):
    assert tl.state_on(D("2024-12-04"))["hama"].controller == "gov"
    assert tl.state_on(D("2024-12-05"))["hama"].controller == "hts"


def test_claimed_and_disputed_status_and_since(tl):
    state = tl.state_on(D("2024-12-06"))
    assert state["hama"].status == "claimed" and state["hama"].since == D("2024-12-05")
    assert state["hama"].event.claimed_by == "HTS" and state["hama"].event.date_qualifier == "evening"
    assert state["deir_ez_zor"].status == "disputed" and state["deir_ez_zor"].event.denied_by == "Syrian army"
    # the event names no secondary holder: the split ends
    assert state["deir_ez_zor"].control.mode == "held"


def test_after_the_last_day_the_last_state_holds(tl):
    assert dict(tl.state_on(D("2025-06-01"))) == dict(tl.state_on(tl.last_day))
    assert tl.events_on(D("2025-06-01")) == ()
    assert tl.counts_on(D("2030-01-01")) == tl.counts_on(tl.last_day)


def test_before_the_baseline_is_an_error(tl):
    for query in (tl.state_on, tl.events_on, tl.counts_on):
        with pytest.raises(DateOutOfRange):
            query(D("2024-11-25"))


def test_events_of_a_day_keep_file_order(tl):
    assert [e.place for e in tl.events_on(D("2024-12-06"))] == ["deir_ez_zor", "nassib_crossing"]
    assert tl.events_on(D("2024-12-01")) == ()
    assert tl.changed_on(D("2024-12-06")) == {"deir_ez_zor", "nassib_crossing"}


def test_history_of_a_place(tl):
    history = tl.history("aleppo")
    assert [(s.since, s.controller, s.control.mode) for s in history] == [
        (D("2024-11-26"), "gov", "held"),
        (D("2024-11-29"), "gov", "contested"),
        (D("2024-11-30"), "hts", "held"),
    ]
    assert history[0].event is None
    with pytest.raises(KeyError):
        tl.history("atlantis")


def test_counts_per_faction(tl):
    assert dict(tl.counts_on(D("2024-11-26"))) == {"gov": 4, "hts": 0, "sdf": 0, "south": 0}
    assert dict(tl.counts_on(D("2024-12-06"))) == {"gov": 0, "hts": 2, "sdf": 1, "south": 1}
    series = tl.counts_series()
    assert len(series) == 11 * 4
    assert (D("2024-11-30"), "hts", 1) in series
    assert all(sum(n for d, _, n in series if d == day) == 4 for day in tl.days)


def test_next_and_previous_event_day(tl):
    assert tl.next_event_day(D("2024-11-30")) == D("2024-12-05")
    assert tl.next_event_day(D("2024-12-06")) is None
    assert tl.previous_event_day(D("2024-12-05")) == D("2024-11-30")
    assert tl.previous_event_day(D("2024-11-29")) is None


def test_keyframes_give_the_same_answers_as_daily_snapshots(monkeypatch):
    """With sparse keyframes a query replays a few days; the answers must not change."""
    ds = load_dataset(FIXTURES / "events.yaml", FIXTURES / "places.yaml")
    daily = Timeline(ds)
    monkeypatch.setattr(timeline_module, "KEYFRAME_BUDGET", 12)  # 4 places x 11 days -> a keyframe every 4 days
    sparse = Timeline(ds)
    assert sparse._step == 4 and daily._step == 1
    for day in daily.days:
        assert dict(sparse.state_on(day)) == dict(daily.state_on(day)), day


def test_same_day_events_for_one_place_apply_in_file_order():
    text = (
        (FIXTURES / "events.yaml").read_text(encoding="utf-8")
        + """\
  - date: 2024-12-06
    place: hama
    controller: gov
    contested_with: [hts]
    status: claimed
    claimed_by: army
    summary: Army counter-attacks.
    sources: [reuters]
  - date: 2024-12-06
    place: hama
    controller: hts
    previous: gov
    status: claimed
    claimed_by: rebels
    summary: Rebels hold Hama.
    sources: [reuters]
"""
    )
    places = (FIXTURES / "places.yaml").read_bytes()
    tl = Timeline(load_dataset_from_bytes(text, "e.yaml", places, "p.yaml"))
    assert tl.state_on(D("2024-12-06"))["hama"].event.summary == "Rebels hold Hama."
    assert [s.controller for s in tl.history("hama")] == ["gov", "hts", "gov", "hts"]
