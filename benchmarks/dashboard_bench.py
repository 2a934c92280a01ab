"""Measure what a slider move costs the round-trip baseline (benchmarks/roundtrip_app.py, the dashboard before the
map moved into the browser): rerun time and the bytes sent to the map.

    python -m benchmarks.dashboard_bench           # the shipped data
    python -m benchmarks.dashboard_bench --moves 20

Runs benchmarks/roundtrip_app.py in Streamlit's AppTest, moves the day slider across the data and
prints the median rerun time and, per move, the size of the map component's arguments
(Streamlit sends them all on every rerun, uncompressed): the whole, then the day's layers
(zones, front lines, places). Then the same for a few zoom levels, as st_folium reports them.
`python -m geo bench` (benchmarks/bench.py) is the full benchmark; this is the quick look at one dataset.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

LAYERS = ("zone_layer", "front_line_layer", "places_layer")


def map_args(at) -> str:
    (component,) = [c for c in at.get("component_instance") if c.proto.component_name == "streamlit_folium.st_folium"]
    return component.proto.json_args


def layer_bytes(feature_group: str) -> dict[str, int]:
    """Bytes of each layer's data in the feature-group script (0 when the layer is off): plain GeoJSON,
    packed geometry (SyriaMap.unpack) or the places' compact form (SyriaMap.placesLayer)."""
    sizes = {}
    for name in LAYERS:
        found = re.search(rf"var {name}_[a-z0-9_]+ = (?:L\.geoJson\((?:SyriaMap\.unpack\()?|SyriaMap\.placesLayer\()", feature_group)
        if found is None:
            sizes[name] = 0
            continue
        _, end = json.JSONDecoder().raw_decode(feature_group, found.end())
        sizes[name] = len(feature_group[found.end() : end].encode())
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=11, help="slider moves to time (default 11)")
    args = parser.parse_args()

    from streamlit.testing.v1 import AppTest

    from geo.reading.loader import load_dataset
    from geo.timeline.control import Timeline

    timeline = Timeline(load_dataset())
    started = time.perf_counter()
    at = AppTest.from_file(str(REPO / "benchmarks" / "roundtrip_app.py"), default_timeout=300).run()
    print(f"first run (loading, the territory model, the first day's layers): {time.perf_counter() - started:.2f} s")
    if at.exception or at.error:
        sys.exit(f"the app failed: {at.exception or at.error}")
    step = max(1, len(timeline.days) // args.moves)
    times, rows = [], []
    for day in timeline.days[::step][: args.moves]:
        started = time.perf_counter()
        at.slider[0].set_value(day).run()
        times.append(time.perf_counter() - started)
        sent = map_args(at)
        script = json.loads(sent)["feature_group"]
        rows.append((day, len(sent.encode()), len(script.encode()), layer_bytes(script)))
    print(
        f"slider move rerun: median {statistics.median(times) * 1000:.0f} ms over {len(times)} moves "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    print("bytes per move: all map args | day's script | zones | front lines | places (layer data only)")
    for day, total, script, layers in rows:
        zones, fronts, places = (layers[name] for name in LAYERS)
        print(f"  {day}  {total:7,} | {script:7,} | {zones:6,} | {fronts:6,} | {places:6,}")
    for name in LAYERS:
        print(f"  median {name}: {statistics.median(r[3][name] for r in rows):,.0f} B")
    print(f"  median all map args: {statistics.median(r[1] for r in rows):,.0f} B")
    for zoom in (7, 8.5, 11):
        ztimes = []
        for _ in range(5):
            at.session_state["map"] = {"zoom": zoom, "last_active_drawing": None, "last_object_clicked_count": None}
            started = time.perf_counter()
            at.run()
            ztimes.append(time.perf_counter() - started)
        layers = layer_bytes(json.loads(map_args(at))["feature_group"])
        print(
            f"zoom {zoom:>4}: rerun median {statistics.median(ztimes) * 1000:.0f} ms; zones {layers['zone_layer']:,} B, "
            f"front lines {layers['front_line_layer']:,} B, places {layers['places_layer']:,} B"
        )


if __name__ == "__main__":
    main()
