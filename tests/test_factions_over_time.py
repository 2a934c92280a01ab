"""Factions that change over time (renames, mergers) and graded evidence (basis, status rules).

A tiny hand-made timeline: the fixture's four places, HTS renamed on 8 Dec, the SDF merging into HTS
on 10 Dec. Every new validation rule is tried on a bad variant, with its line number asserted.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from geo.base.errors import DataError, Problem
from geo.base.model import Control, Source
from geo.cli import main as cli
from geo.reading.loader import load_dataset_from_bytes
from geo.reading.outlets import distinct_outlets, outlet_key
from geo.timeline.control import Rename, Timeline
from geo.view import present

FIXTURES = Path(__file__).parent / "fixtures"
BASE = (FIXTURES / "events.yaml").read_text(encoding="utf-8")
PLACES = (FIXTURES / "places.yaml").read_text(encoding="utf-8")

RENAMES = """    renames:
      - from: 2024-12-08
        label: New authorities (HTS-led caretaker government)
        short: New authorities
        description: The HTS-led authorities after the fall of Assad.
        sources: [reuters]
"""
MERGER = """mergers:
  - date: 2024-12-10
    faction: sdf
    into: hts
    summary: The SDF joins the new army (a test merger).
    sources: [reuters]
"""
LATER = """  - date: 2024-12-11
    place: hama
    controller: hts
    previous: hts
    status: claimed
    claimed_by: the new army
    basis: inferred
    summary: The army restates its hold on Hama.
    note: Inferred from a province-wide statement.
    sources: [reuters]
