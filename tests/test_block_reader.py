"""The fast block-YAML reader (yamlread._compose_block) builds exactly libyaml's tree, or declines.

Whatever it accepts, the libyaml path (_compose_events) must accept too and compose into the
same tree: the same kinds, values, nulls and lines. That is checked on the shipped and test
data, on synthetic data, and on thousands of generated block documents with tricky values
and broken indentation. Whatever it declines goes to libyaml, so the loader's results
cannot depend on which reader ran: checked on mutated fixtures with the fast reader off.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from geo.base.errors import DataError
from geo.cli import synth
from geo.reading import yamlread
from geo.reading.gazetteer import DEFAULT_PLACES
from geo.reading.loader import DEFAULT_EVENTS, load_dataset_from_bytes
from geo.reading.yamlread import MappingNode, ScalarNode, SequenceNode, YamlFailure, _compose_block, _compose_events
from tests.test_fuzz_loader import FIX_EVENTS, FIX_PLACES, FIXTURE, Base, mutate


def tree(node) -> tuple | None:
    if node is None:
        return None
    if node.__class__ is ScalarNode:
        return ("scalar", node.value, node.line, node.null)
    if node.__class__ is MappingNode:
        return ("map", node.line, [(tree(k), tree(v)) for k, v in node.value])
    assert node.__class__ is SequenceNode
    return ("seq", node.line, [tree(item) for item in node.value])


def agree(text: str) -> bool:
    """True if the fast reader took the text (and built libyaml's tree), False if it declined."""
    fast = _compose_block(text)
    if fast is None:
        return False
    try:
        slow = _compose_events(text, "x.yaml")
    except (YamlFailure, yamlread.yaml.YAMLError) as exc:
        raise AssertionError(f"the fast reader took what libyaml refuses ({exc}):\n{text}") from None
    assert tree(fast) == tree(slow), text
    return True


@pytest.mark.parametrize(
    "path",
    [
        DEFAULT_EVENTS,
        DEFAULT_PLACES,
        Path(__file__).parent / "fixtures" / "events.yaml",
        Path(__file__).parent / "fixtures" / "places.yaml",
    ],
)
def test_the_real_files_take_the_fast_path_with_the_same_tree(path):
    if not path.exists():
        pytest.skip(f"{path.name} is not there")
    assert agree(path.read_text(encoding="utf-8"))


def test_synthetic_files_take_the_fast_path_with_the_same_tree():
    events, places = synth.generate(60, 400, 120, seed=3)
    assert agree(events) and agree(places)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "a: 1\nb:\n  c: x y\n  d: [p, 'q r', \"s\"]\n",
            (
                "map",
                1,
                [
                    (("scalar", "a", 1, False), ("scalar", "1", 1, False)),
                    (
                        ("scalar", "b", 2, False),
                        (
                            "map",
                            3,
                            [
                                (("scalar", "c", 3, False), ("scalar", "x y", 3, False)),
                                (
                                    ("scalar", "d", 4, False),
                                    ("seq", 4, [("scalar", "p", 4, False), ("scalar", "q r", 4, False), ("scalar", "s", 4, False)]),
                                ),
                            ],
                        ),
                    ),
                ],
            ),
        ),
        (
            "# c\nl:\n- a: 1\n  b: 2 # c\n\n- x\nk:\n",  # an indentless list, a compact mapping, an empty value
            (
                "map",
                2,
                [
                    (
                        ("scalar", "l", 2, False),
                        (
                            "seq",
                            3,
                            [
                                (
                                    "map",
                                    3,
                                    [
                                        (("scalar", "a", 3, False), ("scalar", "1", 3, False)),
                                        (("scalar", "b", 4, False), ("scalar", "2", 4, False)),
                                    ],
                                ),
                                ("scalar", "x", 6, False),
                            ],
                        ),
                    ),
                    (("scalar", "k", 7, False), ("scalar", "", 7, True)),
                ],
            ),
        ),
        (
            "u: http://x.y/z?a=b#c\nn: null\ne: ''\nh: C# and a#b\nq: 'null'\n",  # plain `null`: null; quoted: text
            (
                "map",
                1,
                [
                    (("scalar", "u", 1, False), ("scalar", "http://x.y/z?a=b#c", 1, False)),
                    (("scalar", "n", 2, False), ("scalar", "null", 2, True)),
                    (("scalar", "e", 3, False), ("scalar", "", 3, False)),
                    (("scalar", "h", 4, False), ("scalar", "C# and a#b", 4, False)),
                    (("scalar", "q", 5, False), ("scalar", "null", 5, False)),
                ],
            ),
        ),
    ],
)
def test_what_the_fast_reader_builds(text, expected):
    assert tree(_compose_block(text)) == expected
    assert agree(text)


