"""How the map's things look, and the words for them: plain Python, no folium.

The places' icons (inline SVG: shape by kind, fill by holder, outline by mode and status, a halo
when it changed that day, built from whitelisted shapes, numbers and re-validated colours only),
the zones' and front lines' styles and the legend's samples of them, the factions' colours and
names, and day labels. geo/map/render.py and geo/map/zone_layer.py draw the map with them, geo/view/present.py
the legend and the panels: kept apart from those two so that the dashboard's first elements need
not wait for folium (and pandas with it, ~0.5 s) to import on a server's first run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from geo.base.model import Control, Dataset, Faction
from geo.view.escape import NEUTRAL_GREY, safe_colour
from geo.view.symbols import SHAPES
from geo.view.words import DEFAULT_LANG, words
from geo.view.words import day_label as words_day_label

# --- the places' icons -----------------------------------------------------------

OUTLINES = frozenset({"solid", "contested", "claimed", "disputed"})
OUTLINE_DARK = "#222222"
HALO_PAD = 5.0  # extra radius of the "changed that day" ring
PAD = 2.5  # room for the outline


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    """Everything an icon looks like; only whitelisted tokens, numbers and checked colours."""

    shape: str = "circle"
    radius: float = 6.0
    fill: str = NEUTRAL_GREY
    fill2: str | None = None  # split: the right half in the secondary holder's colour
    ring: str | None = None  # contested: striped outline in the contester's colour
    outline: str = "solid"  # solid | contested | claimed | disputed
    halo: bool = False  # changed that day
    selected: bool = False
    inferred: bool = False  # the change rests on a wider report, not one naming the place: a white centre dot

    def key(self) -> str:
        parts = (
            self.shape,
            f"{self.radius:g}",
            self.fill,
            self.fill2 or "",
            self.ring or "",
            self.outline,
            "h" if self.halo else "",
            "s" if self.selected else "",
            "i" if self.inferred else "",
        )
        return "|".join(parts)

    @property
    def size(self) -> int:
        """Width and height of the icon in px (square, centred on the place)."""
        return int(2 * (self.radius + PAD + (HALO_PAD + 1.5 if (self.halo or self.selected) else 0)) + 0.999)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _shape_svg(shape: str, c: float, r: float, attrs: str) -> str:
    """One shape centred at (c, c) with radius r; `attrs` is built from checked values only."""
    if shape == "circle":
        return f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(r)}" {attrs}/>'
    if shape == "square":
        h = r * 0.88
        return f'<rect x="{_num(c - h)}" y="{_num(c - h)}" width="{_num(2 * h)}" height="{_num(2 * h)}" {attrs}/>'
    if shape == "diamond":
        pts = [(c, c - r * 1.15), (c + r * 1.15, c), (c, c + r * 1.15), (c - r * 1.15, c)]
    elif shape == "triangle":
        R = r * 1.25
        pts = [(c, c - R), (c + R * 0.866, c + R * 0.5), (c - R * 0.866, c + R * 0.5)]
    elif shape == "triangle_down":
        R = r * 1.25
        pts = [(c, c + R), (c + R * 0.866, c - R * 0.5), (c - R * 0.866, c - R * 0.5)]
    elif shape == "hexagon":
        pts = [(c + r * dx, c + r * dy) for dx, dy in ((1, 0), (0.5, 0.866), (-0.5, 0.866), (-1, 0), (-0.5, -0.866), (0.5, -0.866))]
    elif shape in ("pentagon", "octagon"):
        n = 5 if shape == "pentagon" else 8
        turn = -math.pi / 2 if n == 5 else math.pi / 8
        pts = [(c + r * 1.1 * math.cos(turn + 2 * math.pi * k / n), c + r * 1.1 * math.sin(turn + 2 * math.pi * k / n)) for k in range(n)]
    elif shape == "thin_diamond":
        pts = [(c, c - r * 1.25), (c + r * 0.6, c), (c, c + r * 1.25), (c - r * 0.6, c)]
    elif shape in ("plus", "cross"):
        a, b = r * 1.15, r * 0.42  # arm length and half width
        arm = [(b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b), (-b, -a)]
        if shape == "cross":  # the plus turned 45 degrees
            arm = [((x - y) * 0.7071, (x + y) * 0.7071) for x, y in arm]
        pts = [(c + x, c + y) for x, y in arm]
    else:
        return _shape_svg("circle", c, r, attrs)
    points = " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)
    return f'<polygon points="{points}" {attrs}/>'


@lru_cache(maxsize=4096)
def icon_svg(style: MarkerStyle) -> str:
    """The marker as an inline SVG. Nothing from the data files reaches it but checked colours."""
    shape = style.shape if style.shape in SHAPES else "circle"
    outline = style.outline if style.outline in OUTLINES else "solid"
    r = max(2.0, min(float(style.radius), 20.0))
    fill = safe_colour(style.fill)
    size = style.size
    c = size / 2
    parts = []
    if style.halo:  # changed that day: a dark ring with a white edge around the symbol
        parts.append(f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(r + HALO_PAD)}" fill="none" stroke="#FFFFFF" stroke-width="4.5"/>')
        parts.append(f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(r + HALO_PAD)}" fill="none" stroke="#111111" stroke-width="2.2"/>')
    if style.selected:
        parts.append(
            f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(r + HALO_PAD + 0.5)}" fill="none" stroke="#1565C0" '
            'stroke-width="2.5" stroke-dasharray="4 2"/>'
        )
    if outline in ("claimed", "disputed"):
        # hollow: a pale fill and an outline in the controller's colour (dotted when disputed)
        dash = ' stroke-dasharray="1.6 1.8"' if outline == "disputed" else ""
        parts.append(_shape_svg(shape, c, r, f'fill="#FFFFFF" stroke="{OUTLINE_DARK}" stroke-width="4"'))
        parts.append(_shape_svg(shape, c, r, f'fill="{fill}" fill-opacity="0.3" stroke="{fill}" stroke-width="2.4"{dash}'))
    else:
        parts.append(_shape_svg(shape, c, r, f'fill="{fill}" stroke="{OUTLINE_DARK}" stroke-width="{"3.6" if style.ring else "1.3"}"'))
    if style.fill2 is not None:  # split: the right half in the second holder's colour
        fill2 = safe_colour(style.fill2)
        opacity = ' fill-opacity="0.55"' if outline in ("claimed", "disputed") else ""
        parts.append(
            f'<svg x="{_num(c)}" y="0" width="{_num(c)}" height="{size}" viewBox="{_num(c)} 0 {_num(c)} {size}">'
            + _shape_svg(shape, c, r, f'fill="{fill2}"{opacity} stroke="none"')
            + "</svg>"
        )
    if style.ring is not None:  # contested: outline striped in the contester's colour
        ring = safe_colour(style.ring)
        parts.append(_shape_svg(shape, c, r, f'fill="none" stroke="{ring}" stroke-width="2.4" stroke-dasharray="3 2.2"'))
    if style.inferred:  # inferred: a white dot with a dark edge in the middle, whatever the fill
        dot = _num(max(1.6, r * 0.36))
        parts.append(f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{dot}" fill="#FFFFFF" stroke="{OUTLINE_DARK}" stroke-width="1"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">' + "".join(parts) + "</svg>"
    )


def faction_colour(factions: dict[str, Faction], faction_id: str | None) -> str:
    faction = factions.get(faction_id) if faction_id else None
    return safe_colour(faction.colour if faction else None)


# --- words ---------------------------------------------------------------------


def day_label(day: date, lang: str = DEFAULT_LANG) -> str:
    """'6 Dec 2024' (in Arabic with Syria's month names: geo.view.words)."""
    return words_day_label(day, lang)


def factions_listed_on(dataset: Dataset, day: date) -> dict[str, Faction]:
    """The factions a legend lists for `day`, in the data's order, each under the name it had that day: every
    faction but those merged into another before that day (a merger's own day still shows the merged side)."""
    merged_on = {m.faction: m.date for m in dataset.mergers}
    return {fid: f for fid, f in dataset.factions_on(day).items() if not (fid in merged_on and merged_on[fid] < day)}


def faction_name(factions: dict[str, Faction], faction_id: str | None, short: bool = True) -> str:
    """Plain (unescaped) display name of a faction id."""
    if faction_id is None:
        return ""
    faction = factions.get(faction_id)
    if faction is None:
        return faction_id
    return faction.short if short else faction.label


def control_words(control: Control, factions: dict[str, Faction], lang: str = DEFAULT_LANG) -> str:
    """Plain text: 'HTS', 'Government, contested by HTS', 'SDF, part held by Government'."""
    w = words(lang)
    text = faction_name(factions, control.controller)
    if control.contested_with:
        text += w["contested_by"].format(who=w["and"].join(faction_name(factions, f) for f in control.contested_with))
    if control.secondary:
        text += w["part_held_by"].format(who=faction_name(factions, control.secondary))
    return text


# --- the zones' look ----------------------------------------------------------

ZONE_OPACITY = 0.3
CONTESTED_OPACITY = 0.5
ZONE_EDGE_OPACITY = 0.6
FRONT_STYLE = {"color": "#222222", "weight": 2, "opacity": 0.9, "dashArray": "7 4", "lineCap": "butt"}
# Ground too far from any listed place to say who holds it (geo.territory.model.NO_DATA_REACH_KM): grey, dotted edge.
NO_DATA_STYLE = {
    "stroke": True,
    "color": "#9E9E9E",
    "weight": 0.8,
    "opacity": 0.7,
    "dashArray": "2 3",
    "fillColor": "#BDBDBD",
    "fillOpacity": 0.35,
}
HATCH_SIZE, HATCH_STRIPE = 8, 3  # px: one holder stripe and one contester stripe per 8 px, at 45°


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
        return {
            "stroke": True,
            "color": colour,
            "weight": 1,
            "opacity": ZONE_EDGE_OPACITY,
            "fillColor": colour,
            "fillOpacity": ZONE_OPACITY,
        }
    return {
        "stroke": True,
        "color": colour,
        "weight": 1.5,
        "opacity": ZONE_EDGE_OPACITY,
        "dashArray": "4 3",
        "fillColor": f"url(#{hatch_id(colour, contested_by)})",
        "fillOpacity": CONTESTED_OPACITY,
    }


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
