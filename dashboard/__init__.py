"""The dashboard: the only code that imports Streamlit (streamlit_app.py runs main() on every script run)."""

from __future__ import annotations


def main() -> None:
    """The page, top to bottom (dashboard/app.py)."""
    from dashboard.app import main as page  # here, so that dashboard.store and dashboard.web_files import without Streamlit

    page()
