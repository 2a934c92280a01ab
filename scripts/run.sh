#!/usr/bin/env bash
# Installs the dashboard's dependencies (first run only) and starts it on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
