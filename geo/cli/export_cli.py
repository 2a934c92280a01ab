"""`python -m geo export`, `export-html` and `export-animation`: the map for publishing.

    python -m geo export --date 2024-12-06 --format geojson -o day.geojson   # places (+ zones) for QGIS
    python -m geo export --date 2024-12-06 --format csv > day.csv            # the state as a table
    python -m geo export --date 2024-12-06 --format png                      # syria-control-2024-12-06.png, 1200x675
    python -m geo export-html syria-map.html                                 # one self-contained interactive page
    python -m geo export-animation syria.gif                                 # a timelapse, one frame per day

One module for the three commands (geo.cli.main's STANDALONE registry takes modules with
`add_parser(subparsers)` and `run(args) -> int`): register it under each name;
`add_parser` adds all three the first time and nothing after, `run` dispatches on
`args.command`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from geo.base.atomic import write_bytes
from geo.base.errors import DataError
from geo.cli.arguments import day_argument
from geo.reading.loader import DEFAULT_EVENTS, load_dataset
from geo.timeline.control import Timeline
from geo.view.localize import localized
from geo.view.words import LANGS

FORMATS = ("geojson", "csv", "png")


def _size(text: str) -> tuple[int, int]:
    from geo.export.picture import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--events", default=str(DEFAULT_EVENTS), metavar="PATH", help="the events file (default: events.yaml of this repository)"
    )
    p.add_argument("--places", default=None, metavar="PATH", help="the gazetteer (default: geo/data/places.yaml)")
    p.add_argument(
        "--no-zones", dest="zones", action="store_false", help="leave out the approximate zones and front lines (faster; places only)"
    )
    p.add_argument("--lang", choices=LANGS, default="en", help="the language of the map's words and names (default: en)")


def add_parser(subparsers) -> None:
    """Add export, export-html and export-animation to geo.cli.main's subparsers (once, however often it is called)."""
    if "export" in subparsers.choices:
        return
    p = subparsers.add_parser(
        "export",
        help="one day as GeoJSON (QGIS), CSV or a PNG image for social media",
        description="Write the state at the end of DATE: GeoJSON of the places (and the approximate zones and front "
        "lines) for QGIS or geopandas, CSV of the state, or a PNG of the map (title, date, legend, sources, "
        "attribution) sized for social media. Without -o, GeoJSON and CSV go to standard output and a PNG "
        "to syria-control-DATE.png.",
    )
    p.add_argument("--date", type=day_argument, default=None, metavar="YYYY-MM-DD", help="the day (default: the last day of the data)")
    p.add_argument(
        "--format", choices=FORMATS, default=None, help="geojson | csv | png (default: from the -o file's extension, else geojson)"
    )
    p.add_argument("-o", "--output", default=None, metavar="PATH", help="the file to write ('-': standard output)")
    p.add_argument(
        "--size",
        type=_size,
        default=(1200, 675),
        metavar="WxH",
        help="PNG size: landscape (1200x675, the default), square (1080x1080) or WxH",
    )
    p.add_argument("--link", default=None, metavar="URL", help="PNG: where readers find the data and sources, printed on it")
    _data_args(p)

    p = subparsers.add_parser(
        "export-html",
        help="one self-contained interactive HTML map of the whole timeline",
        description="Write one HTML file with every day's data, Leaflet and a client-side slider and play button: "
        "open it, or upload it to any static host (GitHub Pages, Netlify, S3, a CMS). No server needed. "
        "A link ending in #YYYY-MM-DD opens that day. Only the map tiles come from the network.",
    )
    p.add_argument("out", metavar="OUT.html", help="the file to write")
    p.add_argument(
        "--tiles",
        choices=("carto", "osm", "none"),
        default="carto",
        help="background map tiles (default: carto, the dashboard's light map; none: outline only)",
    )
    p.add_argument(
        "--cdn",
        action="store_true",
        help="link Leaflet from jsDelivr (with an integrity hash) instead of inlining it, e.g. when "
        "./scripts/setup_assets.sh has not been run; the page then needs the network",
    )
    _data_args(p)

    p = subparsers.add_parser(
        "export-animation",
        help="a timelapse GIF (or MP4 with ffmpeg), one frame per day",
        description="Write an animation of the map, one frame per day with the date in the caption. OUT.gif needs "
        "nothing else; OUT.mp4 needs ffmpeg on the PATH (H.264, plays on every social network).",
    )
    p.add_argument("out", metavar="OUT.gif|OUT.mp4", help="the file to write")
    p.add_argument(
        "--size",
        type=_size,
        default=(1200, 675),
        metavar="WxH",
        help="frame size: landscape (1200x675, the default), square (1080x1080) or WxH",
    )
    p.add_argument("--frame-ms", type=int, default=700, metavar="MS", help="how long each day shows (default 700)")
    p.add_argument("--hold-ms", type=int, default=2500, metavar="MS", help="how long the last day shows (default 2500)")
    p.add_argument("--from", dest="start", type=day_argument, default=None, metavar="YYYY-MM-DD", help="first day (default: the first)")
    p.add_argument("--to", dest="end", type=day_argument, default=None, metavar="YYYY-MM-DD", help="last day (default: the last)")
    p.add_argument("--link", default=None, metavar="URL", help="where readers find the data and sources, printed on it")
    _data_args(p)


