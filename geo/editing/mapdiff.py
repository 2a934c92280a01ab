"""Compare two versions of the data as the map sees them.

For every place and day: the holder, any contestants or part-holder, the status and the basis, grouped into
runs of days; plus places added, removed or renamed (a new id for the same GeoNames place or point), events
added, removed or changed, sources added or dropped, and factions added, renamed or merged.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta

from geo.base.model import Control, Dataset, Event, Merger, Place, Source
from geo.timeline.control import Timeline

# The fields of an event a reviewer checks; index and line move with every edit above them.
EVENT_FIELDS = (
    "control",
    "status",
    "claimed_by",
    "denied_by",
    "summary",
    "sources",
    "previous",
    "date_qualifier",
    "note",
    "basis",
)


@dataclass(frozen=True, slots=True)
class Look:
    """What the map shows for one place at the end of one day."""

    control: Control
    status: str
    basis: str

    def describe(self) -> str:
        text = self.control.controller
        if self.control.contested_with:
            text += f" (contested by {', '.join(self.control.contested_with)})"
        if self.control.secondary:
            text += f" (with {self.control.secondary} holding part)"
        marks = [m for m in (self.status if self.status != "confirmed" else "", "inferred" if self.basis == "inferred" else "") if m]
        return text + (f" [{', '.join(marks)}]" if marks else "")


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive days on which one place looked one way in the old data and another in the new."""

    place: str
    start: date
    end: date
    old: Look | None  # None: the old data does not reach that day
    new: Look | None


@dataclass(frozen=True, slots=True)
class EventChange:
    old: Event
    new: Event
    changed: tuple[str, ...]  # names of the fields that differ


