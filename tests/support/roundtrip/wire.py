"""Compact geometry for the round-trip map (the baseline): what a slider move sends, a few digits per vertex.

GeoJSON writes every vertex as two ~8-digit decimals. `pack` sends lon/lat rounded to a few
decimals as integer *differences* from the vertex before (mostly 1-3 digits), with the
ragged-array offsets of shapely.to_ragged_array for rings, parts and features, and optional
per-feature properties. `SyriaMap.unpack` (the base map's script, tests/support/roundtrip/render.py) rebuilds the
GeoJSON FeatureCollection in the browser; `decode` does the same here, for tests and tools.
Only numbers and the given properties (built by our code, JSON-escaped) go into the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import numpy as np
import shapely

from geo.map.render import to_js_json

_LEVELS = {"MultiPolygon": 3, "MultiLineString": 2}


_INERT = (("`", "\\u0060"), ("$", "\\u0024"), ("{{", "{\\u007b"))


def inert_json(value: object) -> str:
    """`to_js_json`, and no backtick, dollar sign or "{{" either (JSON never has them outside strings): text
    from the data files stays inert even if a template or st_folium's variable renaming reads the script."""
    text = to_js_json(value)
    for bad, good in _INERT:
        text = text.replace(bad, good)
    return text


def wire_decimals(tolerance_m: float) -> int:
    """Decimal places of lon/lat sent: 3 (~100 m, a fraction of a pixel) for the whole-country band, else 4 (~10 m)."""
    return 3 if tolerance_m >= 500 else 4


def pack(geoms: Sequence, kind: str, decimals: int, properties: Sequence[Mapping] | None = None) -> str:
    """JSON text of geometries in the compact form SyriaMap.unpack reads: {"k": kind, "q": 10**decimals,
    "o": ragged offsets (innermost first), "c": delta-coded integer x, y, ..., "p": per-feature properties}.

    `kind` is "MultiPolygon" (Polygons are promoted) or "MultiLineString" (LineStrings are).
    Coordinates are rounded to `decimals` and each is sent as the difference to the one before."""
    scale = 10 ** int(decimals)
    if len(geoms):
        _, coords, offsets = shapely.to_ragged_array(np.asarray(geoms, dtype=object))
        ints = np.rint(np.asarray(coords, dtype=float) * scale).astype(np.int64)
        deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()
        offsets = [o.tolist() for o in offsets]
        if len(offsets) < _LEVELS[kind]:  # single parts only: each geometry is a multi-part of one
            offsets.append(list(range(len(geoms) + 1)))
    else:
        deltas, offsets = [], [[0]] * _LEVELS[kind]
    props = "" if properties is None else ',"p":' + to_js_json(list(properties))
    return f'{{"k":"{kind}","q":{scale},"o":{json.dumps(offsets, separators=(",", ":"))},"c":[{",".join(map(str, deltas))}]{props}}}'


def decode(wire: str) -> dict:
    """The GeoJSON FeatureCollection a `pack` text stands for (what SyriaMap.unpack builds in the browser)."""
    data = json.loads(wire)
    scale, c, offsets = data["q"], data["c"], data["o"]
    xs, ys = np.cumsum(c[0::2], dtype=np.int64), np.cumsum(c[1::2], dtype=np.int64)
    points = [[int(x) / scale, int(y) / scale] for x, y in zip(xs.tolist(), ys.tolist(), strict=True)]

    def nest(level: int, i: int) -> list:
        off = offsets[level]
        return [points[k] if level == 0 else nest(level - 1, k) for k in range(off[i], off[i + 1])]

    top = len(offsets) - 1
    props = data.get("p") or []
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props[g] if g < len(props) else {},
                "geometry": {"type": data["k"], "coordinates": nest(top, g)},
            }
            for g in range(len(offsets[top]) - 1)
        ],
    }


def layer_features(script: str, layer: str) -> list[dict] | None:
    """The GeoJSON features of one layer ("places_layer", "zone_layer", "front_line_layer", ...) read back
    out of a map script (what st_folium sends as `feature_group`): plain GeoJSON, packed geometry or the
    places' compact form (tests.support.roundtrip.render.places_features); None when the layer is not there."""
    found = re.search(rf"var {re.escape(layer)}_[a-z0-9_]+ = (?:L\.geoJson\((SyriaMap\.unpack\()?|(SyriaMap\.placesLayer\())", script)
    if found is None:
        return None
    value, end = json.JSONDecoder().raw_decode(script, found.end())
    if found.group(2):
        from tests.support.roundtrip.render import places_features  # which imports this module

        return places_features(script[found.end() : end])
    if found.group(1):
        return decode(script[found.end() : end])["features"]
    return value["features"]


def unpack_js(wire: str) -> str:
    """The JavaScript expression that turns a `pack` text into GeoJSON in the page (SyriaMap is in the base map)."""
    return f"SyriaMap.unpack({wire})"


# Rebuilds the FeatureCollection of a `pack` text; part of the base map's SyriaMap library.
UNPACK_JS = """function (d) {
    var q = d.q, c = d.c, n = c.length / 2, pts = new Array(n), x = 0, y = 0, i;
    for (i = 0; i < n; i++) { x += c[2 * i]; y += c[2 * i + 1]; pts[i] = [x / q, y / q]; }
    function nest(level, j) {
        var off = d.o[level], out = [], k;
        for (k = off[j]; k < off[j + 1]; k++) { out.push(level === 0 ? pts[k] : nest(level - 1, k)); }
        return out;
    }
    var top = d.o.length - 1, count = d.o[top].length - 1, features = [];
    for (i = 0; i < count; i++) {
        features.push({type: "Feature", properties: (d.p && d.p[i]) || {}, geometry: {type: d.k, coordinates: nest(top, i)}});
    }
    return {type: "FeatureCollection", features: features};
}"""
