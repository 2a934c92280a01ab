"""Fuzzing the loader: thousands of broken and generated files, zero tracebacks, no event silently lost.

Every case must end in one of two ways:

* a Dataset, whose Timeline builds and answers for its last day, holding exactly as many
  events as the file's raw `events` list (counted from our own compose of the same bytes),
  each at its item's line, in file order; or
* a DataError whose every problem names a file, a line inside it, a field and a one-line
  message, and that names every event item the loader could not turn into an Event on a
  line inside that item, with that item's `events[i]` field.

To know what the loader made of each item we wrap `_EventsReader.read_events` and
`read_event` (spies: the loader itself is not changed): an item it returned None for must
have a problem of its own; it must have looked at every item of the list, in order; and if
it never got to the list, a problem outside the event items must say why (bad YAML, a
broken gazetteer, `events` missing or not a list...).

Set FUZZ_SCALE=N to run N times as many cases (a long campaign, e.g. before a release).

Mutations are seeded (each case is reproducible from its base file and number, see
`mutate`); hypothesis runs derandomized, so the whole file is deterministic.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.base.errors import DataError
from geo.base.model import Dataset
from geo.reading.gazetteer import DEFAULT_PLACES, geonames_syria
from geo.reading.loader import DEFAULT_EVENTS, MAX_SPAN_DAYS, _EventsReader, load_dataset, load_dataset_from_bytes
from geo.reading.yamlread import Node, SequenceNode
from geo.timeline.control import Timeline

FIXTURES = Path(__file__).parent / "fixtures"
FIX_EVENTS = (FIXTURES / "events.yaml").read_bytes()
FIX_PLACES = (FIXTURES / "places.yaml").read_bytes()
EV, PL = "events.yaml", "places.yaml"  # the names the problems must carry
MB = 1024 * 1024


# FUZZ_SCALE=20 runs 20 times as many cases (a long campaign); the default keeps the file near 30 s.
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def fuzz(max_examples: int) -> settings:
    """Deterministic hypothesis runs: derandomized, no example database, no deadline."""
    return settings(
        max_examples=max_examples * SCALE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_EVENT_FIELD = re.compile(r"^events\[(\d+)\](\.|$)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # line breaks, terminal escapes...
CASES: Counter = Counter()  # cases run per test, printed by the last test (pytest -s shows it)


# --- the spy and the invariants -----------------------------------------------------

CALLS: list[tuple[int, Node, object]] = []  # (index, item node, Event or None) per read_event call
LISTS: list[Node] = []  # the node read_events was given (the `events` value), if it got that far


@pytest.fixture(autouse=True, scope="module")
def spy_on_the_events_reader():
    read_event, read_events = _EventsReader.read_event, _EventsReader.read_events

    def spy_event(self, index, node):
        event = read_event(self, index, node)
        CALLS.append((index, node, event))
        return event

    def spy_events(self, node, *args):
        LISTS.append(node)
        return read_events(self, node, *args)

    geonames_syria()  # loaded once (seconds), before any test times or traces memory
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_EventsReader, "read_event", spy_event)
        mp.setattr(_EventsReader, "read_events", spy_events)
        yield


def n_lines(data: bytes | str) -> int:
    """Lines as YAML counts them (\\r\\n, \\r, \\n); the empty file has none."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if not text or text[-1] in "\r\n" else 1)


def short(p) -> str:
    text = repr(str(p))
    return text if len(text) < 300 else f"{text[:300]}... ({len(text)} characters)"


def span(node: yaml.Node) -> tuple[int, int]:
    """First and last line (1-based) of a node's text (a node of PyYAML's own compose).

    A block collection ends where the next token starts (often the next item's line), so
    its last line is that of its last value, down to a scalar or a flow collection.
    """
    first = node.start_mark.line + 1
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark  # a block scalar (`|`) ends at the start of the line after it
    return first, max(first, end.line if end.column == 0 else end.line + 1)


def raw_event_items(events: bytes | str) -> list[yaml.Node] | None:
    """The items of the top-level `events` list, by our own compose of the same bytes (None: no such list)."""
    text = events.decode("utf-8-sig") if isinstance(events, bytes) else events
    root = yaml.compose(text, Loader=_YAML)
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:  # the first `events` key counts, as in the loader (a duplicate is an error)
        if isinstance(key, yaml.ScalarNode) and key.value == "events":
            return list(value.value) if isinstance(value, yaml.SequenceNode) else None
    return None


def check(events: bytes | str, places: bytes | str = FIX_PLACES, what: str = "") -> Dataset | DataError:
    """Load, then assert every invariant of the module docstring; any other exception fails the test."""
    CALLS.clear()
    LISTS.clear()
    try:
        ds = load_dataset_from_bytes(events, EV, places, PL)
    except DataError as exc:
        _check_failure(exc, events, places, what)
        return exc
    except Exception as exc:  # the whole point: name the case that made the traceback
        raise AssertionError(f"{what}: {type(exc).__name__}: {exc}") from exc
    _check_success(ds, events, what)
    return ds