@dataclass(frozen=True, slots=True)
class DataDiff:
    places_added: tuple[str, ...] = ()
    places_removed: tuple[str, ...] = ()
    places_renamed: tuple[tuple[str, str], ...] = ()  # (old id, new id)
    runs: tuple[Run, ...] = ()
    events_added: tuple[Event, ...] = ()
    events_removed: tuple[Event, ...] = ()
    events_changed: tuple[EventChange, ...] = ()
    sources_added: tuple[Source, ...] = ()
    sources_dropped: tuple[Source, ...] = ()
    factions_added: tuple[str, ...] = ()
    factions_removed: tuple[str, ...] = ()
    factions_renamed: tuple[tuple[str, str], ...] = ()  # (old id, new id): same faction, new id
    names_changed: tuple[tuple[str, tuple, tuple], ...] = ()  # (faction, old names, new names)
    mergers_added: tuple[Merger, ...] = ()
    mergers_removed: tuple[Merger, ...] = ()

    @property
    def identical(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def diff_datasets(old: Dataset, new: Dataset) -> DataDiff:
    place_ids = _renamed(old.places, new.places, _place_key)
    faction_ids = _renamed(old.factions, new.factions, lambda f: f.label)
    faction_of = _mapper(faction_ids)
    place_of = _mapper(place_ids)
    shared = [pid for pid in old.places if place_of(pid) in new.places]
    events_added, events_removed, events_changed = _events(old, new, place_of, faction_of)
    old_sources, new_sources = _sources(old), _sources(new)
    names_changed = tuple(
        (faction_of(fid), f.names(), new.factions[faction_of(fid)].names())
        for fid, f in old.factions.items()
        if faction_of(fid) in new.factions and f.names() != new.factions[faction_of(fid)].names()
    )
    merger_key = {(m.date, faction_of(m.faction), faction_of(m.into)): m for m in old.mergers}
    new_merger_keys = {(m.date, m.faction, m.into) for m in new.mergers}
    return DataDiff(
        places_added=tuple(p for p in new.places if p not in set(map(place_of, old.places))),
        places_removed=tuple(p for p in old.places if place_of(p) not in new.places),
        places_renamed=tuple(sorted(place_ids.items())),
        runs=tuple(_runs(Timeline(old), Timeline(new), shared, place_of, faction_of)),
        events_added=events_added,
        events_removed=events_removed,
        events_changed=events_changed,
        sources_added=tuple(sorted(new_sources - old_sources, key=_source_order)),
        sources_dropped=tuple(sorted(old_sources - new_sources, key=_source_order)),
        factions_added=tuple(f for f in new.factions if f not in set(map(faction_of, old.factions))),
        factions_removed=tuple(f for f in old.factions if faction_of(f) not in new.factions),
        factions_renamed=tuple(sorted(faction_ids.items())),
        names_changed=names_changed,
        mergers_added=tuple(m for m in new.mergers if (m.date, m.faction, m.into) not in merger_key),
        mergers_removed=tuple(m for key, m in merger_key.items() if key not in new_merger_keys),
    )


def _place_key(place: Place):
    """What makes two place records the same place under different ids."""
    return place.geonames_id if place.geonames_id is not None else (round(place.lat, 4), round(place.lon, 4))


def _renamed(old: dict, new: dict, key) -> dict[str, str]:
    """Old id -> new id for records that left under one id and came back, the same by `key`, under another."""
    gone = {key(old[i]): i for i in old if i not in new}
    return {gone[key(new[i])]: i for i in new if i not in old and key(new[i]) in gone}


def _mapper(renames: dict[str, str]):
    return lambda value: renames.get(value, value)


def _mapped_control(control: Control, faction_of) -> Control:
    secondary = faction_of(control.secondary) if control.secondary else None
    return Control(faction_of(control.controller), tuple(map(faction_of, control.contested_with)), secondary)


def _segments(timeline: Timeline, place: str, faction_of) -> list[tuple[date, Look]]:
    """(first day, look) of each stretch of days the place looked one way: the last state of each day counts."""
    segments: list[tuple[date, Look]] = []
    for state in timeline.history(place):
        look = Look(_mapped_control(state.control, faction_of), state.status, state.basis)
        if segments and segments[-1][0] == state.since:
            segments[-1] = (state.since, look)
        elif not segments or segments[-1][1] != look:
            segments.append((state.since, look))
    return segments


def _look_on(segments: list[tuple[date, Look]], starts: list[date], day: date) -> Look | None:
    """The look at the end of `day` (None before the data's first day; the last look holds on)."""
    i = bisect_right(starts, day) - 1
    return segments[i][1] if i >= 0 else None


def _runs(old: Timeline, new: Timeline, places: list[str], place_of, faction_of) -> list[Run]:
    """Walks each place's stretches of days in both versions: as fast as the histories are short."""
    last = max(old.last_day, new.last_day)
    runs: list[Run] = []
    for pid in places:
        before, after = _segments(old, pid, faction_of), _segments(new, place_of(pid), _mapper({}))
        before_starts, after_starts = [d for d, _ in before], [d for d, _ in after]
        cuts = sorted(set(before_starts) | set(after_starts))
        open_run: list | None = None  # [start, end, old look, new look]
        for i, cut in enumerate(cuts):
            end = cuts[i + 1] - timedelta(days=1) if i + 1 < len(cuts) else last
            pair = (_look_on(before, before_starts, cut), _look_on(after, after_starts, cut))
            if open_run is not None and (open_run[2], open_run[3]) == pair:
                open_run[1] = end
                continue
            if open_run is not None:
                runs.append(Run(place_of(pid), *open_run))
            open_run = [cut, end, *pair] if pair[0] != pair[1] else None
        if open_run is not None:
            runs.append(Run(place_of(pid), *open_run))
    return sorted(runs, key=lambda r: (r.start, r.place))


def _event_values(event: Event, faction_of) -> dict:
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    values["control"] = _mapped_control(event.control, faction_of)
    values["previous"] = faction_of(event.previous) if event.previous else None
    return values


def _events(old: Dataset, new: Dataset, place_of, faction_of):
    """Events matched by place and day (several on one place and day: in file order)."""
    by_key: dict[tuple, list[list]] = defaultdict(lambda: [[], []])
    for event in old.events:
        by_key[(place_of(event.place), event.date)][0].append(event)
    for event in new.events:
        by_key[(event.place, event.date)][1].append(event)
    added, removed, changed = [], [], []
    for before, after in by_key.values():
        for a, b in zip(before, after, strict=False):
            va, vb = _event_values(a, faction_of), _event_values(b, _mapper({}))
            differing = tuple(name for name in EVENT_FIELDS if va[name] != vb[name])
            if differing:
                changed.append(EventChange(a, b, differing))
        removed += before[len(after) :]
        added += after[len(before) :]
    return (
        tuple(sorted(added, key=_event_order)),
        tuple(sorted(removed, key=_event_order)),
        tuple(sorted(changed, key=lambda c: _event_order(c.new))),
    )


def _event_order(event: Event):
    return (event.date, event.line)


def _sources(dataset: Dataset) -> set[Source]:
    """Every source the data cites or catalogues."""
    cited = set(dataset.sources.values()) | set(dataset.baseline_sources)
    for event in dataset.events:
        cited.update(event.sources)
    for merger in dataset.mergers:
        cited.update(merger.sources)
    for faction in dataset.factions.values():
        for rename in faction.renames:
            cited.update(rename.sources)
    return cited


def _source_order(source: Source):
    return (source.date, source.outlet, source.title)
