"""The approximate zones and front lines on the map: their look and their per-day layers. Pure.

geo/territory.py computes the zones (cells around the places, merged by holder) and their
GeoJSON once per dataset; this module turns one day's GeoJSON text into Leaflet layers
for `st_folium(feature_group_to_add=...)`, the same per-day mechanism as the places, so a
slider move never rebuilds the base map. Each feature keeps only its geometry and a style
built here from re-validated colours: no string from the data files reaches the page.

Zones are drawn in their own pane beneath the places, filled with the holder's colour at
a low opacity; a contested zone is striped in the holder's and the (first) contester's
colours by an SVG pattern; front lines are dark dashed lines above the zones. The base
map creates the panes once (geo/render.py). Zones and lines are not interactive, so
clicks and hovers go to the places.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import folium
from branca.element import MacroElement
from folium.template import Template

from geo.escape import safe_colour
from geo.model import Faction
from geo.render import FRONTS_PANE, ZONES_PANE, InlineGeoJson, faction_colour, to_js_json
from geo.territory import DEFAULT_TOLERANCE_M, TerritoryModel, tolerance_for_zoom

ZONE_OPACITY = 0.3
CONTESTED_OPACITY = 0.5
ZONE_EDGE_OPACITY = 0.6
FRONT_STYLE = {"color": "#222222", "weight": 2, "opacity": 0.9, "dashArray": "7 4", "lineCap": "butt"}
HATCH_SIZE, HATCH_STRIPE = 8, 3  # px: one holder stripe and one contester stripe per 8 px, at 45°
# Simplification by zoom: (from zoom, tolerance). About one screen pixel at the lower zoom of
# each band (tolerance_for_zoom), a few pixels at most further in; three bands, precomputed.
ZOOM_BANDS = ((10.0, tolerance_for_zoom(10)), (8.0, tolerance_for_zoom(9)))
TOLERANCES = (DEFAULT_TOLERANCE_M, *(t for _, t in ZOOM_BANDS))


def zone_tolerance(zoom: object) -> float:
    """Metres of simplification for the map's zoom (None or junk: the default, for the whole country)."""
    if isinstance(zoom, bool) or not isinstance(zoom, int | float) or not math.isfinite(zoom):
        return DEFAULT_TOLERANCE_M
    return next((tolerance for start, tolerance in ZOOM_BANDS if zoom >= start), DEFAULT_TOLERANCE_M)


# --- the look -------------------------------------------------------------------------------


def hatch_id(colour: str, other: str) -> str:
    """The SVG pattern id of stripes in two colours: 'syria-hatch-D55E00-009E73' (hex digits only)."""
    return f"syria-hatch-{safe_colour(colour)[1:]}-{safe_colour(other)[1:]}"


def hatch_pattern(colour: str, other: str) -> str:
    """<pattern> of diagonal stripes: the holder's colour with narrower stripes in the contester's."""
    a, b = safe_colour(colour), safe_colour(other)
    return (
        f'<pattern id="{hatch_id(a, b)}" patternUnits="userSpaceOnUse" width="{HATCH_SIZE}" height="{HATCH_SIZE}" '
        f'patternTransform="rotate(45)"><rect width="{HATCH_SIZE}" height="{HATCH_SIZE}" fill="{a}"/>'
        f'<rect width="{HATCH_STRIPE}" height="{HATCH_SIZE}" fill="{b}"/></pattern>'
    )


def zone_style(colour: str, contested_by: str | None = None) -> dict:
    """Leaflet path options of a zone: the holder's colour, light; striped and dash-edged when contested."""
    colour = safe_colour(colour)
    if contested_by is None:
        return {"stroke": True, "color": colour, "weight": 1, "opacity": ZONE_EDGE_OPACITY,
                "fillColor": colour, "fillOpacity": ZONE_OPACITY}
    return {"stroke": True, "color": colour, "weight": 1.5, "opacity": ZONE_EDGE_OPACITY, "dashArray": "4 3",
            "fillColor": f"url(#{hatch_id(colour, contested_by)})", "fillOpacity": CONTESTED_OPACITY}


def zone_swatch_svg(colour: str, contested_by: str | None = None, size: int = 22) -> str:
    """The legend's sample of a zone: the same fill, opacity and edge as on the map."""
    style = zone_style(colour, contested_by)
    defs = f"<defs>{hatch_pattern(colour, contested_by)}</defs>" if contested_by is not None else ""
    dash = f' stroke-dasharray="{style["dashArray"]}"' if "dashArray" in style else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">{defs}'
        f'<rect x="1" y="1" width="{size - 2}" height="{size - 2}" fill="{style["fillColor"]}" '
        f'fill-opacity="{style["fillOpacity"]}" stroke="{style["color"]}" stroke-opacity="{style["opacity"]}" '
        f'stroke-width="{style["weight"]}"{dash}/></svg>'
    )


