"""The dashboard: slide through the days and see who held every place in Syria.

Run: streamlit run streamlit_app.py. Layout and widgets only; the logic is in geo/ (present.py: view
model, look.py: icons and words, map_payload.py + map_page.py: the map application's data and page,
territory.py: the zones, charts.py: the charts). The map moves through the days in the browser
(geo/map/web/map_app.js, shown by map_component.py): dragging the date control repaints the map at once
and sends nothing; when the gesture settles, the day comes back here as the map component's state
and the panels (legend, what changed, history, chart, link) follow. Everything that costs time is
built once per version of the data and kept in the server's own bounded store (dashboard/store.py), shared by all
sessions and out of reach of Streamlit's clear_cache message, which any visitor may send. SYRIA_MAP_EVENTS and
SYRIA_MAP_PLACES point the app at other data files (the tests use them).
"""

from __future__ import annotations

import hashlib
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from dashboard.store import STORE, Version
from dashboard.web_files import DASHBOARD_CSS, RTL_CSS
from geo.export import files as export
from geo.reading.gazetteer import DEFAULT_PLACES
from geo.reading.isolated import load as load_dataset_from_bytes  # a big events file is parsed in a child process
from geo.reading.loader import DEFAULT_EVENTS
from geo.timeline.control import Timeline
from geo.view import day_table, present
from geo.view.charts import area_chart_spec, chart_spec, spec_for_day
from geo.view.escape import esc
from geo.view.localize import localized
from geo.view.look import day_label
from geo.view.words import LANG_PARAM, lang_of, words

if TYPE_CHECKING:
    from geo.territory.model import TerritoryModel

MAP_HEIGHT = 740  # the map and its date control: the map proper gets ~2/3 of a 900-px-high screen

st.set_page_config(page_title=words("en")["page_title"], page_icon="🗺️", layout="wide")
ss = st.session_state
if "lang" not in ss:  # the language: from the link on a session's first run, then from the switch
    ss.lang = lang_of(st.query_params.get(LANG_PARAM))
lang = ss.lang
w = words(lang)
if lang != "en":
    st.set_page_config(page_title=w["page_title"])


PROJECT = Path(__file__).resolve().parent


@st.cache_resource(max_entries=4, show_spinner=False)
def load(digest: str, _events, events_name: str, _places, places_name: str) -> Version:
    """The store's version of the data: parsed there once per version, good or broken (a parse of a 4 MB file takes
    seconds). Looked up through a cache of Streamlit's as well, once per script run, so that Streamlit's metrics
    (/_stcore/metrics) count script runs (the load tests read them); a clear_cache costs a dictionary lookup."""
    def parse():
        dataset = load_dataset_from_bytes(_events, events_name, _places, places_name)
        return dataset, Timeline(dataset)

    return STORE.version(digest, parse, f"{events_name} and {places_name}")


def shown(path: Path) -> str:
    """A data file as the page names it: relative to the project, else its name alone (never the server's folders)."""
    try:
        return str(path.resolve().relative_to(PROJECT))
    except (ValueError, OSError, RuntimeError):
        return path.name


def territory(version: Version) -> TerritoryModel:
    """The zones' cells once per version of the data, every day's holders and zone statistics (~1 s, more on big data)."""
    def build():
        from geo.territory.model import map_territory  # shapely, pyproj: imported once the page's first elements are out

        return map_territory(version.timeline)

    if version.has("territory"):
        return version.built("territory", build)
    with st.spinner(w["zones_working"]):
        return version.built("territory", build)


def named(version: Version) -> tuple:
    """The dataset and its timeline named in the reader's language (geo.view.localize): the panels speak it."""
    if lang == "en":
        return version.dataset, version.timeline

    def build():
        dataset = localized(version.dataset, lang)
        return dataset, Timeline(dataset)

    return version.built(f"named {lang}", build)


