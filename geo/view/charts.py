"""The charts over time (Altair): places held and zone area per faction, with the chosen day marked. Pure.

The chart is sent with every slider move, so its data is compact: one row per day with a column
per faction (folded back into rows by Vega-Lite, labels and colours joined from a small table),
and a timeline longer than MAX_CHART_DAYS is drawn from every n-th day (and the last): a chart a
few hundred pixels wide cannot show more, and five years of daily rows would be ~1 MB per move."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from geo.base.model import Dataset, Faction
from geo.timeline.control import Timeline
from geo.view.escape import safe_colour
from geo.view.words import DEFAULT_LANG, MONTHS_AR, WEEKDAYS_AR, words

if TYPE_CHECKING:  # altair takes a second to import: only when a chart is built (after the map on a first page)
    import altair as alt


def series_name(faction: Faction) -> str:
    """A faction's name for a chart over the whole period: 'HTS-led → Government' when it was renamed."""
    shorts = list(dict.fromkeys(short for _, _, short in faction.names()))
    return " → ".join(shorts) if len(shorts) < 3 else f"{shorts[0]} → {shorts[-1]}"


def series_rows(dataset: Dataset, timeline: Timeline) -> list[dict]:
    """One row per day and faction: {"day": "2024-12-06", "faction": "HTS", "places": 12, "order": 0}."""
    order = {fid: i for i, fid in enumerate(dataset.factions)}
    return [
        {"day": day.isoformat(), "faction": series_name(dataset.factions[fid]), "places": n, "order": order[fid]}
        for day, fid, n in timeline.counts_series()
        if fid in dataset.factions
    ]


def area_rows(dataset: Dataset, series: Iterable[Mapping]) -> list[dict]:
    """TerritoryModel.series() for the chart: {"day": "2024-12-06", "faction": "HTS", "km2": 12345, "order": 1}."""
    order = {fid: i for i, fid in enumerate(dataset.factions)}
    return [
        {
            "day": row["day"].isoformat(),
            "faction": series_name(dataset.factions[row["faction"]]),
            "km2": round(row["area_km2"]),
            "order": order[row["faction"]],
        }
        for row in series
        if row["faction"] in dataset.factions
    ]


MAX_CHART_DAYS = 150  # the chart is sent again on every settle (its day marker moves): an overview, a point every few days


