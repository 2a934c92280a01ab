"""The chart of places held per faction over time (Altair), with the chosen day marked. Pure."""

from __future__ import annotations

import copy
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


def control_chart(dataset: Dataset, timeline: Timeline, height: int = 220) -> alt.Chart:
    """Stacked areas of places held per faction, day by day (the base layer; see `with_day`)."""
    domain = [f.short for f in dataset.factions.values()]
    colours = [safe_colour(f.colour) for f in dataset.factions.values()]
    data = alt.Data(values=series_rows(dataset, timeline))
    # ISO days are read as UTC midnight: keep them in UTC so no time zone shifts a day
    x = alt.X("utcyearmonthdate(day):T", title=None, axis=alt.Axis(format="%-d %b", labelOverlap=True))
    return (
        alt.Chart(data)
        .mark_area(interpolate="step-after", opacity=0.85, line={"strokeWidth": 0.6, "color": "#FFFFFF"})
        .encode(
            x=x,
            y=alt.Y("places:Q", stack="zero", title="places held"),
            color=alt.Color("faction:N", scale=alt.Scale(domain=domain, range=colours),
                            legend=alt.Legend(orient="bottom", title=None)),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("utcyearmonthdate(day):T", title="day", format="%-d %b %Y"),
                     alt.Tooltip("faction:N"), alt.Tooltip("places:Q")],
        )
        .properties(height=height)
    )


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


def spec_for_day(spec: dict, day: date) -> dict:
    """A deep copy of `spec` with the rule on `day` (Streamlit may change the dict it is given)."""
    spec = copy.deepcopy(spec)
    spec["layer"][-1]["data"] = {"values": [{"day": day.isoformat()}]}
    return spec
