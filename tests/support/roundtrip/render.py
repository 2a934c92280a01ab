"""The round-trip map (the baseline, benchmarks/roundtrip_app.py): one folium base map that never changes, and one
compact places layer per day, sent on every rerun through st_folium. Moved out of geo/map/render.py, which keeps what
the dashboard's map page still uses (the places' marker style, the bounds, the panes, the page's folium elements).

The base map (tiles, panes, Syria's outline, and the page's SyriaMap library that draws the day's layers) is the same
on every rerun, so the browser keeps it and the user's zoom and pan; the dashboard sent the day's places as one layer
inside a `FeatureGroup` (`st_folium(feature_group_to_add=...)`).

`layer_data` describes the day's places (GeoJSON points with id, holder, icon key, tooltip);
`places_wire` sends them compactly: a row per place with indices into one table of distinct
strings (tooltip texts, shown as text nodes, and the tags of the icons' SVG), so what repeats
(icons, "HTS since 6 Dec 2024") goes once per layer. The icons are built by geo/view/look.py from whitelisted
shapes, numbers and re-validated colours only. `SyriaMap.placesLayer` (MAP_LIBRARY_JS) turns the rows
into `L.marker`s with `L.divIcon`s; `places_features` reads them back in Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import shape

from geo.base.model import Dataset, Faction, Place, PlaceState
from geo.map.assets import asset_urls
from geo.map.render import (
    OUTLINE_OPTIONS_JS,
    PANES,
    SYRIA_CENTRE,
    FitBoundsNow,
    InlineGeoJson,
    marker_style,
    place_bounds,
)
from geo.territory.outline import OUTLINE_PATH, outline_geojson
from geo.timeline.control import Timeline
from geo.view.credits import tile_attribution_html
from geo.view.escape import esc
from geo.view.look import control_words, day_label, faction_colour, icon_svg
from tests.support.roundtrip.wire import UNPACK_JS, inert_json, pack


class StFoliumGeoJson(InlineGeoJson):
    """InlineGeoJson for st_folium, which takes the script from the `script` macro itself: render() adds nothing,
    and the data is never read again as a Jinja template (~15 ms per 100 kB, and "{{" in it would be an expression)."""

    def render(self, **kwargs) -> None:
        return None


TILES_URL = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png"
TILES_ATTRIBUTION = tile_attribution_html("carto")
OUTLINE_DECIMALS = 4


def apply_assets(m: folium.Map, vendor_dir: Path | None = None) -> folium.Map:
    """Make `m` load only Leaflet, from the app when vendored (instance attributes; folium's class lists stay)."""
    m.default_js, m.default_css = asset_urls(vendor_dir)
    return m


def basis_words(basis: str) -> str:
    """'' for a reported change, 'inferred' otherwise (shown beside the status)."""
    return "inferred" if basis == "inferred" else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = str.maketrans({"\r": " ", "\n": " ", "\t": " ", "\u2028": " ", "\u2029": " "})


def plain(value: object) -> str:
    """Text for a text node: one line, no control characters (as `esc` does, without the HTML escaping)."""
    return "" if value is None else _CONTROL.sub("", str(value)).translate(_SPACES)


def tooltip_parts(
    place: Place, state: PlaceState, factions: dict[str, Faction], changed: bool, notes: tuple[str, ...] = ()
) -> tuple[str, str, str, tuple[str, ...]]:
    """Hover text as plain (unescaped, one-line) parts: name, Arabic name, 'holder (status) since day', italic lines."""
    words = [w for w in ("" if state.status == "confirmed" else state.status, basis_words(state.basis)) if w]
    status = f" ({', '.join(words)})" if words else ""
    since = "" if state.event is None else f" since {day_label(state.since)}"
    extra = (("changed this day",) if changed else ()) + tuple(plain(n) for n in notes)
    return plain(place.name), plain(place.name_ar), plain(f"{control_words(state.control, factions)}{status}{since}"), extra


def tip_html(parts: tuple[str, str, str, tuple[str, ...]]) -> str:
    """The tooltip parts as HTML, every string escaped (what the page builds from them with textContent)."""
    name, arabic, words, extra = parts
    arabic_html = f' <span dir="rtl">{esc(arabic)}</span>' if arabic else ""
    return f"<b>{esc(name)}</b>{arabic_html}<br>{esc(words)}" + "".join(f"<br><i>{esc(line)}</i>" for line in extra)


def tooltip_html(place: Place, state: PlaceState, factions: dict[str, Faction], changed: bool) -> str:
    """Hover text: name (and Arabic name), controller, status. Every data string escaped."""
    return tip_html(tooltip_parts(place, state, factions, changed))


# --- the day's layer -----------------------------------------------------------
def layer_data(
    dataset: Dataset,
    timeline: Timeline,
    day: date,
    selected: str | None = None,
    places: Iterable[str] | None = None,
    notes: Mapping[str, tuple[str, ...]] | None = None,
) -> dict:
    """The places on `day` as a GeoJSON FeatureCollection plus the table of icons it uses.

    Returns {"type": "FeatureCollection", "features": [...], "icons": {key: [svg, size, z]}}; each
    feature's properties: place_id, icon (a key of "icons"), c (the holder), tip (tooltip HTML) and
    parts (the tooltip as plain text, what `day_layer` sends). `places` limits the layer to those
    place ids (in that order; default: all, in data order); `notes` adds italic tooltip lines.
    """
    state = timeline.state_on(day)
    changed = timeline.changed_on(day) if timeline.first_day <= day <= timeline.last_day else frozenset()
    factions = dataset.factions_on(day)  # the names in force that day
    icons: dict[str, list] = {}
    keys: dict[str, str] = {}
    features = []
    notes = notes or {}
    chosen = dataset.places.values() if places is None else (dataset.places[pid] for pid in places)
    for place in chosen:
        s = state[place.id]
        is_changed = place.id in changed
        style = marker_style(place, s, factions, is_changed, place.id == selected)
        k = keys.get(style.key())
        if k is None:
            k = keys[style.key()] = f"i{len(keys)}"
            z = (2000 if style.selected else 0) + (1000 if style.halo else 0) + int(style.radius * 10)
            icons[k] = [icon_svg(style), style.size, z]
        parts = tooltip_parts(place, s, factions, is_changed, notes.get(place.id, ()))
        tip = tip_html(parts)
        if place.area:
            colour = faction_colour(dataset.factions, s.controller)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [[[round(x, 4), round(y, 4)] for x, y in (*place.area, place.area[0])]]},
                    "properties": {
                        "place_id": place.id,
                        "tip": tip,
                        "parts": parts,
                        "style": {
                            "color": colour,
                            "weight": 1.5,
                            "fillColor": colour,
                            "fillOpacity": 0.18,
                            "dashArray": "4 3" if s.control.contested_with or s.status != "confirmed" else None,
                        },
                    },
                }
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(place.lon, 4), round(place.lat, 4)]},
                "properties": {"place_id": place.id, "icon": k, "c": s.controller, "tip": tip, "parts": parts},
            }
        )
    return {"type": "FeatureCollection", "features": features, "icons": icons}


