"""The table view of a day: every place and who held it at the end of the day, as plain rows.

An alternative to the map for screen readers and for copying: the dashboard shows it sortable and filterable,
following the day and the language (the dataset and timeline given are named in it: geo.view.localize).
"""

from __future__ import annotations

from datetime import date

from geo.base.model import Dataset
from geo.timeline.control import Timeline
from geo.view.look import control_words, day_label
from geo.view.words import DEFAULT_LANG, kind_label, words

COLUMNS = ("place", "kind", "governorate", "holder", "since", "status", "basis")


def day_rows(dataset: Dataset, timeline: Timeline, day: date, lang: str = DEFAULT_LANG) -> list[dict[str, str]]:
    """One row per place, in the order of its name: the words of COLUMNS (plain text, never markup)."""
    w = words(lang)
    state = timeline.state_on(day)
    factions = dataset.factions_on(day)
    rows = []
    for pid, place in dataset.places.items():
        s = state[pid]
        rows.append(
            {
                "place": place.name,
                "kind": kind_label(place.kind, lang),
                "governorate": place.governorate,
                "holder": control_words(s.control, factions, lang),
                "since": day_label(s.since, lang)
                if s.event is not None
                else w["baseline"].format(day=day_label(s.since, lang)).rstrip("."),
                "status": w.get(s.status, s.status),
                "basis": w["inferred" if s.basis == "inferred" else "reported"],
                "id": pid,
            }
        )
    return sorted(rows, key=lambda r: (r["place"].casefold(), r["id"]))


def filter_rows(rows: list[dict[str, str]], query: str) -> list[dict[str, str]]:
    """The rows with every word of `query` in one of their cells (case-insensitive); all of them for an empty query."""
    needles = query.casefold().split()
    if not needles:
        return rows
    return [r for r in rows if all(any(n in r[c].casefold() for c in COLUMNS) for n in needles)]


def headers(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The columns' titles in `lang`."""
    w = words(lang)
    return {c: w[f"col_{c}"] for c in COLUMNS}
