"""Load and validate events.yaml (with the gazetteer) into a Dataset.

Every problem in either file is collected and raised at once as one DataError,
each as `FILE:LINE: field: message`. Nothing is dropped or reordered silently:
the result holds every event of the file, in file order, or there is an error.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

from geo.base.errors import DataError
from geo.base.model import BASES, STATUSES, BaselineEntry, Control, Dataset, Event, Faction, FactionName, Merger, Period, Place, Source
from geo.base.paths import PROJECT_DIR
from geo.reading.gazetteer import DEFAULT_PLACES, read_places
from geo.reading.outlets import distinct_outlets, outlet_key
from geo.reading.yamlread import (
    FieldReader,
    MappingNode,
    Node,
    ScalarNode,
    TooLarge,
    YamlFailure,
    compose,
    is_null,
    line_of,
    paused_gc,
    read_bounded,
    suggest,
)

DEFAULT_EVENTS = PROJECT_DIR / "events.yaml"
TOP_FIELDS = ("title", "factions", "sources", "baseline", "events", "mergers", "reports_to", "periods")
PERIOD_FIELDS = ("name", "from", "to")
FACTION_FIELDS = ("label", "short", "colour", "description")
RENAME_FIELDS = ("from", "label", "short", "description", "sources")
ARABIC_NAME_FIELDS = ("label_ar", "short_ar")  # optional, together: a faction's (or a rename's) names in Arabic
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")
MERGER_FIELDS = ("date", "faction", "into", "summary", "sources", "note")
SOURCE_FIELDS = ("outlet", "title", "date", "url", "seed")
BASELINE_FIELDS = ("date", "sources", "control")
CONTROL_FIELDS = ("controller", "contested_with", "secondary", "note")
EVENT_FIELDS = (
    "date",
    "place",
    "controller",
    "status",
    "claimed_by",
    "denied_by",
    "summary",
    "sources",
    "previous",
    "contested_with",
    "secondary",
    "date_qualifier",
    "note",
    "basis",
)
SEED_RE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
# The timeline keeps a state per day: a typo like 9999-12-31 must not make it millions of days long.
MAX_SPAN_DAYS = 3660


def load_dataset(events_path: str | Path = DEFAULT_EVENTS, places_path: str | Path | None = None) -> Dataset:
    """Read both files from disk and validate them."""
    events_path = Path(events_path)
    places_path = Path(places_path) if places_path is not None else DEFAULT_PLACES
    return load_dataset_from_bytes(_read(events_path), str(events_path), _read(places_path), str(places_path))


def _read(path: Path) -> bytes | OSError:
    return read_bounded(path)  # the size checked first: never a whole 500 MB file in memory


def load_dataset_from_bytes(
    events_data: bytes | str | OSError,
    events_name: str = "events.yaml",
    places_data: bytes | str | OSError | None = None,
    places_name: str = str(DEFAULT_PLACES),
) -> Dataset:
    """Validate file contents (the dashboard caches on these bytes); raise DataError listing all problems."""
    with paused_gc():  # once around the whole load: each re-enable can trigger a full collection
        return _load(events_data, events_name, places_data, places_name)


def _load(events_data: bytes | str | OSError, events_name: str, places_data: bytes | str | OSError | None, places_name: str) -> Dataset:
    if places_data is None:
        places_data = _read(DEFAULT_PLACES)
    places_reader = FieldReader(places_name)
    places_root = _compose_into(places_data, places_reader)
    places = read_places(places_root, places_reader) if not places_reader.problems else {}

    reader = FieldReader(events_name)
    root = _compose_into(events_data, reader)
    if reader.problems or places_reader.problems:
        raise DataError(places_reader.problems + reader.problems)
    dataset = _read_events(root, reader, places)
    problems = places_reader.problems + reader.problems
    if problems or dataset is None:
        raise DataError(problems)
    return replace(dataset, events_path=events_name, places_path=places_name)


def _compose_into(data: bytes | str | OSError, reader: FieldReader) -> Node | None:
    if isinstance(data, TooLarge):
        reader.problem(1, "file", data.strerror or "")  # always set by TooLarge
        return None
    if isinstance(data, OSError):
        reader.problem(1, "file", f"cannot read: {data.strerror or data}")
        return None
    try:
        return compose(data, reader.filename)
    except YamlFailure as exc:
        reader.problems.append(exc.problem)
        return None


class _EventsReader:
    """Reads events.yaml top to bottom, keeping the running state to check `previous`."""

    def __init__(self, reader: FieldReader, places: dict[str, Place]):
        self.r = reader
        self.places = places
        self.factions: dict[str, Faction | None] = {}  # None: a faction with problems, known so references to it pass
        self.rename_nodes: dict[str, Node] = {}  # faction id -> its `renames` list, checked once the sources are read
        self.short_lines: dict[str, int] = {}  # faction id -> line of its first `short`
        self.merged: dict[str, Merger] = {}  # faction id -> the merger that ended it
        self.sources: dict[str, Source | None] = {}  # None: a source with problems
        # One Control per distinct value (100,000 events have a few hundred): less memory, faster to pickle.
        self.controls: dict[tuple[str, tuple[str, ...], str | None], Control] = {}
        # Lower-cased names and aliases -> id, so "Deraa" suggests 'daraa'.
        self.place_names = {p.id: p.id for p in places.values()}
        for p in places.values():
            for alias in (p.name, *p.aliases):
                self.place_names.setdefault(alias.lower(), p.id)

    # --- small typed checks -------------------------------------------------
    def faction_ref(self, node: Node, field: str) -> str | None:
        value = self.r.text(node, field, max_len=80)
        if value is None:
            return None
        if value not in self.factions:
            self.r.problem(node, field, f"unknown faction '{value}'{suggest(value, self.factions)}")
            return None
        return sys.intern(value)  # as the place ids: one string per id, not one per mention

    def place_ref(self, node: Node, field: str) -> str | None:
        value = self.r.text(node, field, max_len=200)
        if value is None:
            return None
        if value not in self.places:
            hint = self.place_names.get(value.lower())
            hint_text = f" (did you mean '{hint}'?)" if hint else suggest(value, self.places)
            self.r.problem(node, field, f"unknown place '{value}'{hint_text}")
            return None
        return self.places[value].id

    def url(self, node: Node, field: str) -> str | None:
        value = self.r.text(node, field, max_len=2000)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. "https://[x/": an unclosed IPv6 bracket
            parts = urlsplit("")
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
            self.r.problem(node, field, f"'{value[:60]}' is not an http(s) link")
            return None
        return value

    # --- sections -----------------------------------------------------------
    def read_factions(self, node: Node) -> None:
        for fid, (key_node, value_node) in (self.r.mapping(node, "factions") or {}).items():
            if self.r.identifier(key_node, "factions") is None:
                continue
            where = f"factions.{fid}"
            fields = self.r.mapping(value_node, where, allowed=(*FACTION_FIELDS, *ARABIC_NAME_FIELDS, "renames"))
            if fields is None:
                continue
            if "renames" in fields:
                self.rename_nodes[fid] = fields["renames"][1]
            values = {}
            for name in FACTION_FIELDS:
                if name not in fields:
                    self.r.problem(value_node, f"{where}.{name}", "missing")
                    continue
                values[name] = self.r.text(fields[name][1], f"{where}.{name}", max_len=300)
            colour = values.get("colour")
            if colour is not None and not _is_hex_colour(colour):
                self.r.problem(fields["colour"][1], f"{where}.colour", f"'{colour}' is not a colour like \"#1f77b4\"")
                values["colour"] = None
            label, short, colour, description = (values.get(name) for name in FACTION_FIELDS)
            if label is not None and short is not None and colour is not None and description is not None:
                self.short_lines[fid] = fields["short"][1].line
                self.factions[fid] = Faction(
                    id=fid,
                    colour=colour.upper(),
                    label=label,
                    short=short,
                    description=description,
                    **arabic_names(self.r, fields, value_node, where),
                )
            else:
                self.factions.setdefault(fid, None)  # known id, so references to it are not reported twice
        if not self.factions:
            self.r.problem(node, "factions", "at least one faction is needed")

    def read_renames(self, baseline_day: date | None) -> None:
        """Each faction's later names, in date order, after the baseline and before any merger of it."""
        for fid, node in self.rename_nodes.items():
            faction = self.factions.get(fid)
            renames: list[FactionName] = []
            for i, item in enumerate(self.r.sequence(node, f"factions.{fid}.renames") or ()):
                where = f"factions.{fid}.renames[{i}]"
                fields = self.r.mapping(item, where, allowed=(*RENAME_FIELDS, *ARABIC_NAME_FIELDS))
                if fields is None:
                    continue
                missing = [name for name in RENAME_FIELDS if name not in fields]
                for name in missing:
                    self.r.problem(item, f"{where}.{name}", "missing")
                if missing:
                    continue
                start = self.r.day(fields["from"][1], f"{where}.from")
                texts = {name: self.r.text(fields[name][1], f"{where}.{name}", max_len=300) for name in ("label", "short", "description")}
                sources = self.source_list(fields["sources"][1], f"{where}.sources")
                label, short, description = texts["label"], texts["short"], texts["description"]
                if start is None or sources is None or label is None or short is None or description is None:
                    continue
                if baseline_day is not None and start <= baseline_day:
                    self.r.problem(
                        fields["from"][1],
                        f"{where}.from",
                        f"{start} is not after the baseline date {baseline_day}: give the first name as the faction's label",
                    )
                    continue
                if renames and start <= renames[-1].start:
                    self.r.problem(
                        fields["from"][1],
                        f"{where}.from",
                        f"overlaps the name from {renames[-1].start} (line {renames[-1].line}): list renames in date order, one per day",
                    )
                    continue
                merger = self.merged.get(fid)
                if merger is not None and start >= merger.date:
                    self.r.problem(
                        fields["from"][1],
                        f"{where}.from",
                        f"'{fid}' merged into '{merger.into}' on {merger.date} (line {merger.line}): no rename after that",
                    )
                    continue
                renames.append(
                    FactionName(start, label, short, description, sources, item.line, **arabic_names(self.r, fields, item, where))
                )
            if faction is not None and renames:
                self.factions[fid] = replace(faction, renames=tuple(renames))

    def check_short_labels(self) -> None:
        """Two factions must not share a short label (whatever its case) while both go by it: the chart and
        the legend tell factions apart by it. A label may come back once the faction that had it is gone."""
        uses: dict[str, list[tuple[int, str, date, date, str, str]]] = {}  # -> (line, field, from, until, faction, label)
        for fid, faction in self.factions.items():
            if faction is None:
                continue
            names = [(self.short_lines[fid], f"factions.{fid}.short", date.min, faction.short)]
            names += [(r.line, f"factions.{fid}.renames[{i}].short", r.start, r.short) for i, r in enumerate(faction.renames)]
            ends = [start for _, _, start, _ in names[1:]] + [self.merged[fid].date if fid in self.merged else date.max]
            for (line, field, start, short), until in zip(names, ends, strict=True):
                uses.setdefault(short.casefold(), []).append((line, field, start, until, fid, short))
        for same in uses.values():
            for first, later in combinations(sorted(same, key=lambda use: (use[2], use[0])), 2):  # the later name is at fault
                if first[4] != later[4] and later[2] < first[3] and first[2] < later[3]:
                    self.r.problem(
                        later[0],
                        later[1],
                        f"'{later[5]}' is already the short label of '{first[4]}' (line {first[0]}) at the same time"
                        " (case does not count); the legend and the chart need a different one",
                    )

    def read_mergers(self, node: Node, baseline_day: date | None) -> None:
        """The `mergers` list: checked against the faction timeline, kept in date order."""
        read: list[Merger] = []
        for i, item in enumerate(self.r.sequence(node, "mergers") or ()):
            where = f"mergers[{i}]"
            fields = self.r.mapping(item, where, allowed=MERGER_FIELDS)
            if fields is None:
                continue
            missing = [name for name in MERGER_FIELDS if name != "note" and name not in fields]
            for name in missing:
                self.r.problem(item, f"{where}.{name}", "missing")
            if missing:
                continue
            day = self.r.day(fields["date"][1], f"{where}.date")
            faction = self.faction_ref(fields["faction"][1], f"{where}.faction")
            into = self.faction_ref(fields["into"][1], f"{where}.into")
            summary = self.r.text(fields["summary"][1], f"{where}.summary")
            sources = self.source_list(fields["sources"][1], f"{where}.sources")
            note = self.r.text(fields["note"][1], f"{where}.note") if "note" in fields else None
            if day is None or faction is None or into is None or summary is None or sources is None or ("note" in fields and note is None):
                continue
            if baseline_day is not None and day <= baseline_day:
                self.r.problem(fields["date"][1], f"{where}.date", f"{day} is not after the baseline date {baseline_day}")
                continue
            if faction == into:
                self.r.problem(fields["into"][1], f"{where}.into", f"'{faction}' cannot merge into itself")
                continue
            read.append(Merger(day, faction, into, summary, sources, item.line, note))
        for merger in sorted(read, key=lambda m: (m.date, m.line)):
            earlier = self.merged.get(merger.faction)
            if earlier is not None:
                self.r.problem(
                    merger.line,
                    "mergers.faction",
                    f"'{merger.faction}' already merged into '{earlier.into}' on {earlier.date} (line {earlier.line});"
                    " a faction merges once",
                )
                continue
            successor = self.merged.get(merger.into)
            if successor is not None and successor.date <= merger.date:
                self.r.problem(
                    merger.line,
                    "mergers.into",
                    f"'{merger.into}' itself merged into '{successor.into}' on {successor.date} (line {successor.line})"
                    f" (did you mean '{self.successor(merger.into, merger.date)}'?)",
                )
                continue
            self.merged[merger.faction] = merger

    def successor(self, faction: str, day: date) -> str:
        """Who holds a faction's places on `day`: itself, or the faction it merged into (followed through chains)."""
        seen = set()
        while faction in self.merged and self.merged[faction].date <= day and faction not in seen:
            seen.add(faction)
            faction = self.merged[faction].into
        return faction

    def gone(self, node: Node, field: str, faction: str | None, day: date) -> bool:
        """A problem if `faction` had merged into another by `day`; True then."""
        if faction is None:
            return False
        merger = self.merged.get(faction)
        if merger is None or merger.date > day:
            return False
        self.r.problem(
            node,
            field,
            f"'{faction}' merged into '{merger.into}' on {merger.date} (line {merger.line})"
            f" (did you mean '{self.successor(faction, day)}'?)",
        )
        return True

    def read_source(self, node: Node, field: str) -> Source | None:
        fields = self.r.mapping(node, field, allowed=SOURCE_FIELDS)
        if fields is None:
            return None
        ok = True
        for name in ("outlet", "title", "date"):
            if name not in fields:
                self.r.problem(node, f"{field}.{name}", "missing")
                ok = False
        if not ok:
            return None
        outlet = self.r.text(fields["outlet"][1], f"{field}.outlet", max_len=200)
        title = self.r.text(fields["title"][1], f"{field}.title", max_len=400)
        day = self.r.day(fields["date"][1], f"{field}.date")
        url = seed = None
        if "url" in fields:
            url = self.url(fields["url"][1], f"{field}.url")
            ok = url is not None
        if "seed" in fields:
            seed = self.r.text(fields["seed"][1], f"{field}.seed", max_len=100)
            if seed is not None and not SEED_RE.match(seed):
                self.r.problem(fields["seed"][1], f"{field}.seed", f"'{seed}' is not a seed file name like 002_2185bea8e7cef3b8.txt")
                seed = None
            ok = ok and seed is not None
        if not ok or outlet is None or title is None or day is None:
            return None
        return Source(outlet, title, day, url, seed)

    def read_source_catalogue(self, node: Node) -> None:
        for sid, (key_node, value_node) in (self.r.mapping(node, "sources") or {}).items():
            if self.r.identifier(key_node, "sources") is None:
                continue
            self.sources[sid] = self.read_source(value_node, f"sources.{sid}")

    def source_list(self, node: Node, field: str) -> tuple[Source, ...] | None:
        items = self.r.sequence(node, field)
        if items is None:
            return None
        if not items:
            self.r.problem(node, field, "at least one source is needed")
            return None
        out = []
        for item in items:
            if item.__class__ is MappingNode:
                source = self.read_source(item, field)
            else:
                sid = self.r.text(item, field, max_len=80)
                if sid is None:
                    return None
                if sid not in self.sources:
                    self.r.problem(item, field, f"unknown source '{sid}'{suggest(sid, self.sources)}")
                    return None
                source = self.sources[sid]
            if source is None:
                return None
            out.append(source)
        return tuple(out)

    def control(self, fields: dict[str, tuple[Node, Node]], where: str, node: Node) -> Control | None:
        """Controller plus optional contested_with/secondary, from an event or baseline entry."""
        if "controller" not in fields:
            self.r.problem(node, f"{where}.controller", "missing")
            return None
        controller = self.faction_ref(fields["controller"][1], f"{where}.controller")
        contested: list[str] = []
        ok = controller is not None
        if "contested_with" in fields:
            items = self.r.sequence(fields["contested_with"][1], f"{where}.contested_with")
            ok = ok and items is not None
            for item in items or ():
                other = self.faction_ref(item, f"{where}.contested_with")
                if other is None:
                    ok = False
                elif other == controller or other in contested:
                    self.r.problem(item, f"{where}.contested_with", f"'{other}' is listed twice or is the controller")
                    ok = False
                else:
                    contested.append(other)
            if items == []:
                self.r.problem(fields["contested_with"][1], f"{where}.contested_with", "an empty list: leave the field out")
                ok = False
        secondary = None
        if "secondary" in fields:
            secondary = self.faction_ref(fields["secondary"][1], f"{where}.secondary")
            ok = ok and secondary is not None
            if secondary is not None and secondary == controller:
                self.r.problem(fields["secondary"][1], f"{where}.secondary", "must differ from the controller")
                ok = False
        if not ok or controller is None:
            return None
        key = (controller, tuple(contested), secondary)
        control = self.controls.get(key)
        if control is None:
            control = self.controls[key] = Control(*key)
        return control

    def read_baseline(self, node: Node) -> tuple[date | None, dict[str, BaselineEntry], tuple[Source, ...]]:
        fields = self.r.mapping(node, "baseline", allowed=BASELINE_FIELDS)
        if fields is None:
            return None, {}, ()
        for name in BASELINE_FIELDS:
            if name not in fields:
                self.r.problem(node, f"baseline.{name}", "missing")
        day = self.r.day(fields["date"][1], "baseline.date") if "date" in fields else None
        sources = self.source_list(fields["sources"][1], "baseline.sources") if "sources" in fields else ()
        entries: dict[str, BaselineEntry] = {}
        if "control" in fields:
            control_node = fields["control"][1]
            for pid, (key_node, value_node) in (self.r.mapping(control_node, "baseline.control") or {}).items():
                where = f"baseline.control.{pid}"
                if self.place_ref(key_node, "baseline.control") is None:
                    continue
                note = None
                value_fields: dict[str, tuple[Node, Node]] | None
                if value_node.__class__ is ScalarNode:
                    value_fields = {"controller": (key_node, value_node)}
                else:
                    value_fields = self.r.mapping(value_node, where, allowed=CONTROL_FIELDS)
                    if value_fields is None:
                        continue
                    if "note" in value_fields:
                        note = self.r.text(value_fields["note"][1], f"{where}.note")
                control = self.control(value_fields, where, value_node)
                if control is not None:
                    entries[pid] = BaselineEntry(pid, control, line_of(key_node), note)
            missing = [pid for pid in self.places if pid not in entries and not self._reported(pid)]
            if missing:
                shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
                self.r.problem(control_node, "baseline.control", f"no baseline controller for {len(missing)} place(s): {shown}")
        return day, entries, sources or ()

    def _reported(self, pid: str) -> bool:
        return any(p.field.startswith(f"baseline.control.{pid}") for p in self.r.problems)

    def read_events(self, node: Node, baseline_day: date | None, baseline: dict[str, BaselineEntry]) -> list[Event]:
        items = self.r.sequence(node, "events")
        if items is None:
            return []
        running = {pid: (entry.control.controller, entry.line) for pid, entry in baseline.items()}
        pending = sorted(self.merged.values(), key=lambda m: (m.date, m.line))  # applied at the start of their day
        seen: dict[tuple[object, ...], int] = {}
        last_day, last_line = None, 0
        events = []
        for index, item in enumerate(items):
            event = self.read_event(index, item)
            if event is None:
                continue
            where = f"events[{index}]"
            if baseline_day is not None and event.date < baseline_day:
                self.r.problem(item, f"{where}.date", f"{event.date} is before the baseline date {baseline_day}")
            elif baseline_day is not None and (event.date - baseline_day).days > MAX_SPAN_DAYS:
                self.r.problem(
                    item, f"{where}.date", f"{event.date} is more than {MAX_SPAN_DAYS} days after the baseline date {baseline_day}"
                )
            if last_day is not None and event.date < last_day:
                self.r.problem(
                    item,
                    f"{where}.date",
                    f"events out of order: {event.date} comes after {last_day} (line {last_line}); keep the file in date order",
                )
            else:
                last_day, last_line = event.date, event.line
            while pending and pending[0].date <= event.date:
                merger = pending.pop(0)
                for pid, (held, _) in running.items():
                    if held == merger.faction:
                        running[pid] = (merger.into, merger.line)
            control = event.control  # its fields, not the Control: a tuple of strings hashes without a Python call
            key = (event.date, event.place, control.controller, control.contested_with, control.secondary, event.status)
            if key in seen:
                self.r.problem(item, where, f"duplicate of the event at line {seen[key]}")
            seen.setdefault(key, event.line)
            if event.previous is not None and event.place in running:
                held, since_line = running[event.place]
                if held != event.previous:
                    self.r.problem(
                        item,
                        f"{where}.previous",
                        f"expected '{event.previous}' but {event.place} is held by '{held}' here (set at line {since_line})",
                    )
            running[event.place] = (event.control.controller, event.line)
            events.append(event)
        return events

    def read_event(self, index: int, node: Node) -> Event | None:
        where = f"events[{index}]"
        fields = self.r.mapping(node, where, allowed=EVENT_FIELDS)
        if fields is None:
            return None
        r = self.r
        before = len(r.problems)
        for name in ("date", "place", "controller", "status", "summary", "sources"):
            if name not in fields:
                r.problem(node, f"{where}.{name}", "missing")
        # In this order (problems on one line are listed in it); a field that is not given reads as None.
        # Inline rather than through a helper: this runs 100,000 times for a big file.
        day = r.day(entry[1], f"{where}.date") if (entry := fields.get("date")) else None
        place = self.place_ref(entry[1], f"{where}.place") if (entry := fields.get("place")) else None
        control = self.control(fields, where, node) if "controller" in fields else None
        status = r.text(entry[1], f"{where}.status") if (entry := fields.get("status")) else None
        if status in STATUSES:
            status = sys.intern(status)
        elif status is not None:
            choices = ", ".join(STATUSES)
            r.problem(fields["status"][1], f"{where}.status", f"'{status}' is not one of {choices}{suggest(status, STATUSES)}")
        summary = r.text(entry[1], f"{where}.summary") if (entry := fields.get("summary")) else None
        sources = self.source_list(entry[1], f"{where}.sources") if (entry := fields.get("sources")) else None
        claimed_by = r.text(entry[1], f"{where}.claimed_by") if (entry := fields.get("claimed_by")) else None
        denied_by = r.text(entry[1], f"{where}.denied_by") if (entry := fields.get("denied_by")) else None
        if status in ("claimed", "disputed") and "claimed_by" not in fields:
            r.problem(node, f"{where}.claimed_by", f"say who claims it (status is {status})")
        if denied_by is not None and status in STATUSES and status != "disputed":
            r.problem(fields["denied_by"][1], f"{where}.denied_by", "only a disputed event has a denial; set status: disputed")
        previous = self.faction_ref(entry[1], f"{where}.previous") if (entry := fields.get("previous")) else None
        basis = r.text(entry[1], f"{where}.basis") if (entry := fields.get("basis")) else "reported"
        if basis is not None and basis not in BASES:
            r.problem(fields["basis"][1], f"{where}.basis", f"'{basis}' is not one of {', '.join(BASES)}{suggest(basis, BASES)}")
        if day is not None and self.merged:
            for name in ("controller", "secondary", "previous"):
                value_node = fields[name][1] if name in fields else None
                if type(value_node) is ScalarNode:  # a list or mapping there is already a problem, and not a faction id
                    self.gone(value_node, f"{where}.{name}", value_node.value, day)
            if control is not None:
                for other in control.contested_with:
                    self.gone(fields["contested_with"][1], f"{where}.contested_with", other, day)
        if len(r.problems) > before:
            return None
        if day is None or place is None or control is None or status is None or summary is None or basis is None:
            return None  # each None came with a problem above
        # Rules of evidence: reported, but the event still counts for the running state (no knock-on problems).
        if status == "disputed" and "denied_by" not in fields:
            r.problem(node, f"{where}.denied_by", "say who denies it (status is disputed)")
        if basis == "inferred" and "note" not in fields:
            r.problem(node, f"{where}.note", "say what was inferred from what (basis is inferred)")
        if status == "confirmed" and sources is not None and distinct_outlets(sources) < 2:
            outlets = ", ".join(sorted({outlet_key(s.outlet) for s in sources}))
            r.problem(
                fields["status"][1],
                f"{where}.status",
                f"confirmed needs sources from two different outlets (has {len(sources)} from {outlets}); add one or set status: claimed",
            )
        # Only read when nothing else is wrong with the event (their problems would come after the check above).
        qualifier = r.text(entry[1], f"{where}.date_qualifier") if (entry := fields.get("date_qualifier")) else None
        note = r.text(entry[1], f"{where}.note") if (entry := fields.get("note")) else None
        return Event(
            index=index,
            line=node.line,
            date=day,
            place=place,
            control=control,
            status=status,
            # sources is None when a catalogue source it names has problems (reported there): no Dataset is built then
            summary=summary,
            sources=sources if sources is not None else (),
            claimed_by=claimed_by,
            denied_by=denied_by,
            previous=previous,
            date_qualifier=qualifier,
            note=note,
            basis=sys.intern(basis),
        )