# The page's side of the day's layers, in the base map's script (sent with it, run once per page):
# `unpack` rebuilds compact geometry (tests/support/roundtrip/wire.py); `placesLayer` builds the places layer from the
# compact form `day_layer` sends. There T is the layer's table of distinct strings: tooltip texts,
# which become text nodes (textContent, never markup), and the tags of the icons' SVG (built by
# `icon_svg` from whitelisted shapes, numbers and checked colours only) without their angle
# brackets and with single-quoted attributes, which become the icons' HTML. Ids are looked up,
# never inserted as markup.
MAP_LIBRARY_JS = """window.SyriaMap = {
unpack: UNPACK,
placesLayer: function (d) {
    var T = d.T, I = d.I, rows = d.f, icons = [], areas = {}, features = [];
    function icon(i) {
        if (!icons[i]) {
            var spec = I[i] || I[0], html = "", half = spec[0] / 2, k;
            for (k = 0; k < spec[2].length; k++) { html += "<" + T[spec[2][k]] + ">"; }
            icons[i] = [L.divIcon({html: html, className: "syria-place", iconSize: [spec[0], spec[0]], iconAnchor: [half, half]}), spec[1]];
        }
        return icons[i];
    }
    function add(parent, tag, text) {
        var el = document.createElement(tag);
        el.textContent = text;
        parent.appendChild(el);
        return el;
    }
    function tip(r) {
        return function () {
            var box = document.createElement("div"), k;
            add(box, "b", T[r[5]]);
            if (T[r[6]]) { box.appendChild(document.createTextNode(" ")); add(box, "span", T[r[6]]).dir = "rtl"; }
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(T[r[7]]));
            for (k = 0; r[8] && k < r[8].length; k++) { box.appendChild(document.createElement("br")); add(box, "i", T[r[8][k]]); }
            return box;
        };
    }
    (d.g || []).forEach(function (g) { areas[g[0]] = g; });
    rows.forEach(function (r, j) {
        if (areas[j]) {
            features.push({type: "Feature", id: j, properties: {place_id: r[0], style: areas[j][1]},
                           geometry: {type: "Polygon", coordinates: [areas[j][2]]}});
        }
        features.push({type: "Feature", id: j, properties: {place_id: r[0], c: r[1]},
                       geometry: {type: "Point", coordinates: [r[2], r[3]]}});
    });
    return L.geoJson({type: "FeatureCollection", features: features}, {
        pointToLayer: function (feature, latlng) {
            var spec = icon(rows[feature.id][4]);
            return L.marker(latlng, {icon: spec[0], zIndexOffset: spec[1], keyboard: false, riseOnHover: true});
        },
        style: function (feature) { return feature.properties.style || {}; },
        onEachFeature: function (feature, layer) {
            layer.bindTooltip(tip(rows[feature.id]), {direction: "top", offset: [0, -8], opacity: 0.95});
            if (feature.geometry.type === "Point") {
                layer.on("add", function () {
                    var el = layer.getElement();
                    if (el) { el.setAttribute("data-place", feature.properties.place_id); }
                });
            }
        }
    });
}
};""".replace("UNPACK", UNPACK_JS)


