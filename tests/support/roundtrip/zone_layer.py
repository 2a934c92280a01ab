"""The round-trip baseline's zones and front lines (benchmarks/roundtrip_app.py): their per-day layers. Pure.

geo/territory/model.py builds the cells around the places and knows which side holds each cell on
each day; this module turns a day into Leaflet layers for `st_folium(feature_group_to_add=...)`,
the same per-day mechanism as the places, so a slider move never rebuilds the base map.

For speed at scale (thousands of places, years of days) a day's zones are not simplified one
by one: the cells are simplified once per zoom band, *as a coverage* (neighbours keep one
common edge), and a day's zones are unions of those simplified cells by holder, its front lines
the simplified cell edges between different holders. A state is built the first time it is
shown and kept in an LRU cache. The geometry goes to the browser in a compact form (delta-coded
integer coordinates with ragged offsets, see `pack`), which `SyriaMap.unpack` in the base map
turns back into GeoJSON; `decode` does the same in Python for tests and tools. Each feature
keeps only its geometry and a style built from re-validated colours (geo/view/look.py): no string from the
data files reaches the page.

Zones are drawn in their own pane beneath the places, filled with the holder's colour at
a low opacity; a contested zone is striped in the holder's and the (first) contester's
colours by an SVG pattern; front lines are dark dashed lines above the zones. The base
map creates the panes once (geo/map/render.py's PANES). Zones and lines are not interactive, so
clicks and hovers go to the places.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import folium
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.base.model import Faction
from geo.map.render import FRONTS_PANE, ZONES_PANE, to_js_json
from geo.territory.model import DEFAULT_TOLERANCE_M, TerritoryModel, tolerance_for_zoom
from geo.territory.zones import coverage_union, to_lonlat
from geo.view.look import FRONT_STYLE, faction_colour, hatch_id, hatch_pattern, zone_style
from tests.support.roundtrip.render import StFoliumGeoJson
from tests.support.roundtrip.wire import decode, pack, unpack_js, wire_decimals

# Simplification by zoom: (from zoom, tolerance). About one screen pixel at the lower zoom of
# each band (tolerance_for_zoom), a few pixels at most further in; three bands, precomputed.
ZOOM_BANDS = ((10.0, tolerance_for_zoom(10)), (8.0, tolerance_for_zoom(9)))
TOLERANCES = (DEFAULT_TOLERANCE_M, *(t for _, t in ZOOM_BANDS))
CACHE_ENTRIES = 128  # built day layers kept per dataset (a state at a band, and a view box when clipped)
Bounds = tuple[float, float, float, float]  # west, south, east, north (lon/lat)


def zone_tolerance(zoom: object) -> float:
    """Metres of simplification for the map's zoom (None or junk: the default, for the whole country)."""
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not math.isfinite(zoom):
        return DEFAULT_TOLERANCE_M
    return next((tolerance for start, tolerance in ZOOM_BANDS if zoom >= start), DEFAULT_TOLERANCE_M)


# --- one day's layers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZoneLayerData:
    """One day's zones and front lines, ready for the page: compact geometry text and the stripe patterns used."""

    zones_wire: str  # `pack` text; each zone's properties: {"style": ...}
    fronts_wire: str  # `pack` text; no properties
    patterns: tuple[tuple[str, str], ...]  # (pattern id, <pattern> markup)
    zones: int
    fronts: int

    @property
    def zones_json(self) -> str:
        """The zones as GeoJSON text (decoded; for tests and tools, the page gets `zones_wire`)."""
        return json.dumps(decode(self.zones_wire), separators=(",", ":"))

    @property
    def fronts_json(self) -> str:
        """The front lines as GeoJSON text (decoded)."""
        return json.dumps(decode(self.fronts_wire), separators=(",", ":"))


def _styled(keys: Sequence[tuple[str, tuple[str, ...]]], factions: Mapping[str, Faction]) -> tuple[list[dict], dict[str, str]]:
    """A style per zone key (controller, contesters) and the stripe patterns they use."""
    styles, patterns = [], {}
    factions = dict(factions)
    for controller, rivals in keys:
        colour = faction_colour(factions, controller)
        other = faction_colour(factions, rivals[0]) if rivals else None
        if other is not None:
            patterns[hatch_id(colour, other)] = hatch_pattern(colour, other)
        styles.append({"style": zone_style(colour, other)})
    return styles, patterns


def _layer_data(zone_keys: list, zone_geoms: list, front_geoms: list, factions: Mapping[str, Faction], decimals: int) -> ZoneLayerData:
    styles, patterns = _styled(zone_keys, factions)
    return ZoneLayerData(
        zones_wire=pack(zone_geoms, "MultiPolygon", decimals, styles),
        fronts_wire=pack(front_geoms, "MultiLineString", decimals),
        patterns=tuple(sorted(patterns.items())),
        zones=len(zone_geoms),
        fronts=len(front_geoms),
    )


