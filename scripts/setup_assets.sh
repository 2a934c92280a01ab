#!/usr/bin/env bash
# Install the map's browser assets from the npm registry and copy them into static/vendor/,
# where the dashboard serves them itself (no CDN needed; see geo/map/assets.py).
# Idempotent: does nothing when static/vendor is complete and package-lock.json is unchanged.
# Needs node + npm (Debian: apt-get install -y nodejs npm) and the project's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
stamp="static/vendor/.package-lock.sha256"  # also covers node_modules: npm ci reruns when the lock changes
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && "$PYTHON" -c 'import sys; from geo.map.assets import vendored_complete; sys.exit(0 if vendored_complete() else 1)'; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "setup_assets: npm is missing; install it (apt-get install -y nodejs npm)" >&2
    exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
"$PYTHON" scripts/vendor_assets.py
echo "$want" > "$stamp"
