#!/usr/bin/env bash
# Installs the dashboard's dependencies (first run only) and starts it on http://localhost:8501
# (SYRIA_MAP_SETUP=0 skips the install step; arguments go to `streamlit run`, e.g. --server.fileWatcherType auto
# to rerun on code edits while developing: the deployed config turns the watcher off).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SYRIA_MAP_SETUP:-1}" = 0 ] || ./scripts/setup.sh
# Streamlit sizes static/ as it starts and stops at a dangling symbolic link there (it cannot size it): drop those.
find static -xtype l -print -delete 2>/dev/null | sed 's/^/run.sh: removed a dangling symbolic link: /' >&2 || true
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
