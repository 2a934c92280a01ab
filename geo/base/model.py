"""The data model: small immutable records shared by every module of `geo`.

Everything here is plain data (no I/O, no validation): the loader builds these
records after checking the YAML, the timeline engine and the renderers read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

STATUSES = ("confirmed", "claimed", "disputed")
BASES = ("reported", "inferred")  # does a source name the place, or is the change inferred from a wider report?
PLACE_KINDS = (
    "city",
    "town",
    "village",
    "border_crossing",
    "military_base",
    "military_post",
    "airport",
    "dam",
    "bridge",
    "oil_gas_field",
    "camp",
    "prison",
    "area",
)


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str
    title: str
    date: date
    url: str | None = None  # http(s) only; the loader rejects anything else
    seed: str | None = None  # file name in shared/seeds when the source is a seed report


@dataclass(frozen=True, slots=True)
class FactionName:
    """A faction's name in force from `start` (a rename): its colour and id stay."""

    start: date
    label: str
    short: str
    description: str
    sources: tuple[Source, ...] = ()
    line: int = 0
    label_ar: str = ""  # the names in Arabic (optional in the data; the Arabic view falls back to label/short)
    short_ar: str = ""


@dataclass(frozen=True, slots=True)
class Faction:
    id: str
    label: str  # full name, e.g. "Syrian Democratic Forces"
    short: str  # short legend label, e.g. "SDF"
    colour: str  # "#rrggbb"
    description: str
    renames: tuple[FactionName, ...] = ()  # later names, in date order; label/short/description above come first
    label_ar: str = ""  # the names in Arabic (optional in the data; the Arabic view falls back to label/short)
    short_ar: str = ""

    def on(self, day: date) -> Faction:
        """The faction as it was called on `day` (itself when no rename is in force)."""
        name = None
        for rename in self.renames:
            if rename.start > day:
                break
            name = rename
        if name is None:
            return self
        return Faction(self.id, name.label, name.short, self.colour, name.description, self.renames, name.label_ar, name.short_ar)

    def names(self) -> tuple[tuple[date | None, str, str], ...]:
        """(from, label, short) of every name, the first from None (always)."""
        return ((None, self.label, self.short), *((r.start, r.label, r.short) for r in self.renames))


@dataclass(frozen=True, slots=True)
class Merger:
    """From `date` on, faction `faction` is part of `into`: every place it held passes to `into` that day."""

    date: date
    faction: str
    into: str
    summary: str
    sources: tuple[Source, ...]
    line: int = 0
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    name_ar: str
    kind: str  # one of PLACE_KINDS
    lat: float
    lon: float
    governorate: str
    aliases: tuple[str, ...] = ()
    geonames_id: int | None = None
    population: int | None = None  # from GeoNames where it has one
    coord_source: str | None = None  # where hand-set coordinates come from
    area: tuple[tuple[float, float], ...] | None = None  # optional (lon, lat) ring
    weight: float = 1.0  # relative pull of the place when zones are inferred
    line: int = 0  # line in the gazetteer file


@dataclass(frozen=True, slots=True)
class Control:
    """Who holds a place: one controller, maybe contested or split.

    contested_with: factions fighting the controller for the place right now.
    secondary: a second holder of part of the place (e.g. a security enclave).
    """

    controller: str
    contested_with: tuple[str, ...] = ()
    secondary: str | None = None

    @property
    def is_contested(self) -> bool:
        return bool(self.contested_with)

    @property
    def is_split(self) -> bool:
        return self.secondary is not None

    @property
    def mode(self) -> str:
        if self.contested_with:
            return "contested"
        if self.secondary is not None:
            return "split"
        return "held"

    def factions(self) -> tuple[str, ...]:
        """Every faction with a stake in the place, the controller first."""
        extra = (self.secondary,) if self.secondary else ()
        return (self.controller, *self.contested_with, *extra)

    def merged(self, faction: str, into: str) -> Control:
        """This control once `faction` has merged into `into` (a contest or split with itself disappears)."""
        if faction not in self.factions():
            return self
        controller = into if self.controller == faction else self.controller
        contested = tuple(dict.fromkeys(into if f == faction else f for f in self.contested_with))
        secondary = into if self.secondary == faction else self.secondary
        return Control(controller, tuple(f for f in contested if f != controller), None if secondary == controller else secondary)


@dataclass(frozen=True, slots=True)
class Event:
    index: int  # position in the file's event list, 0-based
    line: int  # line of the event in the events file
    date: date
    place: str
    control: Control
    status: str  # one of STATUSES
    summary: str
    sources: tuple[Source, ...]
    claimed_by: str | None = None  # who makes the claim (claimed / disputed)
    denied_by: str | None = None  # who denies it (disputed)
    previous: str | None = None  # expected controller before the event (checked)
    date_qualifier: str | None = None  # "night of 7/8 Dec", "by 11 Dec", ...
    note: str | None = None
    basis: str = "reported"  # one of BASES: "inferred" when no source names the place
    merger: Merger | None = None  # set on the per-place changes the timeline derives from a merger

    @property
    def inferred(self) -> bool:
        return self.basis == "inferred"


@dataclass(frozen=True, slots=True)
class Period:
    """A named stretch of the story (e.g. "Suwayda, Jul 2025"): a mark on the date control and a menu entry."""

    name: str
    start: date
    end: date
    line: int = 0
    name_ar: str = ""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    place: str
    control: Control
    line: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class PlaceState:
    """The control of one place at the end of one day."""

    place: str
    control: Control
    status: str  # status of the event that made it so; "confirmed" for the baseline
    since: date
    event: Event | None = None  # None: unchanged since the baseline

    @property
    def controller(self) -> str:
        return self.control.controller

    @property
    def basis(self) -> str:
        return self.event.basis if self.event is not None else "reported"


@dataclass(frozen=True, slots=True)
class Dataset:
    title: str
    factions: dict[str, Faction]
    places: dict[str, Place]
    baseline_date: date
    baseline: dict[str, BaselineEntry]
    baseline_sources: tuple[Source, ...]
    events: tuple[Event, ...]
    events_path: str = ""
    places_path: str = ""
    sources: dict[str, Source] = field(default_factory=dict)  # the named source catalogue
    mergers: tuple[Merger, ...] = ()  # in date order
    reports_to: date | None = None  # reports were read up to this day: the map runs to it, quiet days included
    periods: tuple[Period, ...] = ()  # named stretches of the story, in date order

    def factions_on(self, day: date) -> dict[str, Faction]:
        """Every faction under the name in force on `day`."""
        return factions_on(self.factions, day)


def factions_on(factions: dict[str, Faction], day: date) -> dict[str, Faction]:
    """The factions under the names in force on `day` (the same dict when none was ever renamed)."""
    if not any(f.renames for f in factions.values()):
        return factions
    return {fid: f.on(day) for fid, f in factions.items()}
