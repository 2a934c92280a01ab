"""The data files' bytes and their SHA-256, read again only when a file changed: for the dashboard's reruns.

The dashboard keys everything on the content of its two data files, so that an edit shows on the
next rerun and an unchanged file costs nothing. Reading and hashing an 18 MiB events file on every
rerun costs ~15 ms, though; `Snapshots.read` keeps the last read of each file with its stat
(modification time, size, inode, change time) and reads again only when the stat differs. As git
does with its index, a file modified less than RACY_S seconds before it was read is read again on
every call until it is older: an edit in the same clock tick as a read, same size, is never missed.
A file over the loader's limit (geo.reading.yamlread.MAX_BYTES) is not read at all: its "bytes" are the error saying so.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

from geo.reading.yamlread import read_bounded

RACY_S = 2.0


class Snapshots:
    """Thread-safe; keep one per server (the dashboard: dashboard/store.py)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[tuple[int, int, int, int], bytes, str, float]] = {}

    def read(self, path: Path) -> tuple[bytes | OSError, str]:
        """(the file's bytes, or the error reading it; the SHA-256 hex digest of the bytes, or of the error)."""
        try:
            stat = path.stat()
            key = (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)
        except OSError as exc:
            return exc, hashlib.sha256(repr(exc).encode()).hexdigest()
        with self._lock:
            found = self._seen.get(str(path))
        if found is not None and found[0] == key and stat.st_mtime_ns / 1e9 < found[3] - RACY_S:
            return found[1], found[2]
        read_at = time.time()
        data = read_bounded(path)  # the size checked first: a 500 MB file is refused unread
        if isinstance(data, OSError):
            return data, hashlib.sha256(f"{data!r}{key}".encode()).hexdigest()
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._seen[str(path)] = (key, data, digest, read_at)
        return data, digest
