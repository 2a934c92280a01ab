"""A dataset in the reader's language: the same places, events and factions, named in that language.

`localized(dataset, "ar")` gives each place its Arabic name (`name_ar`) and governorate, each faction (and each
of its later names) its `label_ar`/`short_ar`, each period its `name_ar`, and the title in Arabic; everything
that builds text from a dataset (the panels, the map application's payload, the picture) then speaks Arabic
without knowing it. A name missing in Arabic keeps the data's own. Events are unchanged: their summaries,
notes, outlets and titles stay as written (the views mark them as English).
"""

from __future__ import annotations

from dataclasses import replace

from geo.base.model import Dataset, Faction, FactionName
from geo.view.words import DEFAULT_LANG, day_label, governorate, words


def localized(dataset: Dataset, lang: str) -> Dataset:
    """The dataset named in `lang` (itself for English)."""
    if lang == DEFAULT_LANG:
        return dataset
    last = dataset.reports_to or (dataset.events[-1].date if dataset.events else dataset.baseline_date)
    title = words(lang)["data_title"].format(first=day_label(dataset.baseline_date, lang), last=day_label(last, lang))
    places = {pid: replace(p, name=p.name_ar or p.name, governorate=governorate(p.governorate, lang)) for pid, p in dataset.places.items()}
    factions = {fid: _faction(f) for fid, f in dataset.factions.items()}
    periods = tuple(replace(p, name=p.name_ar or p.name) for p in dataset.periods)
    return replace(dataset, title=title, places=places, factions=factions, periods=periods)


def _faction(f: Faction) -> Faction:
    renames = tuple(_name(r) for r in f.renames)
    return replace(f, label=f.label_ar or f.label, short=f.short_ar or f.short, description="", renames=renames)


def _name(r: FactionName) -> FactionName:
    return replace(r, label=r.label_ar or r.label, short=r.short_ar or r.short, description="")
