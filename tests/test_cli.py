"""`python -m geo`: exit codes and outputs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli.main import main

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
DATA = ["--events", str(FIXTURES / "events.yaml"), "--places", str(FIXTURES / "places.yaml")]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(capsys):
    code, out, _ = run(capsys, "validate", str(FIXTURES / "events.yaml"), "--places", str(FIXTURES / "places.yaml"))
    assert code == 0
    assert out.strip() == "OK: 4 places, 5 events, 2024-11-26..2024-12-06"


def test_validate_lists_every_problem_and_exits_1(capsys, tmp_path):
    text = (FIXTURES / "events.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "events.yaml"
    bad.write_text(text.replace("place: hama", "place: hamma").replace("status: disputed", "status: disputd"), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(bad), "--places", str(FIXTURES / "places.yaml"))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}:") and "events[2].place: unknown place 'hamma'" in lines[0]
    assert "events[3].status" in lines[1]


def test_state_csv_has_the_documented_columns(capsys):
    code, out, _ = run(capsys, "state", "2024-11-29", "--format", "csv", *DATA)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    for column in ("place_id", "name", "kind", "lat", "lon", "geonames_id", "controller", "status", "since"):
        assert column in rows[0]
    aleppo = next(r for r in rows if r["place_id"] == "aleppo")
    assert aleppo["controller"] == "gov" and aleppo["mode"] == "contested" and aleppo["contested_with"] == "hts"
    assert aleppo["geonames_id"] == "170063" and float(aleppo["lat"]) == pytest.approx(36.20124)
    assert aleppo["changed_today"] == "True"


def test_state_json(capsys):
    code, out, _ = run(capsys, "state", "2024-12-06", "--format", "json", *DATA)
    rows = {r["place_id"]: r for r in json.loads(out)}
    assert code == 0
    assert rows["nassib_crossing"]["controller"] == "south" and rows["nassib_crossing"]["status"] == "claimed"
    assert rows["nassib_crossing"]["geonames_id"] is None


def test_state_table(capsys):
    code, out, _ = run(capsys, "state", "2024-12-06", *DATA)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["place_id", "name", "kind", "controller"]
    assert any(line.startswith("deir_ez_zor") and " sdf " in line and "disputed" in line for line in lines)


@pytest.mark.parametrize("day, message", [("2024-11-01", "before the first day"), ("yesterday", "not a date")])
def test_state_bad_date_exits_2(capsys, day, message):
    code, out, err = run(capsys, "state", day, *DATA)
    assert code == 2 and out == "" and message in err


def test_history(capsys):
    code, out, _ = run(capsys, "history", "aleppo", *DATA)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Aleppo (حلب), city, Aleppo"
    assert lines[1] == "2024-11-26  gov  [baseline]"
    assert lines[2].startswith("2024-11-29  gov (contested by hts)  [confirmed]")
    assert 'source: Reuters, "Test report", 2024-12-06 <https://www.reuters.com/world/middle-east/>' in out


def test_history_shows_claims_and_qualifiers(capsys):
    _, out, _ = run(capsys, "history", "hama", *DATA)
    assert "2024-12-05 (evening)  hts  [claimed, claimed by HTS]  Rebels say they took Hama." in out


def test_history_unknown_place(capsys):
    code, _, err = run(capsys, "history", "alepo", *DATA)
    assert code == 2 and "did you mean 'aleppo'" in err


def test_state_on_invalid_data_exits_1_with_problems_on_stderr(capsys, tmp_path):
    bad = tmp_path / "e.yaml"
    bad.write_text("title: x\n", encoding="utf-8")
    code, out, err = run(capsys, "state", "2024-12-01", "--events", str(bad), "--places", str(FIXTURES / "places.yaml"))
    assert code == 1 and out == "" and "factions: missing" in err


def test_module_entry_point_and_help():
    result = subprocess.run([sys.executable, "-m", "geo", "--help"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    for word in ("validate", "state", "history", "events.yaml", "examples:"):
        assert word in result.stdout
    result = subprocess.run([sys.executable, "-m", "geo"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "COMMAND" in result.stderr


def test_synth_is_wired_and_its_output_validates(capsys, tmp_path):
    out = tmp_path / "s.yaml"
    assert main(["synth", "--places", "20", "--events", "40", "--days", "30", "--seed", "3", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    code, text, _ = run(capsys, "validate", str(out), "--places", str(tmp_path / "s.places.yaml"))
    assert code == 0 and text.startswith("OK: 20 places, 40 events, ")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x.test","Hama")', "+1+cmd", "-2+3", "@SUM(A1)"])
def test_state_csv_neutralises_formulas(capsys, tmp_path, name):
    places = tmp_path / "places.yaml"
    text = (FIXTURES / "places.yaml").read_text(encoding="utf-8")
    places.write_text(text.replace("    name: Hama\n", f"    name: '{name}'\n", 1), encoding="utf-8")
    code, out, _ = run(capsys, "state", "2024-11-29", "--format", "csv", "--events", str(FIXTURES / "events.yaml"), "--places", str(places))
    assert code == 0
    rows = {row["place_id"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows["hama"]["name"] == "'" + name
    assert rows["hama"]["lat"].startswith("35.")  # numbers are left alone


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\u202e\x85"


@pytest.fixture
def escaping_data(monkeypatch):
    """The fixture data with terminal escapes in a name and a summary, as if it had bypassed the validator."""
    import dataclasses

    from geo.cli import main as cli
    from geo.reading.loader import load_dataset

    ds = load_dataset(FIXTURES / "events.yaml", FIXTURES / "places.yaml")
    places = dict(ds.places, hama=dataclasses.replace(ds.places["hama"], name="Hama" + ESCAPES))
    events = tuple(dataclasses.replace(e, summary=e.summary + ESCAPES) for e in ds.events)
    monkeypatch.setattr(cli, "load_dataset", lambda *_: dataclasses.replace(ds, places=places, events=events))


@pytest.mark.parametrize("args", [("history", "hama"), ("state", "2024-12-06"), ("state", "2024-12-06", "--format", "csv")])
def test_the_cli_never_prints_escapes_raw(capsys, escaping_data, args):
    code, out, _ = run(capsys, *args)
    assert code == 0 and "Hama" in out
    assert not any(c in out for c in "\x1b\x07\u202e\x85")
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202e\\x85" in out


def test_state_json_escapes_overrides_and_keeps_the_value(capsys, escaping_data):
    code, out, _ = run(capsys, "state", "2024-12-06", "--format", "json")
    assert code == 0 and not any(c in out for c in "\x1b\x07\u202e\x85")
    assert {row["place_id"]: row["name"] for row in json.loads(out)}["hama"] == "Hama" + ESCAPES


def geo_command(*args: str, stdout) -> subprocess.Popen:
    data = [str(FIXTURES / "events.yaml"), "--places", str(FIXTURES / "places.yaml")] if args[0] == "validate" else DATA
    return subprocess.Popen([sys.executable, "-m", "geo", *args, *data], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize(
    "args",
    [
        ("state", "2024-12-06"),
        ("state", "2024-12-06", "--format", "json"),
        ("history", "aleppo"),
        ("validate",),
        ("export", "--format", "csv"),
    ],
)
def test_a_full_disk_is_one_line_on_stderr(args):
    with open("/dev/full", "w") as full:
        proc = geo_command(*args, stdout=full)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert err == "error: cannot write the output: No space left on device\n"


def test_a_reader_that_stops_early_ends_the_command_quietly():
    proc = geo_command("state", "2024-12-06", stdout=subprocess.PIPE)
    proc.stdout.close()  # before it writes: as `| head -0`
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141 and err == ""