"""


def timeline_text(renames: str = RENAMES, merger: str = MERGER, later: str = LATER) -> str:
    text = BASE.replace("    description: Military Operations Command.\n", "    description: Military Operations Command.\n" + renames, 1)
    return text + later + merger


def load(text: str):
    return load_dataset_from_bytes(text, "events.yaml", PLACES, "places.yaml")


def problems(text: str) -> list[Problem]:
    with pytest.raises(DataError) as info:
        load(text)
    return info.value.problems


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    return [i + 1 for i, line in enumerate(text.splitlines()) if needle in line][occurrence - 1]


def only(found: list[Problem], field_part: str) -> Problem:
    matching = [p for p in found if field_part in p.field]
    assert len(matching) == 1, [str(p) for p in found]
    return matching[0]


@pytest.fixture(scope="module")
def ds():
    return load(timeline_text())


@pytest.fixture(scope="module")
def tl(ds):
    return Timeline(ds)


# --- the engine --------------------------------------------------------------------------------


def test_a_rename_gives_the_name_in_force_on_each_day(ds):
    hts = ds.factions["hts"]
    assert hts.on(date(2024, 12, 7)).short == "HTS"
    assert hts.on(date(2024, 12, 8)).short == "New authorities"
    assert hts.on(date(2025, 6, 1)).label == "New authorities (HTS-led caretaker government)"
    assert hts.on(date(2024, 12, 8)).colour == hts.colour  # the colour stays
    assert ds.factions_on(date(2024, 12, 7))["hts"].label == "HTS-led opposition"
    assert ds.factions_on(date(2024, 12, 9))["sdf"].label == "Syrian Democratic Forces"


def test_a_merger_passes_every_stake_to_the_successor_that_day(ds, tl):
    before, after = tl.state_on(date(2024, 12, 9)), tl.state_on(date(2024, 12, 10))
    assert before["deir_ez_zor"].controller == "sdf"
    assert after["deir_ez_zor"].controller == "hts"
    # the fixture's baseline has SDF as the secondary holder of Deir ez-Zor until 6 Dec; nothing of SDF is left
    assert all("sdf" not in s.control.factions() for s in after.values())
    assert tl.counts_on(date(2024, 12, 10))["sdf"] == 0
    assert tl.counts_on(date(2024, 12, 10))["hts"] == tl.counts_on(date(2024, 12, 9))["hts"] + 1
    assert "deir_ez_zor" in tl.changed_on(date(2024, 12, 10))
    assert tl.last_day == date(2024, 12, 11)


def test_the_merger_shows_in_the_place_history_with_its_sources_and_keeps_the_status(tl):
    history = tl.history("deir_ez_zor")
    merged = history[-1]
    assert merged.event.merger is not None and merged.event.merger.into == "hts"
    assert merged.event.sources[0].title == "Test report"
    assert merged.status == history[-2].status == "disputed"  # a merger adds no evidence about the place


def test_a_contest_or_split_with_the_successor_disappears():
    assert Control("hts", ("sdf",)).merged("sdf", "hts") == Control("hts")
    assert Control("sdf", (), "hts").merged("sdf", "hts") == Control("hts")
    assert Control("gov", ("sdf", "hts")).merged("sdf", "hts") == Control("gov", ("hts",))
    unchanged = Control("gov", ("hts",))
    assert unchanged.merged("sdf", "hts") is unchanged


def test_history_entries_show_the_holders_rename(tl):
    entries = tl.history_entries("aleppo")
    renames = [e for e in entries if isinstance(e, Rename)]
    assert [(r.faction, r.since, r.old_label, r.name.short) for r in renames] == [
        ("hts", date(2024, 12, 8), "HTS-led opposition", "New authorities")
    ]
    assert [e.since for e in entries] == sorted(e.since for e in entries)


def test_inferred_basis_is_kept_on_the_state(tl):
    assert tl.state_on(date(2024, 12, 11))["hama"].basis == "inferred"
    assert tl.state_on(date(2024, 12, 10))["hama"].basis == "reported"


# --- the dashboard's words --------------------------------------------------------------------


def test_legend_uses_the_name_of_the_day_drops_merged_factions_and_counts_inferred(ds, tl):
    rows = {r.faction: r for r in present.legend_rows(ds, tl, date(2024, 12, 11))}
    assert rows["hts"].short == "New authorities"
    assert "sdf" not in rows  # merged the day before
    assert rows["hts"].inferred == 1
    early = {r.faction: r for r in present.legend_rows(ds, tl, date(2024, 12, 7))}
    assert early["hts"].short == "HTS" and "sdf" in early
    html = present.legend_html(list(rows.values()), 4)
    assert "1 place rests on inference" in html


def test_changes_and_history_explain_the_merger_and_the_rename(ds, tl):
    items = present.change_items(ds, tl, date(2024, 12, 10))
    assert [i.headline for i in items] == ["Deir ez-Zor passes to New authorities as SDF merges into it"]
    assert "merger of factions" in present.status_words(items[0].event)
    rows = present.history_rows(ds, tl, "aleppo")
    renamed = [r for r in rows if r.status == "renamed"]
    assert renamed and renamed[0].summary == "HTS-led opposition is now called New authorities (HTS-led caretaker government)."
    assert rows[1].control.startswith("Government, contested by HTS")  # the name in force on 29 Nov
    hama = present.history_rows(ds, tl, "hama")
    assert hama[-1].status.endswith("inferred from a wider report")


def test_symbol_key_and_marker_show_inference():
    rows = present.symbol_rows(load(BASE))
    assert any("Inferred" in text for _, text in rows)
    from geo.view.look import MarkerStyle, icon_svg

    plain, inferred = icon_svg(MarkerStyle("circle", 7, "#112233")), icon_svg(MarkerStyle("circle", 7, "#112233", inferred=True))
    assert inferred.count("<circle") == plain.count("<circle") + 1


# --- the command line ------------------------------------------------------------------------


def test_cli_state_has_the_label_in_force_and_the_basis(tmp_path, capsys):
    events = tmp_path / "e.yaml"
    events.write_text(timeline_text(), encoding="utf-8")
    args = ["--events", str(events), "--places", str(FIXTURES / "places.yaml")]
    assert cli.main(["state", "2024-12-11", "--format", "csv", *args]) == 0
    rows = {r["place_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["hama"]["controller_label"] == "New authorities (HTS-led caretaker government)"
    assert rows["hama"]["basis"] == "inferred" and rows["aleppo"]["basis"] == "reported"
    assert cli.main(["state", "2024-12-07", "--format", "csv", *args]) == 0
    rows = {r["place_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["aleppo"]["controller_label"] == "HTS-led opposition"


def test_cli_history_shows_renames_and_mergers(tmp_path, capsys):
    events = tmp_path / "e.yaml"
    events.write_text(timeline_text(), encoding="utf-8")
    args = ["--events", str(events), "--places", str(FIXTURES / "places.yaml")]
    assert cli.main(["history", "aleppo", *args]) == 0
    assert "2024-12-08  hts  [rename]  'HTS-led opposition' is now called 'New authorities" in capsys.readouterr().out
    assert cli.main(["history", "deir_ez_zor", *args]) == 0
    assert "2024-12-10  hts  [merger: sdf merged into hts]  The SDF joins the new army" in capsys.readouterr().out


# --- the validator: the faction timeline -------------------------------------------------------


def test_an_event_naming_a_merged_faction_is_refused_with_its_successor():
    later = LATER.replace("    controller: hts\n    previous: hts\n", "    controller: sdf\n    previous: hts\n")
    text = timeline_text(later=later)
    p = only(problems(text), "events[5].controller")
    assert p.line == line_of(text, "controller: sdf", 2)
    assert "'sdf' merged into 'hts' on 2024-12-10" in p.message and "did you mean 'hts'" in p.message


def test_previous_follows_the_merger():
    later = LATER.replace("    place: hama\n", "    place: deir_ez_zor\n").replace("previous: hts", "previous: sdf")
    text = timeline_text(later=later)
    p = only(problems(text), "events[5].previous")
    assert "merged into 'hts'" in p.message and "did you mean 'hts'" in p.message
    ok = timeline_text(later=LATER.replace("    place: hama\n", "    place: deir_ez_zor\n"))
    assert load(ok).events[-1].place == "deir_ez_zor"  # held by the successor after the merger


def test_a_merger_into_an_unknown_faction():
    text = timeline_text(merger=MERGER.replace("into: hts", "into: htss"))
    p = only(problems(text), "mergers[0].into")
    assert p.line == line_of(text, "into: htss") and "unknown faction 'htss'" in p.message and "hts" in p.message


def test_a_faction_merging_twice():
    second = MERGER.replace("mergers:\n", "").replace("2024-12-10", "2024-12-11").replace("into: hts", "into: gov")
    text = timeline_text(merger=MERGER + second)
    p = only(problems(text), "mergers.faction")
    assert p.line == line_of(text, "- date: 2024-12-11", 2)
    assert "'sdf' already merged into 'hts' on 2024-12-10" in p.message


def test_a_merger_into_a_faction_that_has_merged_itself():
    chained = MERGER + MERGER.replace("mergers:\n", "").replace("faction: sdf", "faction: south").replace("into: hts", "into: sdf")
    text = timeline_text(merger=chained.replace("2024-12-10\n    faction: south", "2024-12-11\n    faction: south"))
    p = only(problems(text), "mergers.into")
    assert "'sdf' itself merged into 'hts'" in p.message and "did you mean 'hts'" in p.message


def test_a_merger_before_the_baseline():
    text = timeline_text(merger=MERGER.replace("2024-12-10", "2024-11-20"))
    p = only(problems(text), "mergers[0].date")
    assert p.line == line_of(text, "- date: 2024-11-20") and "not after the baseline date 2024-11-26" in p.message


def test_a_merger_into_itself_and_missing_fields():
    text = timeline_text(merger=MERGER.replace("into: hts", "into: sdf"))
    assert "cannot merge into itself" in only(problems(text), "mergers[0].into").message
    text = timeline_text(merger=MERGER.replace("    sources: [reuters]\n", ""))
    p = only(problems(text), "mergers[0].sources")
    assert p.message == "missing" and p.line == line_of(text, "- date: 2024-12-10")


def test_renames_that_overlap():
    second = RENAMES.replace("    renames:\n", "").replace("2024-12-08", "2024-12-08").replace("New authorities", "Caretakers")
    text = timeline_text(renames=RENAMES + second)
    p = only(problems(text), "factions.hts.renames[1].from")
    assert p.line == line_of(text, "- from: 2024-12-08", 2)
    assert "overlaps the name from 2024-12-08" in p.message


def test_a_rename_out_of_order_or_before_the_baseline():
    earlier = RENAMES.replace("    renames:\n", "").replace("2024-12-08", "2024-12-01")
    text = timeline_text(renames=RENAMES + earlier)
    assert "overlaps" in only(problems(text), "renames[1].from").message
    text = timeline_text(renames=RENAMES.replace("2024-12-08", "2024-11-26"))
    p = only(problems(text), "renames[0].from")
    assert p.line == line_of(text, "- from: 2024-11-26") and "not after the baseline date" in p.message


def test_a_rename_after_the_faction_merged():
    text = timeline_text(renames=RENAMES, merger=MERGER.replace("faction: sdf", "faction: hts").replace("into: hts", "into: gov"), later="")
    text = text.replace("2024-12-08\n        label: New", "2024-12-12\n        label: New")
    p = only(problems(text), "renames[0].from")
    assert "'hts' merged into 'gov' on 2024-12-10" in p.message


# --- the validator: evidence ---------------------------------------------------------------------


def test_confirmed_needs_two_different_outlets():
    two = "    summary: Rebels take Aleppo.\n    sources: [reuters, afp]\n"
    text = BASE.replace(two, "    summary: Rebels take Aleppo.\n    sources: [reuters]\n")
    p = only(problems(text), "events[1].status")
    assert p.line == line_of(text, "status: confirmed", 2)
    assert "two different outlets (has 1 from reuters)" in p.message


def test_two_copies_of_one_wire_story_are_one_outlet():
    copy = (
        "    sources:\n      - {outlet: The Jerusalem Post (Reuters), title: Copy, date: 2024-12-06}\n"
        "      - {outlet: Reuters, title: Wire, date: 2024-12-06}\n"
    )
    text = BASE.replace("    summary: Rebels take Aleppo.\n    sources: [reuters, afp]\n", "    summary: Rebels take Aleppo.\n" + copy)
    assert "has 2 from reuters" in only(problems(text), "events[1].status").message


def test_disputed_needs_a_denial():
    text = BASE.replace("    denied_by: Syrian army\n", "")
    p = only(problems(text), "events[3].denied_by")
    assert p.line == line_of(text, "- date: 2024-12-06") and "say who denies it" in p.message


def test_basis_is_reported_or_inferred_and_inference_needs_a_note():
    text = timeline_text(later=LATER.replace("basis: inferred", "basis: guessed"))
    p = only(problems(text), "events[5].basis")
    assert p.line == line_of(text, "basis: guessed") and "not one of reported, inferred" in p.message
    text = timeline_text(later=LATER.replace("    note: Inferred from a province-wide statement.\n", ""))
    p = only(problems(text), "events[5].note")
    assert p.line == line_of(text, "- date: 2024-12-11") and "what was inferred from what" in p.message


@pytest.mark.parametrize(
    "outlet, key",
    [
        ("The Jerusalem Post (Reuters)", "reuters"),
        ("CNBC (Reuters copy)", "reuters"),
        ("AHN (based on Reuters)", "reuters"),
        ("Reuters (Maya Gebeily, Suleiman Al-Khalidi; with AP additions)", "reuters"),
        ("LBCI (AFP)", "afp"),
        ("A News (Anadolu)", "anadolu"),
        ("Anadolu Agency", "anadolu"),
        ("The Independent (print edition)", "independent"),
        ("North Press Agency (Kardo Roj), via the AANES representation in Europe", "north press agency"),
    ],
)
def test_outlet_key(outlet, key):
    assert outlet_key(outlet) == key


def test_distinct_outlets():
    s = [
        Source("Reuters", "a", date(2024, 12, 1)),
        Source("Yahoo News (Reuters)", "b", date(2024, 12, 1)),
        Source("Enab Baladi", "c", date(2024, 12, 1)),
    ]
    assert distinct_outlets(s[:2]) == 1 and distinct_outlets(s) == 2


# --- how far the reports go --------------------------------------------------------------------


def test_reports_to_runs_the_map_on_past_the_last_change():
    tl = Timeline(load(timeline_text() + "reports_to: 2025-01-31\n"))
    assert tl.last_day == date(2025, 1, 31) and tl.event_days[-1] == date(2024, 12, 11)
    assert tl.state_on(date(2025, 1, 31))["hama"].since == date(2024, 12, 11)  # a quiet month, not a gap
    caption = present.as_of_caption(tl.dataset, tl)
    assert "As of 31 Jan 2025" in caption and "latest change of control is of 11 Dec 2024" in caption
    assert "Reports were read up to 31 Jan 2025" in caption


def test_reports_to_before_the_last_change_is_refused():
    text = timeline_text() + "reports_to: 2024-12-09\n"
    p = only(problems(text), "reports_to")
    assert p.line == line_of(text, "reports_to:") and "before the last change in the data (2024-12-11)" in p.message


# --- short labels: one per faction at a time ------------------------------------------------------------


def test_a_rename_to_a_short_label_in_use_is_refused():
    text = timeline_text(renames=RENAMES.replace("short: New authorities", "short: sdf"))
    p = only(problems(text), "factions.hts.renames[0].short")
    assert p.line == line_of(text, "- from: 2024-12-08")
    assert p.message.startswith(f"'sdf' is already the short label of 'sdf' (line {line_of(text, 'short: SDF')}) at the same time")


def test_a_short_label_comes_back_once_its_faction_is_gone():
    text = timeline_text(renames=RENAMES.replace("2024-12-08", "2024-12-10").replace("short: New authorities", "short: SDF"))
    assert load(text).factions["hts"].on(date(2024, 12, 10)).short == "SDF"
