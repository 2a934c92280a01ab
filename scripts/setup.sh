#!/usr/bin/env bash
# Installs what the project needs into ./.venv (and, with --dev, the test tools and Chromium).
# Idempotent: each step is skipped when its inputs have not changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { as_root apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# System packages: a venv-capable Python, Node/npm for the self-served map assets, Chromium for browser tests,
# Caddy for the test of the documented reverse proxy.
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv python3-pip
command -v npm >/dev/null || apt_install nodejs npm
if [ "$dev" = 1 ] && [ ! -x /usr/bin/chromium ]; then apt_install chromium fonts-dejavu-core; fi
if [ "$dev" = 1 ] && ! command -v ffmpeg >/dev/null; then apt_install ffmpeg; fi  # MP4 timelapse test
if [ "$dev" = 1 ] && ! command -v caddy >/dev/null; then
  apt_install caddy  # the reverse proxy of docs/deploy.md: its test runs one on a free port
  # Debian's package also starts a Caddy service on port 80, which nothing here needs
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then as_root systemctl disable --now caddy >/dev/null 2>&1 || true; fi
fi

# Python packages, pinned: the top level in requirements*.txt, everything they pull in by constraints.txt.
req=requirements.txt; [ "$dev" = 1 ] && req=requirements-dev.txt
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$(cat requirements*.txt constraints.txt | sha256sum | cut -c1-16)-$dev"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$req" -c constraints.txt
  touch "$stamp"
fi
# The project itself, editable and without dependencies (pinned above): `import geo` works from any folder. Done again
# when the venv's install points elsewhere (a moved checkout: the install records the folder).
here="$(pwd -P)"
if [ "$(cd / && "$here/.venv/bin/python" -c 'from geo.base.paths import PROJECT_DIR; print(PROJECT_DIR)' 2>/dev/null)" != "$here" ]; then
  .venv/bin/python -m pip install -q --no-deps -e .
fi

# JavaScript/CSS the map needs, from the npm registry, served by the app itself (static/vendor/).
./scripts/setup_assets.sh