def _is_hex_colour(value: str) -> bool:
    return len(value) == 7 and value[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in value[1:])


def _read_events(root: Node | None, reader: FieldReader, places: dict[str, Place]) -> Dataset | None:
    if root is None or is_null(root):
        reader.problem(1, "file", "the file is empty")
        return None
    top = reader.mapping(root, "", allowed=TOP_FIELDS)
    if top is None:
        return None
    for name in ("factions", "baseline", "events"):
        if name not in top:
            reader.problem(root, name, "missing")
    events_reader = _EventsReader(reader, places)
    title = reader.text(top["title"][1], "title") if "title" in top else "Syria: territorial control"
    if "factions" in top:
        events_reader.read_factions(top["factions"][1])
    if "sources" in top:
        events_reader.read_source_catalogue(top["sources"][1])
    baseline_day, baseline, baseline_sources = events_reader.read_baseline(top["baseline"][1]) if "baseline" in top else (None, {}, ())
    if "mergers" in top:
        events_reader.read_mergers(top["mergers"][1], baseline_day)
    events_reader.read_renames(baseline_day)
    events_reader.check_short_labels()
    events = events_reader.read_events(top["events"][1], baseline_day, baseline) if "events" in top else []
    reports_to = reader.day(top["reports_to"][1], "reports_to") if "reports_to" in top else None
    last_change = max([e.date for e in events] + [m.date for m in events_reader.merged.values()], default=baseline_day)
    if reports_to is not None and last_change is not None and reports_to < last_change:
        reader.problem(top["reports_to"][1], "reports_to", f"{reports_to} is before the last change in the data ({last_change})")
    elif reports_to is not None and baseline_day is not None and (reports_to - baseline_day).days > MAX_SPAN_DAYS:
        reader.problem(top["reports_to"][1], "reports_to", f"{reports_to} is more than {MAX_SPAN_DAYS} days after the baseline date")
    periods = _read_periods(top["periods"][1], reader, baseline_day) if "periods" in top else ()
    if reader.problems or baseline_day is None:
        return None
    return Dataset(
        title=title or "",
        factions={k: v for k, v in events_reader.factions.items() if v is not None},
        places=places,
        baseline_date=baseline_day,
        baseline=baseline,
        baseline_sources=baseline_sources,
        events=tuple(events),
        sources={k: v for k, v in events_reader.sources.items() if v is not None},
        mergers=tuple(sorted(events_reader.merged.values(), key=lambda m: (m.date, m.line))),
        reports_to=reports_to,
        periods=periods,
    )


