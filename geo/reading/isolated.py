"""Load a large dataset in a child process, so the parser's peak memory never belongs to the server.

Parsing and validating a 100,000-event file (18 MiB) builds ~500 MB of short-lived Python objects.
Once they are freed the process keeps most of that memory anyway (its allocator's arenas still
hold the survivors, scattered among the freed objects), so a server that loaded the file itself
stays ~300 MB above what the Dataset needs. In a child process that memory goes back to the system when
the child exits; the server only unpickles the finished Dataset (~11 MB). A crash of the YAML
parser on a hostile file then ends the child, not the server.

Small files (the shipped data) are loaded in-process: the child's start-up would cost more than
it saves. The result is the same either way: a Dataset, or a DataError listing every problem.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import operator
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any, cast

from geo.base import model
from geo.base.errors import DataError, Problem
from geo.base.model import Dataset
from geo.base.paths import PROJECT_DIR
from geo.reading.loader import load_dataset_from_bytes
from geo.reading.yamlread import MAX_BYTES, paused_gc

ISOLATE_FROM_BYTES = 4 * 2**20  # events files from this size on are loaded in a child process
TIMEOUT_S = 900
_CHILD = "from geo.reading.isolated import main; main()"  # run from the project folder, where geo is importable


def load(
    events_data: bytes | str | OSError,
    events_name: str,
    places_data: bytes | str | OSError | None,
    places_name: str,
    isolate_from: int = ISOLATE_FROM_BYTES,
) -> Dataset:
    """load_dataset_from_bytes, in a child process when the events file is at least `isolate_from` bytes."""
    size = len(events_data) if isinstance(events_data, bytes | str) else 0
    if size < isolate_from or size > MAX_BYTES:  # over the limit: refused at once, no child needed
        return load_dataset_from_bytes(events_data, events_name, places_data, places_name)
    payload = pickle.dumps((events_data, events_name, places_data, places_name), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        child = subprocess.run(
            [sys.executable, "-c", _CHILD], input=payload, capture_output=True, timeout=TIMEOUT_S, check=False, cwd=PROJECT_DIR
        )
    except (OSError, subprocess.SubprocessError):  # no child process here: load in-process after all
        return load_dataset_from_bytes(events_data, events_name, places_data, places_name)
    if child.returncode < 0:  # killed by a signal: the parser crashed (or the system ran out of memory)
        raise DataError([Problem(events_name, 1, "file", f"the YAML parser stopped with signal {-child.returncode} on this file")])
    if child.returncode != 0 or not child.stdout:
        return load_dataset_from_bytes(events_data, events_name, places_data, places_name)  # shows the real error
    with paused_gc():  # millions of new objects, none of them garbage: 0.6 s instead of 2.6 s
        kind, value = pickle.loads(child.stdout)
    if kind == "problems":
        raise DataError(value)
    return cast(Dataset, value)  # unpickled: ("dataset", Dataset) or ("problems", [Problem, ...]) from main()


def main() -> None:
    """The child: read the pickled arguments from stdin, write ("dataset", Dataset) or ("problems", [...]) to stdout."""
    events_data, events_name, places_data, places_name = pickle.loads(sys.stdin.buffer.read())
    result: tuple[str, Dataset | list[Problem]]
    try:
        result = ("dataset", load_dataset_from_bytes(events_data, events_name, places_data, places_name))
    except DataError as err:
        result = ("problems", err.problems)
    with paused_gc():  # the pickler's memo and argument tuples are not garbage either
        data = _dumps(result)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _reducer(cls: type) -> Callable[[object], tuple[type, Any]]:
    fields = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
    return lambda record: (cls, fields(record))


# The records are frozen dataclasses with slots, which pickle by default through a Python
# __getstate__/__setstate__ pair that looks up the fields anew for every record: 2.4 s to dump
# and 0.9 s to load 100,000 events. As calls of the class on its field values: ~0.2 s each.
_DISPATCH = copyreg.dispatch_table | {
    cls: _reducer(cls) for cls in (*vars(model).values(), Problem) if isinstance(cls, type) and dataclasses.is_dataclass(cls)
}


def _dumps(result: tuple[str, object]) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(result)
    return buffer.getvalue()
