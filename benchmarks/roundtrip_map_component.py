"""The map component of the dashboard: st_folium, with the base map worked out once per dataset.

`st_folium(base_map, feature_group_to_add=...)` renders the whole folium map on every rerun
(Jinja templates compiled and rendered, the script re-generated and renamed by regular
expressions): about 10 ms that give the same base map every time. `MapBase` does that work
once, with streamlit_folium's own functions, and `show` then builds only the day's layers and
passes the same arguments to the same component that st_folium would, in the same order:
the browser gets exactly what st_folium would send. streamlit-folium is pinned
(requirements.txt); tests/test_app.py checks the arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from textwrap import dedent

import branca
import folium
import folium.elements
import streamlit as st
from folium.elements import ElementAddToElement
from streamlit_folium import (
    _component_func,
    _get_header,
    _get_html,
    _get_map_string,
    generate_js_hash,
    generate_leaflet_string,
    get_full_id,
)


class _MapName:
    """Stands in for the base map as the day's feature groups' parent: their scripts only need its name."""

    def __init__(self, name: str):
        self._name = name

    def get_name(self) -> str:
        return self._name


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """(css, js) links of the map and its elements, as st_folium collects them."""
    css: list[str] = []
    js: list[str] = []

    def walk(element):
        if isinstance(element, branca.colormap.ColorMap):
            yield element
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            js[:0] = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


class MapBase:
    """st_folium's arguments for a base map that does not change: built once (keep it per dataset)."""

    def __init__(self, m: folium.Map):
        m.get_root().render()
        m.render()
        self.html = _get_html(m)
        self.header = _get_header(m)
        self.script = _get_map_string(m)
        self.id = get_full_id(m)
        self.css_links, self.js_links = _links(m)
        try:
            (south, west), (north, east) = m.get_bounds()
        except (AttributeError, TypeError, ValueError):
            south = west = north = east = None
        self.bounds = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
        self.zoom = m.options.get("zoom")

    def defaults(self, returned_objects: Iterable[str]) -> dict:
        """The component's value before the browser reports one (st_folium's defaults, for the keys asked for)."""
        every = {
            "last_clicked": None,
            "last_object_clicked": None,
            "last_object_clicked_count": None,
            "last_object_clicked_tooltip": None,
            "last_object_clicked_popup": None,
            "all_drawings": None,
            "last_active_drawing": None,
            "bounds": self.bounds,
            "zoom": self.zoom,
            "last_circle_radius": None,
            "last_circle_polygon": None,
            "selected_layers": None,
            "selected_tags": None,
            "last_geocoder_result": None,
        }
        wanted = set(returned_objects)
        return {k: v for k, v in every.items() if k in wanted}


def _dedent(text: str) -> str:
    """textwrap.dedent for space-indented text, without its regular expressions: the day's layers run to
    hundreds of KB on one line, where dedent's regexes cost tens of ms."""
    lines = text.split("\n")
    margins = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    margin = min(margins) if margins else 0
    return "\n".join(line[margin:] if line.strip() else "" for line in lines)


def feature_group_script(base: MapBase, groups: Sequence[folium.FeatureGroup]) -> str:
    """The day's layers as st_folium writes them (`_get_feature_group_string`), without touching the base map."""
    parent = _MapName(base.id)
    parts = []
    for idx, group in enumerate(groups):
        group._id = f"feature_group_{idx}"
        group._parent = parent
        if group.show:  # what folium's Layer.render adds
            group.add_child(ElementAddToElement(element_name=group.get_name(), element_parent_name=base.id), name=group.get_name() + "_add")
        text = _dedent(generate_leaflet_string(group, base_id=f"feature_group_{idx}").replace(base.id, "map_div"))
        parts.append(
            text
            + dedent(f"""
        map_div.addLayer(feature_group_feature_group_{idx});
        window.feature_group = window.feature_group || [];
        window.feature_group.push(feature_group_feature_group_{idx});
        """)
        )
    return "".join(parts)


def show(
    base: MapBase,
    key: str,
    groups: Sequence[folium.FeatureGroup],
    returned_objects: Sequence[str],
    height: int,
    on_change: Callable[[], None] | None = None,
    center: tuple[float, float] | None = None,
):
    """st_folium(the base map, key=key, feature_group_to_add=groups, returned_objects=..., use_container_width=True,
    height=height, on_change=on_change, center=center), with the base map's part done once in `base`."""
    hash_key = generate_js_hash(base.script, key, False)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return _component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=base.defaults(returned_objects),
        zoom=None,
        center=center,
        feature_group=feature_group_script(base, groups) if groups else None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=base.css_links,
        js_links=base.js_links,
        on_change=changed,
        wrap_longitude=False,
    )
