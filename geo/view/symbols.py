"""What each kind of place looks like: one table for the web map (geo/map/render.py) and the picture (geo/export/picture.py).

Kept apart from geo/map/render.py so that the picture (matplotlib) does not have to import folium.
"""

from __future__ import annotations

# kind -> (shape, radius in px on the web map, legend label). Cities are big circles, towns small
# ones, villages smaller still; every other kind has a shape of its own.
KIND_SYMBOLS: dict[str, tuple[str, float, str]] = {
    "city": ("circle", 8.5, "City"),
    "town": ("circle", 5.5, "Town"),
    "village": ("circle", 4.0, "Village"),
    "border_crossing": ("diamond", 8.0, "Border crossing"),
    "military_base": ("triangle", 8.5, "Military base"),
    "airport": ("triangle_down", 8.5, "Airport / air base"),
    "dam": ("hexagon", 7.5, "Dam"),
    "area": ("square", 7.0, "Area"),
    "military_post": ("plus", 6.0, "Military post / position"),
    "bridge": ("thin_diamond", 7.0, "Bridge"),
    "oil_gas_field": ("pentagon", 7.0, "Oil or gas field"),
    "camp": ("octagon", 7.0, "Camp (displaced people, detainees' families)"),
    "prison": ("cross", 6.5, "Prison"),
}
DEFAULT_SYMBOL = ("circle", 6.0, "Place")
SHAPES = frozenset(shape for shape, _, _ in KIND_SYMBOLS.values())
