"""Many viewers on one server: correctness, latency and memory of the dashboard under load.

    python -m benchmarks.load_test                          # the shipped data (the fixture data if it does not validate)
    python -m benchmarks.load_test --fixture                # the 4-place test data
    python -m benchmarks.load_test --browsers 24 --moves 8 --websockets 50 --sequential 500 --clears 200

Starts one `streamlit run streamlit_app.py` on a free localhost port and then, one after another:

1. `--browsers` pages at once in ONE headless Chromium (Debian's /usr/bin/chromium; the pages share a
   browser context, like tabs, but each is its own Streamlit session), each opening `?date=<a different
   day>`; once all are open, they all make `--moves` moves at the same time
   (Next day, Previous day, Next day with events, the slider's arrow keys). After every move each waits
   until the page shows the day the engine (geo.timeline.control.Timeline) says it must, then checks the
   link, the heading, the legend counts and every marker on the map (count, place ids and the
   holder's colour) against the engine; a mismatch or a timeout is an error.
   Latency: click -> the whole view correct, as the viewer sees it.
2. `--websockets` raw Streamlit websocket clients at once (the browser's protocol: BackMsg /
   ForwardMsg protobufs over /_stcore/stream), each moving through every day; every script run's
   legend and map layer are checked against the engine. Latency: rerun request -> script_finished.
3. `--sequential` websocket sessions one after another (open a link, click Next day, check, close),
   sampling the server's RSS (/proc/PID/status) as it goes, to show that sessions do not leak.
   Streamlit keeps a closed session for `server.disconnectedSessionTTL` seconds (120 by default,
   at most 128 of them) in case its browser reconnects; the RSS is therefore measured after a
   warm-up that fills that store, and the growth reported is from there on.
4. `--clears` times Streamlit's clear_cache message (any client may send it) and a rerun, from one viewer, with the
   events file edited every fifth time (a new version of the data), after `--clear-warmup` more; on a second server
   that reads copies of the data files. Every run is checked; the RSS must stay flat.

Prints a table and writes test-artifacts/load-test-benchmark.json. The measuring is tests/support/viewers.py, which
the test suite runs at a size CI can afford (tests/test_many_viewers.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from geo.base.errors import DataError
from geo.base.paths import DATA_DIR, PROJECT_DIR
from geo.reading.loader import DEFAULT_EVENTS, load_dataset
from tests.support.data import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES
from tests.support.streamlit_server import Server
from tests.support.viewers import (
    Results,
    clears_and_edits,
    concurrent_browsers,
    concurrent_websockets,
    load_engine,
    sequential_sessions,
    table,
)

REPO = PROJECT_DIR
REAL_PLACES = DATA_DIR / "places.yaml"


def data_files(fixture: bool) -> tuple[Path, Path, str]:
    if not fixture:
        try:
            load_dataset(DEFAULT_EVENTS, REAL_PLACES)
            return DEFAULT_EVENTS, REAL_PLACES, "real data (events.yaml)"
        except DataError as err:
            print(f"events.yaml does not validate ({len(err.problems)} problems): using the fixture data", file=sys.stderr)
    return FIXTURE_EVENTS, FIXTURE_PLACES, "fixture data (4 places)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixture", action="store_true", help="use the 4-place test data instead of events.yaml")
    parser.add_argument("--browsers", type=int, default=24, help="browser pages at once (0: skip)")
    parser.add_argument("--moves", type=int, default=8, help="moves per browser page")
    parser.add_argument("--websockets", type=int, default=50, help="websocket viewers at once (0: skip)")
    parser.add_argument("--ws-moves", type=int, default=20, help="moves per websocket viewer")
    parser.add_argument("--sequential", type=int, default=500, help="sessions one after another (0: skip)")
    parser.add_argument("--warmup", type=int, default=150, help="sessions before the first memory sample")
    parser.add_argument("--clears", type=int, default=200, help="clear_cache messages, an edit every fifth (0: skip)")
    parser.add_argument("--clear-warmup", type=int, default=40, help="clear_cache messages before the first memory sample")
    parser.add_argument("--edit-every", type=int, default=5, help="edit the data before every N-th clear_cache (0: never)")
    parser.add_argument(
        "--server-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Streamlit option for the server, e.g. runner.postScriptGC=false (repeatable)",
    )
    parser.add_argument("--app", type=Path, default=REPO / "streamlit_app.py", help="the app script (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "load-test-benchmark.json")
    args = parser.parse_args(argv)

    events, places, what = data_files(args.fixture)
    engine = load_engine(events, places)
    print(
        f"Data: {what}: {len(engine.dataset.places)} places, {len(engine.dataset.events)} events, {len(engine.days)} days; "
        f"{os.cpu_count()} CPUs; server options: {args.server_option or 'defaults'}"
    )
    results: list[Results] = []
    options = [arg for option in args.server_option for arg in ("--" + option.split("=", 1)[0], option.split("=", 1)[1])]
    with Server(events, places, "load-benchmark", options, app=args.app) as server:
        print(f"Server {server.url}, pid {server.proc.pid}, RSS at start {server.rss_mb():.1f} MB")
        if args.browsers:
            print(f"{args.browsers} browser pages x {args.moves} moves ...", flush=True)
            results.append(concurrent_browsers(server, engine, args.browsers, args.moves))
            print(f"  RSS {server.rss_mb():.1f} MB")
        if args.websockets:
            print(f"{args.websockets} websocket viewers x {args.ws_moves} moves ...", flush=True)
            results.append(concurrent_websockets(server, engine, args.websockets, args.ws_moves))
            print(f"  RSS {server.rss_mb():.1f} MB")
        if args.sequential:
            print(f"{args.warmup} + {args.sequential} sessions one after another ...", flush=True)
            results.append(sequential_sessions(server, engine, args.sequential, args.warmup, progress=print))
    if args.clears:
        with tempfile.TemporaryDirectory() as folder:
            copies = Path(folder) / "events.yaml", Path(folder) / "places.yaml"
            shutil.copy(events, copies[0])
            shutil.copy(places, copies[1])
            with Server(*copies, "load-benchmark-clears", options, app=args.app) as server:
                print(
                    f"{args.clear_warmup} + {args.clears} clear_cache messages, the data edited every {args.edit_every or 'never'} ...",
                    flush=True,
                )
                results.append(clears_and_edits(server, engine, copies[0], args.clears, args.clear_warmup, args.edit_every, progress=print))
    print()
    print(table(results))
    for r in results:
        if r.errors:
            print(f"\n{r.name}: {len(r.errors)} errors, e.g.:", *r.errors[:5], sep="\n  ")
        if "edits" in r.extra:
            x = r.extra
            print(
                f"\nMemory over {x['rounds']} clear_cache messages and {x['edits']} edits (from the start) after "
                f"{x['warmup_rounds']} warm-up: {x['rss_after_warmup_mb']} -> {x['rss_final_mb']} MB "
                f"(growth {x['rss_growth_mb']:+.1f} MB, peak {x['rss_peak_mb']} MB)"
            )
        elif "rss_growth_mb" in r.extra:
            x = r.extra
            print(
                f"\nMemory over {args.sequential} sessions after {x['warmup_sessions']} warm-up: {x['rss_after_warmup_mb']} -> "
                f"{x['rss_final_mb']} MB (growth {x['rss_growth_mb']:+.1f} MB, peak {x['rss_peak_mb']} MB); "
                f"active sessions afterwards: {x['active_sessions_after']:.0f}"
            )
    ARTIFACTS.mkdir(exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"data": what, "cpus": os.cpu_count(), "server_options": args.server_option, "results": [r.summary() for r in results]},
            indent=1,
        )
    )
    print(f"\nWrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
