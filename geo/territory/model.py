"""Zones of control per day, for the map and the charts: computed once, looked up per slider move.

The zones are approximate: Voronoi-style cells around the places, dissolved by who holds
each place (geo/territory/zones.py builds them; docs/zones.md explains them). They are NOT surveyed
front lines, and every output says so.

`TerritoryModel(timeline)` builds the cells once and replays the events once, keeping which
side holds each cell on each day as small integer codes: the distinct day states (many days
share one) and every day's area and population figures come from those codes, with no
geometry. A state's zones, front lines and GeoJSON are built the first time they are asked for
and kept in bounded LRU caches, so five years of days cost memory only for the states in use.
GeoJSON is in lon/lat, simplified as a coverage (neighbouring zones keep a common edge) and
rounded. (The dashboard's map draws its zones through geo/map/zone_layer.py, which simplifies the
cells once per zoom band instead of each state's zones: much faster for thousands of places.)
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from datetime import date
from itertools import combinations
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.base.errors import DateOutOfRange
from geo.base.model import Dataset, PlaceState
from geo.territory.day_zones import DayZones, FrontLine, Zone
from geo.territory.stats import area_by_controller, contested_area_by_controller, population_by_controller
from geo.territory.zones import Tessellation, build_tessellation, coverage_union, linear_part, to_lonlat
from geo.timeline.control import Timeline

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "NOTE",
    "DayZones",
    "FrontLine",
    "TerritoryModel",
    "Zone",
    "area_by_controller",
    "contested_area_by_controller",
    "day_geojson",
    "day_zones",
    "front_lines",
    "front_lines_geojson",
    "population_by_controller",
    "site_keys",
    "territory_series",
    "tolerance_for_zoom",
    "zones_geojson",
]

DEFAULT_TOLERANCE_M = 1_000.0  # about one screen pixel with all of Syria on screen (zoom 7)
# Ground farther than this from every listed place is "no data" on the map (docs/zones.md), not the nearest holder's.
NO_DATA_REACH_KM = 35.0


def map_territory(timeline: Timeline) -> TerritoryModel:
    """The zones the map and its exports show: cells cut at NO_DATA_REACH_KM from the listed places."""
    return TerritoryModel(timeline, reach_km=NO_DATA_REACH_KM)


NOTE = "Approximate zones inferred from held places, not surveyed front lines."

# (controller, factions contesting it) of a site on one day; None when no place there has a state
SiteKey = tuple[str, tuple[str, ...]]
UnionCache = dict[tuple[SiteKey, tuple[int, ...]], Zone]  # (key, sites) -> the union of those sites


def tolerance_for_zoom(zoom: float, pixels: float = 1.0) -> float:
    """Metres that `pixels` screen pixels span at a web-map zoom level, at Syria's latitude (35°N)."""
    return pixels * 156_543.034 * math.cos(math.radians(35.0)) / 2**zoom


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


def day_zones(tessellation: Tessellation, keys: tuple[SiteKey | None, ...], cache: UnionCache | None = None) -> DayZones:
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


def _geometry(geom_m: BaseGeometry, decimals: int) -> dict[str, Any]:
    rounded = shapely.transform(to_lonlat(geom_m), lambda xy: np.round(xy, decimals))
    geometry: dict[str, Any] = mapping(rounded)
    return geometry


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "note": NOTE, "features": features}


def zones_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int | None = None) -> dict[str, Any]:
    """A FeatureCollection (lon/lat) of the day's zones; properties: controller, mode
    ("held"/"contested"), contested_with (list), area_km2 (of the unsimplified zone), places (count)."""
    return _collection(_zone_features(day, _simplified(day, tolerance_m), _decimals(tolerance_m) if decimals is None else decimals))


