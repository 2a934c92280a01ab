"""Approximate zones of control inferred from held places: a guess, NOT surveyed front lines.

Each place gets the ground "nearest" to it (its cell), with two corrections from the
gazetteer (docs/zones.md explains both):

- `weight`: distances are divided by it (a multiplicatively weighted Voronoi diagram).
  On the line between two places the border splits the distance in the ratio of their
  weights, so a weight-3 city reaches 3 times as far as a weight-1 town next to it and
  a weight-0.5 airbase half as far. Between equal weights borders are straight (shapely's
  Voronoi diagram); between unequal ones they are circles around the lighter place.
- `area` (a lon/lat polygon) is given to its place outright and cut out of every other
  cell. Points along its edge seed the diagram too, so the ground around an area is
  shared by distance to the area, not to the place's single point. Where two areas
  overlap the first place in the gazetteer wins.

The cells depend only on the places, never on the date: `build_tessellation` runs once
per dataset; geo/territory/model.py then unions them per day by who holds their places.
Everything is in metres in a Lambert azimuthal equal-area projection centred on Syria,
so areas are true and "nearest" is nearest on the ground, not in degrees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.base.model import Place
from geo.territory.outline import syria_outline

LAEA = "+proj=laea +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m +no_defs"
GRID_M = 0.01  # snap-rounding grid when noding: makes neighbouring cells share identical vertices
SAME_SITE_M = 1.0  # places closer than this share one site (duplicate points break ordered Voronoi)
MAX_WEIGHT_GROUPS = 64  # more different place weights than this: faces are given out by brute force
AREA_SEED_SPACING_M = 5_000.0  # spacing of the seed points along an explicit area's edge
CIRCLE_ERROR_M = 10.0  # weighted borders (circles) are drawn as polygons at most this far inside the arc
DENSIFY_DEG = 0.01  # lon/lat edges get a vertex every ~1 km before projecting, so they keep their course


@lru_cache(maxsize=1)
def _transformers() -> tuple[Transformer, Transformer]:
    return (Transformer.from_crs("EPSG:4326", LAEA, always_xy=True), Transformer.from_crs(LAEA, "EPSG:4326", always_xy=True))


def to_metres(geom: BaseGeometry) -> BaseGeometry:
    """lon/lat -> the equal-area projection (metres). Long edges (a border drawn as one straight
    lon/lat segment) are densified first: projected as a single chord they would shift by up to km."""
    return shapely.transform(shapely.segmentize(geom, DENSIFY_DEG), _transformers()[0].transform, interleaved=False)


def to_lonlat(geom: BaseGeometry) -> BaseGeometry:
    """The equal-area projection (metres) -> lon/lat."""
    return shapely.transform(geom, _transformers()[1].transform, interleaved=False)


@dataclass(frozen=True, slots=True)
class Edge:
    """The boundary shared by the cells of sites a < b, in metres."""

    a: int
    b: int
    line: BaseGeometry


@dataclass(frozen=True, eq=False)
class Tessellation:
    """The cells of a set of places, in metres. A site is one position: usually one place."""

    site_places: tuple[tuple[str, ...], ...]  # place ids at each site, in dataset order
    site_of: Mapping[str, int]  # place id -> site
    cells: np.ndarray  # one (Multi)Polygon per site; empty when another place's area covers it
    cell_km2: np.ndarray
    edges: tuple[Edge, ...]
    outline: BaseGeometry
    nodata: BaseGeometry = field(default_factory=Polygon)  # ground farther than `reach` from every site: no one's
    nodata_km2: float = 0.0
    unused_areas: tuple[str, ...] = ()  # places whose `area` has no usable polygon: they count as their point


# --- the tessellation (once per dataset) ---------------------------------------


def build_tessellation(places: Mapping[str, Place], outline: BaseGeometry | None = None, reach_m: float | None = None) -> Tessellation:
    """The cells of the places clipped to the outline (lon/lat; default Syria), with their shared edges.

    With `reach_m`, a cell keeps only the ground within that distance of some place: the rest is
    `nodata`, drawn as "no data" instead of being handed to the nearest holder (an honest map of
    thinly listed desert)."""
    if any(p.weight <= 0 for p in places.values()):
        raise ValueError("place weights must be greater than 0")
    outline_m = shapely.make_valid(to_metres(outline if outline is not None else syria_outline()))
    ids = list(places)
    lon_lat = np.array([(places[p].lon, places[p].lat) for p in ids], dtype=float).reshape(-1, 2)
    x, y = _transformers()[0].transform(lon_lat[:, 0], lon_lat[:, 1])
    site_places, site_xy = _sites(ids, np.column_stack([x, y]))
    site_of = {pid: s for s, members in enumerate(site_places) for pid in members}
    site_weight = np.array([max(places[p].weight for p in members) for members in site_places], dtype=float)
    areas, unused_areas = _claimed_areas(places, site_of, outline_m)
    seeds, seed_site = _seeds(site_xy, areas)
    faces, face_site = _faces(seeds, site_weight[seed_site], seed_site, outline_m, areas)
    order = np.argsort(face_site, kind="stable")
    groups = np.split(faces[order], np.searchsorted(face_site[order], np.arange(1, len(site_places))))
    cells = np.array([coverage_union(group) for group in groups], dtype=object) if len(site_places) else np.empty(0, dtype=object)
    nodata: BaseGeometry = Polygon()
    if reach_m is not None and len(cells):
        reach = shapely.union_all(shapely.buffer(shapely.points(site_xy), reach_m, quad_segs=16))
        for _, area in areas:  # a place's own area is never "no data"
            reach = reach.union(area)
        cells = np.array([_polygonal(c) for c in shapely.intersection(cells, reach)], dtype=object)
        nodata = _polygonal(shapely.difference(outline_m, reach))
    return Tessellation(
        site_places=site_places,
        site_of=site_of,
        cells=cells,
        cell_km2=shapely.area(cells).astype(float) / 1e6,
        edges=_shared_edges(cells),
        outline=outline_m,
        nodata=nodata,
        nodata_km2=float(nodata.area) / 1e6,
        unused_areas=unused_areas,
    )


def _sites(ids: list[str], xy: np.ndarray) -> tuple[tuple[tuple[str, ...], ...], np.ndarray]:
    """Group places by position (to SAME_SITE_M): each group becomes one site with one cell."""
    index: dict[tuple[int, int], int] = {}
    members: list[list[str]] = []
    first: list[int] = []
    for i, (pid, (x, y)) in enumerate(zip(ids, xy, strict=True)):
        key = (round(x / SAME_SITE_M), round(y / SAME_SITE_M))
        if key not in index:
            index[key] = len(members)
            members.append([])
            first.append(i)
        members[index[key]].append(pid)
    return tuple(tuple(m) for m in members), xy[first].reshape(-1, 2)


def _claimed_areas(
    places: Mapping[str, Place], site_of: Mapping[str, int], outline: BaseGeometry
) -> tuple[list[tuple[int, BaseGeometry]], tuple[str, ...]]:
    """(site, polygon in metres) for every place with an `area`, clipped to the outline, disjoint; and the
    places whose area gives no polygon (degenerate, e.g. three equal points): those keep only their point."""
    claimed: list[tuple[int, BaseGeometry]] = []
    unused: list[str] = []
    taken: BaseGeometry = Polygon()
    for pid, place in places.items():
        if not place.area:
            continue
        try:
            # repaired in lon/lat first: projecting a ring without length fails in shapely.segmentize
            ring = _polygonal(shapely.make_valid(Polygon(place.area)))
            polygon = Polygon() if ring.is_empty else _polygonal(to_metres(ring).intersection(outline).difference(taken))
        except (shapely.errors.GEOSException, ValueError):
            polygon = None
        if polygon is None or ring.is_empty:
            unused.append(pid)
        elif not polygon.is_empty:
            claimed.append((site_of[pid], polygon))
            taken = taken.union(polygon)
    return claimed, tuple(unused)


def _seeds(site_xy: np.ndarray, areas: list[tuple[int, BaseGeometry]]) -> tuple[np.ndarray, np.ndarray]:
    """The points the diagram is built from, and the site of each: the sites, then points along area edges."""
    seeds, owners = [site_xy], [np.arange(len(site_xy))]
    for s, polygon in areas:
        spacing = min(AREA_SEED_SPACING_M, polygon.length / 32)
        points = shapely.get_coordinates(shapely.segmentize(polygon.boundary, spacing))
        seeds.append(points)
        owners.append(np.full(len(points), s))
    seeds_xy, owner = np.vstack(seeds), np.concatenate(owners)
    # one seed per position, the first listed: ordered Voronoi needs distinct points
    _, first = np.unique(np.round(seeds_xy / SAME_SITE_M), axis=0, return_index=True)
    keep = np.sort(first)
    return seeds_xy[keep], owner[keep]


def _faces(
    seeds: np.ndarray, weights: np.ndarray, seed_site: np.ndarray, outline: BaseGeometry, areas: list[tuple[int, BaseGeometry]]
) -> tuple[np.ndarray, np.ndarray]:
    """Node the cell borders, the outline and the area edges together; polygonize; give each face a site.

    Noding all lines in one snap-rounded union makes the faces an exact coverage (a shared
    edge has the same vertices on both sides), which dissolving and simplifying rely on.
    Each face then goes to the seed at the least weighted distance from a point inside it.
    """
    if not len(seeds):
        return np.empty(0, dtype=object), np.empty(0, dtype=int)
    lines = [outline.boundary, *(polygon.boundary for _, polygon in areas)]
    lines.extend(_candidate_borders(seeds, weights, outline))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(lines, grid_size=GRID_M))))
    points = shapely.point_on_surface(faces)
    probes = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    shapely.prepare(outline)  # thousands of points in it: `within` the other way round, prepared
    inside = shapely.contains_xy(outline, probes[:, 0], probes[:, 1])
    faces, probes = faces[inside], probes[inside]
    face_site = seed_site[_nearest_weighted(probes, seeds, weights)]
    for s, polygon in areas:
        shapely.prepare(polygon)
        face_site[shapely.contains_xy(polygon, probes[:, 0], probes[:, 1])] = s
    return faces, face_site


def _nearest_weighted(probes: np.ndarray, seeds: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """For each probe, the seed at the least weighted distance (distance / weight; the first one on a tie).

    A weight takes few values: per value, an R-tree of its seeds finds each probe's nearest, and the
    least of those wins. Comparing every probe with every seed instead took a minute at 20,000 places.
    """
    values = np.unique(weights)
    if len(values) > MAX_WEIGHT_GROUPS:  # many different weights: every probe against every seed, in blocks
        nearest = np.empty(len(probes), dtype=int)
        for start in range(0, len(probes), 1024):
            block = probes[start : start + 1024]
            weighted = np.hypot(block[:, None, 0] - seeds[None, :, 0], block[:, None, 1] - seeds[None, :, 1]) / weights
            nearest[start : start + 1024] = weighted.argmin(axis=1)
        return nearest
    points = shapely.points(probes)
    best, nearest = np.full(len(probes), np.inf), np.zeros(len(probes), dtype=int)
    for value in values:
        members = np.flatnonzero(weights == value)
        found, ties = shapely.STRtree(shapely.points(seeds[members])).query_nearest(points, all_matches=True)
        seed = members[ties]
        distance = np.hypot(*(probes[found] - seeds[seed]).T) / value
        order = np.lexsort((seed, distance, found))  # per probe: nearest first, then the lowest seed index
        first = order[np.r_[True, found[order][1:] != found[order][:-1]]]
        probe, d, candidate = found[first], distance[first], seed[first]
        better = (d < best[probe]) | ((d == best[probe]) & (candidate < nearest[probe]))
        best[probe[better]], nearest[probe[better]] = d[better], candidate[better]
    return nearest


def _candidate_borders(seeds: np.ndarray, weights: np.ndarray, outline: BaseGeometry) -> np.ndarray:
    """Lines that include every border of the multiplicatively weighted Voronoi diagram of the seeds.

    For each seed: its cell in shapely's Voronoi diagram of the seeds of its weight, cut
    down to the circles where it beats each heavier seed (nearest first, stopping once no
    heavier seed can reach it). That region contains the seed's true cell, and every
    border of the true cell lies on its outline: a border with a lighter seed is on that
    seed's circle. Extra lines only split faces, which are given out by distance afterwards.
    """
    frame = shapely.box(*np.concatenate([np.minimum(seeds.min(0), outline.bounds[:2]), np.maximum(seeds.max(0), outline.bounds[2:])]))
    frame = frame.buffer(10_000, join_style="mitre")
    span = float(np.hypot(*np.subtract(frame.bounds[2:], frame.bounds[:2])))
    cells = np.empty(len(seeds), dtype=object)
    for weight in np.unique(weights):
        members = np.flatnonzero(weights == weight)
        if len(members) == 1:
            cells[members[0]] = frame
            continue
        voronoi = shapely.voronoi_polygons(shapely.multipoints(seeds[members]), extend_to=frame, ordered=True)
        cells[members] = shapely.intersection(shapely.get_parts(voronoi), frame)
    _cut_to_heavier(cells, np.flatnonzero(weights < weights.max()), seeds, weights, span)
    boundaries: np.ndarray = shapely.boundary(cells)
    return boundaries


class _Cuts:
    """Seed i's cell, cut down in turn to where it beats each heavier seed (nearest first)."""

    __slots__ = ("bounds", "i", "k", "order", "reach")

    def __init__(self, i: int, cell: BaseGeometry, seeds: np.ndarray, weights: np.ndarray, heavier: np.ndarray):
        self.reach = _reach(cell, seeds[i])
        # seed j cannot take any point within `reach` of seed i if dist/(1 + w_j/w_i) >= reach; the reach only
        # shrinks with each cut, so seeds out of reach now never matter
        bound = np.hypot(*(seeds[heavier] - seeds[i]).T) / (1 + weights[heavier] / weights[i])
        near = np.flatnonzero(bound < self.reach)
        order = near[np.argsort(bound[near])]
        self.i, self.order, self.bounds, self.k = i, heavier[order], bound[order], 0

    def next_seed(self, cell: BaseGeometry, seeds: np.ndarray, weights: np.ndarray) -> int | None:
        """The next heavier seed whose circle cuts the cell, or None when none can."""
        i, distances = self.i, None
        while self.k < len(self.order):
            j, b = self.order[self.k], self.bounds[self.k]
            if b >= self.reach:
                break
            self.k += 1
            if distances is None:
                corners = shapely.get_coordinates(cell)
                distances = np.hypot(*(corners - seeds[i]).T)
            if np.all(distances * weights[j] <= np.hypot(*(corners - seeds[j]).T) * weights[i]):
                continue  # every corner is nearer seed i, so the whole cell is (the disk is convex)
            return int(j)
        return None


