"""The dashboard's panels, each drawn into the container it is given (None: where the page is being drawn): the words
and HTML come from geo.view (present.py, day_table.py, charts.py); here only which Streamlit elements show them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import streamlit as st

from dashboard import caches
from dashboard.store import Version
from dashboard.web_files import DASHBOARD_CSS, RTL_CSS
from geo.base.model import Dataset
from geo.export import files as export
from geo.timeline.control import Timeline
from geo.view import day_table, present
from geo.view.charts import spec_for_day
from geo.view.escape import esc
from geo.view.look import day_label
from geo.view.words import words

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator  # what st.container() and st.columns() return

    from geo.territory.model import TerritoryModel


def into(box: DeltaGenerator | None) -> DeltaGenerator | nullcontext:
    """The container to draw into: `box`, or where the page is being drawn when None."""
    return box if box is not None else nullcontext()


def style(box: DeltaGenerator | None, lang: str) -> None:
    with into(box):
        st.html(f"<style>{DASHBOARD_CSS.read_text(encoding='utf-8')}</style>")
        if lang == "ar":  # Streamlit has no page direction: the page's blocks right to left
            st.html(f"<style>{RTL_CSS.read_text(encoding='utf-8')}</style>")


def title_bar(box: DeltaGenerator | None, lang: str, on_switch: Callable[[], None]) -> None:
    with into(box):
        w = words(lang)
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"### {w['title']}", width="stretch")  # compact: the map gets most of the first screen
            st.button(w["other_language"], on_click=on_switch, help=w["other_language_help"], key="language", icon=":material/translate:")


def data_problems(box: DeltaGenerator | None, version: Version, kept: Version | None, lang: str) -> None:
    """The validator's messages about a broken version of the data, and whether the last good one is shown instead."""
    with into(box):
        w = words(lang)
        st.error(w["data_failed"].format(n=version.problem_count) + (w["data_kept"] if kept else w["data_back"]) + w["data_lines"])
        more = version.problem_count - len(version.problem_lines)
        st.code("\n".join(version.problem_lines + ([w["more_problems"].format(n=more)] if more else [])), language=None, wrap_lines=True)


def data_title(box: DeltaGenerator | None, named_ds: Dataset, ds: Dataset, tl: Timeline, lang: str) -> None:
    with into(box):
        st.markdown(f'<div class="muted syria-data-title">{esc(named_ds.title)}</div>', unsafe_allow_html=True)
        st.caption(present.as_of_caption(ds, tl, lang))


def notices(box: DeltaGenerator | None, shown: tuple[str, ...] | list[str]) -> None:
    with into(box):
        for notice in shown:
            st.warning(notice, icon="⚠️")


def toggles(box: DeltaGenerator | None, lang: str) -> None:
    with into(box):
        w = words(lang)
        with st.container(horizontal=True, gap="medium"):  # under the map, so the map does not move down the page
            st.checkbox(w["zones_toggle"], key="zones", help=w["zones_help"])
            st.checkbox(w["fronts_toggle"], key="fronts", help=w["fronts_help"])


def chart(box: DeltaGenerator | None, version: Version, day: date, lang: str) -> None:
    """The chart of places held or of the zones' area, the day marked."""
    with into(box):
        w = words(lang)
        what = (
            st.segmented_control(
                w["chart"],
                ["places", "area"],
                default="places",
                format_func=lambda k: w[f"chart_{k}"],
                key="chart",
                label_visibility="collapsed",
            )
            or "places"
        )
        if what == "area":
            st.vega_lite_chart(spec_for_day(caches.chart(version, "area", lang, w["zones_working"]), day), width="stretch")
        else:
            st.vega_lite_chart(spec_for_day(caches.chart(version, "places", lang, w["zones_working"]), day), width="stretch")


def place_search(box: DeltaGenerator | None, options: list[str], labels: dict[str, str], on_pick: Callable[[], None], lang: str) -> None:
    with into(box):
        w = words(lang)
        st.selectbox(
            w["find_place"],
            options,
            index=None,
            key="place",
            on_change=on_pick,
            format_func=labels.__getitem__,
            placeholder=w["find_placeholder"],
        )


