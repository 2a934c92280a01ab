"""The dashboard: slide through the days and see who held every place in Syria.

Run: streamlit run streamlit_app.py. Layout and widgets only; the logic is in geo/
(present.py: view model, look.py: icons and words, render.py: the map, place_layer.py: the day's
places on it, thinned by zoom for big data, zone_layer.py: the approximate zones on it,
territory.py: computing them, charts.py: the charts); map_component.py hands the map to
streamlit-folium. Everything that costs time is built once per dataset or once per day/view and
kept in bounded caches shared by all sessions, so a slider move only looks things up (python -m
geo bench measures it). On a server's first run the map's modules and the zones' cells take
most of the time: the rest of the page is sent before them, the map last (see the end).
SYRIA_MAP_EVENTS and SYRIA_MAP_PLACES point the app at other data files (the tests use them).
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from geo.base.errors import DataError
from geo.export import files as export
from geo.reading.gazetteer import DEFAULT_PLACES
from geo.reading.isolated import load as load_dataset_from_bytes  # a big events file is parsed in a child process
from geo.reading.loader import DEFAULT_EVENTS
from geo.reading.snapshot import Snapshots
from geo.timeline.control import Timeline
from geo.view import present
from geo.view.charts import area_chart_spec, chart_spec, spec_for_day
from geo.view.escape import esc
from geo.view.look import day_label
from tests.support.roundtrip import controls

if TYPE_CHECKING:
    from geo.territory.model import TerritoryModel

PLAY_SECONDS = 1.2
MAP_HEIGHT = 520
STYLE = (
    "<style>.muted{color:#6b6b6b}.syria-legend td{padding:.1rem .25rem}.syria-changes li,.syria-history li{line-height:1.35}"
    "@media (max-width:640px){h1{font-size:1.7rem!important}}</style>"
)

st.set_page_config(page_title="Syria control map", page_icon="🗺️", layout="wide")
ss = st.session_state


@st.cache_resource(show_spinner=False)
def snapshots() -> Snapshots:
    return Snapshots()  # the data files, read again only when they change (geo/reading/snapshot.py)


@st.cache_resource(max_entries=4, show_spinner=False)
def load(digest: str, _events, events_name: str, _places, places_name: str):
    dataset = load_dataset_from_bytes(_events, events_name, _places, places_name)
    return dataset, Timeline(dataset)


@st.cache_resource(show_spinner=False)
def last_good() -> dict:
    return {}  # (events path, places path) -> (digest, dataset, timeline) of the last data that passed: shown under a broken edit


@st.cache_resource(max_entries=4, show_spinner=False)
def frozen(digest: str) -> bool:
    """Streamlit collects garbage after every run (runner.postScriptGC), walking every live object; what lives as long as
    the dataset (modules, cached data, the map's base) is put out of its sight once, so that walk stays short. Only the
    young generations are collected first: a full collection finds next to nothing more (the automatic ones ran all
    along the imports) and would hold the GIL ~60 ms right after the map is sent, keeping its message from going out."""
    gc.collect(1)
    gc.freeze()
    return True


@st.cache_resource(max_entries=4, show_spinner=False)
def places(digest: str, _dataset, _timeline) -> place_layer.PlaceLayers:
    return place_layer.PlaceLayers(_dataset, _timeline)  # each day's places layer, built on first use, LRU-cached


@st.cache_resource(max_entries=4, show_spinner="Working out the approximate zones…")
def territory(digest: str, _timeline) -> TerritoryModel:
    from geo.territory.model import map_territory  # shapely, pyproj: imported once the page's first elements are out

    return map_territory(_timeline)  # the zones' cells once per dataset, every day's holders and zone statistics


@st.cache_resource(max_entries=4, show_spinner=False)
def zones(digest: str, _timeline) -> zone_layer.ZoneLayers:
    return zone_layer.ZoneLayers(territory(digest, _timeline))  # a day's zones on first use, LRU-cached


@st.cache_resource(max_entries=4, show_spinner=False)
def map_base(digest: str, vendored: bool, _dataset) -> map_component.MapBase:
    return map_component.MapBase(render.base_map(_dataset))  # the base map never changes: its part of st_folium, once


@st.cache_resource(max_entries=4, show_spinner=False)
def search_labels(digest: str, _dataset) -> tuple[list[str], dict[str, str]]:
    return present.place_options(_dataset), {pid: present.place_label(p) for pid, p in _dataset.places.items()}


@st.cache_resource(max_entries=4, show_spinner=False)
def static_html(digest: str, _dataset) -> tuple[str, str]:
    return present.baseline_html(_dataset), present.attribution_html(_dataset)  # every source of every event: once


@st.cache_data(max_entries=16, show_spinner=False)
def download(digest: str, kind: str, day, zones_on: bool, _dataset, _timeline, _territory) -> bytes:
    # made when the button is clicked (a callable's data is deferred), on Streamlit's download thread
    return export.download_bytes(kind, _dataset, _timeline, day, _territory if zones_on else None)


@st.cache_resource(max_entries=4, show_spinner=False)
def chart(digest: str, what: str, _dataset, _timeline, _territory) -> dict:  # _territory: only for "area"
    if what == "area":
        return area_chart_spec(_dataset, _territory.series(), _timeline.last_day)
    return chart_spec(_dataset, _timeline)


events_path = Path(os.environ.get("SYRIA_MAP_EVENTS") or DEFAULT_EVENTS)
places_path = Path(os.environ.get("SYRIA_MAP_PLACES") or DEFAULT_PLACES)
(events_bytes, events_sha), (places_bytes, places_sha) = snapshots().read(events_path), snapshots().read(places_path)
digest = hashlib.sha256(f"{events_sha}\0{places_sha}\0{events_path}\0{places_path}".encode()).hexdigest()

st.html(STYLE)
st.title("Syria: who controlled what, day by day")
source = (str(events_path), str(places_path))
try:
    ds, tl = load(digest, events_bytes, str(events_path), places_bytes, str(places_path))
    last_good()[source] = (digest, ds, tl)
except DataError as err:
    kept = last_good().get(source)
    st.error(
        f"The data files did not pass validation ({len(err.problems)} problem(s)). "
        + (
            "Below is the map of the last version that passed, until they are fixed. "
            if kept
            else "The map comes back once they are fixed. "
        )
        + "Each line is FILE:LINE: field: message."
    )
    st.code("\n".join(controls.problems_lines(err.problems)), language=None, wrap_lines=True)
    if kept is None:
        st.stop()
    digest, ds, tl = kept

# --- the view: from the link on a session's first run, then from the widgets ----------------
if "day" not in ss:  # a new session: the view comes from the link; afterwards the widgets own it
    params = {name: st.query_params.get_all(name) for name in st.query_params}  # every value: a repeat is ambiguous
    view = present.parse_view_params(params, tl.first_day, tl.last_day, ds.places)
    ss.day, ss.place, ss.pan_to, ss.notices = view.day, view.place, view.place, view.notices
    ss.zones, ss.fronts, ss.notice_view = view.zones, view.fronts, (view.day, view.place)
for toggle in ("zones", "fronts"):  # a session older than these toggles
    ss.setdefault(toggle, True)
if ss.get("day_range") != (tl.first_day, tl.last_day):
    # New first or last day: the slider gets a new identity and would start on its minimum; (re)assigning
    # the day keeps each session where it was (only then: an assignment resets the widget).
    ss.day, ss.day_range = tl.clamp(ss.day), (tl.first_day, tl.last_day)
if ss.get("place") is not None and ss.place not in ds.places:
    ss.place = None


def go(action: str, timeline: Timeline) -> None:
    ss.day, ss.playing = controls.step_day(timeline, ss.day, action), False


def toggle_play(timeline: Timeline) -> None:
    if ss.get("playing"):
        ss.playing = False
    else:
        ss.day, ss.playing, ss.last_tick = controls.play_start(timeline, ss.day), True, time.monotonic()


def on_map_click(place_ids: frozenset) -> None:  # also called on zooms: map_click tells a click
    pid, ss.clicks = controls.map_click(ss.get("map"), place_ids, ss.get("clicks"))
    if pid is not None:
        ss.place = pid


def on_pick() -> None:
    ss.pan_to = ss.place  # a place picked in the search box: bring it into view (clicks on the map don't move it)


def tick() -> None:
    """Play: one day per PLAY_SECONDS, by a fragment that reruns itself (no sleep loop)."""
    if ss.get("playing") and time.monotonic() - ss.get("last_tick", 0.0) >= PLAY_SECONDS * 0.8:
        ss.day, ss.playing = controls.play_tick(tl, ss.day)
        ss.last_tick = time.monotonic()
        st.rerun(scope="app")


st.markdown(f'<div class="muted">{esc(ds.title)}</div>', unsafe_allow_html=True)
st.caption(present.as_of_caption(ds, tl))
if ss.get("notices") and ss.get("notice_view") == (ss.day, ss.place):
    for notice in ss.notices:
        st.warning(notice, icon="⚠️")

if len(tl.days) > 1:
    st.slider(
        "Day (the map shows the end of the day)",
        min_value=tl.first_day,
        max_value=tl.last_day,
        step=timedelta(days=1),
        format="ddd D MMM YYYY",
        key="day",
    )
playing = bool(ss.get("playing"))
with st.container(horizontal=True, gap="small"):
    st.button("Previous day", icon=":material/chevron_left:", on_click=go, args=("prev", tl), disabled=ss.day <= tl.first_day)
    st.button("Next day", icon=":material/chevron_right:", on_click=go, args=("next", tl), disabled=ss.day >= tl.last_day)
    st.button(
        "Next day with events",
        icon=":material/skip_next:",
        on_click=go,
        args=("next_event", tl),
        disabled=tl.next_event_day(ss.day) is None,
    )
    st.button(
        "Stop" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        on_click=toggle_play,
        args=(tl,),
        type="primary" if playing else "secondary",
        key="play",
    )
    st.fragment(tick, run_every=PLAY_SECONDS if playing else None)()

day, place = ss.day, ss.place
options, labels = search_labels(digest, ds)
left, right = st.columns([3, 2], gap="medium")
with left:
    st.selectbox(
        "Find a place (or click one on the map) to see its history",
        options,
        index=None,
        key="place",
        on_change=on_pick,
        format_func=labels.__getitem__,
        placeholder="Name, Arabic name or alias",
    )
    map_slot = st.container(height=MAP_HEIGHT, border=False)  # the map, drawn last (below); its room kept meanwhile
    with st.container(horizontal=True, gap="medium"):  # under the map, so the map does not move down the page
        st.checkbox("Zones (approximate)", key="zones", help="Inferred from the places each side holds: not surveyed front lines.")
        st.checkbox("Front lines", key="fronts", help="Where the approximate zones of two sides meet.")
    what = (
        st.segmented_control(
            "Chart", ["Places held", "Zone area (km², approximate)"], default="Places held", key="chart", label_visibility="collapsed"
        )
        or "Places held"
    )
    if what.startswith("Zone"):
        st.vega_lite_chart(spec_for_day(chart(digest, "area", ds, tl, territory(digest, tl)), day), width="stretch")
    else:
        st.vega_lite_chart(spec_for_day(chart(digest, "places", ds, tl, None), day), width="stretch")
    if place:
        st.markdown("##### History of the place")
        st.markdown(present.history_html(ds.places[place], present.history_rows(ds, tl, place), day), unsafe_allow_html=True)

baseline, attribution = static_html(digest, ds)
with st.expander("Data & method"):
    st.markdown(present.METHOD_MD)
    st.markdown(baseline, unsafe_allow_html=True)
st.markdown(attribution, unsafe_allow_html=True)

# --- last, what takes time on a server's first run: the zones' cells (~0.25 s, shapely and pyproj to import first) and
# the map's modules (folium, which imports pandas: ~0.5 s). The browser draws the rest of the page meanwhile. ----------
with map_slot:
    model = territory(digest, tl)  # its spinner where the map will be
with right:  # the legend needs the zones
    st.subheader(f"{day_label(day)}", anchor=False)
    st.markdown(present.legend_html(present.legend_rows(ds, tl, day, model.stats_on(day)), len(ds.places)), unsafe_allow_html=True)
    st.markdown(present.symbols_html(present.symbol_rows(ds, ss.zones, ss.fronts)), unsafe_allow_html=True)
    st.markdown("##### What changed on this day")
    st.markdown(present.changes_html(present.change_items(ds, tl, day), day), unsafe_allow_html=True)
    st.markdown("##### Download")
    with st.container(horizontal=True, gap="small"):
        for item in export.DOWNLOADS.values():
            file_day = None if item.every_day else day  # the whole-timeline file: one cache entry, not one per day
            st.download_button(
                item.label,
                partial(download, digest, item.kind, file_day, ss.zones, ds, tl, model),
                item.file_name(day),
                item.mime,
                on_click="ignore",
                icon=":material/download:",
                key=f"download_{item.kind}",
            )
    st.caption(
        f"The picture, GeoJSON and CSV show {day_label(day)}{', zones included' if ss.zones else ''}; "
        "the interactive map is one self-contained file with every day, to open or host anywhere."
    )

import roundtrip_map_component as map_component  # noqa: E402  (the round-trip map, kept as the baseline)

from geo.map.assets import vendored_complete  # noqa: E402
from tests.support.roundtrip import place_layer, render, zone_layer  # noqa: E402

zl, pl = zones(digest, tl), places(digest, ds, tl)
with map_slot:
    zoom, bounds = controls.map_zoom(ss.get("map")), controls.map_bounds(ss.get("map"))
    layers = [
        zone_layer.zone_group(zl.on(day, zoom, place_layer.view_box(bounds, zoom) if pl.thinned else None), ss.zones, ss.fronts),
        render.day_layer({}, wire=pl.wire(day, place, zoom, bounds)),
    ]
    map_component.show(  # st_folium; a big dataset is thinned and cut to the view by zoom: the map then reports its bounds too
        map_base(digest, vendored_complete(), ds),
        "map",
        [g for g in layers if g is not None],
        returned_objects=["last_active_drawing", "last_object_clicked_count", "zoom", *(["bounds"] if pl.thinned else [])],
        height=MAP_HEIGHT,
        on_change=partial(on_map_click, frozenset(ds.places)),
        center=controls.centre_of(ds, ss.get("pan_to")),
    )
st.query_params.from_dict(present.view_query(ss.day, ss.place, ss.zones, ss.fronts))
frozen(digest)
