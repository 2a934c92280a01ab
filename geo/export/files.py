"""Downloads of one day's state for other tools: GeoJSON (QGIS, geopandas) and CSV (spreadsheets).

Pure functions returning bytes, shared by the dashboard's download buttons and
`python -m geo export`:

- `geojson_bytes(dataset, timeline, day, territory=None)`: an RFC 7946 FeatureCollection
  (lon/lat, WGS84) with one Point per place and its state that day; with a
  `TerritoryModel`, also the day's approximate zones (Polygons) and front lines
  (LineStrings). Every feature has a `layer` property ("place", "zone", "front_line"),
  so QGIS and geopandas can filter one kind out. Attributes are flat (lists joined
  with ";"), so the file also converts to a Shapefile or GeoPackage as it is.
- `download_bytes(kind, ...)`: any of DOWNLOADS (the above, the PNG picture of geo.export.picture and the
  self-contained interactive page of geo.export.static_html) by kind, with its file name and type.
- `csv_bytes(dataset, timeline, day)`: the columns of `python -m geo state --format csv`
  (geo.view.tables.STATE_COLUMNS), UTF-8. Text cells that a spreadsheet would run as a
  formula (starting with = + - @, a tab or a CR) get a leading apostrophe; `python -m geo state --format csv`
  writes this same text (csv_text).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date

from geo.base.model import Dataset
from geo.timeline.control import Timeline
from geo.view.escape import safe_colour
from geo.view.tables import STATE_COLUMNS, state_rows
from geo.view.words import DEFAULT_LANG, words

_EN = words(DEFAULT_LANG)
ZONES_NOTE = _EN["zones_note"]
ATTRIBUTION = f"{_EN['credit_control']} (events.yaml). {_EN['credit_places']}. {_EN['credit_border']}."  # geo.view.words' credits
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def file_stem(day: date) -> str:
    """The base name of every download of `day`: 'syria-control-2024-12-06'."""
    return f"syria-control-{day.isoformat()}"


def _faction_label(dataset: Dataset, faction_id: str, day: date) -> str:
    faction = dataset.factions.get(faction_id)
    return faction.on(day).label if faction else faction_id


def place_features(dataset: Dataset, timeline: Timeline, day: date) -> list[dict]:
    """One GeoJSON Point Feature per place (gazetteer order), with its state at the end of `day`."""
    state = timeline.state_on(day)
    features = []
    for row in state_rows(dataset, timeline, day):
        place = dataset.places[row["place_id"]]
        s = state[place.id]
        event = s.event
        props = {
            "layer": "place",
            "date": day.isoformat(),
            **{k: row[k] for k in STATE_COLUMNS if k not in ("lat", "lon")},
            "name_ar": place.name_ar,
            "aliases": ";".join(place.aliases),
            "controller_name": _faction_label(dataset, s.controller, day),
            "colour": safe_colour(dataset.factions[s.controller].colour if s.controller in dataset.factions else None),
            "summary": event.summary if event is not None else "",
            "claimed_by": (event.claimed_by or "") if event is not None else "",
            "denied_by": (event.denied_by or "") if event is not None else "",
            "sources": "; ".join(
                f"{src.outlet}, {src.title} ({src.date.isoformat()})" + (f" {src.url}" if src.url else "")
                for src in (event.sources if event is not None else dataset.baseline_sources)
            ),
        }
        features.append(
            {
                "type": "Feature",
                "id": place.id,
                "geometry": {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]},
                "properties": props,
            }
        )
    return features


def _oriented(geometry: dict) -> dict:
    """RFC 7946 winding: exterior rings counter-clockwise, holes clockwise."""
    import shapely  # only for zones: the dashboard imports this module before its first elements, shapely later
    from shapely.geometry import mapping, shape

    geom = shape(geometry)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom)
    return mapping(geom)


def territory_features(dataset: Dataset, territory, day: date) -> list[dict]:
    """The day's zones and front lines from a TerritoryModel, as flat-attributed Features."""
    data = territory.geojson_on(day)
    features = []
    for f in data["zones"]["features"]:
        p = f["properties"]
        features.append(
            {
                "type": "Feature",
                "geometry": _oriented(f["geometry"]),
                "properties": {
                    "layer": "zone",
                    "date": day.isoformat(),
                    "controller": p["controller"],
                    "controller_name": _faction_label(dataset, p["controller"], day),
                    "colour": safe_colour(dataset.factions[p["controller"]].colour if p["controller"] in dataset.factions else None),
                    "mode": p["mode"],
                    "contested_with": ";".join(p["contested_with"]),
                    "area_km2": p["area_km2"],
                    "places": p["places"],
                    "note": ZONES_NOTE,
                },
            }
        )
    for f in data["front_lines"]["features"]:
        p = f["properties"]
        features.append(
            {
                "type": "Feature",
                "geometry": f["geometry"],
                "properties": {
                    "layer": "front_line",
                    "date": day.isoformat(),
                    "factions": ";".join(p["factions"]),
                    "length_km": p["length_km"],
                    "note": ZONES_NOTE,
                },
            }
        )
    return features


