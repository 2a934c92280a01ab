"""Read YAML into nodes that keep their line numbers, and check field types.

We build a node tree (never Python objects): every value keeps its line, duplicate
keys can be seen (PyYAML would silently keep the last), and anchors/aliases are
refused (hand-edited data never needs them, and they make expansion bombs possible),
as is absurd nesting. `FieldReader` collects problems instead of raising, so a file
reports all of them at once.

Two composers build the same tree. Most files, ours included, are plain block YAML
(`key: value` lines, `- ` items, one-line scalars, `[a, b]` lists, comments), which
`_compose_block` reads straight from the text, several times faster than going through
PyYAML's events; at the first line outside that subset it gives up and libyaml's parser
(`_compose_events`) reads the whole file, so every file it does not vouch for, and every
syntax error, is handled by libyaml exactly as before.
"""

from __future__ import annotations

import difflib
import errno
import gc
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from geo.base.errors import Problem
from geo.base.unprintable import escaped, unsafe_char

_Loader: type[yaml.SafeLoader | yaml.CSafeLoader]
try:  # the C loader is much faster; fall back to pure Python where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_BYTES = 24 * 1024 * 1024
MAX_DEPTH = 20
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^[a-z0-9_]+$")
_NULL_TAG = "tag:yaml.org,2002:null"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Characters YAML refuses (control characters, surrogates, U+FFFE/U+FFFF) and the ones it
# counts as line breaks although editors do not (NEL, LS, PS): either way, say where they are.
_BAD_CHAR_RE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What a problem must not quote raw (escaped strings can hold anything): breaks, terminal escapes.


class TooLarge(OSError):
    """A data file over MAX_BYTES: refused before it is read."""

    def __init__(self, size: int):
        super().__init__(errno.EFBIG, f"file is larger than {MAX_BYTES // 2**20} MiB")
        self.size = size


