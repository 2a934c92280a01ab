"""Every cache of the dashboard, keyed by a digest of the data files' content (and names).

What lives long is built once per version of the data in the server's own store (dashboard/store.py: out of reach of
Streamlit's clear_cache message): the parsed data, the zones, the names in the reader's language, the map's page, the
charts, the search box's labels, the data's notes. Two of Streamlit's caches remain: `load`, the store's version looked
up once per script run (Streamlit's metrics count it: the load tests read them), and `download`, the files made when a
download button is clicked. SYRIA_MAP_EVENTS and SYRIA_MAP_PLACES point the app at other data files (the tests use them).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from dashboard import map_component
from dashboard.store import STORE, Version
from geo.base.model import Dataset
from geo.base.paths import PROJECT_DIR
from geo.export import files as export
from geo.map.app_files import app_version
from geo.reading import isolated  # a big events file is parsed in a child process
from geo.reading.gazetteer import DEFAULT_PLACES
from geo.reading.loader import DEFAULT_EVENTS
from geo.timeline.control import Timeline
from geo.view import present
from geo.view.charts import area_chart_spec, chart_spec
from geo.view.localize import localized

if TYPE_CHECKING:
    from geo.territory.model import TerritoryModel


@dataclass(frozen=True)
class DataFiles:
    """The data files of this run: their paths, their bytes as last read and a digest of both (the data's version)."""

    events_path: Path
    places_path: Path
    events_bytes: bytes | OSError  # a file that cannot be read: the loader reports it
    places_bytes: bytes | OSError
    digest: str

    @property
    def source(self) -> tuple[str, str]:
        return str(self.events_path), str(self.places_path)


def read_data_files() -> DataFiles:
    """Both data files, read on every run (the store's snapshots: a file unchanged since is not read again)."""
    events_path = Path(os.environ.get("SYRIA_MAP_EVENTS") or DEFAULT_EVENTS)
    places_path = Path(os.environ.get("SYRIA_MAP_PLACES") or DEFAULT_PLACES)
    (events_bytes, events_sha), (places_bytes, places_sha) = STORE.snapshots.read(events_path), STORE.snapshots.read(places_path)
    digest = hashlib.sha256(f"{events_sha}\0{places_sha}\0{events_path}\0{places_path}".encode()).hexdigest()
    return DataFiles(events_path, places_path, events_bytes, places_bytes, digest)


def shown(path: Path) -> str:
    """A data file as the page names it: relative to the project, else its name alone (never the server's folders)."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except (ValueError, OSError, RuntimeError):
        return path.name


def load_files(files: DataFiles) -> Version:
    return load(files.digest, files.events_bytes, shown(files.events_path), files.places_bytes, shown(files.places_path))


@st.cache_resource(max_entries=4, show_spinner=False)
def load(digest: str, _events: bytes | OSError, events_name: str, _places: bytes | OSError, places_name: str) -> Version:
    """The store's version of the data: parsed there once per version, good or broken (a parse of a 4 MB file takes
    seconds). Looked up through a cache of Streamlit's as well, once per script run, so that Streamlit's metrics
    (/_stcore/metrics) count script runs (the load tests read them); a clear_cache costs a dictionary lookup."""

    def parse():
        dataset = isolated.load(_events, events_name, _places, places_name)
        return dataset, Timeline(dataset)

    return STORE.version(digest, parse, f"{events_name} and {places_name}")


def territory(version: Version, working: str) -> TerritoryModel:
    """The zones' cells once per version of the data, every day's holders and zone statistics (~1 s, more on big data);
    `working`: the spinner's words while they are built."""

    def build():
        from geo.territory.model import map_territory  # shapely, pyproj: imported once the page's first elements are out

        return map_territory(version.timeline)

    if version.has("territory"):
        return version.built("territory", build)
    with st.spinner(working):
        return version.built("territory", build)


def named(version: Version, lang: str) -> tuple[Dataset, Timeline]:
    """The dataset and its timeline named in the reader's language (geo.view.localize): the panels speak it."""
    if lang == "en":
        return version.dataset, version.timeline

    def build():
        dataset = localized(version.dataset, lang)
        return dataset, Timeline(dataset)

    return version.built(f"named {lang}", build)


def page_key(version: Version, lang: str) -> str:
    """The map page's name: one per version of the data, version of the map's code and language."""
    return hashlib.sha256(f"{version.digest}{app_version()}{lang}".encode()).hexdigest()


def map_url(version: Version, key: str, model: TerritoryModel, lang: str) -> str:
    """The map application's page for this version of the data (the whole timeline), language and app version, written
    once into static/maps/ (a failure to write it is not kept: the next run tries again)."""

    def build():
        # folium, which imports pandas (~0.5 s): imported once the page's other elements are out
        from geo.map.page import embedded_page
        from geo.map.payload import map_payload
        from geo.map.render import place_bounds

        dataset, timeline = named(version, lang)
        return map_component.publish(key, embedded_page(map_payload(dataset, timeline, model, lang=lang), place_bounds(dataset)))

    url = version.built(f"map_url {key}", build)
    if map_component.published(key) is None:  # removed since (newer pages, another server): written again
        version.forget(f"map_url {key}")
        url = version.built(f"map_url {key}", build)
    return url


def search_labels(version: Version, lang: str) -> tuple[list[str], dict[str, str]]:
    dataset = version.dataset
    return version.built(
        f"search labels {lang}",
        lambda: (present.place_options(named(version, lang)[0]), {pid: present.place_label(p, lang) for pid, p in dataset.places.items()}),
    )


def static_html(version: Version, lang: str) -> tuple[str, str]:
    dataset = version.dataset  # every source of every event: once per version and language
    return version.built(f"static html {lang}", lambda: (present.baseline_html(dataset, lang), present.attribution_html(dataset, lang)))


def chart(version: Version, what: str, lang: str, working: str) -> dict:
    dataset, timeline = named(version, lang)
    if what == "area":
        return version.built(
            f"chart area {lang}", lambda: area_chart_spec(dataset, territory(version, working).series(), timeline.last_day, lang)
        )
    return version.built(f"chart places {lang}", lambda: chart_spec(dataset, timeline, lang))


@st.cache_data(max_entries=16, show_spinner=False)
def download(
    digest: str, kind: str, day: date | None, zones_on: bool, lang: str, _dataset: Dataset, _timeline: Timeline, _territory: TerritoryModel
) -> bytes:
    # made when the button is clicked (a callable's data is deferred), on Streamlit's download thread; a clear_cache
    # costs making the file again on the next click
    return export.download_bytes(kind, _dataset, _timeline, day, _territory if zones_on else None, lang=lang)
