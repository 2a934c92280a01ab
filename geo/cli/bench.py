"""`python -m geo bench`: the command line of the benchmark (benchmarks/bench.py does the measuring).

    python -m geo bench                         # shipped data, 2,000 places/20,000 events, 5,000/100,000 (5 years)
    python -m geo bench --sizes shipped --runs 5
    python -m geo bench --write BENCHMARKS.md   # also write the results and the machine to BENCHMARKS.md
    python -m geo bench --quick                 # a tiny synthetic set, 1 run: proves the benchmark works (CI)

The measuring drives Streamlit (AppTest) and Chromium, so it lives outside geo/ (which never imports
Streamlit), in the checkout's benchmarks/; this module adds the command to geo.cli.main and runs
`python -m benchmarks.bench` with the same options, from the project folder (geo/cli/bench_report.py
formats what it measured).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from geo.base.paths import PROJECT_DIR

BENCHMARK = PROJECT_DIR / "benchmarks" / "bench.py"
DEFAULT_SIZES = ("shipped", "2000x20000", "5000x100000")
QUICK_SIZE = "60x300x60"


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `bench` command to the subparsers of geo.cli.main's parser."""
    p = subparsers.add_parser(
        "bench",
        help="measure loading, the daily states, a slider move and a cold start; print a table",
        description=_description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_options(p)
    return p


def options_parser() -> argparse.ArgumentParser:
    """The command's options on their own (benchmarks/bench.py reads them with it)."""
    p = argparse.ArgumentParser(prog="python -m geo bench", description=_description())
    add_options(p)
    return p


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help="comma-separated datasets: 'shipped' and/or synthetic PLACESxEVENTS[xDAYS] (default: %(default)s; 5 years)",
    )
    p.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5; the biggest steps run at most 3 times)")
    p.add_argument("--moves", type=int, default=12, help="slider moves measured per dataset (default 12)")
    p.add_argument(
        "--reference-moves",
        type=int,
        default=None,
        help="moves rendered the straightforward way (default: as many as --moves, at most 3 above 1,000 places)",
    )
    p.add_argument("--big-runs", type=int, default=2, help="runs (and browser cold starts) for datasets over 1,000 places (default 2)")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    p.add_argument("--write", metavar="PATH", default=None, help="also write the report (Markdown) to PATH, e.g. BENCHMARKS.md")
    p.add_argument(
        "--workdir", metavar="DIR", default=None, help="where synthetic data and server logs go (default: a temporary directory)"
    )
    p.add_argument("--timeout", type=float, default=900, help="seconds to wait for a server or a page (default 900)")
    p.add_argument(
        "--quick",
        action="store_true",
        help=f"a tiny synthetic set ({QUICK_SIZE}: places x events x days), 1 run, 2 moves: "
        "proves the benchmark works, measures nothing worth keeping",
    )


def _description() -> str:
    return (
        "Measure load + validate, the daily states and zones, a date query, a slider move through Streamlit's AppTest "
        "(rerun time, bytes sent) against the straightforward folium way, and a cold start and slider move in headless "
        "Chromium; print the median and range of several runs as a table. Timings are never asserted."
    )


FLAGS = ("quick", "no_browser")
PATHS = ("write", "workdir")


def command_line(args: argparse.Namespace) -> list[str]:
    """The options of `args` that differ from their defaults, as a command line again. Paths are made to mean the same
    from the project folder (relative to it when inside it, else absolute)."""
    defaults = vars(options_parser().parse_args([]))
    out: list[str] = []
    for name, default in defaults.items():
        value = getattr(args, name)
        if value == default:
            continue
        option = "--" + name.replace("_", "-")
        if name in FLAGS:
            out.append(option)
        elif name in PATHS:
            path = Path(value).resolve()
            out += [option, os.path.relpath(path, PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else str(path)]
        else:
            out += [option, str(value)]
    return out


def run(args: argparse.Namespace) -> int:
    """Run `python -m benchmarks.bench` with the same options, from the project folder (which puts benchmarks/ on the
    import path); its exit status. The measuring imports Streamlit, AppTest and Playwright, none of which geo may."""
    if not BENCHMARK.is_file():
        print(f"error: the benchmark is not here ({BENCHMARK}): it runs from the project's checkout", file=sys.stderr)
        return 2
    return subprocess.run([sys.executable, "-m", "benchmarks.bench", *command_line(args)], cwd=PROJECT_DIR, check=False).returncode
