"""One day's zones and front lines: plain records, shared by the model that builds them and the figures read from them."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True, eq=False)
class Zone:
    """Ground held by one controller (and contested by the same factions, if any), dissolved."""

    controller: str
    contested_with: tuple[str, ...]
    places: tuple[str, ...]
    geometry: BaseGeometry  # metres
    area_km2: float

    @property
    def mode(self) -> str:
        return "contested" if self.contested_with else "held"


@dataclass(frozen=True, eq=False)
class FrontLine:
    factions: tuple[str, str]  # the two controllers, sorted
    geometry: BaseGeometry  # metres
    length_km: float


@dataclass(frozen=True, eq=False)
class DayZones:
    zones: tuple[Zone, ...]
    front_lines: tuple[FrontLine, ...]
