"""The session state, declared once: every key the dashboard keeps in st.session_state, its type and its meaning.

A session's state outlives its script runs: the view (day, place, comparison, toggles) comes from the link on the
session's first run, then from the widgets and the map. Widgets whose key is one of these own their value (Streamlit
writes it); the code assigns such a key only in a callback or before the widget of that run is made. The download
buttons' keys (download_<kind>) hold nothing read back.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict, cast

import streamlit as st


class SessionState(TypedDict, total=False):
    lang: str  # "en" or "ar": from the link on the session's first run, then from the language button
    day: date  # the day shown: from the link, then from the map (dragging, keys, play, Back/Forward)
    compare: date | None  # the day compared with `day`, if any
    place: str | None  # the place whose history is shown; also the search box's key (its widget owns it)
    pan_to: str | None  # a place to bring into view once (picked in the search box or from the link), then None
    zones: bool  # the zones toggle (its checkbox owns it)
    fronts: bool  # the front lines toggle (its checkbox owns it)
    notices: tuple[str, ...]  # what the link got wrong, said on the first run
    notice_view: tuple[date, str | None]  # the (day, place) the notices are about: shown while the view is that one
    address: dict[str, str]  # the query parameters this session last wrote: another address means Back/Forward
    day_range: tuple[date, date]  # the data's first and last day when the day was last fitted into them
    map: dict[str, Any]  # the map component's state: the settled "view" (day, compare) and the clicked "place"
    chart: str | None  # the chart shown, "places" or "area" (its segmented control owns it)
    table_filter: str  # the words typed over the table of the day (its text input owns it)
    language: bool  # the language button (its widget owns it)


DEFAULTS: SessionState = {"zones": True, "fronts": True, "compare": None}  # for a session older than these keys


def session() -> SessionState:
    """st.session_state, typed: its keys as declared above (Streamlit's proxy is a mapping like any other)."""
    return cast(SessionState, st.session_state)


def fill_defaults() -> None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