def _check_success(ds: Dataset, events: bytes | str, what: str) -> None:
    assert isinstance(ds, Dataset), what
    tl = Timeline(ds)
    state = tl.state_on(tl.last_day)
    assert set(state) == set(ds.places), what
    assert sum(tl.counts_on(tl.last_day).values()) == len(ds.places), what
    for pid in ds.places:
        assert tl.history(pid)[-1] == state[pid] or tl.history(pid)[-1].control == state[pid].control, what

    items = raw_event_items(events)
    assert items is not None, f"{what}: loaded, but our compose finds no events list"
    assert len(ds.events) == len(items), f"{what}: {len(items)} events in the file, {len(ds.events)} loaded"
    assert [e.index for e in ds.events] == list(range(len(items))), what
    assert [e.line for e in ds.events] == [span(item)[0] for item in items], what
    assert [(index, event) for index, _, event in CALLS] == list(enumerate(ds.events)), what
    days = [e.date for e in ds.events]
    assert days == sorted(days) and all(ds.baseline_date <= d <= ds.baseline_date + timedelta(MAX_SPAN_DAYS) for d in days), what
    for e in ds.events:
        assert e.place in ds.places and set(e.control.factions()) <= set(ds.factions), what
        assert e.summary and e.sources and e.status in ("confirmed", "claimed", "disputed"), what


def _check_failure(exc: DataError, events: bytes | str, places: bytes | str, what: str) -> None:
    problems = exc.problems
    assert problems, f"{what}: a DataError without problems"
    sizes = {EV: n_lines(events), PL: n_lines(places)}
    for p in problems:
        assert p.file in sizes, f"{what}: {short(p)}"
        assert isinstance(p.line, int) and 1 <= p.line <= sizes[p.file] + 1, f"{what}: not a line of the file: {short(p)}"
        assert isinstance(p.field, str) and p.field.strip(), f"{what}: no field: {short(p)}"
        assert isinstance(p.message, str) and p.message.strip(), f"{what}: no message: {short(p)}"
        assert not _CONTROL.search(str(p)), f"{what}: a problem must be one line of plain text: {short(p)}"
        assert len(str(p)) < 5000, f"{what}: a {len(str(p))}-character message: {short(p)}"
    assert [(p.file, p.line) for p in problems] == sorted((p.file, p.line) for p in problems), what

    # Items the loader looked at and dropped: each needs its own problem, inside its lines (as PyYAML's compose sees them).
    raw = raw_event_items(events) if CALLS else []
    for index, node, event in CALLS:
        first, last = span(raw[index])
        assert node.line == first, f"{what}: events[{index}] starts on line {first}, the loader says {node.line}"
        if event is None:
            assert any(
                p.file == EV and first <= p.line <= last and (m := _EVENT_FIELD.match(p.field)) and int(m[1]) == index for p in problems
            ), f"{what}: events[{index}] (lines {first}-{last}) was dropped without a problem of its own: {[short(p) for p in problems]}"
        else:
            assert event.index == index and event.line == first, what
            # Half-built only when a catalogue source it cites is itself broken (reported there, once).
            if event.sources is None:
                assert any(p.field.startswith("sources.") for p in problems), f"{what}: events[{index}] has no sources"
    # Items it never looked at: a problem outside the event items must explain why.
    broken_file = [p for p in problems if p.file == PL or p.field in ("file", "yaml")]
    if broken_file:
        assert not LISTS and not CALLS, f"{what}: events read from a file that did not parse, or with a broken gazetteer"
        return
    assert len(LISTS) <= 1, what
    items = LISTS[0].value if LISTS and isinstance(LISTS[0], SequenceNode) else []
    assert [node for _, node, _ in CALLS] == items and [i for i, _, _ in CALLS] == list(range(len(items))), (
        f"{what}: the loader read {len(CALLS)} of the {len(items)} event items"
    )
    if not LISTS or not isinstance(LISTS[0], SequenceNode):
        assert any(p.field == "events" or not _EVENT_FIELD.match(p.field) for p in problems), (
            f"{what}: the events were never read, and no problem says why"
        )
    if isinstance(events, bytes) and len(events) < 100_000 and items:  # and our own compose agrees on where the items are
        assert [span(n)[0] for n in raw_event_items(events)] == [n.line for n in items], what


# --- mutations --------------------------------------------------------------------------

HUGE = b"x" * MB
IMPOSSIBLE_DATES = [
    b"2024-02-30",
    b"2024-13-01",
    b"0000-01-01",
    b"9999-12-31",
    b"2024-00-10",
    b"2023-02-29",
    b"2024-12-32",
    b"2024-1-1",
    b"20241206",
    b"2024-12-06T10:00",
    b"2024-12-06 ",
    b"'2024-12-06'",
    b"2024-11-25",
    b"1970-01-01",
    b"2034-12-01",
    b"2100-01-01",
]
VALUES = [
    b"[a, b]",
    b"[]",
    b"{a: 1}",
    b"{}",
    b"~",
    b"",
    b"null",
    b"''",
    b'""',
    b"' '",
    b"no",
    b"on",
    b"yes",
    b"off",
    b"true",
    b"0",
    b"-1",
    b"1e400",
    b".nan",
    b".inf",
    b"0x1F",
    b"12345678901234567890",
    b"3.14",
    b"!!binary aGVsbG8=",
    b"!!python/object/apply:os.system [echo pwned]",
    b"!custom x",
    b"|\n  block\n  text",
    b">-\n  folded",
    b"'",
    b'"open',
    b"[",
    b"{",
    b"]",
    b"- a",
    b"a: b: c",
    b"# a comment",
    b"&a x",
    b"*a",
    b"&a [1, *a]",
    b"? complex",
    b"%YAML 1.1",
    b"---",
    b"...",
    b"@at",
    b"`tick",
    b"gov",
    b"hts",
    b"aleppo",
    b"confirmed",
    b"disputed",
    b"reuters",
    b"[reuters, reuters]",
    b"[{outlet: X, title: Y, date: 2024-12-01}]",
    b"[{outlet: X}]",
    b'"#123456"',
    b"#123456",
    b"http://",
    b"javascript:x",
    b'"\\u0000"',
    b'"\\ud800"',
    b'"\\x85"',
    b'"a\\tb"',
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\xef\xbb\xbf",
    b"\t",
    b'"https://[::1/x"',
    b"http://[x",
    b'"a\\nb"',
    b'"\\e[31mred"',
    b'"\\x1b]0;title\\x07"',
    b"'multi\n  line'",
    HUGE,
    b'"' + HUGE + b'"',
    b"[" + b"a, " * 20_000 + b"a]",
    b"\xff\xfe",
    *IMPOSSIBLE_DATES,
]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\x80", b"\xc0\x80", b"\xed\xa0\x80", b"\xe2\x82", b"\xf4\x90\x80\x80", b"\xc3", b"\xf8\x88\x80\x80\x80"]
_KEY_VALUE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_][\w]*)(:)([ \t]*)(.*)$")
_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _pick_line(rng: random.Random, data: bytes, pattern: re.Pattern | None = None) -> tuple[list[bytes], int | None]:
    lines = _lines(data)
    choices = [i for i, line in enumerate(lines) if pattern is None or pattern.match(line.rstrip(b"\r\n"))]
    return lines, (rng.choice(choices) if choices else None)