def zone_layer_data(geojson_text: str, factions: Mapping[str, Faction], decimals: int = 5) -> ZoneLayerData:
    """From TerritoryModel.geojson_text_on(day): the zones with only a style each, the lines with no properties."""
    data = json.loads(geojson_text)
    keys, zones = [], []
    for feature in data["zones"]["features"]:
        props = feature.get("properties") or {}
        keys.append((props.get("controller"), tuple(props.get("contested_with") or ())))
        zones.append(shapely.geometry.shape(feature["geometry"]))
    fronts = [shapely.geometry.shape(f["geometry"]) for f in data["front_lines"]["features"]]
    return _layer_data(keys, zones, fronts, factions, decimals)


class SvgPatterns(MacroElement):
    """Puts stripe patterns into the map's page once each (a hidden <svg>), for zones to fill with url(#id).

    The markup is built by `hatch_pattern` from checked colours only. Patterns stay when the
    layers are swapped; one already there is not added again."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(patterns) {
            var box = document.getElementById("syria-patterns");
            if (!box) {
                box = document.createElement("div");
                box.id = "syria-patterns";
                box.setAttribute("aria-hidden", "true");
                box.style.cssText = "position:absolute;width:0;height:0;overflow:hidden";
                document.body.appendChild(box);
            }
            patterns.forEach(function(p) {
                if (!document.getElementById(p[0])) {
                    box.insertAdjacentHTML("beforeend", '<svg width="0" height="0"><defs>' + p[1] + "</defs></svg>");
                }
            });
        })({{ this.patterns_json }});
        {% endmacro %}
        """
    )

    def __init__(self, patterns: tuple[tuple[str, str], ...]):
        super().__init__()
        self._name = "SvgPatterns"
        self.patterns_json = to_js_json([list(p) for p in patterns])

    def render(self, **kwargs) -> None:
        return None


ZONES_OPTIONS_JS = (
    '{pane: "' + ZONES_PANE + '", interactive: false, className: "syria-zone", '
    "style: function(feature) { return feature.properties.style || {}; }}"
)
FRONTS_OPTIONS_JS = '{pane: "' + FRONTS_PANE + '", interactive: false, className: "syria-front", style: ' + to_js_json(FRONT_STYLE) + "}"


def zone_group(data: ZoneLayerData, zones: bool = True, fronts: bool = True) -> folium.FeatureGroup | None:
    """The FeatureGroup of the day's zones and/or front lines (None when both are off)."""
    if not (zones or fronts):
        return None
    group = folium.FeatureGroup(name="zones", control=False)
    if zones:
        SvgPatterns(data.patterns).add_to(group)
        StFoliumGeoJson(unpack_js(data.zones_wire), ZONES_OPTIONS_JS, name="ZoneLayer").add_to(group)
    if fronts:
        StFoliumGeoJson(unpack_js(data.fronts_wire), FRONTS_OPTIONS_JS, name="FrontLineLayer").add_to(group)
    return group


class _Band:
    """The cells simplified together at one tolerance, and the simplified edges between neighbours (metres)."""

    def __init__(self, model: TerritoryModel, tolerance_m: float):
        tess = model.tessellation
        cells = tess.cells
        if tolerance_m > 0 and len(cells):
            cells = shapely.coverage_simplify(cells, tolerance_m)
        # unions stay in metres: projected to lon/lat, a vertex that lies exactly on a neighbour's edge
        # no longer does, and a coverage union needs exact noding
        self.cells = np.asarray(cells, dtype=object)
        a = np.array([e.a for e in tess.edges], dtype=np.int64)
        b = np.array([e.b for e in tess.edges], dtype=np.int64)
        if len(a):
            shared = shapely.intersection(shapely.boundary(self.cells[a]), shapely.boundary(self.cells[b]))
            parts, owner = shapely.get_parts(shared, return_index=True)
            parts, inner = shapely.get_parts(parts, return_index=True)  # lines inside geometry collections
            owner = owner[inner]
            keep = (shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)
            self.lines, self.line_edge = parts[keep], owner[keep]
        else:
            self.lines, self.line_edge = np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
        self.edge_a, self.edge_b = a, b
        # lon/lat of every vertex, projected once: a state's zones and lines only reuse these vertices
        # (unions and line merges make no new ones), and pyproj is slow to start in each script thread
        vertices = np.ascontiguousarray(shapely.get_coordinates(self.cells), dtype=float)
        keys, first = np.unique(vertices.view(np.complex128).ravel(), return_index=True)
        self._keys = keys
        self._lonlat = shapely.get_coordinates(to_lonlat(shapely.points(vertices[first]))) if len(first) else vertices[:0]

    def to_lonlat(self, geoms: list) -> list:
        """The geometries (made of this band's vertices) in lon/lat, by lookup; any other vertex: projected."""
        if not geoms:
            return []
        array = np.array(geoms, dtype=object)
        coords = np.ascontiguousarray(shapely.get_coordinates(array), dtype=float)
        wanted = coords.view(np.complex128).ravel()
        at = np.minimum(np.searchsorted(self._keys, wanted), max(len(self._keys) - 1, 0))
        if not len(self._keys) or not np.array_equal(self._keys[at], wanted):
            return list(to_lonlat(array))
        return list(shapely.set_coordinates(array, self._lonlat[at]))


