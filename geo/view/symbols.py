"""The symbol key, one definition for the web map (geo/map/render.py), its key (geo.view.present.symbol_rows: the
dashboard and the standalone page) and the picture (geo/export/picture.py): which kind of place gets which shape,
and which states the key explains, in its order.

Kept apart from geo/map/render.py so that the picture (matplotlib) does not have to import folium.
"""

from __future__ import annotations

from collections.abc import Iterable

from geo.view.words import kind_label

# kind -> (shape, radius in px on the web map, size in points on the picture). Cities are big circles, towns small
# ones, villages smaller still; every other kind has a shape of its own. The key lists the kinds in this order.
KIND_LOOKS: dict[str, tuple[str, float, float]] = {
    "city": ("circle", 8.5, 10.0),
    "town": ("circle", 5.5, 6.5),
    "village": ("circle", 4.0, 5.0),
    "border_crossing": ("diamond", 8.0, 7.0),
    "military_base": ("triangle", 8.5, 9.0),
    "airport": ("triangle_down", 8.5, 9.0),
    "dam": ("hexagon", 7.5, 8.5),
    "area": ("square", 7.0, 7.5),
    "military_post": ("plus", 6.0, 7.0),
    "bridge": ("thin_diamond", 7.0, 8.0),
    "oil_gas_field": ("pentagon", 7.0, 8.5),
    "camp": ("octagon", 7.0, 8.0),
    "prison": ("cross", 6.5, 7.5),
}
DEFAULT_LOOK = ("circle", 6.0, 6.5)
# kind -> (shape, radius in px, English label: geo.view.words' kind_*), as the web map reads it
KIND_SYMBOLS: dict[str, tuple[str, float, str]] = {kind: (shape, px, kind_label(kind)) for kind, (shape, px, _) in KIND_LOOKS.items()}
DEFAULT_SYMBOL = (DEFAULT_LOOK[0], DEFAULT_LOOK[1], kind_label("place"))
SHAPES = frozenset(shape for shape, _, _ in KIND_LOOKS.values())

# The states of a place the key explains, in its order (each one's words: sym_<state> on the web, png_sym_<state> on
# the picture). A picture has no selected place.
STATE_KEY = ("held", "contested", "split", "claimed", "disputed", "inferred", "changed", "selected")
PICTURE_STATE_KEY = tuple(state for state in STATE_KEY if state != "selected")


def key_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds of place the key lists: those among `kinds` (the data's) that have a symbol, in the key's order."""
    present = set(kinds)
    return [kind for kind in KIND_LOOKS if kind in present]