def m_truncate(rng, data, base):
    return data[: rng.randrange(len(data) + 1)]


def m_delete_line(rng, data, base):
    lines, i = _pick_line(rng, data)
    del lines[i]
    return b"".join(lines)


def m_duplicate_line(rng, data, base):  # a `key: value` line twice in its mapping: a duplicate key
    lines, i = _pick_line(rng, data)
    lines.insert(i, lines[i])
    return b"".join(lines)


def m_swap_lines(rng, data, base):
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def m_move_line(rng, data, base):
    lines = _lines(data)
    line = lines.pop(rng.randrange(len(lines)))
    lines.insert(rng.randrange(len(lines) + 1), line)
    return b"".join(lines)


def m_replace_value(rng, data, base):
    lines, i = _pick_line(rng, data, _KEY_VALUE)
    if i is None:
        return data
    m = _KEY_VALUE.match(lines[i].rstrip(b"\r\n"))
    value = rng.choice(VALUES)
    lines[i] = m[1] + m[2] + m[3] + b" " + value + b"\n"
    return b"".join(lines)


def m_replace_key(rng, data, base):
    lines, i = _pick_line(rng, data, _KEY_VALUE)
    if i is None:
        return data
    m = _KEY_VALUE.match(lines[i].rstrip(b"\r\n"))
    key = rng.choice(
        [
            m[2][:-1],
            m[2] + m[2][-1:],
            m[2].upper(),
            b"'" + m[2] + b"'",
            b'""',
            b"''",
            b"~",
            b"null",
            b"1",
            b"[a]",
            b"{a: 1}",
            b"events",
            b"date",
            b"place",
            b"sources",
            b"? x\n",
            b"x" * 2000,
            b"? " + HUGE + b"\n",
            b"\xd8\xad\xd9\x84\xd8\xa8",
        ]
    )
    lines[i] = m[1] + key + m[3] + m[4] + m[5] + b"\n"
    return b"".join(lines)


def m_impossible_date(rng, data, base):
    found = list(_DATE.finditer(data))
    if not found:
        return data
    m = rng.choice(found)
    return data[: m.start()] + rng.choice(IMPOSSIBLE_DATES) + data[m.end() :]


def m_deep_nesting(rng, data, base):
    lines, i = _pick_line(rng, data, _KEY_VALUE)
    if i is None:
        return data
    m = _KEY_VALUE.match(lines[i].rstrip(b"\r\n"))
    n = rng.choice([2, 5, 18, 19, 20, 21, 22, 50, 1000, 20_000])
    kind = rng.randrange(4)
    if kind == 0:
        value = b"[" * n + b"x" + b"]" * n
    elif kind == 1:
        value = b"{a: " * n + b"x" + b"}" * n
    elif kind == 2:
        value = b"[" * n  # never closed
    else:  # block nesting, one level per line
        indent = len(m[1]) + 2
        value = b"".join(b"\n" + b" " * (indent + 2 * k) + b"- " for k in range(min(n, 2000))) + b"x"
    lines[i] = m[1] + m[2] + m[3] + b" " + value + b"\n"
    return b"".join(lines)


def m_insert_bytes(rng, data, base):
    at = rng.randrange(len(data) + 1)
    kind = rng.randrange(5)
    if kind == 0:
        chunk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    elif kind == 1:
        chunk = rng.choice(INVALID_UTF8)
    elif kind == 2:
        chunk = rng.choice(
            [
                b"\x00",
                b"\x01",
                b"\x1b",
                b"\x7f",
                b"\t",
                b"\r",
                b"\x0b",
                b"\x0c",
                b"\xc2\x85",
                b"\xc2\x9f",
                b"\xe2\x80\xa8",
                b"\xe2\x80\xa9",
                b"\xef\xbb\xbf",
                b"\xef\xbf\xbe",
                b"\xef\xbf\xbf",
            ]
        )
    elif kind == 3:
        chunk = rng.choice(
            [
                b":",
                b"-",
                b"#",
                b"&",
                b"*",
                b"!",
                b"|",
                b">",
                b"'",
                b'"',
                b"%",
                b"@",
                b"`",
                b"{",
                b"}",
                b"[",
                b"]",
                b",",
                b"?",
                b": ",
                b"- ",
                b" #",
                b"\n",
                b"\n---\n",
                b"\n...\n",
            ]
        )
    else:
        chunk = "".join(rng.choice("aéحلب€𝄞 \u200b\u00a0") for _ in range(rng.randint(1, 6))).encode()
    return data[:at] + chunk + data[at:]


