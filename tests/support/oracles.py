"""Slow, obvious versions of what the package computes fast, for the tests to compare against."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from geo.base.model import Dataset, PlaceState
from geo.territory.day_zones import DayZones
from geo.territory.stats import area_by_controller, contested_area_by_controller, population_by_controller


def territory_rows(dataset: Dataset, day: date, state: Mapping[str, PlaceState], day_zones: DayZones) -> list[dict[str, Any]]:
    """One row per faction for one day: day, faction, area_km2, contested_km2, population."""
    areas, contested = area_by_controller(day_zones), contested_area_by_controller(day_zones)
    population = population_by_controller(dataset, state)
    factions = list(dataset.factions) + sorted(set(areas) - set(dataset.factions))
    return [
        {
            "day": day,
            "faction": faction,
            "area_km2": round(areas.get(faction, 0.0), 1),
            "contested_km2": round(contested.get(faction, 0.0), 1),
            "population": population.get(faction, 0),
        }
        for faction in factions
    ]