def thin_days(days: list[str]) -> set[str]:
    """The days a chart draws: all of them up to MAX_CHART_DAYS, else every n-th and the last."""
    step = -(-len(days) // MAX_CHART_DAYS)
    return set(days[::step]) | set(days[-1:])


def _wide(dataset: Dataset, rows: list[dict], field: str) -> tuple[list[dict], list[str], list[dict]]:
    """Long rows (day, faction short label, value) as one row per (thinned) day with a column per faction."""
    key = {series_name(f): f"f{i}" for i, f in enumerate(dataset.factions.values())}
    days = list(dict.fromkeys(row["day"] for row in rows))
    keep = thin_days(days)
    wide: dict[str, dict] = {day: {"day": day} for day in days if day in keep}
    for row in rows:
        if row["day"] in wide and row["faction"] in key:
            wide[row["day"]][key[row["faction"]]] = row[field]
    names = [{"key": k, "faction": short, "order": i} for i, (short, k) in enumerate(key.items())]
    return list(wide.values()), list(key.values()), names


def _stacked(dataset: Dataset, rows: list[dict], field: str, title: str, height: int, value_format: str = "") -> alt.Chart:
    import altair as alt

    domain = [series_name(f) for f in dataset.factions.values()]
    colours = [safe_colour(f.colour) for f in dataset.factions.values()]
    values, keys, names = _wide(dataset, rows, field)
    # ISO days are read as UTC midnight: keep them in UTC so no time zone shifts a day
    x = alt.X("utcyearmonthdate(day):T", title=None, axis=alt.Axis(format="%-d %b", labelOverlap=True))
    return (
        alt.Chart(alt.Data(values=values))
        .transform_fold(keys, as_=["key", field])  # type: ignore[arg-type]  # altair wants list[str | FieldName]: list is invariant
        .transform_lookup(lookup="key", from_=alt.LookupData(alt.Data(values=names), "key", ["faction", "order"]))
        .mark_area(interpolate="step-after", opacity=0.85, line={"strokeWidth": 0.6, "color": "#FFFFFF"})
        .encode(
            x=x,
            y=alt.Y(f"{field}:Q", stack="zero", title=title, axis=alt.Axis(format=value_format) if value_format else alt.Undefined),
            color=alt.Color("faction:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(orient="bottom", title=None)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("utcyearmonthdate(day):T", title="day", format="%-d %b %Y"),
                alt.Tooltip("faction:N"),
                alt.Tooltip(f"{field}:Q", title=title, format=value_format or alt.Undefined),
            ],
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
    import altair as alt

    rule = (
        alt.Chart(alt.Data(values=[{"day": day.isoformat()}]))
        .mark_rule(color="#111111", strokeWidth=2, strokeDash=[4, 2])
        .encode(x=alt.X("utcyearmonthdate(day):T"))
    )
    return alt.layer(chart, rule).configure_view(strokeWidth=0)


VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # what altair 6.3 writes


def _spec(
    dataset: Dataset,
    rows: list[dict],
    field: str,
    title: str,
    day: date,
    height: int = 220,
    value_format: str = "",
    lang: str = DEFAULT_LANG,
) -> dict:
    """The dict `with_day(_stacked(...), day).to_dict()` gives, built without altair.

    Altair takes ~0.4 s to import, on the dashboard's first run, while the first map is being sent
    and painted; tests/test_present.py checks that both give the same spec."""
    values, keys, names = _wide(dataset, rows, field)
    day_x = {"field": "day", "timeUnit": "utcyearmonthdate", "type": "temporal"}
    number = {"format": value_format} if value_format else {}
    area = {
        "data": {"values": values},
        "mark": {"type": "area", "interpolate": "step-after", "line": {"strokeWidth": 0.6, "color": "#FFFFFF"}, "opacity": 0.85},
        "encoding": {
            "color": {
                "field": "faction",
                "legend": {"orient": "bottom", "title": None},
                "type": "nominal",
                "scale": {
                    "domain": [series_name(f) for f in dataset.factions.values()],
                    "range": [safe_colour(f.colour) for f in dataset.factions.values()],
                },
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {**day_x, "format": "%-d %b %Y", "title": words(lang)["col_day"]},
                {"field": "faction", "type": "nominal", **({"title": words(lang)["col_holder"]} if lang != DEFAULT_LANG else {})},
                {"field": field, "title": title, "type": "quantitative", **number},
            ],
            "x": {**day_x, "axis": {"format": "%-d %b", "labelOverlap": True}, "title": None},
            "y": {"field": field, "stack": "zero", "title": title, "type": "quantitative", **({"axis": number} if number else {})},
        },
        "transform": [
            {"fold": keys, "as": ["key", field]},
            {"lookup": "key", "from": {"data": {"values": names}, "key": "key", "fields": ["faction", "order"]}},
        ],
    }
    rule = {
        "data": {"values": [{"day": day.isoformat()}]},
        "mark": {"type": "rule", "color": "#111111", "strokeDash": [4, 2], "strokeWidth": 2},
        "encoding": {"x": day_x},
    }
    config: dict = {"view": {"continuousWidth": 300, "continuousHeight": 300, "strokeWidth": 0}}
    if lang != DEFAULT_LANG:  # Vega's own words for screen readers are English: the chart says what it is instead
        config["aria"] = False
    if lang == "ar":  # Arabic month names on the axis and in the tooltips
        config["locale"] = {
            "time": {
                "dateTime": "%x %X",
                "date": "%d/%m/%Y",
                "time": "%H:%M:%S",
                "periods": ["ص", "م"],
                "days": list(WEEKDAYS_AR[6:] + WEEKDAYS_AR[:6]),
                "shortDays": list(WEEKDAYS_AR[6:] + WEEKDAYS_AR[:6]),
                "months": list(MONTHS_AR),
                "shortMonths": list(MONTHS_AR),
            }
        }
    spec: dict[str, Any] = {"config": config, "layer": [area, rule], "height": height, "$schema": VEGA_LITE_SCHEMA}
    if lang != DEFAULT_LANG:
        spec["description"] = words(lang)["chart_description"].format(what=title)
        for layer in spec["layer"]:  # its marks out of the accessibility tree too (Vega would label them in English)
            layer["mark"] = {**layer["mark"], "aria": False}
            if "line" in layer["mark"]:  # the areas' edges are marks of their own
                layer["mark"]["line"] = {**layer["mark"]["line"], "aria": False}
    return spec


def chart_spec(dataset: Dataset, timeline: Timeline, lang: str = DEFAULT_LANG) -> dict:
    """The Vega-Lite spec of `with_day(control_chart(...))`, once per dataset (without importing altair).

    A slider move only swaps the rule's day in a copy of this dict (`spec_for_day`).
    """
    return _spec(dataset, series_rows(dataset, timeline), "places", words(lang)["chart_places_title"], timeline.last_day, lang=lang)


def area_chart_spec(dataset: Dataset, series: Iterable[Mapping], last_day: date, lang: str = DEFAULT_LANG) -> dict:
    """Like chart_spec, for the zone areas (`with_day(area_chart(...))`): built once per dataset, moved by `spec_for_day`."""
    return _spec(dataset, area_rows(dataset, series), "km2", words(lang)["chart_area_title"], last_day, value_format=",.0f", lang=lang)


def spec_for_day(spec: dict, day: date) -> dict:
    """`spec` with the rule on `day`: new top-level and layer dicts, the (large) data shared with the cached
    spec. Streamlit copies the top level of the dict it is given and changes only that level."""
    layers = [dict(layer) for layer in spec["layer"]]
    layers[-1]["data"] = {"values": [{"day": day.isoformat()}]}
    return {**spec, "layer": layers}
