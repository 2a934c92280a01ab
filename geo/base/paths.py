"""Where the package's own files are: the one place that knows the layout of the tree."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # geo/
DATA_DIR = PACKAGE_DIR / "data"  # the shipped places, outline and GeoNames extract
PROJECT_DIR = PACKAGE_DIR.parent  # events.yaml, static/, the vendored assets
