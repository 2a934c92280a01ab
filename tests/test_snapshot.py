"""The data files are read again only when they change (geo.snapshot), and an edit is never missed."""

from __future__ import annotations

import hashlib
import os
import time

from geo import snapshot
from geo.snapshot import Snapshots


def test_an_old_unchanged_file_is_read_once(tmp_path, monkeypatch):
    path = tmp_path / "events.yaml"
    path.write_bytes(b"title: x\n")
    old = time.time() - 60
    os.utime(path, (old, old))
    snaps = Snapshots()
    data, digest = snaps.read(path)
    assert data == b"title: x\n" and digest == hashlib.sha256(b"title: x\n").hexdigest()
    monkeypatch.setattr(type(path), "read_bytes", lambda self: (_ for _ in ()).throw(AssertionError("read again")))
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
