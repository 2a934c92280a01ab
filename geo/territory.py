"""Zones of control per day, for the map and the charts: computed once, looked up per slider move.

The zones are approximate: Voronoi-style cells around the places, dissolved by who holds
each place (geo/zones.py builds them; docs/zones.md explains them). They are NOT surveyed
front lines, and every output says so.

`TerritoryModel(timeline)` builds the cells once, the zones of every distinct day state
(many days share one) and their GeoJSON at the default tolerance; a day's lookup is then
a dictionary read. GeoJSON is in lon/lat, simplified as a coverage (neighbouring zones
keep a common edge) and rounded, so the browser gets only what the zoom needs.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.errors import DateOutOfRange
from geo.model import Dataset, PlaceState
from geo.territory_stats import area_by_controller, contested_area_by_controller, population_by_controller, territory_rows
from geo.timeline import Timeline
from geo.zones import Tessellation, build_tessellation, coverage_union, linear_part, to_lonlat

__all__ = [
    "DEFAULT_TOLERANCE_M", "NOTE", "DayZones", "FrontLine", "TerritoryModel", "Zone", "area_by_controller",
    "contested_area_by_controller", "day_geojson", "day_zones", "front_lines", "front_lines_geojson",
    "population_by_controller", "site_keys", "territory_series", "tolerance_for_zoom", "zones_geojson",
]

DEFAULT_TOLERANCE_M = 1_000.0  # about one screen pixel with all of Syria on screen (zoom 7)
NOTE = "Approximate zones inferred from held places, not surveyed front lines."

# (controller, factions contesting it) of a site on one day; None when no place there has a state
SiteKey = tuple[str, tuple[str, ...]]


def tolerance_for_zoom(zoom: float, pixels: float = 1.0) -> float:
    """Metres that `pixels` screen pixels span at a web-map zoom level, at Syria's latitude (35°N)."""
    return pixels * 156_543.034 * math.cos(math.radians(35.0)) / 2**zoom


@dataclass(frozen=True, eq=False)
class Zone:
    """Ground held by one controller (and contested by the same factions, if any), dissolved."""

    controller: str
    contested_with: tuple[str, ...]
    places: tuple[str, ...]
    geometry: BaseGeometry  # metres
    area_km2: float

    @property
    def mode(self) -> str:
        return "contested" if self.contested_with else "held"


@dataclass(frozen=True, eq=False)
class FrontLine:
    factions: tuple[str, str]  # the two controllers, sorted
    geometry: BaseGeometry  # metres
    length_km: float


@dataclass(frozen=True, eq=False)
class DayZones:
    zones: tuple[Zone, ...]
    front_lines: tuple[FrontLine, ...]


# --- one day's zones and front lines -------------------------------------------


def site_keys(tessellation: Tessellation, state: Mapping[str, PlaceState]) -> tuple[SiteKey | None, ...]:
    """Who holds each site: its first place's controller, contested by any faction holding or
    contesting another place there. Split control counts for the primary holder."""
    keys: list[SiteKey | None] = []
    for members in tessellation.site_places:
        controls = [state[p].control for p in members if p in state]
        if not controls:
            keys.append(None)
            continue
        controller = controls[0].controller
        rivals = {f for c in controls for f in (c.controller, *c.contested_with)} - {controller}
        keys.append((controller, tuple(sorted(rivals))))
    return tuple(keys)


def day_zones(tessellation: Tessellation, keys: tuple[SiteKey | None, ...], cache: dict | None = None) -> DayZones:
    """The zones and front lines for one assignment of sites. `cache` (a dict kept by the
    caller) holds unions by (key, sites), so a day only unions the groups that changed."""
    cache = {} if cache is None else cache
    groups: dict[SiteKey, list[int]] = defaultdict(list)
    for site, key in enumerate(keys):
        if key is not None:
            groups[key].append(site)
    zones = []
    for key, sites in sorted(groups.items()):
        cache_key = (key, tuple(sites))
        if cache_key not in cache:
            cache[cache_key] = _zone(tessellation, key, sites)
        zones.append(cache[cache_key])
    return DayZones(tuple(z for z in zones if not z.geometry.is_empty), front_lines(tessellation, keys))