def map_url(version: Version, page_key: str, model: TerritoryModel) -> str:
    """The map application's page for this version of the data (the whole timeline), language and app version, written
    once into static/maps/ (a failure to write it is not kept: the next run tries again)."""
    def build():
        from geo.map.page import embedded_page
        from geo.map.payload import map_payload
        from geo.map.render import place_bounds

        dataset, timeline = named(version)
        return map_component.publish(page_key, embedded_page(map_payload(dataset, timeline, model, lang=lang),
                                                             place_bounds(dataset)))

    url = version.built(f"map_url {page_key}", build)
    if map_component.published(page_key) is None:  # removed since (newer pages, another server): written again
        version.forget(f"map_url {page_key}")
        url = version.built(f"map_url {page_key}", build)
    return url


def show_map(url: str) -> None:
    map_component.show(url, present.map_view(ss.day, ss.compare, ss.place, ss.get("pan_to"), ss.zones, ss.fronts),
                       MAP_HEIGHT, "map", on_map_view, on_map_place, lang)


def search_labels(version: Version) -> tuple[list[str], dict[str, str]]:
    dataset = version.dataset
    return version.built(f"search labels {lang}", lambda: (present.place_options(named(version)[0]),
                                                           {pid: present.place_label(p, lang) for pid, p in dataset.places.items()}))


def static_html(version: Version) -> tuple[str, str]:
    dataset = version.dataset  # every source of every event: once per version and language
    return version.built(f"static html {lang}", lambda: (present.baseline_html(dataset, lang), present.attribution_html(dataset, lang)))


@st.cache_data(max_entries=16, show_spinner=False)
def download(digest: str, kind: str, day, zones_on: bool, lang: str, _dataset, _timeline, _territory) -> bytes:
    # made when the button is clicked (a callable's data is deferred), on Streamlit's download thread; a clear_cache
    # costs making the file again on the next click
    return export.download_bytes(kind, _dataset, _timeline, day, _territory if zones_on else None, lang=lang)


def chart(version: Version, what: str) -> dict:
    dataset, timeline = named(version)
    if what == "area":
        return version.built(f"chart area {lang}",
                             lambda: area_chart_spec(dataset, territory(version).series(), timeline.last_day, lang))
    return version.built(f"chart places {lang}", lambda: chart_spec(dataset, timeline, lang))


def show_table(named_ds, named_tl, day) -> None:
    """The day's state as a table (geo/view/day_table.py): sortable by its headers, filtered by the words typed."""
    rows = day_table.day_rows(named_ds, named_tl, day, lang)
    query = st.text_input(w["table_filter"], key="table_filter")
    kept = day_table.filter_rows(rows, query)
    st.caption(w["table_caption"].format(day=day_label(day, lang)) + " " + w["table_rows"].format(n=len(kept), total=len(rows)))
    headers = day_table.headers(lang)
    st.dataframe([{headers[c]: r[c] for c in day_table.COLUMNS} for r in kept], hide_index=True, width="stretch", height=320)


def switch_language() -> None:
    ss.lang = "en" if ss.lang == "ar" else "ar"  # the rest of the view stays (the link follows at the end of the run)


events_path = Path(os.environ.get("SYRIA_MAP_EVENTS") or DEFAULT_EVENTS)
places_path = Path(os.environ.get("SYRIA_MAP_PLACES") or DEFAULT_PLACES)
(events_bytes, events_sha), (places_bytes, places_sha) = STORE.snapshots.read(events_path), STORE.snapshots.read(places_path)
digest = hashlib.sha256(f"{events_sha}\0{places_sha}\0{events_path}\0{places_path}".encode()).hexdigest()

st.html(f"<style>{DASHBOARD_CSS.read_text(encoding='utf-8')}</style>")
if lang == "ar":
    st.html(f"<style>{RTL_CSS.read_text(encoding='utf-8')}</style>")  # Streamlit has no page direction: the page's blocks right to left
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f"### {w['title']}", width="stretch")  # compact: the map gets most of the first screen
    st.button(w["other_language"], on_click=switch_language, help=w["other_language_help"], key="language",
              icon=":material/translate:")
source = (str(events_path), str(places_path))
version = load(digest, events_bytes, shown(events_path), places_bytes, shown(places_path))
if version.ok:
    STORE.passed(source, version)
