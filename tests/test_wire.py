"""The round-trip map's compact geometry (tests/support/roundtrip/wire.py): packed, decoded the same way in Python and
in the browser."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box, shape

from tests.support.roundtrip.wire import UNPACK_JS, decode, inert_json, layer_features, pack, unpack_js, wire_decimals

RING = Polygon([(36.0, 33.0), (37.5, 33.0), (37.5, 34.25), (36.0, 34.25)], [[(36.5, 33.5), (37.0, 33.5), (37.0, 34.0)]])
SHAPES = [RING, MultiPolygon([box(38.0, 35.0, 38.5, 35.5), box(39.0, 35.0, 39.123, 35.456)])]
LINES = [
    LineString([(36.0, 33.0), (36.5, 33.25), (37.0, 33.0)]),
    MultiLineString([[(38.0, 35.0), (38.5, 35.5)], [(39.0, 35.0), (39.1, 35.2)]]),
]


@pytest.mark.parametrize(("geoms", "kind"), [(SHAPES, "MultiPolygon"), (LINES, "MultiLineString")])
def test_pack_and_decode_round_trip(geoms, kind):
    wire = pack(geoms, kind, 4, [{"style": {"color": "#D55E00"}}, {}])
    collection = decode(wire)
    assert [f["properties"] for f in collection["features"]] == [{"style": {"color": "#D55E00"}}, {}]
    for feature, geom in zip(collection["features"], geoms, strict=True):
        assert feature["geometry"]["type"] == kind
        assert shape(feature["geometry"]).equals_exact(geom, 1e-9) or shape(feature["geometry"]).equals(geom)


def test_pack_is_much_smaller_than_geojson():
    zone = shapely.Point(37.1612, 36.2012).buffer(0.8, quad_segs=64)  # a zone-like ring, ~250 vertices
    geojson = json.dumps(shapely.geometry.mapping(shapely.set_precision(zone, 1e-4)), separators=(",", ":"))
    assert len(pack([zone], "MultiPolygon", 4)) < len(geojson) / 2


def test_pack_rounds_to_the_decimals_and_codes_differences():
    wire = json.loads(pack([LineString([(36.12345, 33.98765), (36.12349, 33.98705)])], "MultiLineString", 3))
    assert wire["q"] == 1000 and wire["c"] == [36123, 33988, 0, -1]
    assert decode(json.dumps(wire))["features"][0]["geometry"]["coordinates"] == [[[36.123, 33.988], [36.123, 33.987]]]
    assert wire_decimals(1000) == 3 and wire_decimals(250) == 4


def test_pack_of_nothing_is_an_empty_collection():
    assert decode(pack([], "MultiPolygon", 3))["features"] == []
    assert decode(pack([], "MultiLineString", 4, []))["features"] == []


def test_inert_json_keeps_data_text_inert():
    text = inert_json({"name": "`x` ${alert(1)} </script><img src=x> {{ 'y' }} & \u2028"})
    for bad in ("`", "${", "$", "</script>", "<img", "{{", "\u2028"):
        assert bad not in text
    assert json.loads(text) == {"name": "`x` ${alert(1)} </script><img src=x> {{ 'y' }} & \u2028"}


def test_layer_features_reads_plain_and_packed_layers():
    packed = pack(SHAPES, "MultiPolygon", 4, [{"a": 1}, {"b": 2}])
    script = (
        f"var zone_layer_x_1 = L.geoJson({unpack_js(packed)}, {{pane: 'x'}}).addTo(fg);\n"
        'var other_layer_y = L.geoJson({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"k":1},'
        '"geometry":{"type":"Point","coordinates":[1,2]}}]}, {}).addTo(fg);'
    )
    assert [f["properties"] for f in layer_features(script, "zone_layer")] == [{"a": 1}, {"b": 2}]
    assert layer_features(script, "other_layer")[0]["properties"] == {"k": 1}
    assert layer_features(script, "places_layer") is None


def test_the_browser_decodes_what_python_decodes():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup_assets.sh installs it)")
    wire = pack(SHAPES, "MultiPolygon", 4, [{"a": 1}, {}])
    code = f"var unpack = {UNPACK_JS};\nprocess.stdout.write(JSON.stringify(unpack({wire})));"
    result = subprocess.run([node, "-e", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == decode(wire)
