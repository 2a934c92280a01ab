"""The round-trip dashboard's own controls (the benchmark's baseline, benchmarks/roundtrip_app.py): stepping and
playing through the days on the server, and reading what st_folium reports. The live dashboard moves the day in
the browser (geo/map/web/map_app.js) and reports it through its own component (dashboard/web/host.js)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from geo.base.model import Dataset
from geo.timeline.control import Timeline


def step_day(timeline: Timeline, day: date, action: str) -> date:
    """prev / next: one day; prev_event / next_event: the nearest day with events; first / last."""
    day = timeline.clamp(day)
    if action == "prev":
        return timeline.clamp(day - timedelta(days=1))
    if action == "next":
        return timeline.clamp(day + timedelta(days=1))
    if action == "next_event":
        return timeline.next_event_day(day) or timeline.last_day
    if action == "prev_event":
        return timeline.previous_event_day(day) or timeline.first_day
    if action == "first":
        return timeline.first_day
    if action == "last":
        return timeline.last_day
    raise ValueError(f"unknown step '{action}'")


def play_start(timeline: Timeline, day: date) -> date:
    """Where Play starts: from the day shown, or from the first day when it is already the last."""
    day = timeline.clamp(day)
    return timeline.first_day if day >= timeline.last_day else day


def play_tick(timeline: Timeline, day: date) -> tuple[date, bool]:
    """One step of Play: the next day, and whether to keep playing after it."""
    new_day = timeline.clamp(timeline.clamp(day) + timedelta(days=1))
    return new_day, new_day < timeline.last_day


def centre_of(dataset: Dataset, place_id: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a place to bring into view on the map, or None."""
    place = dataset.places.get(place_id) if place_id else None
    return (place.lat, place.lon) if place is not None else None


def clicked_place(value: object, place_ids: Mapping | set | frozenset) -> str | None:
    """The place id in what st_folium returned for a click (the clicked GeoJSON feature), if any."""
    if not isinstance(value, Mapping):
        return None
    feature = value.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    pid = props.get("place_id") if isinstance(props, Mapping) else None
    return pid if isinstance(pid, str) and pid in place_ids else None


def map_click(value: object, place_ids: Mapping | set | frozenset, seen_count: object) -> tuple[str | None, object]:
    """(the place clicked, the click count to remember). st_folium also reports zooms: only a click count
    other than `seen_count` (the one remembered from the last call) is a new click."""
    count = value.get("last_object_clicked_count") if isinstance(value, Mapping) else None
    return (None if count == seen_count else clicked_place(value, place_ids)), count


def map_zoom(value: object) -> float | None:
    """The map's zoom level in what st_folium returned, if any."""
    zoom = value.get("zoom") if isinstance(value, Mapping) else None
    return float(zoom) if isinstance(zoom, int | float) and not isinstance(zoom, bool) else None


def map_bounds(value: object) -> Mapping | None:
    """The map's view bounds in what st_folium returned ({"_southWest": {"lat", "lng"}, "_northEast": ...}), if any."""
    bounds = value.get("bounds") if isinstance(value, Mapping) else None
    return bounds if isinstance(bounds, Mapping) else None


def problems_lines(problems) -> list[str]:
    """The validator's problems as 'FILE:LINE: field: message' lines."""
    return [str(p) for p in problems]