def run(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.events, args.places)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s): run `python -m geo validate` for details", file=sys.stderr)
        return 1
    dataset = localized(dataset, args.lang)  # places and factions named in the reader's language
    timeline = Timeline(dataset)
    territory = None
    if args.zones:
        from geo.territory.model import map_territory

        territory = map_territory(timeline)
        if territory.tessellation.unused_areas:
            from geo.view.present import unused_areas_notice

            print(f"warning: {unused_areas_notice(territory.tessellation.unused_areas)}", file=sys.stderr)
    if args.command == "export":
        return _export(dataset, timeline, territory, args)
    if args.command == "export-html":
        return _export_html(dataset, timeline, territory, args)
    if args.command == "export-animation":
        return _export_animation(dataset, timeline, territory, args)
    print(f"error: unknown command {args.command}", file=sys.stderr)
    return 2


def _write(path: str, data: bytes) -> int:
    try:
        write_bytes(path, data)  # whole or not at all: a failure keeps the earlier file
    except OSError as exc:
        print(f"error: cannot write {path}: {exc}", file=sys.stderr)
        return 2
    return 0


def _export(dataset, timeline: Timeline, territory, args) -> int:
    from geo.export import files as export

    day = args.date or timeline.last_day
    if day < timeline.first_day:
        print(f"error: {day} is before the first day of the data ({timeline.first_day})", file=sys.stderr)
        return 2
    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".") if args.output and args.output != "-" else ""
        fmt = {"json": "geojson", "geojson": "geojson", "csv": "csv", "png": "png"}.get(suffix, "geojson")
    data = export.download_bytes(fmt, dataset, timeline, day, territory, args.size, link=args.link, lang=args.lang)
    out = args.output or ("-" if fmt != "png" else f"{export.file_stem(day)}.png")
    if out == "-":
        if fmt == "png" and sys.stdout.isatty():
            print("error: not writing a PNG to a terminal: give -o FILE.png", file=sys.stderr)
            return 2
        sys.stdout.buffer.write(_terminal_safe(fmt, data))
        sys.stdout.flush()
        return 0
    code = _write(out, data)
    if code == 0:
        print(f"wrote {out} ({fmt}, {len(data) / 1024:.0f} KiB, {day.isoformat()})", file=sys.stderr)
    return code


def _terminal_safe(fmt: str, data: bytes) -> bytes:
    """Text for standard output (maybe a terminal) with control and direction-override characters escaped."""
    from geo.base.unprintable import escaped_lines, json_escaped

    if fmt == "geojson":
        return json_escaped(data.decode("utf-8")).encode("utf-8")
    if fmt == "csv":
        return escaped_lines(data.decode("utf-8")).encode("utf-8")
    return data


def _export_html(dataset, timeline: Timeline, territory, args) -> int:
    from geo.export import static_html

    try:
        page = static_html.build_html(
            dataset, timeline, territory, tiles=args.tiles, leaflet="cdn" if args.cdn else "inline", lang=args.lang
        )
    except static_html.AssetsMissing as exc:
        print(f"error: {exc}; or pass --cdn to link Leaflet from jsDelivr instead", file=sys.stderr)
        return 2
    data = page.encode("utf-8")
    code = _write(args.out, data)
    if code == 0:
        print(
            f"wrote {args.out} ({len(data) / 1024:.0f} KiB: {len(timeline.days)} days, {len(dataset.places)} places"
            f"{', zones' if territory is not None else ''}). Open it in a browser or upload it to any static host; "
            f"add #{timeline.last_day.isoformat()} to a link to open that day."
        )
    return code


def _export_animation(dataset, timeline: Timeline, territory, args) -> int:
    from geo.export import picture

    start = args.start or timeline.first_day
    end = args.end or timeline.last_day
    days = [d for d in timeline.days if start <= d <= end]
    if not days:
        print(f"error: no day of the data ({timeline.first_day}..{timeline.last_day}) is between {start} and {end}", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rframe {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        stats = picture.write_animation(
            dataset,
            timeline,
            args.out,
            territory,
            args.size,
            args.frame_ms,
            args.hold_ms,
            days,
            link=args.link,
            progress=progress,
            lang=args.lang,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError) as exc:  # RuntimeError: ffmpeg failed
        print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {stats.path} ({stats.frames} frames, {stats.bytes / 2**20:.1f} MiB) in {time.perf_counter() - started:.1f} s")
    return 0
