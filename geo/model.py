"""The data model: small immutable records shared by every module of `geo`.

Everything here is plain data (no I/O, no validation): the loader builds these
records after checking the YAML, the timeline engine and the renderers read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

STATUSES = ("confirmed", "claimed", "disputed")
PLACE_KINDS = ("city", "town", "border_crossing", "military_base", "airport", "dam", "area")


@dataclass(frozen=True, slots=True)
class Faction:
    id: str
    label: str  # full name, e.g. "Syrian Democratic Forces"
    short: str  # short legend label, e.g. "SDF"
    colour: str  # "#rrggbb"
    description: str


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str
    title: str
    date: date
    url: str | None = None  # http(s) only; the loader rejects anything else
    seed: str | None = None  # file name in shared/seeds when the source is a seed report


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