def _cut_to_heavier(cells: np.ndarray, light: np.ndarray, seeds: np.ndarray, weights: np.ndarray, span: float) -> None:
    """Each light seed's cell (in place) cut down to where it beats every heavier seed.

    Every cell goes through its own cuts in the same order as one at a time would; the cuts
    are made in rounds, each round's (one per cell still being cut) in one vectorized call.
    """
    heavier = {value: np.flatnonzero(weights > value) for value in np.unique(weights[light])}  # shared by equal weights
    pending = [_Cuts(int(i), cells[i], seeds, weights, heavier[weights[i]]) for i in light]
    while pending:
        cutting, disks = [], []
        for cuts in pending:
            j = cuts.next_seed(cells[cuts.i], seeds, weights)
            if j is not None:
                cutting.append(cuts)
                disks.append(_disk(seeds[cuts.i], weights[cuts.i], seeds[j], weights[j], span))
        if cutting:
            rows = np.array([cuts.i for cuts in cutting])
            cut = shapely.intersection(cells[rows], np.array(disks, dtype=object), grid_size=GRID_M)
            for cuts, geom in zip(cutting, cut, strict=True):
                cells[cuts.i] = _polygonal(geom)
                cuts.reach = _reach(cells[cuts.i], seeds[cuts.i])
        pending = cutting


