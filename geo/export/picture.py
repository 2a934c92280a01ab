"""The map as a picture, without a browser: a PNG of one day, or a GIF/MP4 of every day.

matplotlib (Agg, no pyplot: safe in the dashboard's threads) draws Syria's outline,
the approximate zones and front lines (when a TerritoryModel is given), every place
(shape by kind, fill by controller, hollow when claimed, dotted edge when disputed,
edge in the attacker's colour when contested, half-filled when split, a black ring
when it changed that day), the title, the date, a legend with counts, a sources line
and the attribution. Sized for social media: 1200x675 (16:9, X/Twitter, Facebook,
LinkedIn, Bluesky) or 1080x1080 (square, Instagram).

`DayPicture` builds the figure once and redraws only the day's layers, so an
animation of every day costs one draw per frame. Text from the data is drawn with
mathtext off (`parse_math=False`): a `$` in a name stays a dollar sign.

    png_bytes(dataset, timeline, day, territory=None, size=(1200, 675)) -> bytes
    write_animation(dataset, timeline, "out.gif", territory=None) -> AnimationStats
"""

from __future__ import annotations

import io
import shutil
import subprocess
import textwrap
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import matplotlib.colors
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from PIL import Image
from shapely.geometry import mapping, shape

from geo.base.atomic import replacing
from geo.base.model import Dataset, Place, PlaceState
from geo.territory.outline import syria_outline
from geo.timeline.control import Timeline
from geo.view.credits import credited_outlets
from geo.view.escape import NEUTRAL_GREY, safe_colour
from geo.view.look import factions_listed_on
from geo.view.symbols import DEFAULT_LOOK, KIND_LOOKS, PICTURE_STATE_KEY, key_kinds
from geo.view.words import DEFAULT_LANG, day_label, kind_label, words

LANDSCAPE = (1200, 675)
SQUARE = (1080, 1080)
SIZES = {"landscape": LANDSCAPE, "square": SQUARE}
DPI = 100
ATTRIBUTION = words(DEFAULT_LANG)["png_attribution"]
ZONES_NOTE = words(DEFAULT_LANG)["png_zones_note"]

# The shape of each kind of place (geo/view/symbols.py, with its size in points) as a matplotlib marker.
MARKERS = {
    "circle": "o",
    "diamond": "D",
    "triangle": "^",
    "triangle_down": "v",
    "hexagon": "h",
    "square": "s",
    "pentagon": "p",
    "octagon": "8",
    "thin_diamond": "d",
    "plus": "P",
    "cross": "X",
}
DARK = "#222222"
SEA = "#E8EDF2"
LAND = "#FFFFFF"
FONT = "DejaVu Sans"
# With thousands of places, names of every city would cover the map and take most of a render: the most
# populous ones are named, each name at most NAME_CHARS characters.
MAX_NAMED_PLACES = 40
NAME_CHARS = 40


def _mix(colour: str, weight: float) -> tuple[float, float, float]:
    """`colour` blended with white: weight 1 = the colour, 0 = white."""
    c = matplotlib.colors.to_rgb(colour)
    return tuple(1 - weight * (1 - x) for x in c)  # type: ignore[return-value]


def _kind_marker(kind: str, lang: str = DEFAULT_LANG) -> tuple[str, float, str]:
    """(matplotlib marker, size in points, legend label) of a kind of place."""
    shape, _, points = KIND_LOOKS.get(kind, DEFAULT_LOOK)
    return MARKERS[shape], points, kind_label(kind, lang)


def legend_entries(dataset: Dataset, lang: str = DEFAULT_LANG) -> list[tuple[str, str]]:
    """(kind or state, words) of the picture's symbol key: the key's kinds and states (geo.view.symbols), in its order."""
    w = words(lang)
    return [(kind, kind_label(kind, lang)) for kind in key_kinds(p.kind for p in dataset.places.values())] + [
        (state, w[f"png_sym_{state}"]) for state in PICTURE_STATE_KEY
    ]


def _day_words(day: date, lang: str = DEFAULT_LANG) -> str:
    return day_label(day, lang) if lang != DEFAULT_LANG else f"{day.day} {day:%B %Y}"