def m_encoding(rng, data, base):
    kind = rng.randrange(6)
    if kind == 0:
        return b"\xef\xbb\xbf" + data  # UTF-8 BOM: fine
    if kind == 1:
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    if kind == 2:
        return data.decode("utf-8", "replace").encode("utf-16")  # BOM and all
    if kind == 3:
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if kind == 4:
        return data.replace(b"\n", b"\r\n")
    return data.replace(b"\n", b"\r")


def m_whitespace(rng, data, base):
    lines, i = _pick_line(rng, data)
    line = lines[i]
    kind = rng.randrange(5)
    if kind == 0:
        lines[i] = b"\t" + line.lstrip(b" ")
    elif kind == 1:
        lines[i] = b" " + line
    elif kind == 2:
        lines[i] = line[1:] if line.startswith(b" ") else line
    elif kind == 3:
        lines[i] = line.replace(b": ", b":\t", 1)
    else:
        lines[i] = b"# " + line
    return b"".join(lines)


def m_anchor_alias(rng, data, base):
    lines = _lines(data)
    choices = [i for i, line in enumerate(lines) if _KEY_VALUE.match(line.rstrip(b"\r\n"))]
    if len(choices) < 2:
        return data
    i, j = sorted(rng.sample(choices, 2))
    mi, mj = (_KEY_VALUE.match(lines[k].rstrip(b"\r\n")) for k in (i, j))
    lines[i] = mi[1] + mi[2] + b": &anc " + mi[5] + b"\n"
    lines[j] = mj[1] + mj[2] + b": *anc\n"
    return b"".join(lines)


def m_laughs(rng, data, base):
    bomb = billion_laughs(rng.choice([3, 9, 12]))
    if rng.random() < 0.5:
        return bomb
    lines, i = _pick_line(rng, data, _KEY_VALUE)
    if i is None:
        return data + bomb
    m = _KEY_VALUE.match(lines[i].rstrip(b"\r\n"))
    flow = b"&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    lines[i] = m[1] + m[2] + b": " + flow + b"\n"
    lines.append(b"\n" + m[1].replace(b"-", b" ") + b"bomb: [" + b", ".join([b"*l0"] * 9) + b"]\n")
    return b"".join(lines)


def m_blocks(rng, data, base):
    """Event items deleted, duplicated, swapped or shuffled: the file stays valid YAML."""
    blocks = base.blocks
    if not blocks:
        return data
    lines = _lines(data)
    if len(lines) < blocks[-1][1]:
        return data  # an earlier mutation shortened the file: the spans no longer apply
    head, items, tail = lines[: blocks[0][0]], [lines[a:b] for a, b in blocks], lines[blocks[-1][1] :]
    kind = rng.randrange(4)
    if kind == 0:
        del items[rng.randrange(len(items))]
    elif kind == 1:
        k = rng.randrange(len(items))
        items.insert(rng.randrange(len(items) + 1), items[k])
    elif kind == 2:
        a, b = rng.randrange(len(items)), rng.randrange(len(items))
        items[a], items[b] = items[b], items[a]
    else:
        rng.shuffle(items)
    return b"".join(head + [line for item in items for line in item] + tail)


MUTATIONS = [
    m_truncate,
    m_delete_line,
    m_duplicate_line,
    m_swap_lines,
    m_move_line,
    m_replace_value,
    m_replace_value,
    m_replace_value,
    m_replace_key,
    m_impossible_date,
    m_impossible_date,
    m_deep_nesting,
    m_insert_bytes,
    m_insert_bytes,
    m_encoding,
    m_whitespace,
    m_anchor_alias,
    m_laughs,
    m_blocks,
    m_blocks,
    m_blocks,
]


class Base:
    """A valid pair of files and the line ranges (0-based, end exclusive) of its event items."""

    def __init__(self, name: str, events: bytes, places: bytes):
        self.name, self.events, self.places = name, events, places
        items = raw_event_items(events) or []
        self.blocks = [(span(n)[0] - 1, span(n)[1]) for n in items]


def mutate(base: Base, case: int) -> tuple[bytes, str]:
    """Case number `case` of a base file: 1 to 3 seeded mutations. Returns the bytes and a description."""
    rng = random.Random(f"{base.name}-{case}")
    data, names = base.events, []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        op = rng.choice(MUTATIONS)
        data = op(rng, data, base)
        names.append(op.__name__)
    return data, f"{base.name} case {case} ({' + '.join(names)}; {len(data)} bytes)"