class ZoneLayers:
    """A TerritoryModel's days as ZoneLayerData at each zoom band's tolerance, built on first use and cached.

    Build one per dataset and keep it (the dashboard: dashboard/store.py). `on(day, zoom)` builds a
    state's layers the first time (unions of the band's pre-simplified cells: tens of ms for thousands
    of places) and then returns the cached object; days with the same holders share one entry.
    `bounds` (lon/lat box) clips the layers to a view, for very large datasets zoomed in. Thread-safe."""

    def __init__(self, model: TerritoryModel, tolerances: tuple[float, ...] = TOLERANCES, cache_entries: int = CACHE_ENTRIES):
        self.model = model
        self.tolerances = tolerances
        self._bands: dict[float, _Band] = {}
        self._cache: OrderedDict[tuple, ZoneLayerData] = OrderedDict()
        self._cache_entries = max(1, int(cache_entries))
        self._lock = threading.RLock()
        table = model.site_key_table
        self._controllers = sorted({key[0] for key in table if key is not None})
        index = {c: i for i, c in enumerate(self._controllers)}
        self._ctrl_of_code = np.array([-1 if key is None else index[key[0]] for key in table], dtype=np.int64)

    def band(self, tolerance_m: float) -> _Band:
        with self._lock:
            found = self._bands.get(tolerance_m)
            if found is None:
                found = self._bands[tolerance_m] = _Band(self.model, tolerance_m)
            return found

    def on(self, day: date, zoom: object = None, bounds: Bounds | None = None) -> ZoneLayerData:
        """The day's layers for the map's zoom (after the last day: the last day's), clipped to `bounds` if given."""
        tolerance = zone_tolerance(zoom)
        key = (self.model.slot_on(day), tolerance, bounds)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
            found = self._cache[key] = self._build(key[0], tolerance, bounds)
            while len(self._cache) > self._cache_entries:
                self._cache.popitem(last=False)
            return found

    def _build(self, slot: int, tolerance: float, bounds: Bounds | None) -> ZoneLayerData:
        band, table = self.band(tolerance), self.model.site_key_table
        codes = np.asarray(self.model.site_codes(slot), dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        present, starts = np.unique(codes[order], return_index=True)
        groups = np.split(order, starts[1:])
        zone_keys, zone_geoms = [], []
        for code, sites in sorted(zip(present.tolist(), groups, strict=True), key=lambda cs: table[cs[0]] or ("",)):
            if code == 0:
                continue
            geom = coverage_union(band.cells[sites])
            if not geom.is_empty:
                zone_keys.append(table[code])
                zone_geoms.append(geom)
        front_geoms = []
        if len(band.lines):
            ctrl = self._ctrl_of_code[codes]
            ca, cb = ctrl[band.edge_a], ctrl[band.edge_b]
            front = (ca != cb) & (ca >= 0) & (cb >= 0)
            pair = np.minimum(ca, cb) * len(self._controllers) + np.maximum(ca, cb)
            on_front, line_pair = front[band.line_edge], pair[band.line_edge]
            names = self._controllers
            for p in sorted(np.unique(line_pair[on_front]).tolist(), key=lambda p: (names[p // len(names)], names[p % len(names)])):
                front_geoms.append(shapely.line_merge(shapely.multilinestrings(band.lines[on_front & (line_pair == p)])))
        zone_geoms, front_geoms = band.to_lonlat(zone_geoms), band.to_lonlat(front_geoms)
        if bounds is not None:
            clipped = [(k, _polygons(shapely.clip_by_rect(g, *bounds))) for k, g in zip(zone_keys, zone_geoms, strict=True)]
            zone_keys = [k for k, g in clipped if not g.is_empty]
            zone_geoms = [g for _, g in clipped if not g.is_empty]
            front_geoms = [g for g in (_lines(shapely.clip_by_rect(g, *bounds)) for g in front_geoms) if not g.is_empty]
        return _layer_data(zone_keys, zone_geoms, front_geoms, self.model.dataset.factions, wire_decimals(tolerance))


def _polygons(geom) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.MultiPolygon(parts) if len(parts) != 1 else parts[0]


def _lines(geom) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "LineString" and not p.is_empty]
    return shapely.MultiLineString(parts) if len(parts) != 1 else parts[0]
