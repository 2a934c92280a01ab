"""The round-trip baseline's places (benchmarks/roundtrip_app.py): which to draw at a zoom, each day's layer, cached.

Up to `MARKER_LIMIT` places the map draws every place at every zoom (the shipped data has under
a hundred). Above it, a marker for each of thousands of places would bury the map and send
hundreds of KB per slider move, so the layer is *thinned by zoom*: the map is cut into a grid of
`CELL_PX`-pixel cells at the map's zoom, and each cell shows its most important place (city,
then airport, base, crossing, dam, area, town; then by population), whose tooltip counts the
places it stands for by holder. Places that changed hands that day and the selected place are
always drawn. Zoomed in, where the whole country no longer fits, only the view and a margin
around it is sent (`view_box`: the map reports its bounds then), so a move sends what the eye
can see, not the dataset.

`PlaceLayers` keeps the built layers (JSON text for SyriaMap.placesLayer, tests/support/roundtrip/render.py) in an
LRU cache shared by the sessions of a server.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date

import numpy as np

from geo.base.model import Dataset
from geo.timeline.control import Timeline
from geo.view.look import faction_name
from tests.support.roundtrip.render import layer_data, places_wire

MARKER_LIMIT = 1000  # more places than this: thin by zoom
CELL_PX = 26  # grid cell of the thinning, in screen pixels
CULL_FROM_ZOOM = 8  # from this zoom on, only the view (and a margin) is sent, when the map has reported it
MIN_ZOOM, MAX_ZOOM = 5, 14
DEFAULT_LEVEL = 7  # before the map reports its zoom: about what fits Syria into the map
CACHE_ENTRIES = 256
KIND_RANK = {"city": 0, "airport": 1, "military_base": 2, "border_crossing": 3, "dam": 4, "area": 5, "town": 6}
LAT_SCALE = 1 / math.cos(math.radians(35.0))  # Mercator at Syria's latitude: a degree of latitude is ~1.22x taller

Box = tuple[float, float, float, float]  # west, south, east, north (lon/lat)


def zoom_level(zoom: object) -> int | None:
    """The whole zoom level of the map's zoom, within the map's limits (None when unknown or junk)."""
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not math.isfinite(zoom):
        return None
    return int(min(max(math.floor(zoom), MIN_ZOOM), MAX_ZOOM))


def view_box(bounds: object, zoom: object) -> Box | None:
    """The part of the map to send, from the bounds st_folium reports: the view grown by a tile
    (256 px) on each side and snapped out to whole tiles, so that small pans ask for the same box.
    None (send everything) below CULL_FROM_ZOOM or when the bounds are missing or junk."""
    level = zoom_level(zoom)
    if level is None or level < CULL_FROM_ZOOM or not isinstance(bounds, Mapping):
        return None
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        west, south, east, north = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or west >= east or south >= north:
        return None
    tile = 360.0 / 2**level
    return (
        math.floor(west / tile - 1) * tile,
        math.floor(south / tile - 1) * tile,
        math.ceil(east / tile + 1) * tile,
        math.ceil(north / tile + 1) * tile,
    )


class PlaceLayers:
    """Each day's places layer as `places_wire` text, by day, selected place, zoom level and view box.

    Build one per dataset and keep it (the dashboard: dashboard/store.py). Thread-safe."""

    def __init__(self, dataset: Dataset, timeline: Timeline, limit: int = MARKER_LIMIT, cache_entries: int = CACHE_ENTRIES):
        self.dataset, self.timeline = dataset, timeline
        self.thinned = len(dataset.places) > limit
        self._ids = list(dataset.places)
        self._index = {pid: i for i, pid in enumerate(self._ids)}
        places = [dataset.places[pid] for pid in self._ids]
        self._lon = np.array([p.lon for p in places], dtype=float)
        self._lat = np.array([p.lat for p in places], dtype=float)
        rank = np.array([KIND_RANK.get(p.kind, 6) for p in places], dtype=np.int64)
        population = np.array([p.population or 0 for p in places], dtype=np.int64)
        self._priority = np.lexsort((np.arange(len(places)), -population, rank))  # most important first
        self._grids: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._cache: OrderedDict[tuple, str] = OrderedDict()
        self._cache_entries = max(1, int(cache_entries))
        self._lock = threading.RLock()

    def _grid(self, level: int) -> tuple[np.ndarray, np.ndarray]:
        """(cell of every place, representative place index of every cell) at a zoom level."""
        found = self._grids.get(level)
        if found is None:
            size = CELL_PX * 360.0 / (256 * 2**level)
            gx = np.floor(self._lon / size).astype(np.int64)
            gy = np.floor(self._lat / (size / LAT_SCALE)).astype(np.int64)
            _, cell = np.unique(np.stack([gx, gy], axis=1), axis=0, return_inverse=True)
            cell = cell.ravel()
            first = np.full(cell.max() + 1 if len(cell) else 0, -1, dtype=np.int64)
            for i in self._priority[::-1]:  # the most important place of a cell is written last
                first[cell[i]] = i
            found = self._grids[level] = (cell, first)
        return found

    def chosen(self, day: date, selected: str | None, level: int | None, box: Box | None) -> tuple[list[str], dict[str, tuple[str, ...]]]:
        """(place ids to draw, in data order; tooltip notes of representatives) for a day and view."""
        n = len(self._ids)
        inside = np.ones(n, dtype=bool)
        if box is not None:
            west, south, east, north = box
            inside = (self._lon >= west) & (self._lon <= east) & (self._lat >= south) & (self._lat <= north)
        if not self.thinned:
            return [self._ids[i] for i in np.flatnonzero(inside)], {}
        cell, first = self._grid(DEFAULT_LEVEL if level is None else level)
        keep = np.zeros(n, dtype=bool)
        keep[first[first >= 0]] = True
        changed = self.timeline.changed_on(day) if self.timeline.first_day <= day <= self.timeline.last_day else frozenset()
        for pid in (*changed, selected):
            i = self._index.get(pid) if pid else None
            if i is not None:
                keep[i] = True
        keep &= inside
        # what each representative stands for: the hidden places of its cell, by holder
        hidden = np.flatnonzero(inside & ~keep)
        notes: dict[str, tuple[str, ...]] = {}
        if len(hidden):
            state, ids = self.timeline.state_on(day), self._ids
            holders = sorted({state[ids[i]].controller for i in hidden.tolist()})
            code = {f: k for k, f in enumerate(holders)}
            held = np.array([code[state[ids[i]].controller] for i in hidden.tolist()], dtype=np.int64)
            pairs, counts = np.unique(cell[hidden] * len(holders) + held, return_counts=True)
            by_cell: dict[int, list[tuple[int, str]]] = {}
            for pair, count in zip(pairs.tolist(), counts.tolist(), strict=True):
                by_cell.setdefault(pair // len(holders), []).append((count, holders[pair % len(holders)]))
            factions = self.dataset.factions_on(day)
            for c, found in by_cell.items():
                rep = int(first[c])
                if not keep[rep]:
                    continue
                total = sum(count for count, _ in found)
                listed = ", ".join(f"{faction_name(factions, f)} {count}" for count, f in sorted(found, key=lambda cf: (-cf[0], cf[1])))
                notes[ids[rep]] = (f"{total} more place{'s' if total > 1 else ''} near here: {listed}",)
        return [self._ids[i] for i in np.flatnonzero(keep)], notes

    def wire(self, day: date, selected: str | None = None, zoom: object = None, bounds: object = None) -> str:
        """The day's places layer for the map's zoom and bounds (bounds matter only when thinned)."""
        level = zoom_level(zoom) if self.thinned else None
        box = view_box(bounds, zoom) if self.thinned else None
        key = (day, selected, level, box)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        if self.thinned:
            places, notes = self.chosen(day, selected, level, box)
            text = places_wire(layer_data(self.dataset, self.timeline, day, selected, places, notes))
        else:
            text = places_wire(layer_data(self.dataset, self.timeline, day, selected))
        with self._lock:
            self._cache[key] = text
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
        return text
