"""The charts over time (Altair): places held and zone area per faction, with the chosen day marked. Pure."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date

import altair as alt

from geo.escape import safe_colour
from geo.model import Dataset
from geo.timeline import Timeline


def series_rows(dataset: Dataset, timeline: Timeline) -> list[dict]:
    """One row per day and faction: {"day": "2024-12-06", "faction": "HTS", "places": 12, "order": 0}."""
    order = {fid: i for i, fid in enumerate(dataset.factions)}
    return [
        {"day": day.isoformat(), "faction": dataset.factions[fid].short, "places": n, "order": order[fid]}
        for day, fid, n in timeline.counts_series()
        if fid in dataset.factions
    ]


def area_rows(dataset: Dataset, series: Iterable[Mapping]) -> list[dict]:
    """TerritoryModel.series() for the chart: {"day": "2024-12-06", "faction": "HTS", "km2": 12345, "order": 1}."""
    order = {fid: i for i, fid in enumerate(dataset.factions)}
    return [
        {"day": row["day"].isoformat(), "faction": dataset.factions[row["faction"]].short, "km2": round(row["area_km2"]),
         "order": order[row["faction"]]}
        for row in series
        if row["faction"] in dataset.factions
    ]


def _stacked(dataset: Dataset, rows: list[dict], field: str, title: str, height: int, value_format: str = "") -> alt.Chart:
    domain = [f.short for f in dataset.factions.values()]
    colours = [safe_colour(f.colour) for f in dataset.factions.values()]
    # ISO days are read as UTC midnight: keep them in UTC so no time zone shifts a day
    x = alt.X("utcyearmonthdate(day):T", title=None, axis=alt.Axis(format="%-d %b", labelOverlap=True))
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_area(interpolate="step-after", opacity=0.85, line={"strokeWidth": 0.6, "color": "#FFFFFF"})
        .encode(
            x=x,
            y=alt.Y(f"{field}:Q", stack="zero", title=title, axis=alt.Axis(format=value_format) if value_format else alt.Undefined),
            color=alt.Color("faction:N", scale=alt.Scale(domain=domain, range=colours),
                            legend=alt.Legend(orient="bottom", title=None)),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("utcyearmonthdate(day):T", title="day", format="%-d %b %Y"),
                     alt.Tooltip("faction:N"), alt.Tooltip(f"{field}:Q", title=title, format=value_format or alt.Undefined)],
        )
        .properties(height=height)
    )


def control_chart(dataset: Dataset, timeline: Timeline, height: int = 220) -> alt.Chart:
    """Stacked areas of places held per faction, day by day (the base layer; see `with_day`)."""
    return _stacked(dataset, series_rows(dataset, timeline), "places", "places held", height)


def area_chart(dataset: Dataset, series: Iterable[Mapping], height: int = 220) -> alt.Chart:
    """Stacked areas of the approximate zones' km² per faction, day by day (from TerritoryModel.series())."""
    return _stacked(dataset, area_rows(dataset, series), "km2", "km² of approximate zones", height, ",.0f")


def with_day(chart: alt.Chart, day: date) -> alt.LayerChart:
    """The chart with a vertical rule on the chosen day."""
    rule = (
        alt.Chart(alt.Data(values=[{"day": day.isoformat()}]))
        .mark_rule(color="#111111", strokeWidth=2, strokeDash=[4, 2])
        .encode(x=alt.X("utcyearmonthdate(day):T"))
    )
    return alt.layer(chart, rule).configure_view(strokeWidth=0)


def chart_spec(dataset: Dataset, timeline: Timeline) -> dict:
    """The Vega-Lite spec of the chart with the day rule, built (and validated) by Altair once per dataset.

    Building and validating an Altair chart costs ~50 ms; a slider move only swaps the
    rule's day in a copy of this dict (`spec_for_day`).
    """
    return with_day(control_chart(dataset, timeline), timeline.last_day).to_dict()


def area_chart_spec(dataset: Dataset, series: Iterable[Mapping], last_day: date) -> dict:
    """Like chart_spec, for the zone areas: built once per dataset, moved by `spec_for_day`."""
    return with_day(area_chart(dataset, series), last_day).to_dict()


def spec_for_day(spec: dict, day: date) -> dict:
    """A deep copy of `spec` with the rule on `day` (Streamlit may change the dict it is given)."""
    spec = copy.deepcopy(spec)
    spec["layer"][-1]["data"] = {"values": [{"day": day.isoformat()}]}
    return spec