else:
    kept = STORE.last_good(source)
    st.error(w["data_failed"].format(n=version.problem_count) + (w["data_kept"] if kept else w["data_back"]) + w["data_lines"])
    more = version.problem_count - len(version.problem_lines)
    st.code("\n".join(version.problem_lines + ([w["more_problems"].format(n=more)] if more else [])),
            language=None, wrap_lines=True)
    if kept is None:
        st.stop()
    version = kept
digest, ds, tl = version.digest, version.dataset, version.timeline

# --- the view: from the link on a session's first run, then from the widgets ----------------
if "day" not in ss:  # a new session: the view comes from the link; afterwards the widgets own it
    params = {name: st.query_params.get_all(name) for name in st.query_params}  # every value: a repeat is ambiguous
    view = present.parse_view_params(params, tl.first_day, tl.last_day, ds.places, lang)
    ss.day, ss.place, ss.pan_to, ss.notices = view.day, view.place, view.place, view.notices
    ss.zones, ss.fronts, ss.notice_view, ss.compare = view.zones, view.fronts, (view.day, view.place), view.compare
elif ss.get("address") is not None and st.query_params.to_dict() != ss.address:
    # The address bar changed under the page (Back/Forward): Streamlit reruns on it before the map reports the day, and
    # writing this session's older view back would replace that history entry and push another, losing Forward.
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view = present.parse_view_params(params, tl.first_day, tl.last_day, ds.places, lang)
    if not view.notices:
        ss.day, ss.compare, ss.place = view.day, view.compare, view.place
for toggle in ("zones", "fronts"):  # a session older than these toggles
    ss.setdefault(toggle, True)
ss.setdefault("compare", None)
if ss.get("day_range") != (tl.first_day, tl.last_day):
    # New first or last day: the slider gets a new identity and would start on its minimum; (re)assigning
    # the day keeps each session where it was (only then: an assignment resets the widget).
    ss.day, ss.day_range = tl.clamp(ss.day), (tl.first_day, tl.last_day)
    ss.compare = tl.clamp(ss.compare) if ss.compare is not None else None
if ss.get("place") is not None and ss.place not in ds.places:
    ss.place = None


def on_map_view() -> None:
    """The map settled on a day (dragging, keys, play, a histogram bar, Back/Forward): the panels follow it."""
    view = (ss.get("map") or {}).get("view") or {}
    day, compare = present.iso_day(str(view.get("day") or "")), present.iso_day(str(view.get("compare") or ""))
    if day is not None:
        ss.day = tl.clamp(day)
        ss.compare = tl.clamp(compare) if compare is not None else None


def on_map_place() -> None:
    pid = (ss.get("map") or {}).get("place")
    if isinstance(pid, str) and pid in ds.places:
        ss.place = pid


def on_pick() -> None:
    ss.pan_to = ss.place  # a place picked in the search box: bring it into view (clicks on the map don't move it)


# the address bar follows the view now, not at the end of the run: a Back pressed while the rest of the page is
# still being drawn would otherwise get this run's address pushed over it, losing Forward
ss.address = present.view_query(ss.day, ss.place, ss.zones, ss.fronts, ss.compare, lang)
st.query_params.from_dict(ss.address)

named_ds, named_tl = named(version)  # the places and factions named in the reader's language
st.markdown(f'<div class="muted syria-data-title">{esc(named_ds.title)}</div>', unsafe_allow_html=True)
st.caption(present.as_of_caption(ds, tl, lang))
if ss.get("notices") and ss.get("notice_view") == (ss.day, ss.place):
    for notice in ss.notices:
        st.warning(notice, icon="⚠️")

