"""The dashboard's page, top to bottom: slide through the days and see who held every place in Syria.

Streamlit runs streamlit_app.py, which calls main(), on every script run. The map moves through the days in the
browser (geo/map/web/map_app.js, shown by dashboard/map_component.py): dragging the date control repaints the map at
once and sends nothing; when the gesture settles, the day comes back as the map component's state and the panels
(legend, what changed, history, chart, link) follow. What costs time is built once per version of the data
(dashboard/caches.py); the session's view is declared in dashboard/state.py and kept in step with the link by
dashboard/view.py; the panels are in dashboard/panels.py.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import caches, map_component, panels, view
from dashboard.state import SessionState, session
from dashboard.store import STORE
from geo.view import present
from geo.view.words import words

MAP_HEIGHT = 740  # the map and its date control: the map proper gets ~2/3 of a 900-px-high screen


def main() -> None:
    st.set_page_config(page_title=words("en")["page_title"], page_icon="🗺️", layout="wide")
    ss = session()
    lang = view.language(ss)
    w = words(lang)
    if lang != "en":
        st.set_page_config(page_title=w["page_title"])

    files = caches.read_data_files()
    panels.style(None, lang)
    panels.title_bar(None, lang, partial(view.switch_language, ss))
    version = caches.load_files(files)
    if version.ok:
        STORE.passed(files.source, version)
    else:
        kept = STORE.last_good(files.source)
        panels.data_problems(None, version, kept, lang)
        if kept is None:
            st.stop()
        version = kept
    ds, tl = version.dataset, version.timeline

    view.settle_view(ss, ds, tl, lang)
    on_map_view, on_map_place = view.map_callbacks(ss, ds, tl)
    view.write_address(ss, lang)

    named_ds, named_tl = caches.named(version, lang)  # the places and factions named in the reader's language
    panels.data_title(None, named_ds, ds, tl, lang)
    if ss.get("notices") and ss.get("notice_view") == (ss["day"], ss["place"]):
        panels.notices(None, ss["notices"])

    day, place, compare = ss["day"], ss["place"], ss["compare"]
    options, labels = caches.search_labels(version, lang)
    left, right = st.columns([3, 2], gap="medium")
    map_slot = left.container(height=MAP_HEIGHT + 10, border=False)  # the map, drawn last (below); its room kept meanwhile
    panels.toggles(left, lang)
    panels.chart(left, version, day, lang)
    panels.place_search(left, options, labels, partial(view.bring_into_view, ss), lang)
    if place:
        panels.history(left, named_ds, named_tl, place, day, lang)
    panels.table(left.expander(w["table_view"]), named_ds, named_tl, day, lang)

    panels.method(None, *caches.static_html(version, lang), lang)

    # last, what takes time on a server's first run: the zones' cells (~1 s, shapely and pyproj to import first) and
    # the map's page (folium, which imports pandas: ~0.5 s, and the timeline's data). The browser draws the rest of the
    # page meanwhile; a map page made before (by an earlier server too) is shown at once, before the zones.
    def show_map(url: str) -> None:
        map_component.show(url, map_view(ss), MAP_HEIGHT, "map", on_map_view, on_map_place, lang)

    page_key = caches.page_key(version, lang)
    ready_url = map_component.published(page_key)
    if ready_url is not None:
        with map_slot:
            show_map(ready_url)
    with map_slot:
        model = caches.territory(version, w["zones_working"])  # its spinner where the map will be
    # the legend needs the zones
    panels.legend(right, named_ds, named_tl, model, day, lang)
    if compare is not None:
        panels.comparison(right, named_ds, named_tl, model, compare, day, lang)
    panels.symbols(right, ds, ss["zones"], ss["fronts"], lang)
    panels.what_changed(right, named_ds, named_tl, day, lang)
    panels.downloads(right, version, (named_ds, named_tl), model, day, ss["zones"], lang)

    if ready_url is None:
        with map_slot:
            try:
                show_map(caches.map_url(version, page_key, model, lang))
            except OSError as exc:  # e.g. a read-only app folder: say so rather than fail the page
                st.error(w["map_unwritable"].format(error=exc.strerror or exc))
    ss["pan_to"] = None  # brought into view once
    STORE.settle(version)  # once per version of the data, after its page is out: see dashboard/store.py


def map_view(ss: SessionState) -> dict:
    """What the map shows of the session's view (focus: a place to bring into view)."""
    return present.map_view(ss["day"], ss["compare"], ss["place"], ss.get("pan_to"), ss["zones"], ss["fronts"])