def geojson_dict(dataset: Dataset, timeline: Timeline, day: date, territory=None) -> dict:
    """The FeatureCollection of `day`: places, then (with `territory`) zones and front lines."""
    timeline.state_on(day)  # DateOutOfRange before the first day
    features = place_features(dataset, timeline, day)
    if territory is not None:
        features += territory_features(dataset, territory, day)
    collection = {
        "type": "FeatureCollection",
        "name": file_stem(day),
        "title": dataset.title,
        "date": day.isoformat(),
        "attribution": ATTRIBUTION,
        "features": features,
    }
    if territory is not None:
        collection["note"] = ZONES_NOTE
    return collection


def geojson_bytes(dataset: Dataset, timeline: Timeline, day: date, territory=None) -> bytes:
    """`geojson_dict` as UTF-8 JSON (application/geo+json)."""
    return json.dumps(geojson_dict(dataset, timeline, day, territory), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cell(value: object) -> object:
    """A text cell that a spreadsheet would evaluate gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(dataset: Dataset, timeline: Timeline, day: date) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=STATE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in state_rows(dataset, timeline, day):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def csv_bytes(dataset: Dataset, timeline: Timeline, day: date) -> bytes:
    """The state at the end of `day` as CSV (text/csv, UTF-8), one row per place."""
    return csv_text(dataset, timeline, day).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Download:
    kind: str
    label: str
    mime: str
    every_day: bool = False  # the whole timeline in one file, whatever the day

    def file_name(self, day: date) -> str:
        return "syria-control-map.html" if self.every_day else f"{file_stem(day)}.{self.kind}"


DOWNLOADS = {
    d.kind: d
    for d in (
        Download("png", "Picture (PNG)", "image/png"),
        Download("geojson", "GeoJSON", "application/geo+json"),
        Download("csv", "CSV", "text/csv"),
        Download("html", "Interactive map (HTML)", "text/html", every_day=True),
    )
}


def download_bytes(
    kind: str,
    dataset: Dataset,
    timeline: Timeline,
    day: date | None,
    territory=None,
    size: tuple[int, int] | None = None,
    link: str | None = None,
    lang: str = "en",
) -> bytes:
    """The file of DOWNLOADS[kind] for `day` (None only for a file of every day; zones and front lines included
    when `territory` is given).
    matplotlib and the page template are imported only when a picture or page is asked for."""
    if kind not in DOWNLOADS:
        raise ValueError(f"unknown download {kind!r}: one of {', '.join(DOWNLOADS)}")
    if kind == "html":
        from geo.export import static_html

        return static_html.html_bytes(dataset, timeline, territory, lang=lang)
    if day is None:
        raise ValueError(f"a {kind} download is of one day: day=None is for a file of every day")
    if kind == "geojson":
        return geojson_bytes(dataset, timeline, day, territory)
    if kind == "csv":
        return csv_bytes(dataset, timeline, day)
    from geo.export import picture  # png

    return picture.png_bytes(dataset, timeline, day, territory, size or picture.LANDSCAPE, link=link, lang=lang)
