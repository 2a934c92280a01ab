"""The session's view (day, comparison, place, toggles, language) and where it comes from: the link on a session's
first run, then the widgets and the map, and the address bar when Back/Forward changes it under the page. The
address bar follows the view (geo.view.present: the link's parameters both ways)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.state import SessionState, fill_defaults
from geo.base.days import iso_day
from geo.base.model import Dataset
from geo.timeline.control import Timeline
from geo.view import present
from geo.view.words import LANG_PARAM, lang_of


def language(ss: SessionState) -> str:
    """The reader's language: from the link on a session's first run, then from the language button."""
    if "lang" not in ss:
        ss["lang"] = lang_of(st.query_params.get(LANG_PARAM))
    return ss["lang"]


def switch_language(ss: SessionState) -> None:
    ss["lang"] = "en" if ss["lang"] == "ar" else "ar"  # the rest of the view stays (the link follows at the end of the run)


def _link_view(dataset: Dataset, timeline: Timeline, lang: str) -> present.ViewParams:
    params = {name: st.query_params.get_all(name) for name in st.query_params}  # every value: a repeat is ambiguous
    return present.parse_view_params(params, timeline.first_day, timeline.last_day, dataset.places, lang)


def settle_view(ss: SessionState, dataset: Dataset, timeline: Timeline, lang: str) -> None:
    """The view of this run: from the link on a session's first run, afterwards the widgets own it (and the address bar
    when it changed under the page); fitted into the data's days and places."""
    if "day" not in ss:  # a new session
        view = _link_view(dataset, timeline, lang)
        ss["day"], ss["place"], ss["pan_to"], ss["notices"] = view.day, view.place, view.place, view.notices
        ss["zones"], ss["fronts"], ss["notice_view"], ss["compare"] = view.zones, view.fronts, (view.day, view.place), view.compare
    elif ss.get("address") is not None and st.query_params.to_dict() != ss["address"]:
        # The address bar changed under the page (Back/Forward): Streamlit reruns on it before the map reports the day, and
        # writing this session's older view back would replace that history entry and push another, losing Forward.
        view = _link_view(dataset, timeline, lang)
        if not view.notices:
            ss["day"], ss["compare"], ss["place"] = view.day, view.compare, view.place
    fill_defaults()  # a session older than some keys
    if ss.get("day_range") != (timeline.first_day, timeline.last_day):
        # New first or last day: the slider gets a new identity and would start on its minimum; (re)assigning
        # the day keeps each session where it was (only then: an assignment resets the widget).
        ss["day"], ss["day_range"] = timeline.clamp(ss["day"]), (timeline.first_day, timeline.last_day)
        compare = ss["compare"]
        ss["compare"] = timeline.clamp(compare) if compare is not None else None
    if ss.get("place") is not None and ss["place"] not in dataset.places:
        ss["place"] = None


def write_address(ss: SessionState, lang: str) -> None:
    """The address bar follows the view now, not at the end of the run: a Back pressed while the rest of the page is
    still being drawn would otherwise get this run's address pushed over it, losing Forward."""
    ss["address"] = present.view_query(ss["day"], ss["place"], ss["zones"], ss["fronts"], ss["compare"], lang)
    st.query_params.from_dict(ss["address"])


def map_callbacks(ss: SessionState, dataset: Dataset, timeline: Timeline) -> tuple[Callable[[], None], Callable[[], None]]:
    """What the map reports, as the view: (on_view, on_place), for the data of this run."""

    def on_view() -> None:
        """The map settled on a day (dragging, keys, play, a histogram bar, Back/Forward): the panels follow it."""
        view = (ss.get("map") or {}).get("view") or {}
        day, compare = iso_day(str(view.get("day") or "")), iso_day(str(view.get("compare") or ""))
        if day is not None:
            ss["day"] = timeline.clamp(day)
            ss["compare"] = timeline.clamp(compare) if compare is not None else None

    def on_place() -> None:
        pid = (ss.get("map") or {}).get("place")
        if isinstance(pid, str) and pid in dataset.places:
            ss["place"] = pid

    return on_view, on_place


def bring_into_view(ss: SessionState) -> None:
    ss["pan_to"] = ss["place"]  # a place picked in the search box: bring it into view (clicks on the map don't move it)
