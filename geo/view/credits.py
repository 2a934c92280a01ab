"""Who the map credits, said once for the dashboard, the standalone page and the picture.

- the outlets: the publishers the baseline and the events cite (geo.reading.outlets.publisher), most cited first;
- the tiles: OpenStreetMap's contributors (and CARTO's light map), linked, as their licences ask;
- the map's own sources (border, places, control): the credit_* words of geo.view.words.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from geo.base.model import Dataset
from geo.reading.outlets import publisher
from geo.view.escape import esc
from geo.view.words import DEFAULT_LANG, words

OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
CARTO_ATTRIBUTIONS = "https://carto.com/attributions"
TILE_PROVIDERS = {
    "carto": (("OpenStreetMap", OSM_COPYRIGHT, True), ("CARTO", CARTO_ATTRIBUTIONS, False)),
    "osm": (("OpenStreetMap", OSM_COPYRIGHT, True),),
}  # name -> (who, their page, "contributors"?)


def credited_outlets(dataset: Dataset, until: date | None = None) -> list[str]:
    """The publishers cited by the baseline and the events of days up to `until` (every event without it),
    most cited first, then by name."""
    events = dataset.events if until is None else [e for e in dataset.events if e.date <= until]
    counts = Counter(publisher(s.outlet) for s in (*dataset.baseline_sources, *(s for e in events for s in e.sources)))
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))


def tile_attribution_html(tiles: str = "carto", lang: str = DEFAULT_LANG, new_tab: bool = True) -> str:
    """'© OpenStreetMap contributors © CARTO' with links (fixed text; 'contributors' in `lang`)."""
    target = ' target="_blank" rel="noopener noreferrer"' if new_tab else ""
    contributors = esc(words(lang)["contributors"])
    return " ".join(
        f'© <a href="{url}"{target}>{who}</a>' + (f" {contributors}" if people else "") for who, url, people in TILE_PROVIDERS[tiles]
    )