def front_swatch_svg(width: int = 28, height: int = 14) -> str:
    """The legend's sample of a front line."""
    s = FRONT_STYLE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<line x1="1" y1="{height / 2:g}" x2="{width - 1}" y2="{height / 2:g}" stroke="{s["color"]}" '
        f'stroke-width="{s["weight"]}" stroke-opacity="{s["opacity"]}" stroke-dasharray="{s["dashArray"]}"/></svg>'
    )


# --- one day's layers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZoneLayerData:
    """One day's zones and front lines, ready for the page: JSON text and the stripe patterns used."""

    zones_json: str
    fronts_json: str
    patterns: tuple[tuple[str, str], ...]  # (pattern id, <pattern> markup)
    zones: int
    fronts: int


def zone_layer_data(geojson_text: str, factions: Mapping[str, Faction]) -> ZoneLayerData:
    """From TerritoryModel.geojson_text_on(day): the zones with only a style each, the lines with no properties."""
    data = json.loads(geojson_text)
    zones, patterns = [], {}
    for feature in data["zones"]["features"]:
        props = feature.get("properties") or {}
        colour = faction_colour(dict(factions), props.get("controller"))
        rivals = props.get("contested_with") or []
        other = faction_colour(dict(factions), rivals[0]) if rivals else None
        if other is not None:
            patterns[hatch_id(colour, other)] = hatch_pattern(colour, other)
        zones.append({"type": "Feature", "properties": {"style": zone_style(colour, other)}, "geometry": feature["geometry"]})
    fronts = [{"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in data["front_lines"]["features"]]
    return ZoneLayerData(
        zones_json=to_js_json({"type": "FeatureCollection", "features": zones}),
        fronts_json=to_js_json({"type": "FeatureCollection", "features": fronts}),
        patterns=tuple(sorted(patterns.items())), zones=len(zones), fronts=len(fronts),
    )


class SvgPatterns(MacroElement):
    """Puts stripe patterns into the map's page once each (a hidden <svg>), for zones to fill with url(#id).

    The markup is built by `hatch_pattern` from checked colours only. Patterns stay when the
    layers are swapped; one already there is not added again."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(patterns) {
            var box = document.getElementById("syria-patterns");
            if (!box) {
                box = document.createElement("div");
                box.id = "syria-patterns";
                box.setAttribute("aria-hidden", "true");
                box.style.cssText = "position:absolute;width:0;height:0;overflow:hidden";
                document.body.appendChild(box);
            }
            patterns.forEach(function(p) {
                if (!document.getElementById(p[0])) {
                    box.insertAdjacentHTML("beforeend", '<svg width="0" height="0"><defs>' + p[1] + "</defs></svg>");
                }
            });
        })({{ this.patterns_json }});
        {% endmacro %}
        """
    )

    def __init__(self, patterns: tuple[tuple[str, str], ...]):
        super().__init__()
        self._name = "SvgPatterns"
        self.patterns_json = to_js_json([list(p) for p in patterns])

    def render(self, **kwargs) -> None:
        return None


ZONES_OPTIONS_JS = ('{pane: "' + ZONES_PANE + '", interactive: false, className: "syria-zone", '
                    "style: function(feature) { return feature.properties.style || {}; }}")
FRONTS_OPTIONS_JS = '{pane: "' + FRONTS_PANE + '", interactive: false, className: "syria-front", style: ' + to_js_json(FRONT_STYLE) + "}"


def zone_group(data: ZoneLayerData, zones: bool = True, fronts: bool = True) -> folium.FeatureGroup | None:
    """The FeatureGroup of the day's zones and/or front lines (None when both are off)."""
    if not (zones or fronts):
        return None
    group = folium.FeatureGroup(name="zones", control=False)
    if zones:
        SvgPatterns(data.patterns).add_to(group)
        InlineGeoJson(data.zones_json, ZONES_OPTIONS_JS, name="ZoneLayer").add_to(group)
    if fronts:
        InlineGeoJson(data.fronts_json, FRONTS_OPTIONS_JS, name="FrontLineLayer").add_to(group)
    return group


class ZoneLayers:
    """A TerritoryModel's days as ready-made ZoneLayerData, at each zoom band's tolerance, all built up front.

    Build one per dataset and keep it (the dashboard: st.cache_resource); `on(day, zoom)` is then
    two dictionary reads. Days with the same holders share one entry."""

    def __init__(self, model: TerritoryModel, tolerances: tuple[float, ...] = TOLERANCES):
        self.model = model
        factions = model.dataset.factions
        self._data: dict[str, ZoneLayerData] = {}
        for tolerance in tolerances:
            model.precompute(tolerance)
            for day in model.timeline.days:
                text = model.geojson_text_on(day, tolerance)
                if text not in self._data:
                    self._data[text] = zone_layer_data(text, factions)

    def on(self, day: date, zoom: object = None) -> ZoneLayerData:
        """The day's layers for the map's zoom (after the last day: the last day's)."""
        text = self.model.geojson_text_on(day, zone_tolerance(zoom))
        data = self._data.get(text)
        if data is None:  # a tolerance not built up front: build it now, once
            data = self._data[text] = zone_layer_data(text, self.model.dataset.factions)
        return data