def front_lines_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int | None = None) -> dict[str, Any]:
    """A FeatureCollection (lon/lat) of lines where zones of different controllers meet, one
    feature per pair; properties: factions [a, b], length_km (unsimplified). Taken from the
    simplified zones, so the lines lie exactly on the zone edges drawn at the same tolerance."""
    return _collection(_front_features(day, _simplified(day, tolerance_m), _decimals(tolerance_m) if decimals is None else decimals))


def day_geojson(day: DayZones, tolerance_m: float = DEFAULT_TOLERANCE_M) -> dict[str, Any]:
    """{"zones": ..., "front_lines": ...}, both from one simplification of the day's zones."""
    polygons, decimals = _simplified(day, tolerance_m), _decimals(tolerance_m)
    return {
        "zones": _collection(_zone_features(day, polygons, decimals)),
        "front_lines": _collection(_front_features(day, polygons, decimals)),
    }


def _zone_features(day: DayZones, polygons: list[BaseGeometry], decimals: int) -> list[dict[str, Any]]:
    return [
        {
            "type": "Feature",
            "properties": {
                "controller": zone.controller,
                "mode": zone.mode,
                "contested_with": list(zone.contested_with),
                "area_km2": round(zone.area_km2, 1),
                "places": len(zone.places),
            },
            "geometry": _geometry(polygon, decimals),
        }
        for zone, polygon in zip(day.zones, polygons, strict=True)
        if not polygon.is_empty
    ]


