#!/usr/bin/env bash
# Installs everything the tests need (Python tools, npm assets, Chromium) and runs lint + the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --dev
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m mypy  # the files and strictness: pyproject.toml [tool.mypy]
exec .venv/bin/python -m pytest "$@"
