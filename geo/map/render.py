"""The map's fixed parts, shared by its page (geo/map/page.py) and its data (geo/map/payload.py): each place's marker
style, the view around the places, the panes of the zones and front lines, and the folium elements the page is built
with. Pure functions, no streamlit.

(The round-trip map that sent a day's layers on every rerun is the benchmark's baseline now: tests/support/roundtrip/.)
"""

from __future__ import annotations

import json

from branca.element import MacroElement
from folium.template import Template

from geo.base.model import Dataset, Faction, Place, PlaceState
from geo.view.look import MarkerStyle, faction_colour
from geo.view.symbols import DEFAULT_SYMBOL, KIND_SYMBOLS

# Panes for the zones and front lines, bottom to top: tiles 200 < Syria's outline < zones <
# overlays 400 (places' area polygons) < front lines < markers 600 < tooltips 650.
OUTLINE_PANE, ZONES_PANE, FRONTS_PANE = "syria-outline", "syria-zones", "syria-fronts"
PANES = ((OUTLINE_PANE, 340), (ZONES_PANE, 350), (FRONTS_PANE, 450))
OUTLINE_OPTIONS_JS = (
    '{pane: "' + OUTLINE_PANE + '", interactive: false, style: {color: "#555555", weight: 1.5, fillColor: "#FFFFFF", fillOpacity: 0.35}}'
)
SYRIA_CENTRE = (35.0, 38.5)
SYRIA_BOUNDS = ((32.3, 35.7), (37.3, 42.4))


def marker_style(
    place: Place, state: PlaceState, factions: dict[str, Faction], changed: bool = False, selected: bool = False
) -> MarkerStyle:
    shape, radius, _ = KIND_SYMBOLS.get(place.kind, DEFAULT_SYMBOL)
    control = state.control
    outline = state.status if state.status in ("claimed", "disputed") else "solid"
    return MarkerStyle(
        shape=shape,
        radius=radius,
        fill=faction_colour(factions, control.controller),
        fill2=faction_colour(factions, control.secondary) if control.secondary else None,
        ring=faction_colour(factions, control.contested_with[0]) if control.contested_with else None,
        outline=outline,
        halo=changed,
        selected=selected,
        inferred=state.basis == "inferred",
    )


def to_js_json(value: object) -> str:
    """JSON that is also a safe JavaScript expression, even inside an HTML <script> element."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for bad, good in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(bad, good)
    return text


class InlineGeoJson(MacroElement):
    """An `L.geoJson` layer from pre-serialised JSON and fixed options (Syria's outline on the map page).

    branca's render() reads the finished script again as a Jinja template: harmless for GeoJSON of numbers
    (JSON has no "{{" or "{%" outside its strings), and it is what puts the layer into the page."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {{ this.options_js }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str, options_js: str, name: str = "InlineGeoJson"):
        super().__init__()
        self._name = name
        self.data_json = data_json
        self.options_js = options_js


# --- the base map --------------------------------------------------------------
class FitBoundsNow(MacroElement):
    """`map.fitBounds(bounds, {animate: false})`: folium's FitBounds animates the zoom, and the end of
    that animation would undo a `center` that st_folium sets meanwhile (a place picked or linked)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds_json }}, {animate: false});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[tuple[float, float], tuple[float, float]]):
        super().__init__()
        self._name = "FitBoundsNow"
        self.bounds_json = to_js_json([[float(bounds[0][0]), float(bounds[0][1])], [float(bounds[1][0]), float(bounds[1][1])]])


def place_bounds(dataset: Dataset) -> tuple[tuple[float, float], tuple[float, float]]:
    """[[south, west], [north, east]] around every place, with a margin; Syria's box when there are none."""
    if not dataset.places:
        return SYRIA_BOUNDS
    lats = [p.lat for p in dataset.places.values()]
    lons = [p.lon for p in dataset.places.values()]
    margin = 0.3
    return (
        (round(min(lats) - margin, 3), round(min(lons) - margin, 3)),
        (round(max(lats) + margin, 3), round(max(lons) + margin, 3)),
    )
