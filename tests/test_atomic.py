"""Files are written whole or not at all (geo/base/atomic.py): a failure part-way keeps the earlier file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.base.atomic import replacing, write_bytes
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES, REPO

GOOD = b"the good file of yesterday\n"


def leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_a_write_that_fails_part_way_keeps_the_old_file(tmp_path):
    target = tmp_path / "map.html"
    target.write_bytes(GOOD)
    with pytest.raises(OSError, match="disk full"), replacing(target) as temporary:
        temporary.write_bytes(b"<html>half a pa")
        raise OSError("disk full")
    assert target.read_bytes() == GOOD and leftovers(tmp_path, "map.html") == []


def test_a_whole_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    target = tmp_path / "state.csv"
    target.write_bytes(GOOD)
    target.chmod(0o640)
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    write_bytes(tmp_path / "fresh.csv", b"x")
    assert (tmp_path / "fresh.csv").stat().st_mode & 0o777 == 0o644
    assert leftovers(tmp_path, "state.csv") == ["fresh.csv"]


@pytest.mark.parametrize(
    "name, command",
    [
        ("syria-map.html", ["export-html", "{out}", "--cdn"]),
        ("day.png", ["export", "--date", "2024-12-06", "-o", "{out}"]),
        ("syria.gif", ["export-animation", "{out}", "--size", "400x225"]),
        ("syria.mp4", ["export-animation", "{out}", "--size", "400x225"]),
    ],
)
def test_an_export_on_a_disk_that_fills_up_keeps_the_old_file(tmp_path, name, command):
    """A real failure part-way: the process may write at most 16 KB per file (RLIMIT_FSIZE); every export is larger."""
    target = tmp_path / name
    target.write_bytes(GOOD)
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))\n"
        "from geo.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = [arg.format(out=target) for arg in command]
    done = subprocess.run(
        [sys.executable, "-c", limited, *args, "--no-zones", "--events", str(FIXTURE_EVENTS), "--places", str(FIXTURE_PLACES)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: cannot write {target}: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert target.read_bytes() == GOOD and leftovers(tmp_path, target.name) == []
