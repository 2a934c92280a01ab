"""`geo diff`: two versions of the data compared as the map sees them."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from geo.cli.diff_cli import VersionError, read_version
from geo.cli.main import main
from geo.editing.mapdiff import diff_datasets
from geo.reading.loader import load_dataset_from_bytes

FIXTURES = Path(__file__).parent / "fixtures"
EVENTS = (FIXTURES / "events.yaml").read_text(encoding="utf-8")
PLACES = (FIXTURES / "places.yaml").read_text(encoding="utf-8")
NEW_EVENT = """  - date: 2024-12-07
    place: hama
    controller: gov
    previous: hts
    status: claimed
    claimed_by: Syrian army
    summary: The army says it retook Hama.
    sources: [afp]
"""
MERGER = """mergers:
  - date: 2024-12-07
    faction: south
    into: hts
    summary: The southern factions join the command.
    sources: [afp]
"""


def diff(old_events: str = EVENTS, new_events: str = EVENTS, old_places: str = PLACES, new_places: str = PLACES):
    old = load_dataset_from_bytes(old_events, "old.yaml", old_places, "old_places.yaml")
    new = load_dataset_from_bytes(new_events, "new.yaml", new_places, "new_places.yaml")
    return diff_datasets(old, new)


def test_identical_data_has_an_empty_diff():
    result = diff()
    assert result.identical
    assert result.runs == () and result.events_changed == ()


def test_an_added_event_shows_as_a_run_from_its_day_to_the_end():
    result = diff(new_events=EVENTS + NEW_EVENT)
    assert [(e.place, e.date) for e in result.events_added] == [("hama", date(2024, 12, 7))]
    assert result.events_removed == () and result.events_changed == ()
    (run,) = result.runs
    assert (run.place, run.start) == ("hama", date(2024, 12, 7))
    assert (run.old.control.controller, run.new.control.controller, run.new.status) == ("hts", "gov", "claimed")
    assert not result.identical


def test_a_removed_event_ends_where_the_next_one_starts():
    result = diff(old_events=EVENTS + NEW_EVENT)
    assert [e.place for e in result.events_removed] == ["hama"]
    assert [(r.old.control.controller, r.new.control.controller) for r in result.runs] == [("gov", "hts")]


def test_a_changed_event_names_its_fields_and_the_days_it_changes():
    changed = EVENTS.replace("- date: 2024-12-05\n    place: hama", "- date: 2024-12-04\n    place: hama")
    result = diff(new_events=changed)
    # a new day is a different event: one removed, one added, and the map differs on 4 Dec only
    assert [e.date for e in result.events_removed] == [date(2024, 12, 5)]
    assert [e.date for e in result.events_added] == [date(2024, 12, 4)]
    (run,) = result.runs
    assert (run.start, run.end) == (date(2024, 12, 4), date(2024, 12, 4))

    disputed = EVENTS.replace("claimed_by: HTS\n", "claimed_by: HTS\n    denied_by: Syrian army\n").replace(
        "status: claimed\n    claimed_by: HTS", "status: disputed\n    claimed_by: HTS"
    )
    result = diff(new_events=disputed)
    (change,) = result.events_changed
    assert change.changed == ("status", "denied_by")
    (run,) = result.runs
    assert (run.place, run.old.status, run.new.status) == ("hama", "claimed", "disputed")


def test_a_summary_edit_is_an_event_change_but_not_a_map_change():
    result = diff(new_events=EVENTS.replace("Rebels take Aleppo.", "Rebels capture Aleppo."))
    assert [c.changed for c in result.events_changed] == [("summary",)]
    assert result.runs == ()


def test_a_renamed_place_is_one_rename_not_a_removal_and_an_addition():
    renamed_places = PLACES.replace("  hama:\n", "  hama_city:\n")
    renamed_events = EVENTS.replace("    hama: gov\n", "    hama_city: gov\n").replace("place: hama\n", "place: hama_city\n")
    result = diff(new_events=renamed_events, new_places=renamed_places)
    assert result.places_renamed == (("hama", "hama_city"),)
    assert result.places_added == () and result.places_removed == ()
    assert result.runs == () and result.events_changed == () and result.events_added == ()


def test_a_new_place_and_a_removed_one():
    places = PLACES + "  homs:\n    name: Homs\n    name_ar: حمص\n    kind: city\n    governorate: Homs\n    geonames_id: 169577\n"
    events = EVENTS.replace("    nassib_crossing: gov\n", "    nassib_crossing: gov\n    homs: gov\n")
    result = diff(new_events=events, new_places=places)
    assert result.places_added == ("homs",)
    result = diff(old_events=events, old_places=places)
    assert result.places_removed == ("homs",)


def test_a_merger_hands_the_places_over_from_its_day():
    result = diff(new_events=EVENTS + MERGER)
    assert [(m.faction, m.into) for m in result.mergers_added] == [("south", "hts")]
    (run,) = result.runs
    assert (run.place, run.start, run.old.control.controller, run.new.control.controller) == (
        "nassib_crossing",
        date(2024, 12, 7),
        "south",
        "hts",
    )
    assert diff(old_events=EVENTS + MERGER).mergers_removed != ()


def test_a_faction_given_a_new_id_is_a_rename_and_the_map_is_unchanged():
    result = diff(new_events=EVENTS.replace("  south:\n", "  southern_front:\n").replace("controller: south", "controller: southern_front"))
    assert result.factions_renamed == (("south", "southern_front"),)
    assert result.runs == () and result.events_changed == ()


def test_a_faction_renamed_in_the_data_shows_its_names():
    rename = (
        "    renames:\n      - from: 2024-12-08\n        label: New authorities\n        short: New auth\n"
        "        description: In power.\n        sources: [afp]\n"
    )
    anchor = "    description: Military Operations Command.\n"
    result = diff(new_events=EVENTS.replace(anchor, anchor + rename))
    (faction, before, after) = result.names_changed[0]
    assert faction == "hts" and len(before) == 1 and after[1][1] == "New authorities"


def test_sources_added_and_dropped():
    result = diff(new_events=EVENTS.replace("title: Test wire report", "title: A better headline"))
    assert [s.title for s in result.sources_added] == ["A better headline"]
    assert [s.title for s in result.sources_dropped] == ["Test wire report"]


@pytest.fixture
def files(tmp_path):
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_exit_codes_and_text(capsys, files):
    old, places = files("old.yaml", EVENTS), files("places.yaml", PLACES)
    assert main(["diff", old, old, "--places", places]) == 0
    assert "identical" in capsys.readouterr().out
    new = files("new.yaml", EVENTS + NEW_EVENT)
    assert main(["diff", old, new, "--places", places]) == 1
    out = capsys.readouterr().out
    assert "  hama: hts [claimed] → gov [claimed], 7 Dec 2024\n" in out  # one day: the data ends that day
    assert "events changed: 0, added: 1, removed: 0" in out


def test_invalid_data_exits_2_with_the_validator_lines(capsys, files):
    old, places = files("old.yaml", EVENTS), files("places.yaml", PLACES)
    bad = files("bad.yaml", EVENTS.replace("place: hama", "place: hamma"))
    assert main(["diff", old, bad, "--places", places]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "unknown place 'hamma'" in err
    assert main(["diff", old, "no-such-revision-xyz", "--places", places]) == 2
    assert "neither a file nor a git object" in capsys.readouterr().err


def test_markdown_escapes_the_data(capsys, files):
    places = files("places.yaml", PLACES)
    old = files("old.yaml", EVENTS)
    new = files("new.yaml", EVENTS + NEW_EVENT.replace("retook Hama.", "retook *Hama* <b>."))
    assert main(["diff", old, new, "--places", places, "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("### Map diff:")
    assert "#### Events added" in out and r"retook \*Hama\* \<b\>." in out


def test_git_revisions(tmp_path, monkeypatch):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.yaml").write_text(EVENTS, encoding="utf-8")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    (tmp_path / "data" / "events.yaml").write_text(EVENTS + NEW_EVENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    version = read_version("HEAD:data/events.yaml")
    assert version.events.decode() == EVENTS and version.events_name == "HEAD:data/events.yaml"
    with pytest.raises(VersionError):
        read_version("HEAD~5:data/events.yaml")
    old = read_version("HEAD:data/events.yaml")
    new = read_version("data/events.yaml")
    result = diff_datasets(
        load_dataset_from_bytes(old.events, old.events_name, PLACES, "p"), load_dataset_from_bytes(new.events, new.events_name, PLACES, "p")
    )
    assert len(result.events_added) == 1
