"""A DataDiff as text for the terminal or as Markdown for a pull-request comment."""

from __future__ import annotations

from datetime import date

from geo.base.model import Event, Source
from geo.editing.mapdiff import DataDiff, Look, Run

MAX_LINES = 200  # per section: a pull-request comment stays readable when a whole file is rewritten


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _span(run: Run) -> str:
    return _day(run.start) if run.start == run.end else f"{_day(run.start)} → {_day(run.end)}"


def _look(look: Look | None) -> str:
    return "—" if look is None else look.describe()


def _event(event: Event) -> str:
    return f"{event.date} {event.place} → {event.control.controller} ({event.status}), line {event.line}: {event.summary}"


def _source(source: Source) -> str:
    return f'{source.outlet}, "{source.title}", {source.date}'


def _names(names: tuple) -> str:
    return "; ".join(f"{label} ({short})" + (f" from {start}" if start else "") for start, label, short in names)


def sections(diff: DataDiff) -> list[tuple[str, list[str]]]:
    """(heading, lines) for every part of the diff that has something to say."""
    parts = [
        ("Map", [f"{r.place}: {_look(r.old)} → {_look(r.new)}, {_span(r)}" for r in diff.runs]),
        (
            "Places",
            [f"{p}: new place" for p in diff.places_added]
            + [f"{p}: removed" for p in diff.places_removed]
            + [f"{a}: renamed to {b}" for a, b in diff.places_renamed],
        ),
        ("Events changed", [f"{_event(c.new)} [{', '.join(c.changed)}]" for c in diff.events_changed]),
        ("Events added", [_event(e) for e in diff.events_added]),
        ("Events removed", [_event(e) for e in diff.events_removed]),
        ("Sources added", [_source(s) for s in diff.sources_added]),
        ("Sources dropped", [_source(s) for s in diff.sources_dropped]),
        (
            "Factions",
            [f"{f}: new faction" for f in diff.factions_added]
            + [f"{f}: removed" for f in diff.factions_removed]
            + [f"{a}: renamed to {b}" for a, b in diff.factions_renamed]
            + [f"{f}: names were {_names(a)}; now {_names(b)}" for f, a, b in diff.names_changed]
            + [f"{m.faction} merges into {m.into} on {m.date} (new)" for m in diff.mergers_added]
            + [f"{m.faction} merges into {m.into} on {m.date} (removed)" for m in diff.mergers_removed],
        ),
    ]
    return [(heading, lines) for heading, lines in parts if lines]


def summary(diff: DataDiff) -> str:
    if diff.identical:
        return "identical: the map and the data are the same"
    places = len({r.place for r in diff.runs})
    return (
        f"map: {places} place(s) differ in {len(diff.runs)} run(s) of days; places new: {len(diff.places_added)}, "
        f"removed: {len(diff.places_removed)}, renamed: {len(diff.places_renamed)}; events changed: "
        f"{len(diff.events_changed)}, added: {len(diff.events_added)}, removed: {len(diff.events_removed)}; "
        f"sources added: {len(diff.sources_added)}, dropped: {len(diff.sources_dropped)}"
    )


def _clipped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more"]


def as_text(diff: DataDiff, old_name: str, new_name: str) -> str:
    out = [f"{old_name} → {new_name}: {summary(diff)}"]
    for heading, lines in sections(diff):
        out += ["", f"{heading}:", *(f"  {line}" for line in _clipped(lines))]
    return "\n".join(out)


def as_markdown(diff: DataDiff, old_name: str, new_name: str) -> str:
    out = [f"### Map diff: `{old_name}` → `{new_name}`", "", summary(diff)]
    for heading, lines in sections(diff):
        out += ["", f"#### {heading}", "", *(f"- {_escape(line)}" for line in _clipped(lines))]
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    """Markdown that shows the data's words as written (a summary may hold * or _ or a stray <tag>)."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, "\\" + char)
    return text