def _reach(cell: BaseGeometry, point: np.ndarray) -> float:
    coords = shapely.get_coordinates(cell)
    return float(np.hypot(*(coords - point).T).max()) if len(coords) else 0.0


def _disk(a: np.ndarray, weight_a: float, b: np.ndarray, weight_b: float, span: float) -> BaseGeometry:
    """Where seed a is nearer than the heavier seed b (weighted): inside their Apollonius circle, as a polygon.

    Only the part within `span` of the seeds matters; a circle much larger than that is
    drawn as the sector of it that does (its centre is far away).
    """
    k, d = weight_a / weight_b, float(np.hypot(*(b - a)))
    along = (b - a) / d
    radius = k * d / (1 - k * k)
    if radius > 1e5 * span:  # weights within a hair of each other: a straight border (off by < span/800000)
        cross, across = a + (b - a) * k / (1 + k), np.array([-along[1], along[0]]) * 2 * span
        polygon = Polygon([cross + across, cross - across, cross - across - along * 2 * span, cross + across - along * 2 * span])
    else:
        centre = (a - k * k * b) / (1 - k * k)
        # chords stay within CIRCLE_ERROR_M of the arc, and well clear of seed a (near b, a is near the arc)
        error = min(CIRCLE_ERROR_M, 0.1 * d * k / (1 + k))
        step = min(np.pi / 8, 2 * np.arccos(1 - error / radius)) if radius > error else np.pi / 8
        if radius < 4 * span:
            angles = np.linspace(0, 2 * np.pi, int(np.ceil(2 * np.pi / step)), endpoint=False)
            polygon = Polygon(centre + radius * np.column_stack([np.cos(angles), np.sin(angles)]))
        else:  # the sector of the circle that can reach the seeds (its centre is far away)
            half, towards = 1.1 * np.arcsin(span / (radius - span)), np.arctan2(along[1], along[0])
            angles = np.linspace(towards - half, towards + half, int(np.ceil(2 * half / step)) + 1)
            polygon = Polygon(np.vstack([centre, centre + radius * np.column_stack([np.cos(angles), np.sin(angles)])]))
    return polygon