def billion_laughs(levels: int = 9) -> bytes:
    lines = [b'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        lines.append(b"a%d: &a%d [" % (k, k) + b", ".join([b"*a%d" % (k - 1)] * 9) + b"]")
    return b"\n".join(lines) + b"\n"


def real_base() -> Base:
    if not (DEFAULT_EVENTS.exists() and DEFAULT_PLACES.exists()):
        pytest.skip(f"the real data is not there yet ({DEFAULT_EVENTS.name} or {DEFAULT_PLACES.name} missing)")
    try:
        load_dataset(DEFAULT_EVENTS, DEFAULT_PLACES)
    except DataError as exc:
        pytest.skip(f"the real events.yaml does not validate yet: {exc.problems[0]}")
    return Base("real", DEFAULT_EVENTS.read_bytes(), DEFAULT_PLACES.read_bytes())


FIXTURE = Base("fixture", FIX_EVENTS, FIX_PLACES)


# --- mutation fuzzing -------------------------------------------------------------------


def run_mutations(base: Base, n: int, as_text_every: int = 10) -> Counter:
    outcomes: Counter = Counter()
    for case in range(n):
        data, what = mutate(base, case)
        result = check(data, base.places, what)
        outcomes["loaded" if isinstance(result, Dataset) else "refused"] += 1
        if case % as_text_every == 0:  # the str path (tests, dashboard callers) must behave the same
            try:
                text = data.decode("utf-8-sig")  # the same text: a BOM belongs to the bytes
            except UnicodeDecodeError:
                continue
            again = check(text, base.places, what + " as str")
            assert type(again) is type(result), what
    return outcomes


def test_fixture_itself_passes_the_checks():
    ds = check(FIX_EVENTS, FIX_PLACES, "fixture")
    assert isinstance(ds, Dataset) and len(ds.events) == len(FIXTURE.blocks) == 5


@pytest.mark.parametrize("which, n", [("fixture", 3000), ("real", 200)])
def test_mutated_events_file(which, n):
    base = FIXTURE if which == "fixture" else real_base()
    if which == "real":  # about 10 s whatever the file grows to: fewer cases for a bigger file
        n = max(50, min(n, n * 64_000 // len(base.events)))
    n *= SCALE
    outcomes = run_mutations(base, n)
    CASES[f"mutated {which} events"] += n
    # The mutations must exercise both endings, not just break the file every time.
    assert outcomes["loaded"] >= n // 20 and outcomes["refused"] >= n // 2, outcomes


def test_mutated_places_file():
    """The gazetteer goes through the same reader: mutate it with the fixture events."""
    places_base = Base("places", FIX_PLACES, FIX_PLACES)
    places_base.blocks = []
    outcomes: Counter = Counter()
    for case in range(600):
        data, what = mutate(places_base, case)
        result = check(FIX_EVENTS, data, what)
        outcomes["loaded" if isinstance(result, Dataset) else "refused"] += 1
    CASES["mutated places"] += 600
    assert outcomes["loaded"] and outcomes["refused"], outcomes


def test_every_event_block_permutation_is_loaded_or_reported():
    """Deleting, repeating and reordering whole events keeps the YAML valid: the loader must decide for each."""
    blocks, lines = FIXTURE.blocks, _lines(FIX_EVENTS)
    head, items = lines[: blocks[0][0]], [b"".join(lines[a:b]) for a, b in blocks]
    rng = random.Random("blocks")
    n = loaded = 0
    for _ in range(400):
        if rng.random() < 0.5:  # some events left out, in file order: mostly still valid
            chosen = [item for item in items if rng.random() < 0.6]
        else:  # any events, repeated, in any order: mostly not
            chosen = [rng.choice(items) for _ in range(rng.randint(0, 8))]
        result = check(b"".join(head) + b"".join(chosen), FIX_PLACES, f"blocks {chosen}")
        n += 1
        if isinstance(result, Dataset):
            loaded += 1
            assert [e.line for e in result.events] == [len(head) + 1 + sum(c.count(b"\n") for c in chosen[:k]) for k in range(len(chosen))]
    CASES["event permutations"] += n
    assert 50 <= loaded <= n - 50, loaded


# --- whole files of noise (hypothesis) -----------------------------------------------------


@fuzz(600)
@given(st.binary(max_size=400))
def test_random_bytes_as_a_whole_file(data):
    check(data, FIX_PLACES, f"bytes {data!r}")
    CASES["random whole files"] += 1


@fuzz(600)
@given(
    st.integers(0, len(FIX_EVENTS)),
    st.integers(0, 40),
    st.binary(min_size=1, max_size=40) | st.text(min_size=1, max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
def test_random_bytes_spliced_into_the_fixture(at, cut, chunk):
    check(FIX_EVENTS[:at] + chunk + FIX_EVENTS[at + cut :], FIX_PLACES, f"splice {at} {cut} {chunk!r}")
    CASES["random splices"] += 1


@fuzz(300)
@given(st.integers(0, len(FIX_EVENTS.decode())), st.text(min_size=1, max_size=20))
def test_random_text_spliced_into_the_fixture_as_str(at, chunk):
    text = FIX_EVENTS.decode()
    check(text[:at] + chunk + text[at:], FIX_PLACES.decode(), f"str splice {at} {chunk!r}")
    CASES["random str splices"] += 1


# --- generated, well-typed event lists (hypothesis) ------------------------------------------

BASELINE = date(2024, 11, 26)
HEADER = FIX_EVENTS[: FIX_EVENTS.index(b"events:\n")].decode() + "events:\n"
FACTIONS = ("gov", "hts", "sdf", "south")
PLACES = ("aleppo", "hama", "deir_ez_zor", "nassib_crossing")
START = dict.fromkeys(PLACES, "gov")
# Any text the loader takes: no control characters, line separators or direction overrides (those it refuses).
OVERRIDES = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=OVERRIDES), min_size=1, max_size=30
).filter(lambda t: t.strip())
# Cheaper to draw than ANY_TEXT, and as tricky for YAML: booleans, dates, indicators, other scripts.
SOME_TEXT = st.sampled_from(["no", "on", "2024-12-06", "#x", "a: b", "- a", "[x]", "*a", "&a", "حلب", "𝄞 é", "  pad  ", "x" * 300])


def q(value: str) -> str:
    """A YAML double-quoted scalar for any text (PyYAML escapes what needs escaping)."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=10**9).rstrip("\n").removesuffix("\n...")


def event_specs(well_formed: bool, text=ANY_TEXT) -> st.SearchStrategy[dict]:
    """One event, as a dict of choices; well-formed ones break no rule on their own (order and `previous` aside)."""
    maybe_text = st.none() | text
    raw = st.fixed_dictionaries(
        {
            "offset": st.integers(0, 12) if well_formed else st.integers(-2, 12),
            "place": st.sampled_from(PLACES),
            "controller": st.sampled_from(FACTIONS),
            "contested_with": st.lists(st.sampled_from(FACTIONS), unique=True, max_size=2),
            "secondary": st.none() | st.sampled_from(FACTIONS),
            "status": st.sampled_from(("confirmed", "claimed", "disputed")),
            "claimed_by": maybe_text,
            "denied_by": maybe_text,
            "previous": st.sampled_from(("right", "none") if well_formed else ("right", "none", *FACTIONS)),
            "summary": text,
            "note": maybe_text,
            "date_qualifier": maybe_text,
            "inline_source": st.booleans(),
        }
    )

    def tidy(spec: dict) -> dict:
        spec["contested_with"] = [f for f in spec["contested_with"] if f != spec["controller"]]
        if well_formed:
            if spec["secondary"] == spec["controller"]:
                spec["secondary"] = None
            if spec["status"] == "confirmed":
                spec["claimed_by"] = None
            elif spec["claimed_by"] is None:
                spec["claimed_by"] = spec["summary"]
            if spec["status"] != "disputed":
                spec["denied_by"] = None
            elif spec["denied_by"] is None:
                spec["denied_by"] = spec["summary"]
        return spec

    return raw.map(tidy)


def render(specs: list[dict]) -> tuple[str, list[int], list[dict]]:
    """The events file for the specs; the first line of each event; the specs with dates and `previous` filled in."""
    lines = HEADER.splitlines()
    held, starts, out = dict(START), [], []
    for spec in specs:
        spec = dict(spec, date=BASELINE + timedelta(spec["offset"]))
        if spec["previous"] == "right":
            spec["previous"] = held[spec["place"]]
        elif spec["previous"] == "none":
            spec["previous"] = None
        starts.append(len(lines) + 1)
        lines += [f"  - date: {spec['date']}", f"    place: {spec['place']}", f"    controller: {spec['controller']}"]
        if spec["contested_with"]:
            lines.append(f"    contested_with: [{', '.join(spec['contested_with'])}]")
        for name in ("secondary", "previous"):
            if spec[name]:
                lines.append(f"    {name}: {spec[name]}")
        lines.append(f"    status: {spec['status']}")
        for name in ("claimed_by", "denied_by", "summary", "note", "date_qualifier"):
            if spec[name] is not None:
                lines.append(f"    {name}: {q(spec[name])}")
        if spec["status"] == "confirmed":  # two outlets, as confirmed needs
            lines.append("    sources: [reuters, afp]")
        elif spec["inline_source"]:
            lines += ["    sources:", "      - outlet: Somebody", "        title: A report", "        date: 2024-12-01"]
        else:
            lines.append("    sources: [reuters]")
        # Only events that read without problems of their own move the running state (as in the loader).
        if not _own_problems(spec):
            held[spec["place"]] = spec["controller"]
        out.append(spec)
    if not specs:
        lines[-1] = "events: []"
    return "\n".join(lines) + "\n", starts, out


def _own_problems(spec: dict) -> list[str]:
    found = []
    if spec["status"] != "confirmed" and spec["claimed_by"] is None:
        found.append("claimed_by")
    if spec["denied_by"] is not None and spec["status"] != "disputed":
        found.append("denied_by")
    if spec["secondary"] == spec["controller"]:
        found.append("secondary")
    return found


def expected_problems(specs: list[dict], starts: list[int]) -> Counter:
    """(line, field, keyword) of every problem the README's rules call for, worked out independently."""
    expected: Counter = Counter()
    held, last, seen = dict(START), None, {}
    for i, (spec, line) in enumerate(zip(specs, starts, strict=True)):
        where = f"events[{i}]"
        own = _own_problems(spec)
        for name in own:
            expected[(_field_line(spec, name, line), f"{where}.{name}", "")] += 1
        if own:
            continue
        if spec["status"] == "disputed" and spec["denied_by"] is None:  # a rule of evidence: the event still counts
            expected[(line, f"{where}.denied_by", "")] += 1
        day = spec["date"]
        if day < BASELINE:
            expected[(line, f"{where}.date", "before the baseline")] += 1
        if last is not None and day < last:
            expected[(line, f"{where}.date", "out of order")] += 1
        else:
            last = day
        key = (day, spec["place"], spec["controller"], tuple(spec["contested_with"]), spec["secondary"], spec["status"])
        if key in seen:
            expected[(line, where, f"duplicate of the event at line {seen[key]}")] += 1
        seen.setdefault(key, line)
        if spec["previous"] is not None and held[spec["place"]] != spec["previous"]:
            expected[(line, f"{where}.previous", f"held by '{held[spec['place']]}'")] += 1
        held[spec["place"]] = spec["controller"]
    return expected


def _field_line(spec: dict, name: str, start: int) -> int:
    """Line of a field's problem: the field's own line, or the event's first line for a missing field."""
    if name == "claimed_by":
        return start
    order = ["date", "place", "controller"] + (["contested_with"] if spec["contested_with"] else [])
    order += [n for n in ("secondary", "previous") if spec[n]] + ["status"]
    order += [n for n in ("claimed_by", "denied_by") if spec[n] is not None]
    return start + order.index(name)


@fuzz(400)
@given(st.lists(event_specs(well_formed=True), max_size=12))
def test_generated_valid_events_all_load_in_file_order(specs):
    specs = sorted(specs, key=lambda s: s["offset"])
    text, starts, specs = render(specs)
    # Drop exact repeats (a duplicate event is an error, tested below) by re-rendering without them.
    keys, unique = set(), []
    for s in specs:
        key = (s["date"], s["place"], s["controller"], tuple(s["contested_with"]), s["secondary"], s["status"])
        if key not in keys and s["secondary"] != s["controller"]:
            keys.add(key)
            unique.append({**s, "offset": s["offset"], "previous": "right" if s["previous"] else "none"})
    text, starts, specs = render(unique)
    ds = check(text, FIX_PLACES.decode(), "generated valid")
    assert isinstance(ds, Dataset), str(ds)
    assert [e.line for e in ds.events] == starts
    for e, s in zip(ds.events, specs, strict=True):
        assert (e.date, e.place, e.control.controller, e.status) == (s["date"], s["place"], s["controller"], s["status"])
        assert e.control.contested_with == tuple(s["contested_with"]) and e.control.secondary == s["secondary"]
        assert e.summary == s["summary"].strip() and e.previous == s["previous"]
        assert e.note == (s["note"].strip() if s["note"] else None)
        assert e.claimed_by == (s["claimed_by"].strip() if s["claimed_by"] else None)
        assert e.date_qualifier == (s["date_qualifier"].strip() if s["date_qualifier"] else None)
    CASES["generated valid lists"] += 1


@fuzz(1000)
@given(st.lists(event_specs(well_formed=False, text=SOME_TEXT), min_size=1, max_size=12))
def test_generated_events_report_exactly_the_broken_ones_on_their_lines(specs):
    text, starts, specs = render(specs)
    expected = expected_problems(specs, starts)
    result = check(text, FIX_PLACES.decode(), "generated")
    if not expected:
        assert isinstance(result, Dataset), str(result)
        assert [e.line for e in result.events] == starts
        CASES["generated lists (valid)"] += 1
        return
    assert isinstance(result, DataError), f"expected {sorted(expected)}, it loaded"
    got = Counter((p.line, p.field) for p in result.problems)
    assert got == Counter((line, field) for line, field, _ in expected.elements()), (
        f"expected {sorted(expected)}\ngot {[str(p) for p in result.problems]}"
    )
    for line, field, keyword in expected:
        assert any(p.line == line and p.field == field and keyword in p.message for p in result.problems), (line, field, keyword)
    CASES["generated lists (refused)"] += 1


# --- bombs, depth and size ---------------------------------------------------------------------


def test_billion_laughs_fails_fast_in_bounded_memory():
    bomb = billion_laughs(9)  # 9 ** 9 = 387 million "lol"s if anything expanded it
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(DataError) as info:
            load_dataset_from_bytes(bomb, EV, FIX_PLACES, PL)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0 and peak < 50 * MB, (elapsed, peak)
    (p,) = info.value.problems
    assert p.file == EV and p.line == 2 and "anchors and aliases" in p.message  # the first alias


def test_billion_laughs_inside_an_event_fails_fast():
    data = FIX_EVENTS.replace(b"    summary: Rebels take Aleppo.\n", b"    summary: Rebels take Aleppo.\n    note: &l0 [lol, lol]\n")
    data += b"".join(b"x%d: &l%d [" % (k, k) + b", ".join([b"*l%d" % (k - 1)] * 9) + b"]\n" for k in range(1, 10))
    started = time.perf_counter()
    result = check(data, FIX_PLACES, "laughs in an event")
    assert time.perf_counter() - started < 1.0
    assert isinstance(result, DataError) and any("aliases" in p.message for p in result.problems)


DEEP_CASES = """
cases = {
    "flow lists": "[" * 100_000,
    "flow mappings": "{a: " * 100_000,
    "block lists": "- " * 100_000,
    "indented lists": "".join(" " * i + "-\\n" for i in range(5_000)),
    "unclosed, in an event": events.replace("[reuters]", "[" * 1_000_000, 1),
}
"""


def test_deep_nesting_is_refused_quickly_without_crashing():
    """libyaml composes recursively in C: before the depth check, 100 000 `[` crashed Python (SIGSEGV).

    Run in a child process, so a regression shows as a failed test, not a dead test run.
    """
    code = (
        "import time\nfrom geo.reading.loader import load_dataset_from_bytes\nfrom geo.base.errors import DataError\n"
        f"events = open({str(FIXTURES / 'events.yaml')!r}).read()\nplaces = open({str(FIXTURES / 'places.yaml')!r}, 'rb').read()\n"
        + "load_dataset_from_bytes(events, 'events.yaml', places, 'places.yaml')  # GeoNames loads once, untimed\n"
        + DEEP_CASES
        + "for name, text in cases.items():\n"
        "    t = time.perf_counter()\n"
        "    try:\n        load_dataset_from_bytes(text.encode(), 'events.yaml', places, 'places.yaml')\n"
        "    except DataError as e:\n        print(name, '|', round(time.perf_counter() - t, 3), '|', e.problems[0], flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True, timeout=120, cwd=FIXTURES.parent.parent)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stdout}{done.stderr[-2000:]}"
    lines = done.stdout.splitlines()
    assert len(lines) == 5, done.stdout
    for line in lines:
        _, seconds, problem = line.split(" | ")
        assert "nesting deeper than 20 levels" in problem and float(seconds) < 1.0, line
    CASES["deep nesting"] += len(lines)


@pytest.mark.parametrize("levels, field", [(16, "events[3].note"), (17, "yaml")])
def test_nesting_up_to_the_limit_is_still_read(levels, field):
    """A note nested 16 lists deep sits 20 levels down: read (and refused as not text); one more is too deep."""
    data = FIX_EVENTS.replace(b"    note: Army denies.\n", b"    note: " + b"[" * levels + b"x" + b"]" * levels + b"\n")
    p = only_field(check(data, FIX_PLACES, f"{levels} levels"), field)
    assert p.line == 88 and ("expected text" in p.message or "nesting deeper than 20 levels" in p.message)


def only_field(error: DataError, part: str):
    (p,) = [p for p in error.problems if part in p.field]
    return p


@pytest.mark.parametrize(
    "name, data, line, words",
    [
        ("control character", FIX_EVENTS.replace(b"Rebels take Aleppo.", b"Rebels\x01 take Aleppo."), 66, "U+0001"),
        ("NUL", FIX_EVENTS.replace(b"place: hama", b"place: ha\x00ma"), 69, "U+0000"),
        ("line separator", FIX_EVENTS.replace(b"Rebels take Aleppo.", "Rebels\u2028 take Aleppo.".encode()), 66, "U+2028"),
        ("paragraph separator", FIX_EVENTS.replace(b"Army denies.", "Army\u2029denies.".encode()), 88, "U+2029"),
        ("next line", FIX_EVENTS.replace(b"Army denies.", "Army\x85denies.".encode()), 88, "U+0085"),
        ("bad UTF-8 in a CR-only file", FIX_EVENTS.replace(b"\n", b"\r").replace(b"Army denies.", b"Army \xff"), 88, "UTF-8"),
        ("surrogate (str input)", FIX_EVENTS.decode().replace("place: hama", "place: ha\ud800ma"), 69, "U+D800"),
    ],
)
def test_unreadable_characters_are_reported_on_their_own_line(name, data, line, words):
    """YAML counts U+2028/U+2029/U+0085 as line breaks (editors do not): every later line number was off."""
    result = check(data, FIX_PLACES, name)
    assert isinstance(result, DataError)
    (p,) = result.problems
    assert p.line == line and words in p.message, str(p)


@pytest.mark.parametrize("day", ["9999-12-31", "2035-01-01"])
def test_a_far_future_date_is_refused_not_a_million_day_timeline(day):
    data = FIX_EVENTS.replace(b"  - date: 2024-12-06\n    place: nassib_crossing", f"  - date: {day}\n    place: nassib_crossing".encode())
    started = time.perf_counter()
    result = check(data, FIX_PLACES, day)
    assert time.perf_counter() - started < 1.0
    p = only_field(result, "events[4].date")
    assert f"more than {MAX_SPAN_DAYS} days after the baseline" in p.message and p.line == 90


def test_ten_years_of_timeline_still_load():
    day = BASELINE + timedelta(MAX_SPAN_DAYS)
    data = FIX_EVENTS.replace(b"  - date: 2024-12-06\n    place: nassib_crossing", f"  - date: {day}\n    place: nassib_crossing".encode())
    ds = check(data, FIX_PLACES, str(day))
    assert isinstance(ds, Dataset) and Timeline(ds).last_day == day


@pytest.mark.parametrize(
    "day, why",
    [
        ("2024-02-30", "not a real date"),
        ("2024-13-01", "not a real date"),
        ("0000-01-01", "not a real date"),
        ("2024-11-25", "before the baseline"),
        ("9999-12-31", "days after the baseline"),
    ],
)
def test_impossible_dates(day, why):
    data = FIX_EVENTS.replace(b"  - date: 2024-12-05", f"  - date: {day}".encode())
    result = check(data, FIX_PLACES, day)
    assert isinstance(result, DataError)
    assert any(p.field == "events[2].date" and why in p.message and p.line == 68 for p in result.problems), result


@pytest.mark.parametrize(
    "old, new, field",
    [
        (b"summary: Rebels take Aleppo.", b"summary: " + HUGE, "events[1].summary"),
        (b"place: hama", b"place: " + HUGE, "events[2].place"),
        (b"status: claimed", b"status: " + HUGE, "events[2].status"),
        (b"controller: south", b'controller: "' + HUGE + b'"', "events[4].controller"),
        (b'colour: "#D55E00"', b"colour: " + HUGE, "factions.gov.colour"),
        (b"    summary: Rebels take Aleppo.", b"    ? " + HUGE + b"\n    : Rebels take Aleppo.", "events[1]"),
    ],
)
def test_huge_strings_are_refused_with_short_messages(old, new, field):
    result = check(FIX_EVENTS.replace(old, new, 1), FIX_PLACES, f"huge {old!r}")
    assert isinstance(result, DataError) and any(p.field.startswith(field) for p in result.problems), result
    assert all(len(str(p)) < 3000 for p in result.problems)


def test_a_url_urlsplit_cannot_parse_is_a_problem_not_a_traceback():
    data = FIX_EVENTS.replace(b"url: https://www.reuters.com/world/middle-east/", b"url: https://[reuters.com/")
    p = only_field(check(data, FIX_PLACES, "IPv6 bracket"), "url")
    assert p.line == 36 and "is not an http(s) link" in p.message


@pytest.mark.parametrize("value", [b'"hama\\e[31m red"', b'"ha\\nma"', b"|\n      ha\n      ma", b'"\\x00"', b'"ha\\u2028ma"'])
def test_values_quoted_in_messages_cannot_break_the_line_or_the_terminal(value):
    data = FIX_EVENTS.replace(b"    place: hama\n", b"    place: " + value + b"\n")
    p = only_field(check(data, FIX_PLACES, repr(value)), "place")
    assert p.line == 69 and "contains the control character" in p.message and not _CONTROL.search(str(p))


def test_zz_report_the_number_of_cases():
    total = sum(CASES.values())
    print(f"\nloader fuzzing: {total} cases: {dict(CASES)}")
