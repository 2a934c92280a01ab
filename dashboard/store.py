"""What the dashboard keeps from one script run to the next, for every session: a store the server controls.

Per version of the data (a digest of both files' bytes and names) it keeps the outcome of loading it (the Dataset and
its Timeline, or the DataError with its problems: a broken file is parsed once per version, not on every rerun) and
what is built from it once (the zones, the map's page, the chart and the search box's labels); per data source (the
pair of file paths), the last version that passed, shown under the errors of a broken edit; and the files' last reads.

None of it lives in st.cache_data or st.cache_resource, because any client may send Streamlit's `clear_cache`
message, which empties those for everyone: that would take the last good map away while a file is broken, and make
the server build everything again (the zones: seconds on big data) for anyone who asks. This module is imported,
not run as the page is, so the store lasts as long as the server process. It is bounded (MAX_VERSIONS data versions,
failures included, of which at most MAX_SOURCES pinned as some source's last good one; the least recently used
goes first) and thread-safe (sessions run in threads of their own; each thing is built once, the others wait).

It also decides what the garbage collector may skip. Streamlit collects garbage after every script run
(runner.postScriptGC), walking every live object: ~120 ms for the modules alone, ~430 ms with the data of 5,000
places and 100,000 events built too. What lives long (modules, the data and what is built from it) is therefore
moved out of its sight with gc.freeze(), but only when a new version of the data has been built (`settle`), never
because a visitor asked: frozen objects are never collected, even once they are garbage, so before freezing again
everything frozen earlier is unfrozen and collected once (one full collection per new version of the data). Memory
then stays flat whatever visitors send and however often the data changes.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from geo.base.errors import DataError
from geo.reading.snapshot import Snapshots

MAX_VERSIONS = 4  # versions of the data kept, good or broken (a good one ~10 MB for 5,000 places / 100,000 events)
MAX_SOURCES = 2  # pairs of data files whose last good version is kept whatever else comes (the app reads one pair)
MAX_PROBLEM_LINES = 200  # of a broken version, kept and shown (a 24 MiB file can have 100,000 problems)

log = logging.getLogger("syria_map")
if not log.handlers:  # the server's log (Streamlit's own logger is not ours to configure)
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class Version:
    """One version of the data: `dataset` and `timeline`, or `problems` (their count and the first lines)."""

    def __init__(self, digest: str, dataset=None, timeline=None, error: DataError | None = None):
        self.digest, self.dataset, self.timeline = digest, dataset, timeline
        self.problem_count = len(error.problems) if error else 0
        self.problem_lines = [str(p) for p in error.problems[:MAX_PROBLEM_LINES]] if error else []
        self.frozen = False
        self._lock = threading.Lock()
        self._built: dict[str, Any] = {}
        self._building: dict[str, threading.Lock] = {}

    @property
    def ok(self) -> bool:
        return self.dataset is not None

    def has(self, name: str) -> bool:
        with self._lock:
            return name in self._built

    def forget(self, name: str) -> None:
        with self._lock:
            self._built.pop(name, None)

    def built(self, name: str, make: Callable[[], Any]) -> Any:
        """make(), once for this version (a failure is not kept: the next caller tries again)."""
        with self._lock:
            if name in self._built:
                return self._built[name]
            building = self._building.setdefault(name, threading.Lock())
        with building:
            with self._lock:
                if name in self._built:
                    return self._built[name]
            value = make()
            with self._lock:
                self._built[name] = value
                self._building.pop(name, None)
            return value


class Store:
    """The data versions, the sources' last good versions and the files' last reads (see the module's doc)."""

    def __init__(self, max_versions: int = MAX_VERSIONS, max_sources: int = MAX_SOURCES):
        assert max_sources < max_versions
        self.max_versions, self.max_sources = max_versions, max_sources
        self.snapshots = Snapshots()
        self._lock = threading.Lock()
        self._versions: OrderedDict[str, Version] = OrderedDict()  # least recently used first
        self._good: OrderedDict[tuple, str] = OrderedDict()  # source -> digest of its last good version
        self._loading: dict[str, threading.Lock] = {}
        self._froze_before = False

    def __len__(self) -> int:
        with self._lock:
            return len(self._versions)

    def version(self, digest: str, load: Callable[[], tuple], what: str = "") -> Version:
        """The version with this digest; load() -> (dataset, timeline) or DataError, called once per version."""
        with self._lock:
            found = self._get(digest)
            if found is not None:
                return found
            loading = self._loading.setdefault(digest, threading.Lock())
        with loading:
            with self._lock:
                found = self._get(digest)
                if found is not None:
                    return found
            started = time.perf_counter()
            try:
                try:
                    version = Version(digest, *load())
                except DataError as err:
                    version = Version(digest, error=err)
            finally:
                with self._lock:
                    self._loading.pop(digest, None)
            log.info(
                "data: parsed %s in %.2f s: %s",
                what or digest[:12],
                time.perf_counter() - started,
                "ok" if version.ok else f"{version.problem_count} problem(s)",
            )
            with self._lock:
                self._versions[digest] = version
                self._evict()
            return version

    def passed(self, source: tuple, version: Version) -> None:
        """`version` of `source` passed: it is shown under the errors of a later broken one."""
        with self._lock:
            self._good[source] = version.digest
            self._good.move_to_end(source)
            while len(self._good) > self.max_sources:
                self._good.popitem(last=False)
            self._evict()

    def last_good(self, source: tuple) -> Version | None:
        with self._lock:
            digest = self._good.get(source)
            return self._get(digest) if digest is not None else None

    def settle(self, version: Version) -> None:
        """Once per version that passed, after its page is out: freeze what lives long (see the module's doc).
        The first time only the young generations are collected first: a full collection would find next to nothing
        more (the automatic ones ran all along the imports) and hold the GIL ~100 ms on the server's first page."""
        with self._lock:
            if version.frozen or not version.ok:
                return
            version.frozen = True
            first, self._froze_before = not self._froze_before, True
        if first:
            gc.collect(1)
        else:
            gc.unfreeze()  # what earlier freezes kept, garbage by now or not: collected like anything else, once
            gc.collect()
        gc.freeze()

    def _get(self, digest: str) -> Version | None:
        found = self._versions.get(digest)
        if found is not None:
            self._versions.move_to_end(digest)
        return found

    def _evict(self) -> None:
        pinned = set(self._good.values())
        for digest in [d for d in self._versions if d not in pinned][: max(0, len(self._versions) - self.max_versions)]:
            del self._versions[digest]


STORE = Store()  # the server's one store
