"""Flat rows of the state on a day: what the CLI prints and the exports write."""

from __future__ import annotations

from datetime import date

from geo.base.model import Dataset
from geo.timeline.control import Timeline

STATE_COLUMNS = (
    "place_id",
    "name",
    "kind",
    "governorate",
    "lat",
    "lon",
    "geonames_id",
    "controller",
    "controller_label",
    "mode",
    "contested_with",
    "secondary",
    "status",
    "basis",
    "since",
    "changed_today",
)


def state_rows(dataset: Dataset, timeline: Timeline, day: date) -> list[dict]:
    """One row per place (gazetteer order) with its control at the end of `day`."""
    state = timeline.state_on(day)
    changed = timeline.changed_on(day) if day <= timeline.last_day else frozenset()
    factions = dataset.factions_on(day)
    rows = []
    for place in dataset.places.values():
        s = state[place.id]
        rows.append(
            {
                "place_id": place.id,
                "name": place.name,
                "kind": place.kind,
                "governorate": place.governorate,
                "lat": round(place.lat, 5),
                "lon": round(place.lon, 5),
                "geonames_id": place.geonames_id,
                "controller": s.controller,
                "controller_label": factions[s.controller].label if s.controller in factions else s.controller,
                "mode": s.control.mode,
                "contested_with": ";".join(s.control.contested_with),
                "secondary": s.control.secondary or "",
                "status": s.status,
                "basis": s.basis,
                "since": s.since.isoformat(),
                "changed_today": place.id in changed,
            }
        )
    return rows
