"""What the browser's map application receives, once per dataset: the whole timeline as plain JSON-able data.

The browser moves the day itself (geo/map/web/map_app.js): a day is a lookup in each place's short history
and a recolouring of fixed zone cells, so nothing goes over the network while the user scrubs. The same
payload drives the dashboard's map and the standalone HTML export (geo/map/page.py).

- places[i].h: the place's states, each from day index `d` (the state on any day is the last entry at or
  before it): holder `c`, contesters `k`, part-holder `s`, status `st`, basis `b`, the change's event `e`
  (-1: the baseline), its words `w` under the names of that day, and its marker icons `i` (and `ih`, ringed
  as changed that day) as indexes into `icons` (SVG built here from whitelisted shapes and checked colours).
- events: the changes (mergers included, one per place) with their headline and sources, for the panels.
- zones (optional): the weighted Voronoi cells as fixed geometry (lon/lat, simplified once), the places of
  each cell, each cell's area, the edges shared by neighbouring cells (a front line is drawn where the
  holders on the two sides differ), and the "no data" ground beyond the places' reach.
Strings are raw text, never markup: the page puts them in with textContent.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import numpy as np
import shapely
from shapely.geometry import mapping

from geo.base.model import Dataset, Event, Source
from geo.map.render import marker_style, place_bounds
from geo.territory.outline import outline_geojson
from geo.timeline.control import Timeline
from geo.view.credits import credited_outlets
from geo.view.escape import safe_colour, safe_url
from geo.view.look import (
    CONTESTED_OPACITY,
    FRONT_STYLE,
    NO_DATA_STYLE,
    ZONE_EDGE_OPACITY,
    ZONE_OPACITY,
    MarkerStyle,
    control_words,
    day_label,
    icon_svg,
)
from geo.view.present import change_headline, sentence, status_words, svg_uri, symbol_rows
from geo.view.words import DEFAULT_LANG, kind_label, text_dir, weekday, words

ZONES_NOTE = words(DEFAULT_LANG)["zones_note"]
SIMPLIFY_M = 1_000.0  # the cells' edges, simplified together once (about a pixel at zoom 7)
DECIMALS = 4  # ~10 m


def map_payload(dataset: Dataset, timeline: Timeline, territory=None, tiles: dict | None = None, lang: str = DEFAULT_LANG) -> dict:
    """Everything the map application shows, for every day, in `lang` (the dataset and timeline named in it:
    geo.view.localize) with the interface's words (`ui`). `territory`: a TerritoryModel (zones), or None."""
    first = timeline.first_day
    days = timeline.days
    sources: list[dict] = []
    source_index: dict[tuple, int] = {}

    def source_id(s: Source) -> int:
        key = (s.outlet, s.title, s.date, s.url)
        if key not in source_index:
            source_index[key] = len(sources)
            sources.append({"o": s.outlet, "t": s.title, "d": day_label(s.date, lang), "u": safe_url(s.url)})
        return source_index[key]

    icons: list[list] = []
    icon_index: dict[str, int] = {}

    def icon_id(style: MarkerStyle) -> int:
        key = style.key()
        if key not in icon_index:
            icon_index[key] = len(icons)
            icons.append([icon_svg(style), style.size, (1000 if style.halo else 0) + int(style.radius * 10)])
        return icon_index[key]

    events: list[dict] = []
    event_index: dict[int, int] = {}

    def event_id(e: Event) -> int:
        if id(e) not in event_index:
            event_index[id(e)] = len(events)
            events.append({})
        return event_index[id(e)]

    for day in days:  # ids in the order of each day's changes, as the dashboard lists them
        for event in timeline.events_on(day):
            event_id(event)
    places = []
    for p_index, place in enumerate(dataset.places.values()):
        history = []
        previous = None
        for state in timeline.history(place.id):
            e = state.event
            e_id = event_id(e) if e is not None else -1
            d = (state.since - first).days
            entry = {
                "d": d,
                "c": state.controller,
                "k": list(state.control.contested_with),
                "s": state.control.secondary,
                "st": state.status,
                "b": state.basis,
                "w": control_words(state.control, dataset.factions_on(state.since), lang),
                "e": e_id,
                "i": icon_id(marker_style(place, state, dataset.factions, False)),
                "ih": icon_id(marker_style(place, state, dataset.factions, True)),
            }
            history.append(entry)
            if e is not None:
                events[e_id] = {
                    "d": d,
                    "p": p_index,
                    "hl": change_headline(dataset, e, previous, lang),
                    "st": e.status,
                    "b": e.basis,
                    "sw": sentence(status_words(e, lang)),
                    "who": [x for x in (e.claimed_by, e.denied_by) if x],
                    "sum": e.summary,
                    "q": e.date_qualifier,
                    "n": e.note,
                    "c": e.control.controller,
                    "m": e.merger is not None,
                    "src": [source_id(s) for s in e.sources],
                }
            previous = state
        places.append(
            {
                "id": place.id,
                "name": place.name,
                "ar": place.name_ar,
                "kind": kind_label(place.kind, lang),
                "gov": place.governorate,
                "aka": list(place.aliases),
                "lat": round(place.lat, 5),
                "lon": round(place.lon, 5),
                "h": history,
            }
        )
    changes = Counter((e["d"]) for e in events)
    return {
        "v": 2,
        "lang": lang,
        "dir": text_dir(lang),
        "ui": words(lang),
        "title": dataset.title,
        "days": [d.isoformat() for d in days],
        "labels": [day_label(d, lang) for d in days],
        "weekdays": [weekday(d, lang) for d in days],
        "reportsTo": day_label(dataset.reports_to, lang) if dataset.reports_to else None,
        "changes": [changes.get(i, 0) for i in range(len(days))],
        "periods": [
            {"name": p.name, "from": max(0, (p.start - first).days), "to": min(len(days) - 1, (p.end - first).days)}
            for p in dataset.periods
            if p.end >= first and p.start <= days[-1]
        ],
        "factions": [
            {
                "id": fid,
                "colour": safe_colour(f.colour),
                "short": f.short,
                "label": f.label,
                "about": f.description,
                "names": [[(r.start - first).days, r.short, r.label, r.description] for r in f.renames],
                "gone": next(((m.date - first).days for m in dataset.mergers if m.faction == fid), None),
            }
            for fid, f in dataset.factions.items()
        ],
        "places": places,
        "events": events,
        "sources": sources,
        "baseline": {"d": day_label(dataset.baseline_date, lang), "src": [source_id(s) for s in dataset.baseline_sources]},
        "outlets": credited_outlets(dataset),  # the whole timeline's (the page's footer), as the dashboard credits them
        "icons": icons,
        "symbols": [[svg_uri(svg), text] for svg, text in symbol_rows(dataset, territory is not None, territory is not None, lang)],
        "inferredWords": words(lang)["sym_inferred"],
        "bounds": [list(b) for b in place_bounds(dataset)],
        "outline": outline_geojson(),
        "style": {
            "zoneOpacity": ZONE_OPACITY,
            "contestedOpacity": CONTESTED_OPACITY,
            "edgeOpacity": ZONE_EDGE_OPACITY,
            "front": FRONT_STYLE,
            "noData": NO_DATA_STYLE,
        },
        "zones": zones_payload(territory, lang) if territory is not None else None,
        "tiles": tiles,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),  # UTC (the page's words say so)
    }