def shaped(text: str, lang: str = DEFAULT_LANG) -> str:
    """Text as matplotlib must be given it: matplotlib neither joins Arabic letters nor orders right-to-left text,
    so Arabic is reshaped (arabic-reshaper: the letters' joined forms) and put in display order (python-bidi)."""
    if lang != "ar":
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display  # python-bidi's full algorithm: it also mirrors brackets

    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def outlets_line(dataset: Dataset, day: date, budget: int, lang: str = DEFAULT_LANG) -> str:
    """'Sources: events.yaml, N sourced events to this day — Reuters, AFP, ... and N more', at most about `budget` characters."""
    events = [e for e in dataset.events if e.date <= day]
    names = credited_outlets(dataset, day)  # as the page credits them (geo.view.credits), up to this day
    w = words(lang)
    head = w["png_sources_one" if len(events) == 1 else "png_sources"].format(n=len(events))
    shown: list[str] = []
    used = len(head) + 14  # room for " and NN more"
    for name in names:
        if used + len(name) + 2 <= budget or not shown:
            shown.append(name)
            used += len(name) + 2
    rest = len(names) - len(shown)
    return head + (", ".join(shown) or w["none"]) + (w["png_more"].format(n=rest) if rest else "")


def _geometry_path(geometry: dict) -> MplPath | None:
    """A matplotlib Path of a GeoJSON (Multi)Polygon, holes included."""
    geom = shape(geometry)
    polygons = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom] if geom.geom_type == "Polygon" else []
    vertices, codes = [], []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            vertices.append(xy)
            codes.append(np.array([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]))
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _lines(geometry: dict) -> list[np.ndarray]:
    geom = shape(geometry)
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    return [np.asarray(p.coords) for p in parts if p.geom_type == "LineString" and len(p.coords) > 1]


@dataclass(frozen=True, slots=True)
class _Style:
    marker: str
    size: float
    face: tuple[float, float, float]
    edge: tuple[float, float, float]
    width: float
    dotted: bool
    face2: tuple[float, float, float] | None  # split: right half


def _place_style(kind: str, state: PlaceState, colours: dict[str, str], scale: float) -> _Style:
    marker, size, _ = _kind_marker(kind)
    control = state.control
    colour = colours.get(control.controller, NEUTRAL_GREY)
    hollow = state.status in ("claimed", "disputed")
    face = _mix(colour, 0.3) if hollow else matplotlib.colors.to_rgb(colour)
    edge = matplotlib.colors.to_rgb(colour) if hollow else matplotlib.colors.to_rgb(DARK)
    width = 1.6 if hollow else 0.7
    if control.contested_with:
        edge = matplotlib.colors.to_rgb(colours.get(control.contested_with[0], NEUTRAL_GREY))
        width = 2.0
    face2 = None
    if control.secondary:
        second = colours.get(control.secondary, NEUTRAL_GREY)
        face2 = _mix(second, 0.55) if hollow else matplotlib.colors.to_rgb(second)
    return _Style(marker, size * scale, face, edge, width * scale, state.status == "disputed", face2)