def _front_features(day: DayZones, polygons: list[BaseGeometry], decimals: int) -> list[dict[str, Any]]:
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
    """Zones, front lines, GeoJSON and statistics for every day of a timeline.

    Build one per dataset and keep it (the dashboard: dashboard/store.py). The constructor builds
    the cells and walks the events once, keeping each day's holder of every site as small integer
    codes: the distinct states (days with the same holders share one) and each day's area and
    population figures come from those codes without any geometry. A state's zones, front lines
    and GeoJSON are computed the first time they are asked for and kept in bounded LRU caches
    (`cache_states` states), so a 5-year, 5,000-place timeline costs memory for the states in use,
    not for all of them. Thread-safe: sessions of one server share a model.
    """

    def __init__(
        self,
        timeline: Timeline,
        outline: BaseGeometry | None = None,
        tolerance_m: float = DEFAULT_TOLERANCE_M,
        cache_states: int = 256,
        reach_km: float | None = None,
    ):
        self.timeline = timeline
        self.dataset: Dataset = timeline.dataset
        self.tolerance_m = tolerance_m
        self.reach_km = reach_km
        self.tessellation = build_tessellation(self.dataset.places, outline, None if reach_km is None else reach_km * 1000)
        self._lock = threading.RLock()
        self._cache_states = max(1, int(cache_states))
        self._key_table: list[SiteKey | None] = [None]  # code -> site key; code 0: no place with a state
        self._codes: list[np.ndarray] = []  # per distinct state: the code of every site
        self._slot_of_day: list[int] = []
        self._population: list[dict[str, int]] = []  # per day: listed population per controller
        self._walk()
        self._zones: OrderedDict[int, DayZones] = OrderedDict()
        self._unions: UnionCache = {}  # (key, sites) -> Zone, shared by states: a state unions only the groups that changed
        self._json: OrderedDict[tuple[int, float], str] = OrderedDict()
        self._rows_by_day: dict[date, list[dict[str, Any]]] = {}

    def _walk(self) -> None:
        """Every day's site codes and listed population, by replaying the events once (no per-day full scan)."""
        tess, timeline, places = self.tessellation, self.timeline, self.dataset.places
        code_of: dict[SiteKey | None, int] = {None: 0}
        control = {pid: entry.control for pid, entry in self.dataset.baseline.items()}

        def key_code(site: int) -> int:
            controls = [control[p] for p in tess.site_places[site] if p in control]
            if not controls:
                return 0
            controller = controls[0].controller
            rivals = {f for c in controls for f in (c.controller, *c.contested_with)} - {controller}
            key = (controller, tuple(sorted(rivals)))
            if key not in code_of:
                code_of[key] = len(self._key_table)
                self._key_table.append(key)
            return code_of[key]

        codes = [key_code(site) for site in range(len(tess.site_places))]
        population = dict.fromkeys(self.dataset.factions, 0)
        for pid, c in control.items():
            place = places.get(pid)
            if place is not None and place.population:
                population[c.controller] = population.get(c.controller, 0) + place.population
        slot_of_codes: dict[bytes, int] = {}
        current: np.ndarray | None = None
        for day in timeline.days:
            changed_sites = set()
            for event in timeline.events_on(day):
                place = places.get(event.place)
                if place is not None and place.population:
                    old = control[event.place].controller
                    population[old] -= place.population
                    population[event.control.controller] = population.get(event.control.controller, 0) + place.population
                control[event.place] = event.control
                site = tess.site_of.get(event.place)
                if site is not None:
                    changed_sites.add(site)
            for site in changed_sites:
                codes[site] = key_code(site)
            if current is None or changed_sites:
                current = np.array(codes, dtype=np.int32)
            raw = current.tobytes()
            slot = slot_of_codes.get(raw)
            if slot is None:
                slot = slot_of_codes[raw] = len(self._codes)
                self._codes.append(current)
            self._slot_of_day.append(slot)
            self._population.append(dict(population))
        dtype = np.int16 if len(self._key_table) < 2**15 else np.int32
        self._codes = [c.astype(dtype) for c in self._codes]

    # --- states ----------------------------------------------------------------------------------

    @property
    def distinct_states(self) -> int:
        """How many different maps the timeline has (days with the same holders share one)."""
        return len(self._codes)

    @property
    def site_key_table(self) -> tuple[SiteKey | None, ...]:
        """Code -> (controller, contesting factions) of a site; code 0 is a site without a state."""
        return tuple(self._key_table)

    def slot_on(self, day: date) -> int:
        """The distinct state of `day` (after the last day: the last day's)."""
        if day < self.timeline.first_day:
            raise DateOutOfRange(f"{day} is before the first day of the data ({self.timeline.first_day})")
        return self._slot_of_day[min((day - self.timeline.first_day).days, len(self._slot_of_day) - 1)]

    _slot = slot_on

    def site_codes(self, slot: int) -> np.ndarray:
        """The code (index into site_key_table) of every site in one distinct state (read-only)."""
        codes = self._codes[slot]
        codes.flags.writeable = False
        return codes

    def _keys(self, slot: int) -> tuple[SiteKey | None, ...]:
        table = self._key_table
        return tuple(table[c] for c in self._codes[slot].tolist())

    def _state(self, slot: int) -> DayZones:
        with self._lock:
            found = self._zones.get(slot)
            if found is not None:
                self._zones.move_to_end(slot)
                return found
            if len(self._unions) > 64 * self._cache_states:  # keep the shared unions bounded too
                self._unions.clear()
            found = self._zones[slot] = day_zones(self.tessellation, self._keys(slot), self._unions)
            while len(self._zones) > self._cache_states:
                self._zones.popitem(last=False)
            return found

    def precompute(self, tolerance_m: float) -> None:
        """Build the GeoJSON of every distinct state at this tolerance now (it is otherwise built on first use)."""
        for slot in range(len(self._codes)):
            self._text(slot, tolerance_m)

    def _text(self, slot: int, tolerance_m: float) -> str:
        key = (slot, float(tolerance_m))
        with self._lock:
            found = self._json.get(key)
            if found is not None:
                self._json.move_to_end(key)
                return found
            found = self._json[key] = json.dumps(day_geojson(self._state(slot), tolerance_m), separators=(",", ":"), ensure_ascii=False)
            while len(self._json) > 2 * self._cache_states:
                self._json.popitem(last=False)
            return found

    def zones_on(self, day: date) -> DayZones:
        """The day's zones and front lines, full resolution, in metres (equal-area projection)."""
        return self._state(self.slot_on(day))

    def front_lines_on(self, day: date) -> tuple[FrontLine, ...]:
        return self.zones_on(day).front_lines

    def geojson_text_on(self, day: date, tolerance_m: float | None = None) -> str:
        """The JSON text of {"zones": FeatureCollection, "front_lines": FeatureCollection}: what a slider move sends.

        Cached per state and tolerance: pass a few fixed tolerances (e.g. tolerance_for_zoom(round(zoom))),
        not a continuous value, or every new value costs a simplification and a cache entry."""
        return self._text(self.slot_on(day), self.tolerance_m if tolerance_m is None else tolerance_m)

    def geojson_on(self, day: date, tolerance_m: float | None = None) -> dict[str, Any]:
        """Like geojson_text_on, as a fresh dict (callers such as folium may modify it)."""
        collection: dict[str, Any] = json.loads(self.geojson_text_on(day, tolerance_m))
        return collection

    # --- statistics (no geometry: the cells' areas by each day's site codes) ---------------------

    def _rows(self) -> dict[date, list[dict[str, Any]]]:
        with self._lock:
            if not self._rows_by_day:
                self._rows_by_day = self._build_rows()
            return self._rows_by_day

    def _build_rows(self) -> dict[date, list[dict[str, Any]]]:
        table = self._key_table
        controllers = sorted({key[0] for key in table if key is not None})
        index = {c: i for i, c in enumerate(controllers)}
        n = len(controllers)
        ctrl_of_code = np.array([-1 if key is None else index[key[0]] for key in table], dtype=np.int64)
        contested_of_code = np.array([key is not None and bool(key[1]) for key in table], dtype=bool)
        km2 = np.asarray(self.tessellation.cell_km2, dtype=float)
        slot_areas: list[tuple[dict[str, float], dict[str, float]]] = []
        for codes in self._codes:
            ctrl = ctrl_of_code[codes.astype(np.int64)]
            held = ctrl >= 0
            area = np.bincount(ctrl[held], weights=km2[held], minlength=n)
            contested = np.bincount(ctrl[held], weights=km2[held] * contested_of_code[codes[held]], minlength=n)
            present = np.bincount(ctrl[held], minlength=n) > 0
            slot_areas.append(
                (
                    {controllers[i]: float(area[i]) for i in range(n) if present[i]},
                    {controllers[i]: float(contested[i]) for i in range(n) if present[i] and contested[i] > 0},
                )
            )
        factions = list(self.dataset.factions)
        rows: dict[date, list[dict[str, Any]]] = {}
        for day, slot, population in zip(self.timeline.days, self._slot_of_day, self._population, strict=True):
            areas, contested_km2 = slot_areas[slot]
            names = factions + sorted(set(areas) - set(factions))
            rows[day] = [
                {
                    "day": day,
                    "faction": f,
                    "area_km2": round(areas.get(f, 0.0), 1),
                    "contested_km2": round(contested_km2.get(f, 0.0), 1),
                    "population": population.get(f, 0),
                }
                for f in names
            ]
        return rows

    def series(self) -> list[dict[str, Any]]:
        """Rows {day, faction, area_km2, contested_km2, population} for every day and faction: the chart's data."""
        return [dict(row) for rows in self._rows().values() for row in rows]

    def stats_on(self, day: date) -> list[dict[str, Any]]:
        """The series rows of one day (after the last day, the last day's): the legend's data."""
        self.slot_on(day)
        return [dict(row) for row in self._rows()[self.timeline.clamp(day)]]


def territory_series(dataset: Dataset, timeline: Timeline | None = None) -> list[dict[str, Any]]:
    """TerritoryModel(...).series() for a dataset: area and listed population per faction and day."""
    if timeline is None:
        timeline = Timeline(dataset)
    elif timeline.dataset is not dataset:
        raise ValueError("the timeline was built from another dataset")
    return TerritoryModel(timeline).series()
