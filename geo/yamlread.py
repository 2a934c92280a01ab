"""Read YAML into nodes that keep their line numbers, and check field types.

We build a node tree (never Python objects) from the events of libyaml's safe
parser: every value keeps its line, duplicate keys can be seen (PyYAML would
silently keep the last), and anchors/aliases are refused (hand-edited data never
needs them, and they make expansion bombs possible), as is absurd nesting.
`FieldReader` collects problems instead of raising, so a file reports all of
them at once.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date

import yaml

from geo.errors import Problem

try:  # the C loader is much faster; fall back to pure Python where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 20
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^[a-z0-9_]+$")
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Characters YAML refuses (control characters, surrogates, U+FFFE/U+FFFF) and the ones it
# counts as line breaks although editors do not (NEL, LS, PS): either way, say where they are.
_BAD_CHAR_RE = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# What a problem must not quote raw (escaped strings can hold anything): breaks, terminal escapes.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class YamlFailure(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _line_at(data: bytes | str, index: int) -> int:
    """1-based line of data[index], counting line breaks as YAML does (\\r\\n, \\r or \\n)."""
    prefix = data[:index]
    if isinstance(prefix, bytes):
        prefix = prefix.decode("latin-1")
    return prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1


def compose(data: bytes | str, filename: str) -> yaml.Node | None:
    """Parse one YAML document into a node tree; raise YamlFailure on unreadable input."""
    if len(data) > MAX_BYTES:
        raise YamlFailure(Problem(filename, 1, "file", f"file is larger than {MAX_BYTES // 2**20} MiB"))
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = _line_at(data, exc.start)
            raise YamlFailure(Problem(filename, line, "file", f"not valid UTF-8 (byte {exc.start})")) from None
    bad = _BAD_CHAR_RE.search(data)
    if bad:
        what = " (an invisible line break)" if bad.group() in "\x85\u2028\u2029" else ""
        message = f"character U+{ord(bad.group()):04X}{what} is not allowed; delete it"
        raise YamlFailure(Problem(filename, _line_at(data, bad.start()), "file", message))
    try:
        with paused_gc():
            return _compose_events(data, filename)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise YamlFailure(Problem(filename, line, "yaml", f"not valid YAML: {what}")) from None
    except yaml.YAMLError as exc:
        raise YamlFailure(Problem(filename, 1, "yaml", f"not valid YAML: {exc}")) from None


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building millions of small objects.

    None of them is garbage yet, so its passes find nothing and only cost time:
    composing a 100,000-event file took 14 s with it and 3 s without.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _compose_events(data: str, filename: str) -> yaml.Node | None:
    """Build the node tree from libyaml's event stream, without recursion.

    libyaml's own composer recurses once per nesting level (a file of 100,000 `[`
    crashed the process) and resolves every scalar's type in Python; we need
    neither: depth and aliases are refused here, as the events arrive, and a
    scalar's text is read as written (only a plain empty/`~`/`null` is null).
    """
    stack: list[yaml.Node] = []
    keys: list[yaml.Node | None] = []  # per open mapping: a key waiting for its value
    root = None
    documents = 0
    for event in yaml.parse(data, Loader=_Loader):
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            null = (event.tag is None and event.style is None and event.value in _NULLS) or event.tag == _NULL_TAG
            node = yaml.ScalarNode(_NULL_TAG if null else _STR_TAG, event.value, event.start_mark, event.end_mark, event.style)
        elif kind is yaml.MappingStartEvent:
            node = yaml.MappingNode(_MAP_TAG, [], event.start_mark, None)
        elif kind is yaml.SequenceStartEvent:
            node = yaml.SequenceNode(_SEQ_TAG, [], event.start_mark, None)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop().end_mark = event.end_mark
            keys.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise YamlFailure(Problem(filename, event.start_mark.line + 1, "yaml", "anchors and aliases (&, *) are not allowed"))
        else:
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlFailure(Problem(filename, event.start_mark.line + 1, "yaml", "only one YAML document (---) per file"))
            continue
        if len(stack) >= MAX_DEPTH:  # the node would sit deeper than MAX_DEPTH levels (the root is level 1)
            raise YamlFailure(Problem(filename, event.start_mark.line + 1, "yaml", f"nesting deeper than {MAX_DEPTH} levels"))
        if not stack:
            root = node
        elif stack[-1].__class__ is yaml.SequenceNode:
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None
        if kind is not yaml.ScalarEvent:
            stack.append(node)
            keys.append(None)
    return root


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close and len(word) >= 3:  # 'nasib' -> 'nassib_crossing': compare with the id's first part
        heads = {c.split("_")[0]: c for c in reversed(choices)}
        close = [heads[h] for h in difflib.get_close_matches(word, list(heads), n=1, cutoff=0.75)]
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG)


class FieldReader:
    """Typed access to node values; every failure becomes a Problem, never an exception."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []

    def problem(self, node_or_line: yaml.Node | int, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else line_of(node_or_line)
        self.problems.append(Problem(self.filename, line, _one_line(field) or "(top level)", _one_line(message)))

    def mapping(
        self, node: yaml.Node, field: str, allowed: Iterable[str] | None = None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        """A mapping's entries as key -> (key node, value node); problems for duplicates and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, field, f"expected a mapping (key: value lines), got {describe(node)}")
            return None
        allowed_keys = list(allowed) if allowed is not None else None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, field, "a key must be plain text")
                continue
            key = key_node.value
            shown = key if len(key) <= 80 else f"{key[:40]}…"  # a 1 MB key must not make a 1 MB message
            where = f"{field}.{shown}" if field else shown
            if key in entries:
                first = line_of(entries[key][0])
                self.problem(key_node, where, f"duplicate key (first given at line {first})")
                continue
            if allowed_keys is not None and key not in allowed_keys:
                self.problem(key_node, where, f"unknown field '{shown}'{suggest(shown, allowed_keys)}")
                continue
            entries[key] = (key_node, value_node)
        return entries

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, field, f"expected a list, got {describe(node)}")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, field: str, max_len: int = 2000) -> str | None:
        """A non-empty single scalar, as written (so `no` stays the text 'no')."""
        if not isinstance(node, yaml.ScalarNode) or is_null(node):
            self.problem(node, field, f"expected text, got {describe(node)}")
            return None
        value = node.value.strip()
        if not value:
            self.problem(node, field, "must not be empty")
            return None
        if len(value) > max_len:
            self.problem(node, field, f"longer than {max_len} characters")
            return None
        return value

    def identifier(self, node: yaml.Node, field: str) -> str | None:
        value = self.text(node, field, max_len=80)
        if value is not None and not ID_RE.match(value):
            self.problem(node, field, f"'{value}' is not a valid id (use a-z, 0-9 and _)")
            return None
        return value

    def day(self, node: yaml.Node, field: str) -> date | None:
        value = self.text(node, field, max_len=40)
        if value is None:
            return None
        if not DATE_RE.match(value):
            self.problem(node, field, f"'{value}' is not a date in YYYY-MM-DD form")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.problem(node, field, f"'{value}' is not a real date ({exc})")
            return None

    def number(self, node: yaml.Node, field: str) -> float | None:
        value = self.text(node, field, max_len=40)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            self.problem(node, field, f"'{value}' is not a number")
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(node, field, f"'{value}' is not a finite number")
            return None
        return number

    def integer(self, node: yaml.Node, field: str) -> int | None:
        value = self.text(node, field, max_len=20)
        if value is None:
            return None
        if not re.fullmatch(r"\d+", value):
            self.problem(node, field, f"'{value}' is not a whole number")
            return None
        return int(value)

    def text_list(self, node: yaml.Node, field: str) -> list[tuple[str, yaml.Node]] | None:
        items = self.sequence(node, field)
        if items is None:
            return None
        out = []
        for item in items:
            value = self.text(item, field)
            if value is not None:
                out.append((value, item))
        return out


def _one_line(text: str) -> str:
    """Problems are printed one per line: escape line breaks and control characters quoted from the data."""
    return _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)


def describe(node: yaml.Node | None) -> str:
    if is_null(node):
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = node.value
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