def _zone(tessellation: Tessellation, key: SiteKey, sites: list[int]) -> Zone:
    places = tuple(p for s in sites for p in tessellation.site_places[s])
    geometry = coverage_union(tessellation.cells[sites])
    return Zone(key[0], key[1], places, geometry, float(tessellation.cell_km2[sites].sum()))


def front_lines(tessellation: Tessellation, keys: tuple[SiteKey | None, ...]) -> tuple[FrontLine, ...]:
    """The cell edges whose two sides have different controllers, merged per pair of factions."""
    by_pair: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
    for edge in tessellation.edges:
        a, b = keys[edge.a], keys[edge.b]
        if a is not None and b is not None and a[0] != b[0]:
            by_pair[(min(a[0], b[0]), max(a[0], b[0]))].append(edge.line)
    fronts = []
    for pair, lines in sorted(by_pair.items()):
        merged = linear_part(shapely.union_all(lines))
        fronts.append(FrontLine(pair, merged, merged.length / 1000))
    return tuple(fronts)


# --- GeoJSON for the browser -----------------------------------------------------


def _decimals(tolerance_m: float) -> int:
    # 4 decimals is ~10 m: far below a 1 km simplification; finer detail needs the 5th (~1 m)
    return 4 if tolerance_m >= 100 else 5


def _simplified(day: DayZones, tolerance_m: float) -> list[BaseGeometry]:
    """The day's zones simplified together, so neighbours keep one common edge (no gaps, no overlaps)."""
    geoms = [zone.geometry for zone in day.zones]
    if tolerance_m <= 0 or not geoms:
        return geoms
    return list(shapely.coverage_simplify(geoms, tolerance_m))


def _geometry(geom_m: BaseGeometry, decimals: int) -> dict:
    rounded = shapely.transform(to_lonlat(geom_m), lambda xy: np.round(xy, decimals))
    return mapping(rounded)


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "note": NOTE, "features": features}


def zones_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int | None = None) -> dict:
    """A FeatureCollection (lon/lat) of the day's zones; properties: controller, mode
    ("held"/"contested"), contested_with (list), area_km2 (of the unsimplified zone), places (count)."""
    return _collection(_zone_features(day, _simplified(day, tolerance_m), _decimals(tolerance_m) if decimals is None else decimals))


def front_lines_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int | None = None) -> dict:
    """A FeatureCollection (lon/lat) of lines where zones of different controllers meet, one
    feature per pair; properties: factions [a, b], length_km (unsimplified). Taken from the
    simplified zones, so the lines lie exactly on the zone edges drawn at the same tolerance."""
    return _collection(_front_features(day, _simplified(day, tolerance_m), _decimals(tolerance_m) if decimals is None else decimals))


def day_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M) -> dict:
    """{"zones": ..., "front_lines": ...}, both from one simplification of the day's zones."""
    polygons, decimals = _simplified(day, tolerance_m), _decimals(tolerance_m)
    return {
        "zones": _collection(_zone_features(day, polygons, decimals)),
        "front_lines": _collection(_front_features(day, polygons, decimals)),
    }


def _zone_features(day: DayZones, polygons: list[BaseGeometry], decimals: int) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {
                "controller": zone.controller, "mode": zone.mode, "contested_with": list(zone.contested_with),
                "area_km2": round(zone.area_km2, 1), "places": len(zone.places),
            },
            "geometry": _geometry(polygon, decimals),
        }
        for zone, polygon in zip(day.zones, polygons, strict=True)
        if not polygon.is_empty
    ]


def _front_features(day: DayZones, polygons: list[BaseGeometry], decimals: int) -> list[dict]:
    lengths = {front.factions: front.length_km for front in day.front_lines}
    by_pair: dict[tuple[str, str], list[BaseGeometry]] = defaultdict(list)
    for (i, a), (j, b) in combinations(enumerate(day.zones), 2):
        if a.controller != b.controller and polygons[i].intersects(polygons[j]):
            line = linear_part(shapely.intersection(polygons[i].boundary, polygons[j].boundary))
            if not line.is_empty:
                by_pair[(min(a.controller, b.controller), max(a.controller, b.controller))].append(line)
    return [
        {
            "type": "Feature",
            "properties": {"factions": list(pair), "length_km": round(lengths.get(pair, 0.0), 1)},
            "geometry": _geometry(linear_part(shapely.union_all(lines)), decimals),
        }
        for pair, lines in sorted(by_pair.items())
    ]