class DayPicture:
    """A figure of the map for one dataset; `draw(day)` (re)draws one day's layers on it."""

    def __init__(
        self,
        dataset: Dataset,
        timeline: Timeline,
        territory=None,
        size: tuple[int, int] = LANDSCAPE,
        link: str | None = None,
        outline: dict | None = None,
        lang: str = DEFAULT_LANG,
    ):
        """`dataset` and `timeline` named in `lang` (geo.view.localize) for a picture in that language."""
        width, height = size
        if not (200 <= width <= 4000 and 200 <= height <= 4000):
            raise ValueError(f"picture size {width}x{height} is out of range (200..4000 px a side)")
        self.dataset, self.timeline, self.territory, self.size, self.link = dataset, timeline, territory, size, link
        self.lang, self.words = lang, words(lang)
        self.colours = {fid: safe_colour(f.colour) for fid, f in dataset.factions.items()}
        self.fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        self.square = height / width > 0.8
        self.scale = min(width, height) / 675 if not self.square else min(width, height) / 1000
        self._dynamic: list = []
        self.faction_row_h = 24 * self.scale if not self.square else 27 * self.scale
        # the legend lists the factions holding places that day: room for the most any day has
        self.legend_rows_max = max(1, *(sum(1 for n in timeline.counts_on(d).values() if n) for d in timeline.days))
        self._layout(outline)

    # --- the parts that never change ------------------------------------------------
    def _text(self, x, y, s, **kw):
        kw.setdefault("family", FONT)
        return self.fig.text(x, y, shaped(s, self.lang), parse_math=False, **kw)

    def _say(self, key: str, **fields) -> str:
        return self.words[key].format(**fields)

    def _fit(self, artist, width_px: float, text: str):
        """Shorten a text artist showing `text` (ending it with '…') until it is at most `width_px` wide; return it.
        The cut is made in reading order, then the text is shaped again (Arabic is drawn reordered)."""
        renderer = self.canvas.get_renderer()
        if artist.get_window_extent(renderer).width <= width_px:
            return artist
        low, high = 0, len(text)  # the longest prefix that fits: binary search on its length
        while low < high:
            mid = (low + high + 1) // 2
            artist.set_text(shaped(text[:mid].rstrip() + "…", self.lang))
            if artist.get_window_extent(renderer).width <= width_px:
                low = mid
            else:
                high = mid - 1
        artist.set_text(shaped(text[:low].rstrip() + "…", self.lang))
        return artist

    def _layout(self, outline: dict | None) -> None:
        fs = self.scale
        w, h = self.size
        if self.square:
            map_box = (0.015, 0.315, 0.97, 0.57)
            self.legend_box = (0.03, 0.085, 0.94, 0.215)
        else:
            map_box = (0.01, 0.085, 0.60, 0.775)
            self.legend_box = (0.625, 0.11, 0.36, 0.75)
        # the title where the reading starts (left, or right in Arabic), the day on the other side
        x, ha = (0.985, "right") if self.lang == "ar" else (0.015, "left")
        self._text(x, 0.975, self._say("png_title"), fontsize=19 * fs, weight="bold", va="top", color=DARK, ha=ha)
        title = self._text(x, 0.925 if not self.square else 0.94, self.dataset.title, fontsize=9.5 * fs, va="top", color="#555555", ha=ha)
        self._fit(title, 0.55 * w, self.dataset.title)  # clear of the day's line
        ax = self.ax = self.fig.add_axes(map_box)
        ax.set_facecolor(SEA)
        for side in ax.spines.values():
            side.set_color("#BBBBBB")
            side.set_linewidth(0.6)
        ax.set_xticks([])
        ax.set_yticks([])
        outline = outline if outline is not None else _outline()
        self.outline_path = _geometry_path(outline) if outline is not None else None
        if self.outline_path is not None:
            ax.add_patch(PathPatch(self.outline_path, facecolor=LAND, edgecolor="none", zorder=1))
            ax.add_patch(PathPatch(self.outline_path, facecolor="none", edgecolor="#555555", linewidth=1.1 * fs, zorder=4))
        lons = [p.lon for p in self.dataset.places.values()] or [35.7, 42.4]
        lats = [p.lat for p in self.dataset.places.values()] or [32.3, 37.3]
        x0, x1 = min(35.6, min(lons) - 0.2), max(42.5, max(lons) + 0.2)
        y0, y1 = min(32.2, min(lats) - 0.2), max(37.4, max(lats) + 0.2)
        # widen the lon or the lat range so the map fills its box at a true aspect (lon degrees shrink by cos(lat))
        k = 1 / np.cos(np.radians((y0 + y1) / 2))
        box_w, box_h = map_box[2] * w, map_box[3] * h
        if (y1 - y0) * k / (x1 - x0) < box_h / box_w:
            grow = ((x1 - x0) * box_h / box_w / k - (y1 - y0)) / 2
            y0, y1 = y0 - grow, y1 + grow
        else:
            grow = ((y1 - y0) * k * box_w / box_h - (x1 - x0)) / 2
            x0, x1 = x0 - grow, x1 + grow
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(k, adjustable="box")
        # the sources line and the attribution
        chars = int(w / (6.3 * fs) * (0.6 if self.lang == "ar" and not self.square else 1))  # Arabic letters run wider
        self.sources_chars = chars
        self.sources_y = 0.045
        attribution = self._say("png_attribution") + (self._say("png_link", link=self.link) if self.link else "")
        self._fit(self._text(0.015, 0.012, attribution, fontsize=7.5 * fs, color="#666666", va="bottom"), 0.97 * w, attribution)
        self._static_legend()
        self.named = self._named_places()

    def _static_legend(self) -> None:
        """The symbols key (and the zones note): the legend panel, laid out in pixels."""
        fs = self.scale
        _, _, lw, lh = self.legend_box
        W, H = lw * self.size[0], lh * self.size[1]
        lax = self.lax = self.fig.add_axes(self.legend_box)
        lax.set_axis_off()
        lax.set_xlim(0, W)
        lax.set_ylim(0, H)
        ex, other = "#4477AA", "#DDAA33"
        say = self._say
        samples = {  # state -> (marker, size, face, edge, edge width, edge style) of its sample
            "held": ("o", 8, ex, DARK, 0.7, "-"),
            "contested": ("o", 8, ex, other, 2.0, "-"),
            "split": ("o", 8, "split", DARK, 0.7, "-"),
            "claimed": ("o", 8, _mix(ex, 0.3), ex, 1.6, "-"),
            "disputed": ("o", 8, _mix(ex, 0.3), ex, 1.6, ":"),
            "inferred": ("o", 8, "inferred", DARK, 0.7, "-"),
            "changed": ("o", 8, "halo", DARK, 1.4, "-"),
        }
        sym = [
            (*(samples[what] if what in samples else (*_kind_marker(what)[:2], "#9E9E9E", DARK, 0.7, "-")), label)
            for what, label in legend_entries(self.dataset, self.lang)
        ]
        row_h = 22 * fs
        if self.square:
            x0, top, col_w = W * 0.56, H, W * 0.22
        else:
            n_factions = self.legend_rows_max
            x0, top, col_w = 0.0, H - (n_factions + 1.6) * self.faction_row_h, W / 2
        lax.text(
            x0,
            top,
            shaped(say("png_symbols"), self.lang),
            fontsize=9 * fs,
            weight="bold",
            va="top",
            color=DARK,
            parse_math=False,
            family=FONT,
        )
        rows_per_col = -(-len(sym) // 2)
        note = self._zones_note(lax) if self.territory is not None else None
        if note is not None and not self.square:  # the rows close up so the note stays above the sources line
            note_h = note.get_window_extent(self.canvas.get_renderer()).height
            row_h = max(14 * fs, min(row_h, (top - 18 * fs - 10 * fs - note_h) / rows_per_col))
            note.set_position((0.0, top - 18 * fs - rows_per_col * row_h - 10 * fs))
        label_w = col_w - 20 * fs  # a label longer than its column is cut, not drawn over the edge
        for i, (marker, size, face, edge, lwidth, ls, label) in enumerate(sym):
            col, row = divmod(i, rows_per_col)
            x = x0 + col * col_w + 10 * fs
            y = top - 18 * fs - (row + 0.5) * row_h
            if face == "halo":
                lax.scatter(
                    [x],
                    [y],
                    s=(size * 2.1 * fs) ** 2,
                    marker="o",
                    facecolors="none",
                    edgecolors=DARK,
                    linewidths=lwidth * fs,
                    clip_on=False,
                )
                face = ex
            if face == "split":  # as a split place on the map: the right half in the second holder's colour
                lax.add_line(
                    Line2D(
                        [x],
                        [y],
                        linestyle="none",
                        marker=marker,
                        markersize=size * fs,
                        fillstyle="left",
                        markerfacecolor=ex,
                        markerfacecoloralt=other,
                        markeredgecolor=edge,
                        markeredgewidth=lwidth * fs,
                        clip_on=False,
                        zorder=3,
                    )
                )
                self._symbol_label(lax, x + 16 * fs, y, label, label_w)
                continue
            dot = face == "inferred"
            face = ex if dot else face
            lax.scatter(
                [x],
                [y],
                s=(size * fs) ** 2,
                marker=marker,
                facecolors=[face],
                edgecolors=[edge],
                linewidths=lwidth * fs,
                linestyles=ls,
                clip_on=False,
                zorder=3,
            )
            if dot:
                lax.scatter(
                    [x],
                    [y],
                    s=(3.2 * fs) ** 2,
                    marker="o",
                    facecolors="white",
                    edgecolors=DARK,
                    linewidths=0.6 * fs,
                    clip_on=False,
                    zorder=4,
                )
            self._symbol_label(lax, x + 16 * fs, y, label, label_w)

    def _symbol_label(self, lax, x: float, y: float, label: str, width_px: float) -> None:
        artist = lax.text(
            x, y, shaped(label, self.lang), fontsize=7.6 * self.scale, va="center", color="#333333", parse_math=False, family=FONT
        )
        self._fit(artist, width_px, label)

    def _zones_note(self, lax):
        """The note that the zones are approximate: under the legend box in a square picture, under the symbols otherwise
        (placed there once the symbols' rows are known)."""
        fs = self.scale
        if self.square:
            note, ny = self._say("png_zones_note"), -10 * fs
        else:
            note, ny = textwrap.fill(self._say("png_zones_note"), 60), 0.0
        style = "italic" if self.lang == DEFAULT_LANG else "normal"  # the font's oblique face has no Arabic letters
        return lax.text(
            0.0, ny, shaped(note, self.lang), fontsize=7.4 * fs, va="top", color="#555555", style=style, parse_math=False, family=FONT
        )

    # --- the day's layers --------------------------------------------------------------
    def _clear(self) -> None:
        for artist in self._dynamic:
            artist.remove()
        self._dynamic = []

    def _add(self, artist):
        self._dynamic.append(artist)
        return artist

    def draw(self, day: date) -> None:
        """Draw the state at the end of `day` (replacing the previous day's layers)."""
        self._clear()
        fs = self.scale
        tl, ds = self.timeline, self.dataset
        state = tl.state_on(day)
        changed = tl.changed_on(day) if day <= tl.last_day else frozenset()
        if self.territory is not None:
            self._zones(day)
        # places: one scatter per style (fast for thousands of places); split places as half-filled markers
        groups: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
        halos: list[tuple[float, float, float]] = []
        splits: list[tuple[Place, _Style, tuple[float, float, float]]] = []  # (place, style, its face2)
        inferred: list[tuple[float, float]] = []
        for place in ds.places.values():
            style = _place_style(place.kind, state[place.id], self.colours, fs)
            if state[place.id].basis == "inferred":
                inferred.append((place.lon, place.lat))
            if place.id in changed:
                halos.append((place.lon, place.lat, style.size))
            if style.face2 is not None:
                splits.append((place, style, style.face2))
            else:
                groups[(style.marker, style.size, style.face, style.edge, style.width, style.dotted)].append((place.lon, place.lat))
        if halos:
            xs, ys, sizes = zip(*halos, strict=True)
            self._add(
                self.ax.scatter(
                    xs, ys, s=[(s * 1.9 + 4 * fs) ** 2 for s in sizes], facecolors="none", edgecolors="white", linewidths=3.2 * fs, zorder=5
                )
            )
            self._add(
                self.ax.scatter(
                    xs, ys, s=[(s * 1.9 + 4 * fs) ** 2 for s in sizes], facecolors="none", edgecolors=DARK, linewidths=1.5 * fs, zorder=6
                )
            )
        for (marker, size, face, edge, width, dotted), points in sorted(groups.items(), key=lambda kv: kv[0][1]):
            xs, ys = zip(*points, strict=True)
            self._add(
                self.ax.scatter(
                    xs,
                    ys,
                    s=size**2,
                    marker=marker,
                    facecolors=[face],
                    edgecolors=[edge],
                    linewidths=width,
                    linestyles=":" if dotted else "-",
                    zorder=7 + size / 100,
                )
            )
        for place, style, face2 in splits:
            self._add(
                self.ax.add_line(
                    Line2D(
                        [place.lon],
                        [place.lat],
                        linestyle="none",
                        marker=style.marker,
                        markersize=style.size,
                        fillstyle="left",
                        markerfacecolor=style.face,
                        markerfacecoloralt=face2,
                        markeredgecolor=style.edge,
                        markeredgewidth=style.width,
                        zorder=7.2,
                    )
                )
            )
        if inferred:  # the web map's mark for an inferred change: a white dot with a dark edge
            xs, ys = zip(*inferred, strict=True)
            self._add(
                self.ax.scatter(xs, ys, s=(3.2 * fs) ** 2, marker="o", facecolors="white", edgecolors=DARK, linewidths=0.6 * fs, zorder=8)
            )
        # names of the cities
        halo: list[patheffects.AbstractPathEffect] = [patheffects.withStroke(linewidth=2.4 * fs, foreground="white")]
        for place, name in self.named:
            t = self.ax.text(
                place.lon + 0.07,
                place.lat + 0.05,
                shaped(name, self.lang),
                fontsize=7 * fs,
                color="#222222",
                zorder=9,
                parse_math=False,
                family=FONT,
                clip_on=True,
            )
            t.set_path_effects(halo)
            self._add(t)
        self._header(day)
        self._legend(day)
        line = outlets_line(ds, day, self.sources_chars, self.lang)
        sources = self._text(0.015, self.sources_y, line, fontsize=7.5 * fs, color="#444444", va="bottom")
        self._add(self._fit(sources, 0.97 * self.size[0], line))

    def _named_places(self) -> list[tuple]:
        """(place, name) of the cities named on the map: the MAX_NAMED_PLACES most populous (then heaviest), names shortened."""
        cities = [p for p in self.dataset.places.values() if p.kind == "city"]
        cities = sorted(cities, key=lambda p: (-(p.population or 0), -p.weight))[:MAX_NAMED_PLACES]  # stable: ties keep the data order
        return [(p, p.name if len(p.name) <= NAME_CHARS else p.name[: NAME_CHARS - 1].rstrip() + "…") for p in cities]

    def _zones(self, day: date) -> None:
        fs = self.scale
        data = self.territory.geojson_on(day)
        patches, faces, edges = [], [], []
        for f in data["zones"]["features"]:
            path = _geometry_path(f["geometry"])
            if path is None:
                continue
            p = f["properties"]
            colour = self.colours.get(p["controller"], NEUTRAL_GREY)
            patch = PathPatch(path)
            patches.append(patch)
            faces.append((*_mix(colour, 0.42), 1.0))
            edges.append("white")
            if p["contested_with"]:
                attacker = self.colours.get(p["contested_with"][0], NEUTRAL_GREY)
                hatch = PathPatch(path, facecolor="none", edgecolor=attacker, hatch="////", linewidth=0, zorder=2.2)
                self._add(self.ax.add_patch(hatch))
        if patches:
            collection = PatchCollection(patches, facecolors=faces, edgecolors=edges, linewidths=0.5 * fs, zorder=2)
            self._add(self.ax.add_collection(collection))
        segments = [line for f in data["front_lines"]["features"] for line in _lines(f["geometry"])]
        if segments:
            self._add(self.ax.add_collection(LineCollection(segments, colors="#333333", linewidths=1.1 * fs, zorder=3)))

    def _header(self, day: date) -> None:
        fs = self.scale
        size = 22 if self.square else 24
        x, ha = (0.015, "left") if self.lang == "ar" else (0.985, "right")
        self._add(self._text(x, 0.975, _day_words(day, self.lang), fontsize=size * fs, weight="bold", ha=ha, va="top", color="#1565C0"))
        n = len(self.timeline.events_on(day)) if self.timeline.first_day <= day <= self.timeline.last_day else 0
        said = self._say("png_changes_one" if n == 1 else "png_changes", n=n) if n else self._say("png_no_change")
        self._add(
            self._text(
                x,
                0.90 if not self.square else 0.93,
                self._say("png_end_of_day", words=said),
                fontsize=9 * fs,
                ha=ha,
                va="top",
                color="#555555",
            )
        )

    def _legend(self, day: date) -> None:
        """Who holds how many places at the end of `day`: one row per faction, the data's order."""
        fs = self.scale
        lax = self.lax
        renderer = self.canvas.get_renderer()
        W, H = self.legend_box[2] * self.size[0], self.legend_box[3] * self.size[1]
        counts = self.timeline.counts_on(day)
        before = self.timeline.counts_on(day - timedelta(days=1)) if day > self.timeline.first_day else counts
        rows = [(fid, f) for fid, f in factions_listed_on(self.dataset, day).items() if counts.get(fid, 0)]  # as the dashboard's
        inferred = sum(1 for s in self.timeline.state_on(day).values() if s.basis == "inferred")
        row_h = self.faction_row_h
        if self.square:
            per_col, col_w, label_chars = max(1, -(-len(rows) // 2)), W * 0.26, 0
        else:
            per_col, col_w, label_chars = max(1, len(rows)), W, 34
        of = self._say("png_places_of", n=len(self.dataset.places)) + (self._say("png_inferred", n=inferred) if inferred else "")
        self._add(
            lax.text(0, H, shaped(of, self.lang), fontsize=9 * fs, weight="bold", va="top", color=DARK, parse_math=False, family=FONT)
        )
        for i, (fid, faction) in enumerate(rows):
            col, row = divmod(i, per_col)
            x = col * col_w + 10 * fs
            y = H - 18 * fs - (row + 0.5) * row_h
            self._add(
                lax.scatter(
                    [x],
                    [y],
                    s=(10 * fs) ** 2,
                    marker="s",
                    facecolors=[self.colours[fid]],
                    edgecolors=[DARK],
                    linewidths=0.6 * fs,
                    clip_on=False,
                )
            )
            right = col * col_w + col_w - 8 * fs
            n, delta = counts.get(fid, 0), counts.get(fid, 0) - before.get(fid, 0)
            count = self._add(
                lax.text(right, y, str(n), fontsize=9.5 * fs, weight="bold", va="center", ha="right", color="#222222", family=FONT)
            )
            reserve = count.get_window_extent(renderer).width + 8 * fs  # the count, then its change before it
            if delta:
                change = self._add(
                    lax.text(
                        right - reserve,
                        y,
                        f"{delta:+d}",
                        fontsize=7.6 * fs,
                        va="center",
                        ha="right",
                        color="#2E7D32" if delta > 0 else "#C62828",
                        family=FONT,
                    )
                )
                reserve += change.get_window_extent(renderer).width
            reserve = max(reserve, 36 * fs) + 8 * fs
            room = right - reserve - (x + 16 * fs)  # up to the change and the count
            short = lax.text(
                x + 16 * fs,
                y,
                shaped(faction.short, self.lang),
                fontsize=9 * fs,
                weight="bold",
                va="center",
                color="#222222",
                parse_math=False,
                family=FONT,
            )
            self._add(self._fit(short, room * (0.45 if label_chars else 1.0), faction.short))
            if label_chars and faction.label != faction.short:
                label = faction.label if len(faction.label) <= label_chars else faction.label[: label_chars - 1].rstrip() + "…"
                offset = 16 * fs + short.get_window_extent(renderer).width + 6 * fs
                self._add(
                    self._fit(
                        lax.text(
                            x + offset,
                            y,
                            shaped(label, self.lang),
                            fontsize=7.6 * fs,
                            va="center",
                            color="#666666",
                            parse_math=False,
                            family=FONT,
                        ),
                        room - offset + 16 * fs,
                        label,
                    )
                )

    # --- output -------------------------------------------------------------------------
    def rgb(self) -> np.ndarray:
        """The drawn figure as an (height, width, 3) uint8 array."""
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()

    def png(self) -> bytes:
        out = io.BytesIO()
        Image.fromarray(self.rgb()).save(out, format="PNG", optimize=True)
        return out.getvalue()

    def close(self) -> None:
        self.fig.clear()


def _outline() -> dict | None:
    try:
        return mapping(syria_outline())
    except (OSError, ValueError, KeyError):
        return None


def parse_size(text: str) -> tuple[int, int]:
    """'1200x675', 'landscape' or 'square' -> (width, height)."""
    if text in SIZES:
        return SIZES[text]
    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"'{text}' is not a size like 1200x675, 'landscape' or 'square'") from None
    if not (200 <= w <= 4000 and 200 <= h <= 4000):
        raise ValueError(f"size {w}x{h} is out of range (200..4000 px a side)")
    return w, h


def png_bytes(
    dataset: Dataset,
    timeline: Timeline,
    day: date,
    territory=None,
    size: tuple[int, int] = LANDSCAPE,
    link: str | None = None,
    lang: str = DEFAULT_LANG,
) -> bytes:
    """A PNG of the map at the end of `day` (image/png), `size` pixels, in `lang` (the dataset named in it)."""
    picture = DayPicture(dataset, timeline, territory, size, link, lang=lang)
    try:
        picture.draw(day)
        return picture.png()
    finally:
        picture.close()


# --- the timelapse --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AnimationStats:
    path: Path
    frames: int
    bytes: int
    seconds: float


def _palette_image(frames: list[np.ndarray]) -> Image.Image:
    """One 255-colour palette for the whole animation (no flicker; frames then differ only where the map does)."""
    stacked = np.concatenate(frames, axis=0)
    return Image.fromarray(stacked).quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def write_animation(
    dataset: Dataset,
    timeline: Timeline,
    path: str | Path,
    territory=None,
    size: tuple[int, int] = LANDSCAPE,
    frame_ms: int = 700,
    hold_ms: int = 2500,
    days: Iterable[date] | None = None,
    link: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    lang: str = DEFAULT_LANG,
) -> AnimationStats:
    """A timelapse, one frame per day (the date in the caption), to OUT.gif (Pillow) or OUT.mp4 (ffmpeg, when installed).

    The last frame is held `hold_ms`; every other frame shows `frame_ms`."""
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".gif", ".mp4"):
        raise ValueError(f"{path}: the animation must be a .gif or .mp4 file")
    if kind == ".mp4" and shutil.which("ffmpeg") is None:
        raise ValueError("MP4 needs ffmpeg (apt-get install ffmpeg); write a .gif instead")
    if frame_ms < 20 or hold_ms < 0:
        raise ValueError("frame_ms must be at least 20 and hold_ms at least 0")
    days = list(timeline.days if days is None else days)
    if not days:
        raise ValueError("no days to animate")
    started = time.perf_counter()
    picture = DayPicture(dataset, timeline, territory, size, link, lang=lang)
    try:
        with replacing(path) as temporary:  # a failure part-way leaves an earlier file as it was
            if kind == ".gif":
                _write_gif(picture, days, temporary, frame_ms, hold_ms, progress)
            else:
                _write_mp4(picture, days, temporary, frame_ms, hold_ms, progress)
    finally:
        picture.close()
    return AnimationStats(path, len(days), path.stat().st_size, time.perf_counter() - started)


def _write_gif(picture: DayPicture, days: list[date], path: Path, frame_ms: int, hold_ms: int, progress) -> None:
    # the palette from a few frames spread over the period (every colour that shows up), then every frame
    sample = sorted({days[round(i * (len(days) - 1) / 5)] for i in range(6)}) if len(days) > 1 else days
    shots = []
    for day in sample:
        picture.draw(day)
        shots.append(picture.rgb()[::2, ::2])
    palette = _palette_image(shots)
    frames = []
    for i, day in enumerate(days):
        picture.draw(day)
        frames.append(Image.fromarray(picture.rgb()).quantize(palette=palette, dither=Image.Dither.NONE))
        if progress:
            progress(i + 1, len(days))
    durations = [frame_ms] * (len(frames) - 1) + [max(frame_ms, hold_ms)]
    frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=False, disposal=1)


def _write_mp4(picture: DayPicture, days: list[date], path: Path, frame_ms: int, hold_ms: int, progress) -> None:
    """H.264 in MP4 at 25 fps (what every social network takes): one input frame per day, the last one held."""
    width, height = picture.size
    hold = max(0, hold_ms - frame_ms) / 1000
    command = [
        shutil.which("ffmpeg") or "ffmpeg",
        "-y",
        "-loglevel",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-framerate",
        f"1000/{frame_ms}",
        "-i",
        "-",
        "-vf",
        f"pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white,tpad=stop_mode=clone:stop_duration={hold:.3f},fps=25",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(path),
    ]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stderr is not None
    try:
        for i, day in enumerate(days):
            picture.draw(day)
            proc.stdin.write(picture.rgb().tobytes())
            if progress:
                progress(i + 1, len(days))
        proc.stdin.close()
        err = proc.stderr.read()
        proc.wait(timeout=600)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}")