@pytest.mark.parametrize(
    "text",
    [
        "a:\tb\n",
        "a: b\r\n",
        "\ufeffa: b\n",  # tab, CR, BOM
        'a: "x\\ty"\n',
        "a: 'it''s'\n",
        "a: >\n  folded\n",
        "a: |\n  kept\n",  # escapes, block scalars
        "a: b\n  c\n",
        "a: b\n\n  c\n",
        "a: 'x\n  y'\n",  # scalars continued on the next line
        "a: &x b\nc: *x\n",
        "a: !!str b\n",
        "a: {b: c}\n",
        "? a\n: b\n",
        "---\na: b\n",
        "%YAML 1.1\n---\na: b\n",
        "a:\n  -\n    b: c\n",
        "a:\n- - b\n",
        "- a\n",
        "a: b\n- c\n",
        "a: b\n b: c\n",
        "a: b: c\n",
        "x" * 101 + ": y\n",
        "a: [b, [c]]\n",
        "a: [b,c]\n",
        "a: [ b ]\n",
        "a: -b\n",
        "a: :b\n",
        "a: b\u00a0c\n",
        "a:" + "".join(f"\n{' ' * 2 * i}b:" for i in range(1, 30)) + " c\n",  # deep: left to libyaml's limit
    ],
)
def test_the_fast_reader_declines(text):
    assert _compose_block(text) is None


# --- generated documents ------------------------------------------------------------------------------

KEYS = ["a", "b", "key", "place_1", "x" * 100]
SAFE = [
    "x",
    "x y",
    "a#c",
    "'q'",
    '"q"',
    '"a: b #c"',
    "''",
    '""',
    "[a, b]",
    "[]",
    "[a b, c.d]",
    "[\"a, b\", 'c']",
    "2024-01-01",
    "1.5",
    "-1.5e3",
    "http://a.b/c?d=e#f",
    "حلب",
    "(x)",
    "a - b",
    "x:y",
    "~",
    "null",
    "no",
]
TRICKY = [
    "a: b",
    "a :b",
    "#c",
    "x #c",
    "x  # c",
    "'a''b'",
    '"a\\"b"',
    "[a,b]",
    "[ a]",
    "[a, ]",
    "[-a]",
    "[a: b]",
    "[a #b]",
    "{a: b}",
    "- x",
    "? x",
    "-",
    ":x",
    "x:",
    "&a x",
    "*a",
    "!t x",
    "|",
    ">",
    "...",
    "---",
    "%x",
    "@x",
    "`x",
    "x\u00a0y",
    "x'",
    '"x"y',
    "'x' y",
    "x ]",
    ",x",
    "]x",
]


def _mapping(rng: random.Random, depth: int, indent: int, out: list[str], first: str | None = None) -> None:
    for i in range(rng.randint(1, 4)):
        prefix = first if i == 0 and first is not None else " " * indent
        key = rng.choice(KEYS)
        if depth > 4 or rng.random() < 0.55:
            value = rng.choice(SAFE if rng.random() < 0.85 else TRICKY)
            out.append(f"{prefix}{key}:{' ' * rng.choice([1, 1, 2])}{value}{rng.choice(['', '', ' # c', ' '])}")
            continue
        out.append(f"{prefix}{key}:{rng.choice(['', '', ' # c'])}")
        if rng.random() < 0.3:
            out.append(rng.choice(["", "# comment", "   # c"]))
        kind = rng.randrange(3)
        if kind == 0:
            _sequence(rng, depth + 1, indent, out)  # indentless
        elif kind == 1:
            _sequence(rng, depth + 1, indent + rng.choice([1, 2, 4]), out)
        else:
            _mapping(rng, depth + 1, indent + rng.choice([1, 2, 4]), out)


def _sequence(rng: random.Random, depth: int, indent: int, out: list[str]) -> None:
    for _ in range(rng.randint(1, 4)):
        prefix = " " * indent + "- "
        if depth > 4 or rng.random() < 0.4:
            out.append(prefix + rng.choice(SAFE if rng.random() < 0.85 else TRICKY))
        else:
            _mapping(rng, depth + 1, indent + 2, out, first=prefix)


def generated(rng: random.Random) -> str:
    out = ["# header"] if rng.random() < 0.3 else []
    _mapping(rng, 0, 0, out)
    for _ in range(rng.choice([0, 0, 1, 2])):  # break it: indentation, lost and repeated lines
        if not out:
            break
        i = rng.randrange(len(out))
        op = rng.randrange(4)
        if op == 0:
            out[i] = " " + out[i]
        elif op == 1:
            out[i] = out[i][1:]
        elif op == 2:
            out.insert(i, out[i])
        else:
            del out[i]
    return "\n".join(out) + rng.choice(["", "\n"])


def test_generated_documents_compose_to_libyamls_tree_or_are_declined():
    rng = random.Random("block reader")
    taken = sum(agree(generated(rng)) for _ in range(20_000))
    assert 4_000 < taken < 19_000, taken  # both outcomes are exercised


# --- the loader's results do not depend on the reader ---------------------------------------------------


def outcome(events: bytes, places: bytes) -> object:
    try:
        return load_dataset_from_bytes(events, "events.yaml", places, "places.yaml")
    except DataError as exc:
        return [str(p) for p in exc.problems]


def test_mutated_files_give_the_same_result_without_the_fast_reader(monkeypatch):
    places_base = Base("places", FIX_PLACES, FIX_PLACES)
    places_base.blocks = []
    cases = [(mutate(FIXTURE, case)[0], FIX_PLACES) for case in range(600)]
    cases += [(FIX_EVENTS, mutate(places_base, case)[0]) for case in range(200)]
    fast = [outcome(*case) for case in cases]
    monkeypatch.setattr(yamlread, "_compose_block", lambda text: None)
    assert [outcome(*case) for case in cases] == fast