class MapLibrary(MacroElement):
    """Puts MAP_LIBRARY_JS (SyriaMap.unpack, SyriaMap.placesLayer) into the base map's script."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {% endmacro %}
        """)

    def __init__(self):
        super().__init__()
        self._name = "SyriaMapLibrary"
        self.code = "\n".join(line.strip() for line in MAP_LIBRARY_JS.splitlines())  # sent with every move: no indents

    def render(self, **kwargs) -> None:
        return None


_TAG = re.compile(r"<([^<>]*)>")


class _Strings:
    """A table of distinct strings: each added once, referred to by index."""

    def __init__(self):
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.items)
            self.items.append(text)
        return found


def svg_tags(svg: str) -> list[str]:
    """An icon's SVG as its tags without angle brackets, attributes single-quoted (JSON needs no escapes then).

    Only for SVG from `icon_svg` (tags and attributes, no text, no quotes inside values)."""
    tags = _TAG.findall(svg)
    if "".join(f"<{t}>" for t in tags) != svg or "'" in svg:
        raise ValueError("not an icon_svg SVG")
    return [t.replace('"', "'") for t in tags]


PLACES_LAYER = "PlacesLayer"


class PlacesLayer(MacroElement):
    """The day's places layer, built in the page by SyriaMap.placesLayer from `day_layer`'s compact data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = SyriaMap.placesLayer({{ this.data_json }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data_json: str):
        super().__init__()
        self._name = PLACES_LAYER
        self.data_json = data_json

    def render(self, **kwargs) -> None:
        return None


def places_wire(data: dict) -> str:
    """`layer_data`'s output in the compact form SyriaMap.placesLayer reads (JSON text):
    {"T": strings, "I": icons [size, z, [tag indices]], "f": one row per place
    [id, holder, lon, lat, icon, name, Arabic name, state (indices into T), [italic lines]?],
    "g": area polygons [row, style, ring]}. Repeated icon tags and state texts go once per layer."""
    table = _Strings()
    icon_index: dict[str, int] = {}
    icons = []
    for key, (svg, size, z) in data.get("icons", {}).items():
        icon_index[key] = len(icons)
        icons.append([size, z, [table(tag) for tag in svg_tags(svg)]])
    rows, areas, pending = [], [], []
    for feature in data["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if geometry["type"] != "Point":
            pending.append((props.get("style") or {}, geometry["coordinates"][0]))
            continue
        name, arabic, words, extra = props["parts"]
        lon, lat = geometry["coordinates"]
        row = [props["place_id"], props.get("c"), lon, lat, icon_index.get(props.get("icon"), 0), table(name), table(arabic), table(words)]
        if extra:
            row.append([table(line) for line in extra])
        areas += [[len(rows), style, ring] for style, ring in pending]
        pending = []
        rows.append(row)
    return inert_json({"T": table.items, "I": icons, "f": rows, **({"g": areas} if areas else {})})


def places_features(wire: str) -> list[dict]:
    """The GeoJSON features (properties: place_id, icon, c, tip; style on area polygons) of a
    `places_wire` text: what SyriaMap.placesLayer draws. For tests and tools."""
    data = json.loads(wire)
    table, areas = data["T"], {g[0]: g for g in data.get("g", [])}
    features = []
    for j, row in enumerate(data["f"]):
        tip = tip_html((table[row[5]], table[row[6]], table[row[7]], tuple(table[k] for k in (row[8] if len(row) > 8 else ()))))
        if j in areas:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [areas[j][2]]},
                    "properties": {"place_id": row[0], "tip": tip, "style": areas[j][1]},
                }
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row[2], row[3]]},
                "properties": {"place_id": row[0], "icon": row[4], "c": row[1], "tip": tip},
            }
        )
    return features


def day_layer(data: dict, name: str = "places", wire: str | None = None) -> folium.FeatureGroup:
    """The FeatureGroup to pass as `st_folium(feature_group_to_add=...)`: one layer of every place in `data`
    (or of a ready `places_wire` text)."""
    group = folium.FeatureGroup(name=name, control=False)
    PlacesLayer(places_wire(data) if wire is None else wire).add_to(group)
    return group


@lru_cache(maxsize=8)
def _outline_js(path: Path) -> str | None:
    """The outline as a SyriaMap.unpack expression: compact (tests/support/roundtrip/wire.py), to 4 decimals (~10 m), about
    half the size of its GeoJSON. Read once per file: the base map is built on every rerun."""
    outline = outline_geojson(path)
    if outline is None:
        return None
    geoms = [shape(f["geometry"]) for f in outline["features"]]
    polygons = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return f"SyriaMap.unpack({pack(polygons, 'MultiPolygon', OUTLINE_DECIMALS)})" if polygons else None


def base_map(dataset: Dataset, outline_path: Path | None = OUTLINE_PATH, vendor_dir: Path | None = None) -> folium.Map:
    """The map that never changes between reruns: tiles, panes, Syria's outline, the view around the places.

    Built anew on every rerun (st_folium adds the day's layer to it), and identical
    each time, so the browser keeps it and with it the user's zoom and pan.
    """
    bounds = place_bounds(dataset)
    m = folium.Map(
        location=list(SYRIA_CENTRE),
        zoom_start=7,
        tiles=None,
        min_zoom=5,
        max_zoom=14,
        control_scale=True,
        zoom_snap=0.25,
        zoom_delta=1,
    )
    folium.TileLayer(
        TILES_URL,
        attr=TILES_ATTRIBUTION,
        name="CARTO Positron",
        max_zoom=19,
        subdomains="abcd",
        control=False,
    ).add_to(m)
    for pane, z_index in PANES:  # created once, with the map: the day's layers only refer to them
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=False).add_to(m)
    MapLibrary().add_to(m)
    outline = _outline_js(outline_path) if outline_path is not None else None
    if outline is not None:
        StFoliumGeoJson(outline, OUTLINE_OPTIONS_JS, name="SyriaOutline").add_to(m)
    FitBoundsNow(bounds).add_to(m)
    apply_assets(m, vendor_dir)
    return m