def read_bounded(path: str | Path) -> bytes | OSError:
    """A data file's bytes, or the error reading it. The size is checked before reading, and the read stops after
    MAX_BYTES + 1 bytes whatever the size said (a file growing meanwhile): a 500 MB file costs nothing, and compose()
    refuses what is over the limit."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_BYTES:
                return TooLarge(size)
            return file.read(MAX_BYTES + 1)
    except OSError as exc:
        return exc


class ScalarNode:
    """A scalar as written: no type is resolved, so `no` stays the text 'no'."""

    __slots__ = ("line", "null", "value")

    def __init__(self, value: str, line: int, null: bool = False):
        self.value = value
        self.line = line  # 1-based
        self.null = null


class MappingNode:
    __slots__ = ("line", "value")

    def __init__(self, line: int):
        self.value: list[tuple[Node, Node]] = []  # (key, value) in file order, duplicates kept
        self.line = line


class SequenceNode:
    __slots__ = ("line", "value")

    def __init__(self, line: int):
        self.value: list[Node] = []
        self.line = line


Node = ScalarNode | MappingNode | SequenceNode


class YamlFailure(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def line_of(node: Node) -> int:
    return node.line


def _line_at(data: bytes | str, index: int) -> int:
    """1-based line of data[index], counting line breaks as YAML does (\\r\\n, \\r or \\n)."""
    prefix = data[:index]
    if isinstance(prefix, bytes):
        prefix = prefix.decode("latin-1")
    return prefix.count("\n") + prefix.count("\r") - prefix.count("\r\n") + 1


def compose(data: bytes | str, filename: str) -> Node | None:
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
            root = _compose_block(data)
            return root if root is not None else _compose_events(data, filename)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise YamlFailure(Problem(filename, line, "yaml", f"not valid YAML: {what}")) from None
    except yaml.YAMLError as exc:
        raise YamlFailure(Problem(filename, 1, "yaml", f"not valid YAML: {exc}")) from None


@contextmanager
def paused_gc() -> Iterator[None]:
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


def _is_null(tag: str | None, style: str | None, value: str) -> bool:
    """An untagged plain empty/`~`/`null` scalar, or an explicit !!null, is null (YAML's core schema).
    A plain scalar's style is '' from libyaml and None from PyYAML's pure-Python parser."""
    return (tag is None and not style and value in _NULLS) or tag == _NULL_TAG


def _compose_events(data: str, filename: str) -> Node | None:
    """Build the node tree from libyaml's event stream, without recursion.

    libyaml's own composer recurses once per nesting level (a file of 100,000 `[`
    crashed the process) and resolves every scalar's type in Python; we need
    neither: depth and aliases are refused here, as the events arrive, and a
    scalar's text is read as written.
    """
    stack: list[MappingNode | SequenceNode] = []
    keys: list[Node | None] = []  # per open mapping: a key waiting for its value
    root: Node | None = None
    documents = 0
    for event in yaml.parse(data, Loader=_Loader):
        kind = type(event)
        mark = event.start_mark  # the parser marks every event (the stubs allow None)
        line = mark.line + 1 if mark is not None else 1
        node: Node
        if isinstance(event, yaml.ScalarEvent):  # (isinstance where the type checker must see the class: leaf classes)
            node = ScalarNode(event.value, line, _is_null(event.tag, event.style, event.value))
        elif kind is yaml.MappingStartEvent:
            node = MappingNode(line)
        elif kind is yaml.SequenceStartEvent:
            node = SequenceNode(line)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            keys.pop()
            continue
        elif kind is yaml.AliasEvent:
            raise YamlFailure(Problem(filename, line, "yaml", "anchors and aliases (&, *) are not allowed"))
        else:
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlFailure(Problem(filename, line, "yaml", "only one YAML document (---) per file"))
            continue
        if len(stack) >= MAX_DEPTH:  # the node would sit deeper than MAX_DEPTH levels (the root is level 1)
            raise YamlFailure(Problem(filename, line, "yaml", f"nesting deeper than {MAX_DEPTH} levels"))
        top = stack[-1] if stack else None
        if top is None:
            root = node
        elif isinstance(top, SequenceNode):
            top.value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            top.value.append((keys[-1], node))
            keys[-1] = None
        if not isinstance(node, ScalarNode):
            stack.append(node)
            keys.append(None)
    return root


# --- plain block YAML, read straight from the text ------------------------------------------
#
# One regex match per line. A line is blank, a comment, or: indentation, an optional "- ",
# an optional `key:` and an optional value, then optional spaces and a comment. A value is a
# one-line scalar: plain (no indicator first, no ": " or " #" inside, so YAML reads it
# as written), quoted without escapes, or a flow list of such scalars. Anything else falls
# into the last group and sends the file to libyaml.
_PLAIN = r"[\w(./+$][^\s:]*+(?:(?::(?=\S)|[ ]++(?=[^\s#]))[^\s:]*+)*+"
_QUOTED = r"\"[^\"\\\n]*+\"|'[^'\n]*+'"
_FLOW_PLAIN = r"[\w.][\w.-]*+(?:[ ][\w.-]++)*+"  # no indicator first, no `,[]{}:#` anywhere
_FLOW_ITEM = rf"{_FLOW_PLAIN}|{_QUOTED}"
_BLOCK_LINE_RE = re.compile(
    r"(?:([ ]*+)(-[ ])?+"
    r"(?:([A-Za-z_][A-Za-z0-9_]{0,99}+):(?:[ ]+(?=[^ \n#])|(?=[ \n]|\Z)))?+"
    rf"(?:({_PLAIN})|({_QUOTED})|(\[(?:(?:{_FLOW_ITEM})(?:,[ ](?:{_FLOW_ITEM}))*+)?\]))?+"
    r"(?:[ ]++(?:\#[^\n]*+)?)?+"
    r"|[ ]*+\#[^\n]*+"
    r"|([^\n]++))"
    r"(?:\n|\Z)"
)
_BLOCK_MAX_DEPTH = MAX_DEPTH // 2  # deeper files go to libyaml, which enforces (and words) MAX_DEPTH
_FLOW_ITEMS_RE = re.compile(rf"({_FLOW_PLAIN})|\"([^\"\\\n]*)\"|'([^'\n]*)'")


def _flow_list(text: str, line: int) -> SequenceNode:
    seq = SequenceNode(line)
    inner = text[1:-1]
    if '"' in inner or "'" in inner:
        seq.value = [ScalarNode(a or b or c, line, a in _NULLS and bool(a)) for a, b, c in _FLOW_ITEMS_RE.findall(inner)]
    elif inner:
        seq.value = [ScalarNode(item, line, item in _NULLS) for item in inner.split(", ")]
    return seq


def _compose_block(text: str) -> MappingNode | None:
    """The node tree of a plain block-YAML document whose root is a mapping, or None: not sure, ask libyaml.

    Indentation decides the structure, as in YAML: a mapping's keys share a column, a
    list's `- ` share a column, and a `key:` without a value opens whatever the next line
    starts deeper (or a `- ` list at the key's own column). Any other shape, deep nesting,
    and a tab, CR or BOM anywhere (YAML gives them meanings this reader does not model)
    return None. A plain empty, `~` or `null` value is null, as in _compose_events.
    """
    if "\t" in text or "\r" in text or "\ufeff" in text:
        return None
    root: MappingNode | None = None
    node: MappingNode | SequenceNode | None = None
    pending: ScalarNode | None = None
    entries: list[Any] = []  # node.value: (key, value) pairs in a mapping, nodes in a list
    col, is_map, indentless = -1, True, False  # the open collection's column and kind
    # the enclosing collections: (col, node, is_map, indentless)
    stack: list[tuple[int, MappingNode | SequenceNode | None, bool, bool]] = []
    line = 0
    for indent, dash, key, plain, quoted, flow, bad in _BLOCK_LINE_RE.findall(text):
        line += 1
        value: Node | None
        if plain:
            value = ScalarNode(plain, line, plain in _NULLS)
        elif quoted:
            value = ScalarNode(quoted[1:-1], line)
        elif flow:
            value = _flow_list(flow, line)
        elif bad:
            return None
        elif key:
            value = None
        elif dash:
            return None  # "- " alone: its item starts on a later line
        else:
            continue  # blank or comment
        here = len(indent)
        if key and value is not None and here == col and is_map and not dash and pending is None:
            entries.append((ScalarNode(key, line, key in _NULLS), value))  # most lines: `key: value` in the open mapping
            continue
        if not (key or dash):
            return None  # a bare value where a key must be (or a continued scalar)
        if root is None:
            if here or dash:
                return None
            root = node = MappingNode(line)
            entries, col = node.value, 0
        elif pending is not None:  # the line after `key:` with no value
            if here > col or (here == col and dash):
                child = SequenceNode(line) if dash else MappingNode(line)
                entries.append((pending, child))
                stack.append((col, node, is_map, indentless))
                indentless = here == col
                col, node, is_map, entries = here, child, not dash, child.value
                if len(stack) > _BLOCK_MAX_DEPTH:
                    return None
            else:
                entries.append((pending, ScalarNode("", pending.line, True)))
            pending = None
        while here != col or is_map == bool(dash):  # close what this line is outside of
            if not stack or here > col or (here == col and not (indentless and not dash)):
                return None
            col, node, is_map, indentless = stack.pop()
            assert node is not None  # only the root has no enclosing node, and it is never popped
            entries = node.value
        if dash:
            if not key:
                entries.append(value)
                continue
            child = MappingNode(line)  # `- key: ...`: a mapping at the key's column
            entries.append(child)
            stack.append((col, node, is_map, indentless))
            col, node, is_map, indentless, entries = here + 2, child, True, False, child.value
            if len(stack) > _BLOCK_MAX_DEPTH:
                return None
        if value is None:
            pending = ScalarNode(key, line, key in _NULLS)
        else:
            entries.append((ScalarNode(key, line, key in _NULLS), value))
    if pending is not None:
        entries.append((pending, ScalarNode("", pending.line, True)))
    return root


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close and len(word) >= 3:  # 'nasib' -> 'nassib_crossing': compare with the id's first part
        heads = {c.split("_")[0]: c for c in reversed(choices)}
        close = [heads[h] for h in difflib.get_close_matches(word, list(heads), n=1, cutoff=0.75)]
    return f" (did you mean '{close[0]}'?)" if close else ""


def is_null(node: Node | None) -> bool:
    return node is None or (type(node) is ScalarNode and node.null)


class FieldReader:
    """Typed access to node values; every failure becomes a Problem, never an exception."""

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self._days: dict[str, date] = {}  # 100,000 events share ~2,000 dates: parse each once, keep one object each

    def problem(self, node_or_line: Node | int, field: str, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.line
        self.problems.append(Problem(self.filename, line, _one_line(field) or "(top level)", _one_line(message)))

    def mapping(self, node: Node, field: str, allowed: Iterable[str] | None = None) -> dict[str, tuple[Node, Node]] | None:
        """A mapping's entries as key -> (key node, value node); problems for duplicates and unknown keys."""
        if type(node) is not MappingNode:
            self.problem(node, field, f"expected a mapping (key: value lines), got {describe(node)}")
            return None
        allowed_keys = tuple(allowed) if allowed is not None else None
        entries: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.problem(key_node, field, "a key must be plain text")
                continue
            key = key_node.value
            if key in entries:
                first = entries[key][0].line
                self.problem(key_node, _key_field(field, key), f"duplicate key (first given at line {first})")
            elif allowed_keys is not None and key not in allowed_keys:
                shown = _shown_key(key)
                self.problem(key_node, _key_field(field, key), f"unknown field '{shown}'{suggest(shown, allowed_keys)}")
            else:
                entries[key] = (key_node, value_node)
        return entries

    def sequence(self, node: Node, field: str) -> list[Node] | None:
        if type(node) is not SequenceNode:
            self.problem(node, field, f"expected a list, got {describe(node)}")
            return None
        return list(node.value)

    def text(self, node: Node, field: str, max_len: int = 2000) -> str | None:
        """A non-empty single scalar, as written (so `no` stays the text 'no')."""
        if type(node) is not ScalarNode or node.null:
            self.problem(node, field, f"expected text, got {describe(node)}")
            return None
        value = node.value.strip()
        if not value:
            self.problem(node, field, "must not be empty")
            return None
        if len(value) > max_len:
            self.problem(node, field, f"longer than {max_len} characters")
            return None
        if (char := unsafe_char(value)) is not None:
            self.problem(
                node,
                field,
                f"contains the control character U+{ord(char):04X} ({escaped(char)}): "
                "write text on one line, without control or direction-override characters",
            )
            return None
        return value

    def identifier(self, node: Node, field: str) -> str | None:
        value = self.text(node, field, max_len=80)
        if value is not None and not ID_RE.match(value):
            self.problem(node, field, f"'{value}' is not a valid id (use a-z, 0-9 and _)")
            return None
        return value

    def day(self, node: Node, field: str) -> date | None:
        value = self.text(node, field, max_len=40)
        if value is None:
            return None
        known = self._days.get(value)
        if known is not None:
            return known
        if not DATE_RE.match(value):
            self.problem(node, field, f"'{value}' is not a date in YYYY-MM-DD form")
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError as exc:
            self.problem(node, field, f"'{value}' is not a real date ({exc})")
            return None
        self._days[value] = day
        return day

    def number(self, node: Node, field: str) -> float | None:
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

    def integer(self, node: Node, field: str) -> int | None:
        value = self.text(node, field, max_len=20)
        if value is None:
            return None
        if not re.fullmatch(r"\d+", value):
            self.problem(node, field, f"'{value}' is not a whole number")
            return None
        return int(value)

    def text_list(self, node: Node, field: str) -> list[tuple[str, Node]] | None:
        items = self.sequence(node, field)
        if items is None:
            return None
        out = []
        for item in items:
            value = self.text(item, field)
            if value is not None:
                out.append((value, item))
        return out


def _shown_key(key: str) -> str:
    return key if len(key) <= 80 else f"{key[:40]}…"  # a 1 MB key must not make a 1 MB message


def _key_field(field: str, key: str) -> str:
    return f"{field}.{_shown_key(key)}" if field else _shown_key(key)


def _one_line(text: str) -> str:
    """Problems are printed one per line: escape line breaks and control characters quoted from the data."""
    return escaped(text)


def describe(node: Node | None) -> str:
    if node is None or is_null(node):
        return "nothing"
    if type(node) is MappingNode:
        return "a mapping"
    if type(node) is SequenceNode:
        return "a list"
    value = node.value
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