def zones_payload(territory, lang: str = DEFAULT_LANG) -> dict:
    """The cells as fixed geometry (simplified together, so neighbours keep one common edge), their places,
    areas and shared edges, and the no-data ground. Array-wise: with 20,000 places there are ~60,000 edges,
    and one shapely or pyproj call per geometry costs minutes."""
    from geo.territory.zones import linear_parts, to_lonlat

    tess = territory.tessellation
    index = {pid: i for i, pid in enumerate(territory.dataset.places)}
    cells = np.array(tess.cells, dtype=object)
    simplified = shapely.coverage_simplify(cells, SIMPLIFY_M) if len(cells) else np.empty(0, dtype=object)

    def lonlat(geoms: np.ndarray) -> list[dict | None]:
        """GeoJSON geometries in lon/lat, rounded to DECIMALS (None for an empty one): one projection for all."""
        if not len(geoms):
            return []
        projected = shapely.transform(to_lonlat(geoms), lambda xy: np.round(xy, DECIMALS))
        return [None if g is None or g.is_empty else mapping(g) for g in projected]

    pairs = np.array([(edge.a, edge.b) for edge in tess.edges], dtype=int).reshape(-1, 2)
    boundaries = shapely.boundary(simplified) if len(simplified) else simplified
    touching = np.flatnonzero(shapely.intersects(simplified[pairs[:, 0]], simplified[pairs[:, 1]]))
    lines = np.full(len(pairs), None, dtype=object)
    shared = shapely.intersection(boundaries[pairs[touching, 0]], boundaries[pairs[touching, 1]])
    lines[touching] = list(linear_parts(shared))
    missing = ~shapely.is_geometry(lines) | shapely.is_empty(lines)
    if missing.any():
        lines[missing] = shapely.simplify(np.array([edge.line for edge in tess.edges], dtype=object)[missing], SIMPLIFY_M)
    edges = [[int(ea), int(eb), found] for (ea, eb), found in zip(pairs, lonlat(lines), strict=True) if found is not None]
    nodata = shapely.simplify(tess.nodata, SIMPLIFY_M) if not tess.nodata.is_empty else None
    return {
        "note": words(lang)["zones_note"],
        "reachKm": territory.reach_km,
        "cells": lonlat(simplified),
        "sites": [[index[p] for p in members] for members in tess.site_places],
        "km2": [round(float(a), 1) for a in tess.cell_km2],
        "edges": edges,
        "nodata": lonlat(np.array([nodata], dtype=object))[0] if nodata is not None else None,
        "nodataKm2": round(tess.nodata_km2, 1),
    }
