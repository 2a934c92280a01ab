"""Syria's national outline (Natural Earth 1:10m) and point-in-Syria checks.

Coordinates are WGS84 degrees, longitude first, as in GeoJSON. The outline is the de
facto boundary Natural Earth draws: the Israeli-occupied Golan Heights lie outside it.
The source is simplified, so the border can be off by a kilometre or so (the centre of
Kobani, on the Turkish border, falls 0.5 km outside): give places near the border a
tolerance of a few km. Rebuild geo/data/syria.geojson with scripts/build_outline.py.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod, Transformer
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from geo.base.paths import DATA_DIR

OUTLINE_PATH = DATA_DIR / "syria.geojson"

# Lambert azimuthal equal-area centred on Syria: distances within a few hundred km of
# the centre are off by well under 1%, good enough to find the nearest border point.
_LAEA = "+proj=laea +lat_0=35 +lon_0=38.5 +datum=WGS84 +units=m +no_defs"
_GEOD = Geod(ellps="WGS84")


@lru_cache(maxsize=1)
def syria_outline() -> BaseGeometry:
    """Syria's (Multi)Polygon in lon/lat, read once from geo/data/syria.geojson."""
    collection = json.loads(OUTLINE_PATH.read_text(encoding="utf-8"))
    return shape(collection["features"][0]["geometry"])


def outline_geojson(path: Path = OUTLINE_PATH) -> dict[str, Any] | None:
    """The outline file as a FeatureCollection of geometries only (its properties never reach a page); None if unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return None
    features: list[dict[str, Any]] = [
        {"type": "Feature", "properties": {}, "geometry": f.get("geometry")}
        for f in data.get("features", [])
        if isinstance(f, dict) and isinstance(f.get("geometry"), dict)
    ]
    return {"type": "FeatureCollection", "features": features} if features else None


@lru_cache(maxsize=1)
def _index() -> tuple[BaseGeometry, Transformer, BaseGeometry]:
    """The outline prepared for fast point tests, the projection, and the projected border."""
    outline = shape(syria_outline())  # a copy: preparing must not alter the shared geometry
    shapely.prepare(outline)
    to_laea = Transformer.from_crs("EPSG:4326", _LAEA, always_xy=True)
    border = shapely.transform(outline.boundary, to_laea.transform, interleaved=False)
    return outline, to_laea, border


def distance_outside_km(lon: float, lat: float) -> float:
    """0.0 inside Syria (or on its border), else the geodesic distance in km to the border."""
    if not (math.isfinite(lon) and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"not a lon/lat position: ({lon}, {lat})")
    outline, _, _ = _index()
    if outline.covers(Point(lon, lat)):
        return 0.0
    return distance_to_border_km(lon, lat)


def distance_to_border_km(lon: float, lat: float) -> float:
    """Geodesic distance in km from the point to Syria's border, from either side."""
    if not (math.isfinite(lon) and math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"not a lon/lat position: ({lon}, {lat})")
    _, to_laea, border = _index()
    # nearest border point found in the projection, distance measured on the ellipsoid
    x, y = to_laea.transform(lon, lat)
    nearest = border.interpolate(border.project(Point(x, y)))
    near_lon, near_lat = to_laea.transform(nearest.x, nearest.y, direction="INVERSE")
    metres: float = _GEOD.inv(lon, lat, near_lon, near_lat)[2]
    return metres / 1000.0


def is_in_syria(lon: float, lat: float, tolerance_km: float = 0.0) -> bool:
    """Whether the point is in Syria or at most `tolerance_km` outside its border."""
    if tolerance_km < 0:
        raise ValueError(f"tolerance_km must be >= 0, got {tolerance_km}")
    return distance_outside_km(lon, lat) <= tolerance_km