def _shared_edges(cells: np.ndarray) -> tuple[Edge, ...]:
    """The boundary between every two neighbouring cells (cells share exact vertices, so this is clean)."""
    if len(cells) < 2:
        return ()
    left, right = shapely.STRtree(cells).query(cells, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.intersection(shapely.boundary(cells[left]), shapely.boundary(cells[right]))
    lines = linear_parts(shared)
    keep = np.flatnonzero(~shapely.is_empty(lines) & (shapely.length(lines) > GRID_M))
    return tuple(Edge(int(left[k]), int(right[k]), lines[k]) for k in keep)


def linear_parts(geoms: np.ndarray) -> np.ndarray:
    """`linear_part` of each geometry, in a few vectorized calls."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    parts, inner = shapely.get_parts(parts, return_index=True)
    index = index[inner]
    line = (shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING) & ~shapely.is_empty(parts)
    merged = np.array([MultiLineString() for _ in range(len(geoms))], dtype=object)
    found = np.unique(index[line])
    if len(found):
        merged[found] = shapely.line_merge(shapely.multilinestrings(parts[line], indices=np.searchsorted(found, index[line])))
    return merged


def linear_part(geom: BaseGeometry) -> BaseGeometry:
    """The linear part of an overlay result, merged into as few lines as possible."""
    parts = shapely.get_parts(shapely.get_parts(geom))
    lines = [p for p in parts if p.geom_type == "LineString" and not p.is_empty]
    return shapely.line_merge(MultiLineString(lines)) if lines else MultiLineString()


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygons of a geometry (overlays and make_valid can add stray lines and points)."""
    if geom.geom_type == "Polygon" and not geom.is_empty:
        return geom  # the common case, without splitting it into parts
    parts = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "Polygon" and not p.is_empty]
    return MultiPolygon(parts) if len(parts) != 1 else parts[0]


def coverage_union(polygons: np.ndarray) -> BaseGeometry:
    """Union of polygons that form an exact coverage (fast: only shared edges are removed)."""
    polygons = polygons[~shapely.is_empty(polygons)] if len(polygons) else polygons
    if not len(polygons):
        return Polygon()
    return polygons[0] if len(polygons) == 1 else _polygonal(shapely.coverage_union_all(polygons))
