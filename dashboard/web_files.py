"""The dashboard's own browser files (dashboard/web/)."""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent / "web"
HOST_JS = WEB_DIR / "host.js"  # the map component's host: relays the settled day, clicks and Back/Forward
DASHBOARD_CSS = WEB_DIR / "dashboard.css"  # the dashboard's own look beside Streamlit's theme
RTL_CSS = WEB_DIR / "dashboard_rtl.css"  # the dashboard in Arabic: its blocks right to left