class TerritoryModel:
    """Zones, front lines, GeoJSON and statistics for every day of a timeline, computed once.

    Build one per dataset and keep it (the dashboard: st.cache_resource). Afterwards no
    lookup recomputes geometry, except GeoJSON at a new tolerance: once per state and tolerance.
    """

    def __init__(self, timeline: Timeline, outline: BaseGeometry | None = None, tolerance_m: float = DEFAULT_TOLERANCE_M):
        self.timeline = timeline
        self.dataset: Dataset = timeline.dataset
        self.tolerance_m = tolerance_m
        self.tessellation = build_tessellation(self.dataset.places, outline)
        unions: dict = {}  # shared by all states: a day unions only the groups that changed
        slot_of_keys: dict[tuple, int] = {}
        self._states: list[DayZones] = []
        self._slot_of_day: list[int] = []
        for day in timeline.days:
            keys = site_keys(self.tessellation, timeline.state_on(day))
            if keys not in slot_of_keys:
                slot_of_keys[keys] = len(self._states)
                self._states.append(day_zones(self.tessellation, keys, unions))
            self._slot_of_day.append(slot_of_keys[keys])
        self._json: dict[tuple[int, float], str] = {}
        self._rows_by_day: dict[date, list[dict]] = {}
        self.precompute(tolerance_m)

    def precompute(self, tolerance_m: float) -> None:
        """Build the GeoJSON of every distinct state at this tolerance now (the constructor does the default)."""
        for slot in range(len(self._states)):
            self._text(slot, tolerance_m)

    @property
    def distinct_states(self) -> int:
        """How many different maps the timeline has (days with the same holders share one)."""
        return len(self._states)

    def _slot(self, day: date) -> int:
        if day < self.timeline.first_day:
            raise DateOutOfRange(f"{day} is before the first day of the data ({self.timeline.first_day})")
        return self._slot_of_day[min((day - self.timeline.first_day).days, len(self._slot_of_day) - 1)]

    def _text(self, slot: int, tolerance_m: float) -> str:
        key = (slot, float(tolerance_m))
        if key not in self._json:
            self._json[key] = json.dumps(day_geojson(self._states[slot], tolerance_m), separators=(",", ":"), ensure_ascii=False)
        return self._json[key]

    def zones_on(self, day: date) -> DayZones:
        """The day's zones and front lines, full resolution, in metres (equal-area projection)."""
        return self._states[self._slot(day)]

    def front_lines_on(self, day: date) -> tuple[FrontLine, ...]:
        return self.zones_on(day).front_lines

    def geojson_text_on(self, day: date, tolerance_m: float | None = None) -> str:
        """The JSON text of {"zones": FeatureCollection, "front_lines": FeatureCollection}: what a slider move sends.

        Cached per state and tolerance: pass a few fixed tolerances (e.g. tolerance_for_zoom(round(zoom))),
        not a continuous value, or every new value costs a simplification and a cache entry."""
        return self._text(self._slot(day), self.tolerance_m if tolerance_m is None else tolerance_m)

    def geojson_on(self, day: date, tolerance_m: float | None = None) -> dict:
        """Like geojson_text_on, as a fresh dict (callers such as folium may modify it)."""
        return json.loads(self.geojson_text_on(day, tolerance_m))

    def _rows(self) -> dict[date, list[dict]]:
        if not self._rows_by_day:
            for day, slot in zip(self.timeline.days, self._slot_of_day, strict=True):
                self._rows_by_day[day] = territory_rows(self.dataset, day, self.timeline.state_on(day), self._states[slot])
        return self._rows_by_day

    def series(self) -> list[dict]:
        """Rows {day, faction, area_km2, contested_km2, population} for every day and faction: the chart's data."""
        return [dict(row) for rows in self._rows().values() for row in rows]

    def stats_on(self, day: date) -> list[dict]:
        """The series rows of one day (after the last day, the last day's): the legend's data."""
        self._slot(day)
        return [dict(row) for row in self._rows()[self.timeline.clamp(day)]]


def territory_series(dataset: Dataset, timeline: Timeline | None = None) -> list[dict]:
    """TerritoryModel(...).series() for a dataset: area and listed population per faction and day."""
    if timeline is None:
        timeline = Timeline(dataset)
    elif timeline.dataset is not dataset:
        raise ValueError("the timeline was built from another dataset")
    return TerritoryModel(timeline).series()
