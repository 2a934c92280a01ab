"""`python -m geo diff OLD NEW`: what a change to the data does to the map."""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.base.errors import DataError
from geo.editing import diff_report
from geo.editing.mapdiff import diff_datasets
from geo.reading.gazetteer import DEFAULT_PLACES
from geo.reading.loader import DEFAULT_EVENTS, load_dataset_from_bytes

REPO = DEFAULT_EVENTS.parent
EVENTS_IN_REPO = DEFAULT_EVENTS.relative_to(REPO).as_posix()
PLACES_IN_REPO = DEFAULT_PLACES.relative_to(REPO).as_posix()


class VersionError(Exception):
    """A version of the data that cannot be read (no such file or git revision)."""


@dataclass(frozen=True)
class Version:
    events: bytes
    events_name: str
    places: bytes
    places_name: str


def add_parser(sub) -> None:
    p = sub.add_parser(
        "diff",
        help="what a change to the data does to the map",
        description="Compare two versions of the data as the map sees them: for every place and day the holder, "
        "contestants, part-holder, status and basis (in runs of days); places new, removed or renamed; "
        "events changed, added or removed; sources added or dropped; factions renamed or merged. "
        "OLD and NEW are files or git revisions: `HEAD~1` is events.yaml (and the gazetteer) at that "
        "revision, `main:path/events.yaml` a file at a revision. Exit 0 when nothing differs, 1 when "
        "something does, 2 when either version is invalid or cannot be read.",
        epilog="examples:\n  python -m geo diff HEAD~1 events.yaml\n  python -m geo diff origin/main events.yaml --format markdown",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("old", metavar="OLD", help="a file or a git revision")
    p.add_argument("new", metavar="NEW", help="a file or a git revision")
    p.add_argument(
        "--places", default=None, metavar="PATH", help="the gazetteer for a version given as a file (default: geo/data/places.yaml)"
    )
    p.add_argument("--format", choices=("text", "markdown"), default="text", help="output format (default: text)")


def run(args: argparse.Namespace) -> int:
    datasets = []
    for spec in (args.old, args.new):
        try:
            version = read_version(spec, args.places)
            datasets.append(load_dataset_from_bytes(version.events, version.events_name, version.places, version.places_name))
        except VersionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except DataError as exc:
            print(f"{spec} is not valid data:", file=sys.stderr)
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 2
    diff = diff_datasets(*datasets)
    render = diff_report.as_markdown if args.format == "markdown" else diff_report.as_text
    print(render(diff, args.old, args.new))
    return 0 if diff.identical else 1


def read_version(spec: str, places_path: str | None = None) -> Version:
    """The data a spec names: a file (with the given or shipped gazetteer), `REV:path`, or a revision."""
    path = Path(spec)
    if path.is_file():
        places_file = Path(places_path) if places_path else DEFAULT_PLACES
        return Version(path.read_bytes(), spec, _read_file(places_file), str(places_file))
    revision, _, inside = spec.partition(":")
    events_name = f"{revision}:{inside or EVENTS_IN_REPO}"
    events = _git_show(events_name)
    places_name = f"{revision}:{PLACES_IN_REPO}"
    try:
        places = _git_show(places_name)
    except VersionError:  # a revision from before the gazetteer had this path: use today's
        places_name = str(DEFAULT_PLACES)
        places = _read_file(DEFAULT_PLACES)
    return Version(events, events_name, places, places_name)


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise VersionError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _git_show(object_name: str) -> bytes:
    try:
        done = subprocess.run(["git", "show", object_name], capture_output=True, cwd=Path.cwd(), timeout=60, check=False)
    except OSError as exc:
        raise VersionError(f"'{object_name}' is not a file, and git cannot run: {exc}") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VersionError(f"'{object_name}' is neither a file nor a git object ({reason[-1] if reason else 'git failed'})")
    return done.stdout
