"""Per-day statistics of the approximate zones: area and listed population per controller.

Plain functions over plain data (no geometry beyond the zones' precomputed areas), for the
legend and the chart over time. Areas are those of zones inferred from held places, so
they are estimates, not surveyed territory; population is that of the listed places only.
"""

from __future__ import annotations

from collections.abc import Mapping

from geo.base.model import Dataset, PlaceState
from geo.territory.day_zones import DayZones


def area_by_controller(day_zones: DayZones) -> dict[str, float]:
    """km² of zone per controller (contested zones count for the controller), computed in an equal-area projection."""
    areas: dict[str, float] = {}
    for zone in day_zones.zones:
        areas[zone.controller] = areas.get(zone.controller, 0.0) + zone.area_km2
    return areas


def contested_area_by_controller(day_zones: DayZones) -> dict[str, float]:
    """The part of each controller's km² that is contested (already included in area_by_controller)."""
    areas: dict[str, float] = {}
    for zone in day_zones.zones:
        if zone.contested_with:
            areas[zone.controller] = areas.get(zone.controller, 0.0) + zone.area_km2
    return areas


def population_by_controller(dataset: Dataset, state: Mapping[str, PlaceState]) -> dict[str, int]:
    """Sum of the listed places' populations (GeoNames) per controller, every faction included.

    This is the population of the towns in the gazetteer, not of the zones: villages that
    are not listed count for nobody, and places without a population count as 0.
    Contested and split places count for their (primary) controller.
    """
    totals = dict.fromkeys(dataset.factions, 0)
    for pid, place_state in state.items():
        place = dataset.places.get(pid)
        if place is not None and place.population:
            totals[place_state.controller] = totals.get(place_state.controller, 0) + place.population
    return totals
