"""The timeline engine: who held what at the end of any day.

Built once per dataset. It keeps a snapshot of every place's state at regular
"keyframe" days and the events of each day, so a date query copies the nearest
keyframe and replays at most a few days, never the whole event list. Per-day
counts and each place's history are precomputed too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from geo.base.errors import DateOutOfRange
from geo.base.model import Dataset, Event, FactionName, Merger, PlaceState


@dataclass(frozen=True, slots=True)
class Rename:
    """A place's holder took a new name while it held the place (an entry of `history_entries`)."""

    faction: str
    old_label: str
    name: FactionName

    @property
    def since(self) -> date:
        return self.name.start


# Keep keyframes to about this many stored place states in total (memory bound for big data).
KEYFRAME_BUDGET = 2_000_000


class Timeline:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.first_day: date = dataset.baseline_date
        last_event_day = dataset.events[-1].date if dataset.events else self.first_day
        last_merger_day = dataset.mergers[-1].date if dataset.mergers else self.first_day
        self.last_day: date = max(self.first_day, last_event_day, last_merger_day, dataset.reports_to or self.first_day)
        self.days: tuple[date, ...] = tuple(self.first_day + timedelta(days=i) for i in range((self.last_day - self.first_day).days + 1))
        by_day: dict[date, list[Event]] = defaultdict(list)
        for event in dataset.events:  # file order is kept within a day
            by_day[event.date].append(event)
        mergers_by_day: dict[date, list[Merger]] = defaultdict(list)
        for merger in dataset.mergers:
            mergers_by_day[merger.date].append(merger)

        n_places = max(1, len(dataset.places))
        self._step = max(1, -(-n_places * len(self.days) // KEYFRAME_BUDGET))
        self._keyframes: list[Mapping[str, PlaceState]] = []
        self._counts: list[Mapping[str, int]] = []
        histories: dict[str, list[PlaceState]] = {}

        current: dict[str, PlaceState] = {}
        for pid, entry in dataset.baseline.items():
            state = PlaceState(pid, entry.control, "confirmed", self.first_day, None)
            current[pid] = state
            histories[pid] = [state]
        counts = Counter(state.controller for state in current.values())
        for i, day in enumerate(self.days):
            if day in mergers_by_day:  # a merger comes first on its day: that day's events name the successor
                by_day[day][:0] = [e for m in mergers_by_day[day] for e in _merger_changes(m, current)]
            for event in by_day.get(day, ()):
                state = PlaceState(event.place, event.control, event.status, event.date, event)
                counts[current[event.place].controller] -= 1
                counts[state.controller] += 1
                current[event.place] = state
                histories[event.place].append(state)
            self._counts.append(MappingProxyType({f: counts.get(f, 0) for f in dataset.factions}))
            if i % self._step == 0:
                self._keyframes.append(MappingProxyType(dict(current)))
        self._events_by_day = {day: tuple(events) for day, events in by_day.items() if events}
        self.event_days: tuple[date, ...] = tuple(sorted(self._events_by_day))
        self._histories = {pid: tuple(h) for pid, h in histories.items()}
        self.state_on = lru_cache(maxsize=64)(self._state_on)

    # --- date handling --------------------------------------------------------
    def _index(self, day: date) -> int:
        """Index of `day` in self.days; after the last day, the last day (its state holds on)."""
        if day < self.first_day:
            raise DateOutOfRange(f"{day} is before the first day of the data ({self.first_day})")
        return min((day - self.first_day).days, len(self.days) - 1)

    def clamp(self, day: date) -> date:
        """The nearest day that has its own slider step."""
        return min(max(day, self.first_day), self.last_day)

    # --- queries --------------------------------------------------------------
    def _state_on(self, day: date) -> Mapping[str, PlaceState]:
        """Every place's state at the end of `day` (read-only mapping)."""
        index = self._index(day)
        key = index // self._step
        frame = self._keyframes[key]
        if index == key * self._step:
            return frame
        state = dict(frame)
        for d in self.days[key * self._step + 1 : index + 1]:
            for event in self._events_by_day.get(d, ()):
                state[event.place] = PlaceState(event.place, event.control, event.status, event.date, event)
        return MappingProxyType(state)

    def events_on(self, day: date) -> tuple[Event, ...]:
        """The events dated `day`, in file order."""
        self._index(day)
        return self._events_by_day.get(day, ())

    def changed_on(self, day: date) -> frozenset[str]:
        return frozenset(event.place for event in self.events_on(day))

    def history(self, place_id: str) -> tuple[PlaceState, ...]:
        """The baseline state of a place followed by every event that changed it."""
        if place_id not in self._histories:
            raise KeyError(f"unknown place '{place_id}'")
        return self._histories[place_id]

    def history_entries(self, place_id: str) -> tuple[PlaceState | Rename, ...]:
        """The history with, between its states, each rename of the holder while it held the place."""
        history = self.history(place_id)
        entries: list[PlaceState | Rename] = []
        for i, state in enumerate(history):
            entries.append(state)
            end = history[i + 1].since if i + 1 < len(history) else None
            faction = self.dataset.factions.get(state.controller)
            if faction is None:
                continue
            for name in faction.renames:
                if state.since < name.start <= self.last_day and (end is None or name.start < end):
                    entries.append(Rename(state.controller, faction.on(name.start - timedelta(days=1)).label, name))
        return tuple(entries)

    def counts_on(self, day: date) -> Mapping[str, int]:
        """Places per controlling faction at the end of `day` (every faction, zeros included)."""
        return self._counts[self._index(day)]

    def counts_series(self) -> list[tuple[date, str, int]]:
        """(day, faction, places held) for every day and faction: the data of the chart over time."""
        return [(day, f, counts[f]) for day, counts in zip(self.days, self._counts, strict=False) for f in counts]

    def next_event_day(self, day: date) -> date | None:
        return next((d for d in self.event_days if d > day), None)

    def previous_event_day(self, day: date) -> date | None:
        return next((d for d in reversed(self.event_days) if d < day), None)


def _merger_changes(merger: Merger, current: Mapping[str, PlaceState]) -> list[Event]:
    """One change per place where the merged faction had a stake, as of the start of the merger's day.

    The place keeps its status and basis: a merger renames its holder, it adds no evidence about the place.
    """
    changes = []
    for pid, state in current.items():
        control = state.control.merged(merger.faction, merger.into)
        if control is state.control:
            continue
        base = state.event
        changes.append(
            Event(
                index=-1,
                line=merger.line,
                date=merger.date,
                place=pid,
                control=control,
                status=state.status,
                summary=merger.summary,
                sources=merger.sources,
                previous=state.controller,
                note=merger.note,
                basis=base.basis if base is not None else "reported",
                merger=merger,
            )
        )
    return changes
