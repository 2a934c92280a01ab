"""The data files are read again only when they change (geo.reading.snapshot), and an edit is never missed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

from geo.reading import snapshot
from geo.reading.snapshot import Snapshots
from tests.support.data import REPO


def test_an_old_unchanged_file_is_read_once(tmp_path, monkeypatch):
    path = tmp_path / "events.yaml"
    path.write_bytes(b"title: x\n")
    old = time.time() - 60
    os.utime(path, (old, old))
    snaps = Snapshots()
    data, digest = snaps.read(path)
    assert data == b"title: x\n" and digest == hashlib.sha256(b"title: x\n").hexdigest()
    monkeypatch.setattr(type(path), "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read again")))
    monkeypatch.setattr(snapshot, "read_bounded", lambda path: (_ for _ in ()).throw(AssertionError("read again")))
    assert snaps.read(path) == (data, digest)


def test_an_edit_shows_at_once_even_in_the_same_second_and_size(tmp_path):
    path = tmp_path / "events.yaml"
    path.write_bytes(b"aaaa")
    snaps = Snapshots()
    assert snaps.read(path)[0] == b"aaaa"
    stat = path.stat()
    path.write_bytes(b"bbbb")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same modification time
    assert snaps.read(path)[0] == b"bbbb"  # modified just now: read again


def test_a_changed_stat_reads_again_and_errors_are_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "RACY_S", -1e9)  # trust every stat
    path = tmp_path / "events.yaml"
    path.write_bytes(b"one")
    snaps = Snapshots()
    assert snaps.read(path)[0] == b"one"
    path.write_bytes(b"three")
    assert snaps.read(path)[0] == b"three"
    path.unlink()
    data, digest = snaps.read(path)
    assert isinstance(data, OSError) and len(digest) == 64
    path.write_bytes(b"back")
    assert snaps.read(path)[0] == b"back"


# What the dashboard (its Snapshots, then the loader on the bytes) and the command line (load_dataset) make of a file
# far over the loader's limit, and the process's peak memory meanwhile.
OVERSIZED = """
import json, re, sys
from pathlib import Path
from geo.base.errors import DataError
from geo.reading.loader import load_dataset, load_dataset_from_bytes
from geo.reading.snapshot import Snapshots

path, out = Path(sys.argv[1]), {}
data, digest = Snapshots().read(path)
for key, load in (("app", lambda: load_dataset_from_bytes(data, "events.yaml")), ("cli", lambda: load_dataset(path))):
    try:
        load()
    except DataError as err:
        out[key] = [str(p) for p in err.problems if p.file.endswith("events.yaml")]
# the peak of this process's own memory (VmHWM: ru_maxrss would count the parent's, from before the exec)
out["peak_mb"] = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())[1]) / 1024
print(json.dumps(out))
"""


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "events.yaml"
    with open(path, "wb") as file:
        file.truncate(500 * 2**20)  # 500 MB of zero bytes, sparse: no disk used
    result = subprocess.run([sys.executable, "-c", OVERSIZED, str(path)], cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(result.stdout)
    assert out["app"] == ["events.yaml:1: file: file is larger than 24 MiB"], out
    assert out["cli"] == [f"{path}:1: file: file is larger than 24 MiB"], out
    assert out["peak_mb"] < 250, out  # reading it whole took > 500 MB


def test_a_huge_file_has_a_digest_per_version_and_is_not_kept(tmp_path):
    path = tmp_path / "events.yaml"
    with open(path, "wb") as file:
        file.truncate(30 * 2**20)
    snaps = Snapshots()
    data, digest = snaps.read(path)
    assert isinstance(data, OSError) and "larger than 24 MiB" in str(data)
    assert snaps.read(path)[1] == digest  # the same file: the same digest
    with open(path, "ab") as file:
        file.write(b"more")
    assert snaps.read(path)[1] != digest  # edited (still too large): another version
