"""Time the zones of control and measure the GeoJSON a slider move sends.

    python -m benchmarks.zones_bench           # the shipped data if it validates, else a synthetic set
    python -m benchmarks.zones_bench --synthetic --places 300 --random

The synthetic set: the N most populous GeoNames places in Syria, a baseline where each
belongs to the nearest of five faction "capitals" (or a random faction with --random:
a speckled worst case for front lines), and 3 random changes a day for 20 days.
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import time
from datetime import date, timedelta

from geo.base.errors import DataError
from geo.base.model import BaselineEntry, Control, Dataset, Event, Faction, Place, Source
from geo.reading.gazetteer import geonames_syria
from geo.reading.loader import load_dataset
from geo.territory.model import TerritoryModel, tolerance_for_zoom
from geo.territory.outline import is_in_syria
from geo.territory.zones import build_tessellation
from geo.timeline.control import Timeline

CAPITALS = {"gov": (36.29, 33.51), "hts": (36.63, 35.93), "sdf": (41.23, 37.05), "sna": (37.05, 36.59), "south": (36.57, 32.71)}
SOURCE = Source("Synthetic", "Benchmark data", date(2024, 12, 1))


def synthetic_dataset(n_places: int, random_control: bool, seed: int = 1) -> Dataset:
    rng = random.Random(seed)
    towns = sorted(
        (c for c in geonames_syria().values() if is_in_syria(float(c["longitude"]), float(c["latitude"]))),
        key=lambda c: -int(c["population"]),
    )[:n_places]
    places = {
        f"p{c['geonameid']}": Place(
            id=f"p{c['geonameid']}",
            name=c["name"],
            name_ar="بلدة",
            kind="town",
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            governorate="Homs",
            population=int(c["population"]) or None,
        )
        for c in towns
    }
    factions = {f: Faction(f, f, f, "#777777", f) for f in CAPITALS}

    def nearest_faction(place: Place) -> str:
        return min(CAPITALS, key=lambda f: (CAPITALS[f][0] - place.lon) ** 2 + (CAPITALS[f][1] - place.lat) ** 2)

    baseline = {
        pid: BaselineEntry(pid, Control(rng.choice(list(CAPITALS)) if random_control else nearest_faction(p)), 0)
        for pid, p in places.items()
    }
    first = date(2024, 11, 26)
    events = []
    for day in range(1, 21):
        for pid in rng.sample(sorted(places), 3):
            controller = rng.choice(list(CAPITALS))
            contested = (rng.choice([f for f in CAPITALS if f != controller]),) if rng.random() < 0.3 else ()
            events.append(
                Event(len(events), 0, first + timedelta(days=day), pid, Control(controller, contested), "confirmed", "synthetic", (SOURCE,))
            )
    return Dataset("synthetic", factions, places, first, baseline, (SOURCE,), tuple(events))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", action="store_true", help="use the synthetic set even if the shipped data validates")
    parser.add_argument("--places", type=int, default=80, help="places in the synthetic set (default 80)")
    parser.add_argument("--random", action="store_true", help="random baseline controllers (worst case)")
    args = parser.parse_args()

    dataset = None
    if not args.synthetic:
        try:
            dataset = load_dataset()
            print(f"data: shipped ({len(dataset.places)} places, {len(dataset.events)} events)")
        except DataError as exc:
            print(f"data: shipped data does not load ({len(exc.problems)} problems); using the synthetic set")
    if dataset is None:
        dataset = synthetic_dataset(args.places, args.random)
        print(f"data: synthetic ({len(dataset.places)} places, {len(dataset.events)} events, random={args.random})")

    timeline = Timeline(dataset)
    start = time.perf_counter()
    tessellation = build_tessellation(dataset.places)
    print(f"tessellation: {time.perf_counter() - start:.3f} s ({len(tessellation.site_places)} sites, {len(tessellation.edges)} edges)")
    start = time.perf_counter()
    model = TerritoryModel(timeline)
    print(
        f"TerritoryModel (tessellation, zones of all {len(timeline.days)} days: {model.distinct_states} distinct states, "
        f"their GeoJSON at {model.tolerance_m:g} m): {time.perf_counter() - start:.3f} s"
    )

    start = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        for day in timeline.days:
            model.geojson_text_on(day)
            model.stats_on(day)
    per_move = (time.perf_counter() - start) / (rounds * len(timeline.days))
    print(f"per-day lookup (GeoJSON text + legend stats): {per_move * 1e6:.1f} µs")
    start = time.perf_counter()
    for day in timeline.days:
        model.geojson_on(day)
    print(f"per-day lookup as a fresh dict (json.loads): {(time.perf_counter() - start) / len(timeline.days) * 1e3:.2f} ms")

    print("\nGeoJSON per day (zones + front lines), median / max over days, raw and gzip:")
    for zoom in (6, 7, 8, 9, 10):
        tolerance = round(tolerance_for_zoom(zoom))
        start = time.perf_counter()
        texts = [model.geojson_text_on(day, tolerance) for day in timeline.days]
        elapsed = time.perf_counter() - start
        raw = [len(t.encode()) for t in texts]
        packed = [len(gzip.compress(t.encode())) for t in texts]
        print(
            f"  zoom {zoom:>2} (tolerance {tolerance:>5} m): {statistics.median(raw) / 1024:6.1f} / {max(raw) / 1024:6.1f} KiB raw, "
            f"{statistics.median(packed) / 1024:5.1f} / {max(packed) / 1024:5.1f} KiB gzip "
            f"(first build of all states {elapsed:.2f} s)"
        )
    raw = [len(model.geojson_text_on(day, 0).encode()) for day in timeline.days]
    print(f"  unsimplified:               {statistics.median(raw) / 1024:6.1f} / {max(raw) / 1024:6.1f} KiB raw")


if __name__ == "__main__":
    main()