def history(box: DeltaGenerator | None, named_ds: Dataset, named_tl: Timeline, place: str, day: date, lang: str) -> None:
    with into(box):
        st.markdown(f"##### {words(lang)['history']}")
        st.markdown(
            present.history_html(named_ds.places[place], present.history_rows(named_ds, named_tl, place, lang), day, lang),
            unsafe_allow_html=True,
        )


def table(box: DeltaGenerator | None, named_ds: Dataset, named_tl: Timeline, day: date, lang: str) -> None:
    """The day's state as a table (geo/view/day_table.py): sortable by its headers, filtered by the words typed."""
    with into(box):
        w = words(lang)
        rows = day_table.day_rows(named_ds, named_tl, day, lang)
        query = st.text_input(w["table_filter"], key="table_filter")
        kept = day_table.filter_rows(rows, query)
        st.caption(w["table_caption"].format(day=day_label(day, lang)) + " " + w["table_rows"].format(n=len(kept), total=len(rows)))
        headers = day_table.headers(lang)
        st.dataframe([{headers[c]: r[c] for c in day_table.COLUMNS} for r in kept], hide_index=True, width="stretch", height=320)


def method(box: DeltaGenerator | None, baseline: str, attribution: str, lang: str) -> None:
    """How the data is made, its baseline and its sources' attribution."""
    with into(box):
        with st.expander(words(lang)["data_method"]):
            st.markdown(present.method_md(lang))
            st.markdown(baseline, unsafe_allow_html=True)
        st.markdown(attribution, unsafe_allow_html=True)


def legend(box: DeltaGenerator | None, named_ds: Dataset, named_tl: Timeline, model: TerritoryModel, day: date, lang: str) -> None:
    """The day, who holds how many places and how much land."""
    with into(box):
        st.subheader(f"{day_label(day, lang)}", anchor=False)
        if model.tessellation.unused_areas:
            st.warning(present.unused_areas_notice(model.tessellation.unused_areas), icon="⚠️")
        st.markdown(
            present.legend_html(
                present.legend_rows(named_ds, named_tl, day, model.stats_on(day)),
                len(named_ds.places),
                model.tessellation.nodata_km2,
                model.reach_km,
                lang,
            ),
            unsafe_allow_html=True,
        )


def comparison(
    box: DeltaGenerator | None, named_ds: Dataset, named_tl: Timeline, model: TerritoryModel, compare: date, day: date, lang: str
) -> None:
    with into(box):
        groups = present.compare_groups(named_ds, named_tl, compare, day, model.stats_on(compare), model.stats_on(day))
        st.markdown(present.compare_html(groups, compare, day, lang), unsafe_allow_html=True)


def symbols(box: DeltaGenerator | None, ds: Dataset, zones: bool, fronts: bool, lang: str) -> None:
    with into(box):
        st.markdown(present.symbols_html(present.symbol_rows(ds, zones, fronts, lang)), unsafe_allow_html=True)


def what_changed(box: DeltaGenerator | None, named_ds: Dataset, named_tl: Timeline, day: date, lang: str) -> None:
    with into(box):
        st.markdown(f"##### {words(lang)['what_changed']}")
        st.markdown(present.changes_html(present.change_items(named_ds, named_tl, day, lang), day, lang), unsafe_allow_html=True)


def downloads(
    box: DeltaGenerator | None, version: Version, named: tuple[Dataset, Timeline], model: TerritoryModel, day: date, zones: bool, lang: str
) -> None:
    """A button per file of the day (or of every day); each file is made when its button is clicked."""
    with into(box):
        w = words(lang)
        st.markdown(f"##### {w['download']}")
        with st.container(horizontal=True, gap="small"):
            for item in export.DOWNLOADS.values():
                file_day = None if item.every_day else day  # the whole-timeline file: one cache entry, not one per day
                # the interactive map and the picture speak the reader's language; the data files keep the data's names
                data, data_tl = named if item.kind in ("html", "png") else (version.dataset, version.timeline)
                st.download_button(
                    w[f"dl_{item.kind}"],
                    partial(caches.download, version.digest, item.kind, file_day, zones, lang, data, data_tl, model),
                    item.file_name(day),
                    item.mime,
                    on_click="ignore",
                    icon=":material/download:",
                    key=f"download_{item.kind}",
                )
        st.caption(w["download_caption"].format(day=day_label(day, lang), zones=w["zones_included"] if zones else ""))