def arabic_text(reader: FieldReader, fields: dict[str, tuple[Node, Node]], name: str, where: str, max_len: int = 300) -> str:
    """An optional text in Arabic: '' when absent; a problem when it has no Arabic letter (a name left in English)."""
    if name not in fields:
        return ""
    value = reader.text(fields[name][1], f"{where}.{name}", max_len=max_len)
    if value is not None and not ARABIC_LETTER.search(value):
        reader.problem(fields[name][1], f"{where}.{name}", f"'{value}' has no Arabic letter")
        return ""
    return value or ""


class ArabicNames(TypedDict):
    label_ar: str
    short_ar: str


def arabic_names(reader: FieldReader, fields: dict[str, tuple[Node, Node]], node: Node, where: str) -> ArabicNames:
    """label_ar and short_ar, given together or not at all."""
    given = [name for name in ARABIC_NAME_FIELDS if name in fields]
    if len(given) == 1:
        missing = next(name for name in ARABIC_NAME_FIELDS if name not in fields)
        reader.problem(node, f"{where}.{missing}", f"missing: give it with {given[0]}")
    return {"label_ar": arabic_text(reader, fields, "label_ar", where), "short_ar": arabic_text(reader, fields, "short_ar", where)}


def _read_periods(node: Node, reader: FieldReader, baseline_day: date | None) -> tuple[Period, ...]:
    """The `periods` list: a name and a span of days each, in date order."""
    periods: list[Period] = []
    for i, item in enumerate(reader.sequence(node, "periods") or ()):
        where = f"periods[{i}]"
        fields = reader.mapping(item, where, allowed=(*PERIOD_FIELDS, "name_ar"))
        if fields is None:
            continue
        missing = [name for name in PERIOD_FIELDS if name not in fields]
        for name in missing:
            reader.problem(item, f"{where}.{name}", "missing")
        if missing:
            continue
        period_name = reader.text(fields["name"][1], f"{where}.name", max_len=80)
        start, end = reader.day(fields["from"][1], f"{where}.from"), reader.day(fields["to"][1], f"{where}.to")
        if period_name is None or start is None or end is None:
            continue
        if end < start:
            reader.problem(fields["to"][1], f"{where}.to", f"{end} is before the period's start {start}")
        elif baseline_day is not None and end < baseline_day:
            reader.problem(fields["to"][1], f"{where}.to", f"{end} is before the baseline date {baseline_day}")
        elif periods and start < periods[-1].start:
            reader.problem(fields["from"][1], f"{where}.from", f"periods out of order: {start} comes after {periods[-1].start}")
        else:
            periods.append(Period(period_name, start, end, item.line, arabic_text(reader, fields, "name_ar", where, 80)))
    return tuple(periods)
