"""The docs name only what exists: every path in backticks in docs/architecture.md and in the README's layout section
is in the tree, every `tests/x.py::test_name` is a test of that file, and the layout names every module of geo/ and
dashboard/ (a module added, moved or removed must be written down there too)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"
LAYOUT_HEADING = "## How the code is laid out"
CHECKED_DIRS = ("geo/", "dashboard/", "tests/", "benchmarks/", "scripts/", "docs/")
CODE_SUFFIXES = (".py", ".js", ".css")


def backticked(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def named_paths(text: str) -> list[str]:
    """The backticked tokens that are paths of the tree (`geo/...`, `dashboard/...`, `tests/x.py::test`, a top file)."""
    paths = []
    for token in backticked(text):
        if " " in token or "<" in token or "…" in token:
            continue
        if token.startswith(CHECKED_DIRS) or (re.fullmatch(r"[\w.-]+\.(py|md)", token) and "/" not in token):
            paths.append(token)
    return paths


def layout_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(LAYOUT_HEADING)
    end = text.find("\n## ", start + len(LAYOUT_HEADING))
    return text[start : end if end != -1 else len(text)]


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def missing(paths: list[str]) -> list[str]:
    gone = []
    for token in paths:
        file, _, name = token.partition("::")
        path = ROOT / file
        if not path.exists() or (name and (path.suffix != ".py" or name not in defined_names(path))):
            gone.append(token)
    return gone


def test_the_architecture_names_only_paths_and_tests_that_exist():
    paths = named_paths(ARCHITECTURE.read_text(encoding="utf-8"))
    assert len(paths) > 50  # the parse found the document's paths
    assert any("::test_" in p for p in paths)
    assert missing(paths) == []


def test_the_readme_layout_names_only_paths_that_exist():
    paths = named_paths(layout_section())
    assert len(paths) > 50
    assert missing(paths) == []


def test_the_readme_layout_names_every_module():
    named = set(named_paths(layout_section()))
    modules = sorted(
        str(path.relative_to(ROOT))
        for package in ("geo", "dashboard")
        for path in (ROOT / package).rglob("*")
        if path.suffix in CODE_SUFFIXES and path.name not in ("__init__.py", "__main__.py") and "__pycache__" not in path.parts
    )
    assert modules and [m for m in modules if m not in named] == []


def test_the_checker_sees_a_wrong_path_and_a_wrong_test():
    text = "`geo/base/model.py` `geo/nowhere.py` `tests/test_docs.py::test_no_such_test` `tests/test_docs.py::missing`"
    assert missing(named_paths(text)) == ["geo/nowhere.py", "tests/test_docs.py::test_no_such_test"]
