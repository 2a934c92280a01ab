"""Build geo/data/syria.geojson from Natural Earth 1:10m countries (world-atlas TopoJSON).

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_outline.py path/to/package/countries-10m.json

Without an argument the script reads ./node_modules/world-atlas/countries-10m.json
(what `npm install world-atlas@2.0.2` leaves). Needs only the stdlib, shapely and pyproj.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.polygon import orient

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = Path("node_modules/world-atlas/countries-10m.json")
DEFAULT_OUTPUT = REPO / "geo" / "data" / "syria.geojson"
PRECISION = 5  # decimals: ~1 m, far finer than the 1:10m source (quantized to ~190-330 m)
SYRIA_AREA_KM2 = 185_180  # the usual figure; a decoding error would be far off it
PROPERTIES = {
    "name": "Syria",
    "source": "Natural Earth 1:10m Admin 0 countries via world-atlas@2.0.2 (countries-10m.json)",
    "licence": "public domain (Natural Earth); world-atlas package ISC",
}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat coordinates of every arc (undoing quantization and delta encoding)."""
    transform = topology.get("transform")
    if transform is None:  # an unquantized topology stores absolute positions
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arc_indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch a ring from arc indices; index ~i (i.e. -i - 1) means arc i reversed."""
    points: list[tuple[float, float]] = []
    for index in arc_indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their junction point: keep it once
        points.extend(arc[1:] if points else arc)
    return points


def to_shape(geometry: dict, arcs: list[list[tuple[float, float]]]) -> Polygon | MultiPolygon:
    """Shapely (Multi)Polygon of one TopoJSON geometry object."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        raise ValueError(f"expected a Polygon or MultiPolygon, got {geometry['type']}")
    parts = [Polygon(ring(rings[0], arcs), [ring(hole, arcs) for hole in rings[1:]]) for rings in polygons]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def find_country(topology: dict, name: str = "Syria", iso_numeric: str = "760") -> dict:
    """The geometry object of one country in the `countries` object."""
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("properties", {}).get("name") == name or str(geometry.get("id")) == iso_numeric:
            return geometry
    raise LookupError(f"{name} (id {iso_numeric}) not found in the topology")


def rounded(geom: Polygon | MultiPolygon, decimals: int = PRECISION) -> Polygon | MultiPolygon:
    """Round coordinates and orient rings as RFC 7946 asks (exterior counter-clockwise)."""

    def round_ring(coords) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for x, y in coords:
            point = (round(x, decimals), round(y, decimals))
            if not out or point != out[-1]:
                out.append(point)
        return out

    polys = [
        orient(Polygon(round_ring(p.exterior.coords), [round_ring(h.coords) for h in p.interiors]), sign=1.0)
        for p in getattr(geom, "geoms", [geom])
    ]
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def area_km2(geom: Polygon | MultiPolygon) -> float:
    """Area on the WGS84 ellipsoid, via an equal-area projection centred on Syria."""
    laea = "+proj=laea +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m +no_defs"
    project = Transformer.from_crs("EPSG:4326", laea, always_xy=True).transform
    return shapely.transform(geom, project, interleaved=False).area / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", nargs="?", type=Path, default=DEFAULT_INPUT, help="countries-10m.json to read")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="GeoJSON to write")
    args = parser.parse_args(argv)

    if not args.topojson.is_file():
        parser.error(f"{args.topojson} not found (npm pack world-atlas@2.0.2, pass package/countries-10m.json)")
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    geom = rounded(to_shape(find_country(topology), decode_arcs(topology)))
    if not geom.is_valid:
        raise SystemExit(f"decoded outline is not valid: {shapely.is_valid_reason(geom)}")
    area = area_km2(geom)
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6

    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": PROPERTIES, "geometry": mapping(geom)}],
    }
    text = json.dumps(collection, separators=(",", ":")) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")

    print(f"wrote {args.output}: {geom.geom_type}, {shapely.get_num_coordinates(geom)} vertices, {len(text)} bytes")
    print(f"bounds (lon/lat): {tuple(round(v, 3) for v in geom.bounds)}")
    print(f"area: {area:,.0f} km² (Lambert azimuthal equal-area), {geodesic:,.0f} km² (geodesic)")
    if abs(area / SYRIA_AREA_KM2 - 1) > 0.01:
        print(f"warning: area is more than 1% off Syria's {SYRIA_AREA_KM2:,} km²", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