day, place, compare = ss.day, ss.place, ss.compare
options, labels = search_labels(version)
left, right = st.columns([3, 2], gap="medium")
with left:
    map_slot = st.container(height=MAP_HEIGHT + 10, border=False)  # the map, drawn last (below); its room kept meanwhile
    with st.container(horizontal=True, gap="medium"):  # under the map, so the map does not move down the page
        st.checkbox(w["zones_toggle"], key="zones", help=w["zones_help"])
        st.checkbox(w["fronts_toggle"], key="fronts", help=w["fronts_help"])
    what = st.segmented_control(w["chart"], ["places", "area"], default="places", format_func=lambda k: w[f"chart_{k}"],
                                key="chart", label_visibility="collapsed") or "places"
    if what == "area":
        st.vega_lite_chart(spec_for_day(chart(version, "area"), day), width="stretch")
    else:
        st.vega_lite_chart(spec_for_day(chart(version, "places"), day), width="stretch")
    st.selectbox(w["find_place"], options, index=None,
                 key="place", on_change=on_pick, format_func=labels.__getitem__, placeholder=w["find_placeholder"])
    if place:
        st.markdown(f"##### {w['history']}")
        st.markdown(present.history_html(named_ds.places[place], present.history_rows(named_ds, named_tl, place, lang), day, lang),
                    unsafe_allow_html=True)
    with st.expander(w["table_view"]):
        show_table(named_ds, named_tl, day)

baseline, attribution = static_html(version)
with st.expander(w["data_method"]):
    st.markdown(present.method_md(lang))
    st.markdown(baseline, unsafe_allow_html=True)
st.markdown(attribution, unsafe_allow_html=True)

# --- last, what takes time on a server's first run: the zones' cells (~1 s, shapely and pyproj to import first) and
# the map's page (folium, which imports pandas: ~0.5 s, and the timeline's data). The browser draws the rest of the page
# meanwhile; a map page made before (by an earlier server too) is shown at once, before the zones. ----------------------
from dashboard import map_component  # noqa: E402  (streamlit and the app's file names only)
from geo.map.app_files import app_version  # noqa: E402

page_key = hashlib.sha256(f"{digest}{app_version()}{lang}".encode()).hexdigest()
ready_url = map_component.published(page_key)
if ready_url is not None:
    with map_slot:
        show_map(ready_url)
with map_slot:
    model = territory(version)  # its spinner where the map will be
with right:  # the legend needs the zones
    st.subheader(f"{day_label(day, lang)}", anchor=False)
    if model.tessellation.unused_areas:
        st.warning(present.unused_areas_notice(model.tessellation.unused_areas), icon="⚠️")
    st.markdown(present.legend_html(present.legend_rows(named_ds, named_tl, day, model.stats_on(day)), len(ds.places),
                                    model.tessellation.nodata_km2, model.reach_km, lang), unsafe_allow_html=True)
    if compare is not None:
        groups = present.compare_groups(named_ds, named_tl, compare, day, model.stats_on(compare), model.stats_on(day))
        st.markdown(present.compare_html(groups, compare, day, lang), unsafe_allow_html=True)
    st.markdown(present.symbols_html(present.symbol_rows(ds, ss.zones, ss.fronts, lang)), unsafe_allow_html=True)
    st.markdown(f"##### {w['what_changed']}")
    st.markdown(present.changes_html(present.change_items(named_ds, named_tl, day, lang), day, lang), unsafe_allow_html=True)
    st.markdown(f"##### {w['download']}")
    with st.container(horizontal=True, gap="small"):
        for item in export.DOWNLOADS.values():
            file_day = None if item.every_day else day  # the whole-timeline file: one cache entry, not one per day
            # the interactive map and the picture speak the reader's language; the data files keep the data's names
            data, data_tl = (named_ds, named_tl) if item.kind in ("html", "png") else (ds, tl)
            st.download_button(w[f"dl_{item.kind}"], partial(download, digest, item.kind, file_day, ss.zones, lang, data, data_tl, model),
                               item.file_name(day), item.mime, on_click="ignore", icon=":material/download:", key=f"download_{item.kind}")
    st.caption(w["download_caption"].format(day=day_label(day, lang), zones=w["zones_included"] if ss.zones else ""))

if ready_url is None:
    with map_slot:
        try:
            show_map(map_url(version, page_key, model))
        except OSError as exc:  # e.g. a read-only app folder: say so rather than fail the page
            st.error(w["map_unwritable"].format(error=exc.strerror or exc))
ss.pan_to = None  # brought into view once
STORE.settle(version)  # once per version of the data, after its page is out: see dashboard/store.py
