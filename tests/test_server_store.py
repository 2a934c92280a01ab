"""The dashboard's own store (dashboard/store.py): one load per version of the data, failures kept too, bounded,
the last good version of each source kept, thread-safe, and frozen objects given back to the collector."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest

from dashboard.store import MAX_PROBLEM_LINES, Store
from geo.base.errors import DataError, Problem


def good(name: str):
    return lambda: (f"dataset {name}", f"timeline {name}")


def broken(count: int = 1):
    def load():
        raise DataError([Problem("events.yaml", i + 1, "field", "bad") for i in range(count)])

    return load


def test_each_version_is_loaded_once_even_by_many_threads_at_once():
    store, calls = Store(), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "dataset", "timeline"

    found = []
    threads = [threading.Thread(target=lambda: found.append(store.version("a", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(v) for v in found}) == 1 and found[0].ok
    assert store.version("a", slow) is found[0] and len(calls) == 1


def test_a_failure_is_kept_per_version_and_its_lines_are_bounded():
    store, calls = Store(), []

    def load():
        calls.append(1)
        broken(MAX_PROBLEM_LINES + 50)()

    version = store.version("bad", load)
    assert not version.ok and version.problem_count == MAX_PROBLEM_LINES + 50
    assert len(version.problem_lines) == MAX_PROBLEM_LINES and version.problem_lines[0] == "events.yaml:1: field: bad"
    assert store.version("bad", load) is version and len(calls) == 1


def test_an_unexpected_exception_is_not_kept():
    store, calls = Store(), []

    def load():
        calls.append(1)
        if len(calls) == 1:
            raise MemoryError
        return "dataset", "timeline"

    with pytest.raises(MemoryError):
        store.version("a", load)
    assert store.version("a", load).ok and len(calls) == 2


def test_the_store_is_bounded_and_keeps_each_sources_last_good_version():
    store = Store(max_versions=4, max_sources=2)
    first = store.version("v0", good("0"))
    store.passed(("events.yaml", "places.yaml"), first)
    for i in range(1, 20):  # broken and good versions of another source, and one-off ones
        store.version(f"v{i}", good(str(i)) if i % 2 else broken())
        assert len(store) <= 4
    assert store.last_good(("events.yaml", "places.yaml")) is first  # never evicted while it is the last good one
    assert store.version("v0", broken()) is first
    # more sources than kept: the oldest source's last good version may go
    for i in range(3):
        source = (f"e{i}", "p")
        store.passed(source, store.version(f"s{i}", good(f"s{i}")))
    assert store.last_good(("events.yaml", "places.yaml")) is None
    assert store.last_good(("e2", "p")) is not None and len(store) <= 4


def test_what_is_built_from_a_version_is_built_once():
    store = Store()
    version = store.version("a", good("a"))
    calls = []

    def make():
        calls.append(1)
        time.sleep(0.1)
        return object()

    results = []
    threads = [threading.Thread(target=lambda: results.append(version.built("zones", make))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len({id(r) for r in results}) == 1 and version.has("zones")
    with pytest.raises(OSError):
        version.built("page", lambda: (_ for _ in ()).throw(OSError("read-only")))
    assert not version.has("page") and version.built("page", lambda: "url") == "url"  # a failure is tried again


class Cycle:
    def __init__(self):
        self.me = self


def test_settling_a_new_version_gives_what_earlier_freezes_kept_back_to_the_collector():
    """Objects frozen with gc.freeze() are never collected, even once garbage: the store freezes once per new version
    of the data, and unfreezes and collects first, so garbage frozen earlier is freed then (not never)."""
    store = Store()
    try:
        one = store.version("one", good("1"))
        garbage = Cycle()
        ref = weakref.ref(garbage)
        store.settle(one)  # the first time: freezes everything there is, the cycle included
        assert gc.get_freeze_count() > 0
        del garbage
        gc.collect()
        assert ref() is not None  # frozen: out of the collector's sight
        store.settle(one)  # the same version again (a rerun, a clear_cache): nothing happens
        gc.collect()
        assert ref() is not None
        store.settle(store.version("two", good("2")))  # a new version: unfreeze, collect, freeze
        assert ref() is None
        broken_version = store.version("three", broken())
        count = gc.get_freeze_count()
        store.settle(broken_version)  # nothing is built for a broken version: nothing to freeze
        assert gc.get_freeze_count() == count
    finally:
        gc.unfreeze()
