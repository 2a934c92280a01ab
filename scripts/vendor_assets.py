#!/usr/bin/env python3
"""Copy the map's JS/CSS from node_modules/ (installed by `npm ci`) into static/vendor/.

The list of files is geo/map/assets.py's ASSETS (plus EXTRA_FILES); the versions must be
the ones installed. static/vendor/ is gitignored: third-party files are never
committed, they come from the npm registry at setup time.

    npm ci --no-audit --no-fund && python scripts/vendor_assets.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from geo.base.paths import PROJECT_DIR
from geo.map.assets import ASSETS, EXTRA_FILES, VENDOR_DIR


def vendor(node_modules: Path, dest: Path) -> list[str]:
    """Copy every asset; return the problems (empty when all went well)."""
    problems = []
    wanted: dict[str, set[str]] = {}
    for asset in ASSETS:
        wanted.setdefault(asset.package, set()).add(asset.version)
    for package, versions in wanted.items():
        manifest = node_modules / package / "package.json"
        try:
            installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            problems.append(f"{package} is not installed in {node_modules} (run `npm ci`)")
            continue
        if installed not in versions:
            problems.append(f"{package} {installed} is installed but geo/map/assets.py wants {', '.join(sorted(versions))}")
    if problems:
        return problems
    if dest.is_symlink():  # Streamlit serves nothing whose real path leaves static/ (see geo/map/assets.py): a real folder
        dest.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    copies = [(a.package, a.path) for a in ASSETS]
    copies += [(package, path) for package, paths in EXTRA_FILES.items() for path in paths]
    for package, path in copies:
        src = node_modules / package / path
        target = dest / package / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, target)
        else:
            problems.append(f"{src} is missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node-modules", type=Path, default=PROJECT_DIR / "node_modules")
    parser.add_argument("--dest", type=Path, default=VENDOR_DIR)
    args = parser.parse_args(argv)
    problems = vendor(args.node_modules, args.dest)
    for problem in problems:
        print(f"vendor_assets: {problem}", file=sys.stderr)
    if not problems:
        print(f"vendor_assets: {len(ASSETS)} assets in {args.dest}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
