"""`python -m geo`: check and query the data without the dashboard."""

from __future__ import annotations

import argparse
import json
import os
import sys

from geo.base.days import DAY_FORM, parse_day
from geo.base.errors import DataError
from geo.base.unprintable import escaped, escaped_lines, json_escaped
from geo.cli import bench, diff_cli, draft_cli, export_cli, synth
from geo.export.files import csv_text
from geo.reading.loader import DEFAULT_EVENTS, load_dataset
from geo.timeline.control import Rename, Timeline
from geo.view.tables import state_rows

DESCRIPTION = """\
Check and query the Syria territorial-control data.

The data lives in two hand-edited files: events.yaml (who took which place,
when, and the sources) and geo/data/places.yaml (the gazetteer). Run
`validate` after every edit: it lists every problem as FILE:LINE: field: message.
"""
EXAMPLES = """\
examples:
  python -m geo validate
  python -m geo state 2024-12-06 --format table
  python -m geo state 2024-12-08 --format csv > state.csv
  python -m geo history homs
  python -m geo diff HEAD~1 events.yaml
  python -m geo synth --places 2000 --events 20000 --days 365 big.yaml
"""
# Commands that do not read the shipped data: module with add_parser(sub) and run(args).
STANDALONE = {
    "bench": bench,
    "diff": diff_cli,
    "draft-events": draft_cli,
    "synth": synth,
    "export": export_cli,
    "export-html": export_cli,
    "export-animation": export_cli,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_data_args(p: argparse.ArgumentParser, positional: bool = False) -> None:
        if positional:
            p.add_argument(
                "events",
                nargs="?",
                default=str(DEFAULT_EVENTS),
                metavar="PATH",
                help="the events file (default: events.yaml of this repository)",
            )
        else:
            p.add_argument(
                "--events", default=str(DEFAULT_EVENTS), metavar="PATH", help="the events file (default: events.yaml of this repository)"
            )
        p.add_argument("--places", default=None, metavar="PATH", help="the gazetteer (default: geo/data/places.yaml)")

    p = sub.add_parser(
        "validate",
        help="check the data files; list every problem",
        description="Check the events file and the gazetteer. Exit 0 and print a one-line "
        "summary when they are valid; exit 1 and print one line per problem otherwise.",
    )
    add_data_args(p, positional=True)

    p = sub.add_parser(
        "state",
        help="who held every place at the end of a day",
        description="Print one row per place with its controller at the end of DATE "
        "(after that day's events). After the last event the last state holds.",
    )
    p.add_argument("date", metavar="DATE", help=f"the day, as {DAY_FORM}")
    p.add_argument("--format", choices=("csv", "json", "table"), default="table", help="output format (default: table)")
    add_data_args(p)

    p = sub.add_parser(
        "history",
        help="every change of control of one place, with sources",
        description="Print the baseline controller of a place and every event that changed it.",
    )
    p.add_argument("place", metavar="PLACE_ID", help="a place id from geo/data/places.yaml, e.g. aleppo")
    add_data_args(p)
    for module in STANDALONE.values():
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in STANDALONE:
        return STANDALONE[args.command].run(args)
    try:
        dataset = load_dataset(args.events, args.places)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr if args.command != "validate" else sys.stdout)
        if args.command != "validate":
            print(f"{len(exc.problems)} problem(s): run `python -m geo validate` for details", file=sys.stderr)
        return 1
    timeline = Timeline(dataset)
    if args.command == "validate":
        print(
            f"OK: {len(dataset.places)} places, {len(dataset.events)} events, "
            f"{timeline.first_day.isoformat()}..{timeline.last_day.isoformat()}"
        )
        return 0
    if args.command == "state":
        return _state(dataset, timeline, args.date, args.format)
    return _history(dataset, timeline, args.place)


def run(argv: list[str] | None = None) -> int:
    """`main` for `python -m geo`: output that cannot be written (a full disk, a closed pipe) ends the command
    with one line on standard error, not a traceback."""
    try:
        code = main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # the reader stopped early (`| head -1`): nothing to say, as other Unix tools
        _drop_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for such a tool
    except OSError as exc:
        _drop_stdout()
        where = exc.filename or "the output"
        print(f"error: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2  # as the export commands' own write errors


def _drop_stdout() -> None:
    """Point standard output at /dev/null: Python's own flush at exit would fail on it again, with a traceback."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _state(dataset, timeline: Timeline, when: str, fmt: str) -> int:
    try:
        day = parse_day(when)  # the one reading of a typed day (geo.base.days): `export --date` reads it the same way
        rows = state_rows(dataset, timeline, day)
    except ValueError as exc:  # not a day, or DateOutOfRange
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if fmt == "json":
        print(json_escaped(json.dumps(rows, ensure_ascii=False, indent=1)))
    elif fmt == "csv":
        sys.stdout.write(escaped_lines(csv_text(dataset, timeline, day)))  # the download's CSV: formulas neutralised
    else:
        columns = ("place_id", "name", "kind", "controller", "controller_label", "mode", "status", "basis", "since")
        print(_table([[escaped(str(row[c])) for c in columns] for row in rows], columns))
    return 0


def _history(dataset, timeline: Timeline, place_id: str) -> int:
    if place_id not in dataset.places:
        from geo.reading.yamlread import suggest

        print(f"error: unknown place '{place_id}'{suggest(place_id, dataset.places)}", file=sys.stderr)
        return 2
    place = dataset.places[place_id]
    _say(f"{place.name} ({place.name_ar}), {place.kind}, {place.governorate}")
    for entry in timeline.history_entries(place_id):
        if isinstance(entry, Rename):
            _say(f"{entry.since}  {entry.faction}  [rename]  '{entry.old_label}' is now called '{entry.name.label}' ({entry.name.short})")
            _print_sources(entry.name.sources)
            continue
        state = entry
        control = state.control
        who = control.controller
        if control.contested_with:
            who += f" (contested by {', '.join(control.contested_with)})"
        if control.secondary:
            who += f" (with {control.secondary} holding part)"
        event = state.event
        if event is None:
            _say(f"{state.since}  {who}  [baseline]")
            continue
        when = f"{event.date} ({event.date_qualifier})" if event.date_qualifier else str(event.date)
        if event.merger is not None:
            _say(f"{when}  {who}  [merger: {event.merger.faction} merged into {event.merger.into}]  {event.summary}")
        else:
            claim = f", claimed by {event.claimed_by}" if event.claimed_by else ""
            denial = f", denied by {event.denied_by}" if event.denied_by else ""
            basis = ", inferred" if event.basis == "inferred" else ""
            _say(f"{when}  {who}  [{event.status}{claim}{denial}{basis}]  {event.summary}")
        _print_sources(event.sources)
        if event.note:
            _say(f"    note: {event.note}")
    return 0


def _print_sources(sources) -> None:
    for source in sources:
        link = f" <{source.url}>" if source.url else ""
        _say(f'    source: {source.outlet}, "{source.title}", {source.date}{link}')


def _say(line: str) -> None:
    """A line of data for the terminal: control and direction-override characters written out, never raw."""
    print(escaped(line))


def _table(rows: list[list[str]], header) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    return "\n".join(lines)
