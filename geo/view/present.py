"""View-model logic of the dashboard: pure functions, no streamlit.

Query parameters in and out, stepping and playing through the days, the legend,
the "what changed" panel, a place's history and the page's captions. Anything that
produces HTML escapes every data string with `geo.view.escape.esc` and builds links only
with `geo.view.escape.link`; the HTML is one line per block (no blank lines), so
Streamlit's Markdown renderer passes it through as an HTML block, untouched.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from geo.base.days import iso_day
from geo.base.model import STATUSES, Dataset, Event, Place, PlaceState, Source
from geo.timeline.control import Rename, Timeline
from geo.view.credits import credited_outlets, tile_attribution_html
from geo.view.escape import esc, link, safe_colour
from geo.view.look import (
    MarkerStyle,
    control_words,
    day_label,
    faction_colour,
    faction_name,
    factions_listed_on,
    front_swatch_svg,
    icon_svg,
    zone_swatch_svg,
)
from geo.view.symbols import KIND_SYMBOLS, STATE_KEY, key_kinds
from geo.view.words import DEFAULT_LANG, LANG_PARAM, governorate, kind_label, words

DATE_PARAM = "date"
PLACE_PARAM = "place"
ZONES_PARAM = "zones"  # zones=0: no zones on the map
FRONTS_PARAM = "fronts"  # fronts=0: no front lines
COMPARE_PARAM = "compare"  # compare=YYYY-MM-DD: what changed hands between that day and the day shown
_OFF, _ON = frozenset({"0", "false", "off", "no"}), frozenset({"1", "true", "on", "yes"})
_PLACE_ID = re.compile(r"[a-z0-9_]{1,80}")
_SHOWABLE = re.compile(r"[^0-9A-Za-z.:+-]")


# --- query parameters ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ViewParams:
    day: date
    place: str | None = None
    notices: tuple[str, ...] = ()
    zones: bool = True
    fronts: bool = True
    compare: date | None = None


def shown_value(value: str, limit: int = 40) -> str:
    """A user-typed parameter made safe to quote in a Markdown notice: odd characters become '?'."""
    text = _SHOWABLE.sub("?", value[:limit])
    return text + ("…" if len(value) > limit else "")


def _distinct(raw: object) -> list[str]:
    """A query parameter's different non-blank values, stripped, in order (one value or a list of repeats)."""
    values = raw if isinstance(raw, list | tuple) else () if raw is None else (raw,)
    return list(dict.fromkeys(text for text in (str(v).strip() for v in values) if text))


def _single(params: Mapping[str, str | list[str]], name: str) -> tuple[str, int]:
    """A query parameter's value ("" when missing or blank) and how many different values the link gives
    it: a link that says two things at once is ambiguous."""
    values = _distinct(params.get(name))
    return (values[0] if len(values) == 1 else ""), len(values)


def _repeated(name: str, count: int, fallback: str, w: Mapping[str, str] | None = None) -> str:
    return (w or words(DEFAULT_LANG))["link_repeated"].format(name=name, count=count, fallback=fallback)


def parse_flag(raw: object) -> bool | None:
    """An on/off query parameter: '0', 'false', 'off', 'no' -> False; '1', 'true', 'on', 'yes' -> True; else None."""
    values = _distinct(raw)
    text = values[0].lower() if len(values) == 1 else ""
    return False if text in _OFF else True if text in _ON else None


def parse_view_params(
    params: Mapping[str, str | list[str]],
    first_day: date,
    last_day: date,
    place_ids: Mapping | frozenset | set,
    lang: str = DEFAULT_LANG,
) -> ViewParams:
    """The view a URL asks for. Missing: the default (last day, no place). Invalid, out of range or
    repeated with different values: the default too, with a notice (in `lang`) saying what was ignored; never an exception."""
    w = words(lang)
    notices = []
    day = last_day
    latest = w["link_latest"].format(day=day_label(last_day, lang))
    text, count = _single(params, DATE_PARAM)
    if count > 1:
        notices.append(_repeated(DATE_PARAM, count, latest, w))
    elif text:
        asked = iso_day(text)
        if asked is None:
            notices.append(w["link_bad_date"].format(text=shown_value(text), like=last_day.isoformat(), fallback=latest))
        elif not first_day <= asked <= last_day:
            notices.append(
                w["link_date_outside"].format(
                    day=asked.isoformat(), first=first_day.isoformat(), last=last_day.isoformat(), fallback=latest
                )
            )
        else:
            day = asked
    place = None
    text, count = _single(params, PLACE_PARAM)
    if count > 1:
        notices.append(_repeated(PLACE_PARAM, count, w["link_no_place"], w))
    elif text:
        if _PLACE_ID.fullmatch(text) and text in place_ids:
            place = text
        else:
            notices.append(w["link_bad_place"].format(text=shown_value(text), fallback=w["link_no_place"]))
    layers = []
    for name, what in ((ZONES_PARAM, "link_zones"), (FRONTS_PARAM, "link_fronts")):
        text, count = _single(params, name)
        flag = parse_flag(text)
        if count > 1:
            notices.append(_repeated(name, count, w[what], w))
        elif flag is None and text:
            notices.append(w["link_bad_flag"].format(name=name, fallback=w[what]))
        layers.append(flag is not False)
    compare = None
    text, count = _single(params, COMPARE_PARAM)
    if count > 1:
        notices.append(_repeated(COMPARE_PARAM, count, w["link_no_compare"], w))
    elif text:
        asked = iso_day(text)
        if asked is None or not first_day <= asked <= last_day:
            notices.append(w["link_bad_compare"].format(text=shown_value(text), fallback=w["link_no_compare"]))
        else:
            compare = asked
    zones, fronts = layers
    return ViewParams(day, place, tuple(notices), zones, fronts, compare)


def map_view(day: date, compare: date | None, place: str | None, focus: str | None, zones: bool, fronts: bool) -> dict:
    """What the dashboard tells the map application: the view, and whether to bring the place into view."""
    return {
        "day": day.isoformat(),
        "compare": compare.isoformat() if compare is not None else None,
        "place": place,
        "focus": focus is not None and focus == place,
        "zones": zones,
        "fronts": fronts,
    }


def view_query(
    day: date, place: str | None, zones: bool = True, fronts: bool = True, compare: date | None = None, lang: str = DEFAULT_LANG
) -> dict[str, str]:
    """The query parameters that reopen this view; the date is always there, zones and front lines only when off,
    the language only when not the default."""
    query = {DATE_PARAM: day.isoformat()}
    if place:
        query[PLACE_PARAM] = place
    if compare is not None:
        query[COMPARE_PARAM] = compare.isoformat()
    if not zones:
        query[ZONES_PARAM] = "0"
    if not fronts:
        query[FRONTS_PARAM] = "0"
    if lang != DEFAULT_LANG:
        query[LANG_PARAM] = lang
    return query


# --- symbols and legend ------------------------------------------------------------
def svg_uri(svg: str) -> str:
    """A data URI of an SVG we built (the legend's images here, the map application's symbol key)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_img(svg: str, title: str = "") -> str:
    """An <img> of an SVG we built (data URI), for the legend."""
    alt = esc(title)
    return f'<img src="{svg_uri(svg)}" alt="{alt}" title="{alt}" style="vertical-align:middle">'


@dataclass(frozen=True, slots=True)
class LegendRow:
    faction: str
    short: str
    label: str
    colour: str
    count: int
    change: int = 0  # against the day before
    area_km2: float | None = None  # of the approximate zones (None: no zone figures)
    contested_km2: float = 0.0  # the contested part of area_km2
    population: int | None = None  # of the listed places held
    inferred: int = 0  # of `count`, places whose state rests on inference


ZONES_CAPTION = words(DEFAULT_LANG)["zones_caption"]


def legend_rows(dataset: Dataset, timeline: Timeline, day: date, stats: Sequence[Mapping[str, Any]] | None = None) -> list[LegendRow]:
    """One row per faction, in the data's order: its colour and the places it holds at the end of `day`;
    with `stats` (TerritoryModel.stats_on(day)) also its zones' km² and the population of its listed places."""
    counts = timeline.counts_on(day)
    before = timeline.counts_on(day - timedelta(days=1)) if day > timeline.first_day else counts
    by_faction = {row["faction"]: row for row in stats or ()}
    inferred = inferred_counts(timeline, day)
    rows = []
    for fid, f in factions_listed_on(dataset, day).items():
        row = LegendRow(
            fid,
            f.short,
            f.label,
            safe_colour(f.colour),
            counts.get(fid, 0),
            counts.get(fid, 0) - before.get(fid, 0),
            inferred=inferred.get(fid, 0),
        )
        if stats is not None:
            figures = by_faction.get(fid, {})
            row = replace(
                row,
                area_km2=float(figures.get("area_km2", 0.0)),
                contested_km2=float(figures.get("contested_km2", 0.0)),
                population=int(figures.get("population", 0)),
            )
        rows.append(row)
    return rows


def inferred_counts(timeline: Timeline, day: date) -> dict[str, int]:
    """Places per holder whose current state rests on inference (basis: inferred) at the end of `day`."""
    counts: dict[str, int] = {}
    for state in timeline.state_on(day).values():
        if state.basis == "inferred":
            counts[state.controller] = counts.get(state.controller, 0) + 1
    return counts


def km2_text(km2: float, lang: str = DEFAULT_LANG) -> str:
    """'12,300 km²': to 100 km² from 1,000 km², to 10 below; an estimate, so no false precision."""
    unit = words(lang)["km2"]
    if km2 <= 0:
        return unit.format(n="0")
    if km2 < 10:
        return unit.format(n="<10")
    return unit.format(n=f"{round(km2, -2 if km2 >= 1000 else -1):,.0f}")


def people_text(people: int, lang: str = DEFAULT_LANG) -> str:
    """'2.1 M', '850 k', '9,500': a head count to two or three figures."""
    w = words(lang)
    if people >= 1_000_000:
        return w["millions"].format(n=f"{people / 1e6:.1f}")
    if people >= 10_000:
        return w["thousands"].format(n=f"{people / 1e3:,.0f}")
    return f"{people:,}"


def legend_html(
    rows: list[LegendRow], total: int, nodata_km2: float | None = None, reach_km: float | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The legend table: places held (and the change), and when the rows have them, zone km² and listed population;
    with `nodata_km2`, the ground too far from every listed place to be anyone's (counted apart, in the total)."""
    w = words(lang)
    figures = any(row.area_km2 is not None for row in rows)
    right = 'style="text-align:end;white-space:nowrap"'
    items = []
    if figures:
        items.append(
            f'<tr class="muted" style="font-size:.8rem"><td></td><td></td><td {right}>{w["places_col"]}</td>'
            f"<td {right}>{w['area_col']}</td><td {right}>{w['population_col']}</td></tr>"
        )
    for row in rows:
        # a coloured box, not an SVG image: the legend is sent on every settle
        swatch = (
            f'<span class="syria-swatch" title="{esc(row.short)}" style="display:inline-block;width:13px;height:13px;'
            f'background:{row.colour};border:1px solid #222;border-radius:2px;vertical-align:middle"></span>'
        )
        delta = f' <span class="delta">({row.change:+d})</span>' if row.change else ""
        if row.inferred:
            delta += f' <span class="muted inferred" title="{w["inferred_of"]}">{w["inf_short"].format(n=row.inferred)}</span>'
        extra = ""
        if figures:
            contested = w["contested_km2"].format(km2=km2_text(row.contested_km2, lang)) if row.contested_km2 > 0 else w["none_contested"]
            extra = (
                f'<td {right} data-area="{esc(row.faction)}" title="{contested}">{km2_text(row.area_km2 or 0.0, lang)}</td>'
                f'<td {right} data-population="{esc(row.faction)}">{people_text(row.population or 0, lang)}</td>'
            )
        items.append(
            f'<tr><td style="min-width:22px">{swatch}</td><td title="{esc(row.label)}"><b>{esc(row.short)}</b> '
            f'<span class="muted">{esc(row.label)}</span></td>'
            f'<td {right} data-faction="{esc(row.faction)}"><b>{row.count}</b>{delta}</td>{extra}</tr>'
        )
    totals = ""
    if figures and nodata_km2:
        reach = w["no_data_reach"].format(km=f"{reach_km or 0:g}")
        items.append(
            f'<tr class="muted"><td></td><td>{w["no_data_row"]} <span style="font-size:.8rem">{reach}</span></td><td></td>'
            f'<td {right} data-area="nodata">{km2_text(nodata_km2, lang)}</td><td></td></tr>'
        )
    if figures:
        totals = (
            f"<td {right}>{km2_text(sum(r.area_km2 or 0.0 for r in rows) + (nodata_km2 or 0.0), lang)}</td>"
            f"<td {right}>{people_text(sum(r.population or 0 for r in rows), lang)}</td>"
        )
    caption = f'<p class="muted syria-zones-caption" style="font-size:.8rem;margin:.3rem 0 0">* {w["zones_caption"]}</p>' if figures else ""
    return (
        '<div class="syria-legend"><table style="width:100%;border-collapse:collapse">'
        + "".join(items)
        + f'<tr><td></td><td class="muted">{w["all_places"]}</td><td style="text-align:end">{total}</td>{totals}</tr></table>'
        + _inferred_line(sum(row.inferred for row in rows), lang)
        + caption
        + "</div>"
    )


def _inferred_line(inferred: int, lang: str = DEFAULT_LANG) -> str:
    w = words(lang)
    text = w["no_inference"] if not inferred else w["inference_one" if inferred == 1 else "inference_many"].format(n=inferred)
    return f'<p class="muted syria-inferred" style="font-size:.8rem;margin:.3rem 0 0">{text}</p>'


def symbol_rows(dataset: Dataset, zones: bool = True, fronts: bool = True, lang: str = DEFAULT_LANG) -> list[tuple[str, str]]:
    """(svg, explanation) for every symbol the map can show: shapes by kind (those in the data), then modes,
    statuses, changes, and the zones and front lines when they are shown."""
    grey = "#9E9E9E"
    example = "#4477AA"
    other = "#DDAA33"
    w = words(lang)
    rows = [
        (icon_svg(MarkerStyle(KIND_SYMBOLS[kind][0], KIND_SYMBOLS[kind][1], grey)), kind_label(kind, lang))
        for kind in key_kinds(p.kind for p in dataset.places.values())
    ]
    samples = {
        "held": MarkerStyle("circle", 7.5, example),
        "contested": MarkerStyle("circle", 7.5, example, ring=other),
        "split": MarkerStyle("circle", 7.5, example, fill2=other),
        "claimed": MarkerStyle("circle", 7.5, example, outline="claimed"),
        "disputed": MarkerStyle("circle", 7.5, example, outline="disputed"),
        "inferred": MarkerStyle("circle", 7.5, example, inferred=True),
        "changed": MarkerStyle("circle", 7.5, example, halo=True),
        "selected": MarkerStyle("circle", 7.5, example, selected=True),
    }
    rows += [(icon_svg(samples[state]), w[f"sym_{state}"]) for state in STATE_KEY]
    if zones:
        rows += [(zone_swatch_svg(example), w["sym_zone"]), (zone_swatch_svg(example, other), w["sym_zone_contested"])]
    if fronts:
        rows.append((front_swatch_svg(), w["sym_front"]))
    return rows


def symbols_html(rows: list[tuple[str, str]]) -> str:
    """The symbol key: a grid that is two or more columns wide where there is room, one on a phone."""
    cells = "".join(
        '<div style="display:flex;align-items:center;gap:.35rem;min-height:1.6rem">'
        f'<span style="display:inline-block;min-width:30px;text-align:center">{svg_img(svg, text)}</span>'
        f"<span>{esc(text)}</span></div>"
        for svg, text in rows
    )
    return (
        '<div class="syria-symbols" style="font-size:.8rem;display:grid;column-gap:.6rem;'
        f'grid-template-columns:repeat(auto-fill,minmax(12.5rem,1fr))">{cells}</div>'
    )


# --- events in words ------------------------------------------------------------------
def sentence(text: str) -> str:
    """First letter up, a full stop at the end; the rest as written (names keep their capitals)."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def status_words(event: Event, lang: str = DEFAULT_LANG) -> str:
    """Plain text: 'confirmed', 'claimed by HTS', 'disputed: claimed by X, denied by Y', '…; inferred'."""
    return _status_text(event, lang, str, str)


def status_html(event: Event, lang: str = DEFAULT_LANG) -> str:
    """status_words as escaped HTML, who claimed and denied (data text) marked as English in another language."""
    return _status_text(event, lang, _template_html, lambda who: data_text(who, lang))


def _template_html(text: str) -> str:
    """One of our words with {fields}, escaped for HTML (the fields kept, to be filled with HTML)."""
    return esc(text).replace("&#x7B;", "{").replace("&#x7D;", "}")


def _status_text(event: Event, lang: str, text, who) -> str:
    """The status in words: `text` turns our words into the output's form, `who` the data's claimants."""
    w = words(lang)
    status = _status_only(event, lambda key: text(w.get(key, key)), who)
    return text(w["inferred_tail"]).format(words=status) if event.basis == "inferred" else status


def _status_only(event: Event, t, who) -> str:
    if event.merger is not None:
        return t("merger_status").format(status=t(event.status))
    if event.status == "claimed":
        return t("claimed_by").format(who=who(event.claimed_by)) if event.claimed_by else t("claimed")
    if event.status == "disputed":
        text = t("disputed")
        if event.claimed_by:
            text += ": " + t("claimed_by").format(who=who(event.claimed_by))
        if event.denied_by:
            text += ", " + t("denied_by").format(who=who(event.denied_by))
        return text
    return t("confirmed")


def change_headline(dataset: Dataset, event: Event, before: PlaceState | None, lang: str = DEFAULT_LANG) -> str:
    """Plain text: what the event did to the place, e.g. 'HTS took Aleppo from Government'."""
    w = words(lang)
    place = dataset.places[event.place].name if event.place in dataset.places else event.place
    f = dataset.factions_on(event.date)
    new, ctl = faction_name(f, event.control.controller), event.control
    if event.merger is not None:
        gone = faction_name(dataset.factions_on(event.date - timedelta(days=1)), event.merger.faction)
        return w["hl_merger"].format(place=place, new=new, gone=gone)
    old = faction_name(f, before.controller) if before is not None else None
    if ctl.contested_with:
        attackers = w["and"].join(faction_name(f, x) for x in ctl.contested_with)
        return w["hl_contest" if len(ctl.contested_with) > 1 else "hl_contest1"].format(attackers=attackers, place=place, new=new)
    if before is not None and before.controller != ctl.controller:
        text = w["hl_took"].format(new=new, place=place, old=old)
        if ctl.secondary:
            text += w["hl_part"].format(part=faction_name(f, ctl.secondary))
        return text
    if ctl.secondary:
        return w["hl_split"].format(place=place, new=new, part=faction_name(f, ctl.secondary))
    if before is not None and before.control.contested_with:
        return w["hl_over"].format(new=new, place=place)
    return w["hl_holds"].format(new=new, place=place)


@dataclass(frozen=True, slots=True)
class ChangeItem:
    event: Event
    place: Place | None
    headline: str
    before: PlaceState | None
    colour: str
    sources: tuple[Source, ...] = field(default=())


def _state_before(timeline: Timeline, event: Event) -> PlaceState | None:
    history = timeline.history(event.place)
    for i, state in enumerate(history):
        if state.event is event:
            return history[i - 1] if i > 0 else None
    return None


def change_items(dataset: Dataset, timeline: Timeline, day: date, lang: str = DEFAULT_LANG) -> list[ChangeItem]:
    """The events of `day`, in file order, each with the state it replaced."""
    if not timeline.first_day <= day <= timeline.last_day:
        return []
    items = []
    for event in timeline.events_on(day):
        before = _state_before(timeline, event)
        colour = faction_colour(dataset.factions, event.control.controller)
        headline = change_headline(dataset, event, before, lang)
        items.append(ChangeItem(event, dataset.places.get(event.place), headline, before, colour, event.sources))
    return items


def sources_html(sources: tuple[Source, ...], lang: str = DEFAULT_LANG) -> str:
    """'Reuters, “Headline” (6 Dec 2024); ...' with the headline linked when the source has an http(s) URL.
    Outlets and titles stay as published: marked as English in the Arabic view."""
    mark = ' lang="en" dir="ltr"' if lang != "en" else ""
    return "; ".join(f"<span{mark}>{esc(s.outlet)}, “{link(s.url, s.title)}”</span> ({day_label(s.date, lang)})" for s in sources)


def data_text(text: str, lang: str = DEFAULT_LANG) -> str:
    """Escaped prose from the data files (written in English): marked so in the Arabic view."""
    return f'<span lang="en" dir="ltr">{esc(text)}</span>' if lang != "en" else esc(text)


def _status_badge(status: str, lang: str = DEFAULT_LANG) -> str:
    colours = {"confirmed": "#2E7D32", "claimed": "#9A5B00", "disputed": "#C62828"}
    colour = colours.get(status, "#555555")
    known = status if status in STATUSES else "unknown"
    return (
        f'<span class="status status-{esc(known)}" style="border:1px solid {colour};color:{colour};'
        f'border-radius:.6rem;padding:0 .4rem;font-size:.8rem;white-space:nowrap">{words(lang)[known]}</span>'
    )


def _basis_badge(basis: str, lang: str = DEFAULT_LANG) -> str:
    if basis != "inferred":
        return ""
    w = words(lang)
    return (
        ' <span class="basis basis-inferred" style="border:1px dashed #555555;color:#555555;border-radius:.6rem;'
        f'padding:0 .4rem;font-size:.8rem;white-space:nowrap" title="{w["no_source_names"]}">{w["inferred"]}</span>'
    )


def changes_html(items: list[ChangeItem], day: date, lang: str = DEFAULT_LANG) -> str:
    w = words(lang)
    if not items:
        return f'<div class="syria-changes"><p class="muted">{w["no_change"].format(day=day_label(day, lang))}</p></div>'
    blocks = []
    for item in items:
        e = item.event
        when = f" ({data_text(e.date_qualifier, lang)})" if e.date_qualifier else ""
        note = f'<br><span class="muted">{w["note"].format(text=data_text(e.note, lang))}</span>' if e.note else ""
        blocks.append(
            f'<li style="margin-bottom:.5rem;border-inline-start:4px solid {item.colour};padding-inline-start:.5rem;list-style:none">'
            f"<b>{esc(item.headline)}</b>{when} {_status_badge(e.status, lang)}{_basis_badge(e.basis, lang)}"
            f"<br>{data_text(e.summary, lang)}"
            f'<br><span class="muted">{sentence(status_html(e, lang))}</span>{note}'
            f'<br><span style="font-size:.85rem">{w["sources"].format(list=sources_html(e.sources, lang))}</span></li>'
        )
    return f'<div class="syria-changes"><ul style="padding-inline-start:0">{"".join(blocks)}</ul></div>'


# --- comparing two days ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompareGroup:
    faction: str
    short: str
    colour: str
    places: tuple[tuple[str, str], ...]  # (place name, the holder it was taken from, short name)
    net_km2: float | None = None  # zone area gained minus lost (None: no zone figures)


def compare_groups(
    dataset: Dataset,
    timeline: Timeline,
    a: date,
    b: date,
    stats_a: Sequence[Mapping[str, Any]] | None = None,
    stats_b: Sequence[Mapping[str, Any]] | None = None,
) -> list[CompareGroup]:
    """The places whose holder differs between days a and b, grouped by their holder on b (the data's faction
    order), with each side's net zone area change when the zone figures of both days are given."""
    before, after = timeline.state_on(a), timeline.state_on(b)
    names_a, names_b = dataset.factions_on(a), dataset.factions_on(b)
    gained: dict[str, list[tuple[str, str]]] = {}
    for pid, place in dataset.places.items():
        x, y = before[pid].controller, after[pid].controller
        if x != y:
            gained.setdefault(y, []).append((place.name, faction_name(names_a, x)))
    area: dict[str, float] = {}
    if stats_a is not None and stats_b is not None:
        for row in stats_b:
            area[row["faction"]] = area.get(row["faction"], 0.0) + float(row.get("area_km2", 0.0))
        for row in stats_a:
            area[row["faction"]] = area.get(row["faction"], 0.0) - float(row.get("area_km2", 0.0))
    groups = []
    for fid in dataset.factions:
        if fid in gained or abs(area.get(fid, 0.0)) >= 1:
            groups.append(
                CompareGroup(
                    fid,
                    faction_name(names_b, fid),
                    faction_colour(dataset.factions, fid),
                    tuple(gained.get(fid, ())),
                    area.get(fid) if area else None,
                )
            )
    return groups


def compare_html(groups: list[CompareGroup], a: date, b: date, lang: str = DEFAULT_LANG) -> str:
    w = words(lang)
    head = f"<p><b>{w['changed_between'].format(a=day_label(a, lang), b=day_label(b, lang))}</b></p>"
    if not any(g.places for g in groups):
        head += f'<p class="muted">{w["no_place_changed"]}</p>'
    items = []
    for g in groups:
        area = f' <span class="muted">{w["zone_area"].format(km2=km2_delta(g.net_km2, lang))}</span>' if g.net_km2 is not None else ""
        names = w["list_sep"].join(w["from_holder"].format(place=name, old=old) for name, old in g.places)
        count = w["gained"].format(n=len(g.places)) if g.places else w["gained_none"]
        items.append(
            f'<li style="border-inline-start:4px solid {g.colour};padding-inline-start:.5rem;list-style:none;margin-bottom:.4rem" '
            f'data-compare="{esc(g.faction)}"><b>{esc(g.short)}</b> {count}{area}'
            + (f'<br><span style="font-size:.85rem">{esc(names)}</span>' if names else "")
            + "</li>"
        )
    return f'<div class="syria-compare">{head}<ul style="padding-inline-start:0">{"".join(items)}</ul></div>'


def km2_delta(km2: float | None, lang: str = DEFAULT_LANG) -> str:
    """'+1,200 km²' / '−300 km²' (approximate zones)."""
    if km2 is None:
        return ""
    sign = "+" if km2 >= 0 else "−"
    return f"{sign}{km2_text(abs(km2), lang)}"


# --- a place's history -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class HistoryRow:
    since: date
    control: str  # plain words
    colour: str
    status: str
    summary: str
    sources: tuple[Source, ...]
    baseline: bool
    qualifier: str | None = None
    event: Event | None = None  # the change (its status words are built as HTML from it)


def history_rows(dataset: Dataset, timeline: Timeline, place_id: str, lang: str = DEFAULT_LANG) -> list[HistoryRow]:
    """The baseline state of a place and every event that changed it, oldest first."""
    w = words(lang)
    rows = []
    for state in timeline.history_entries(place_id):
        if isinstance(state, Rename):
            rows.append(
                HistoryRow(
                    since=state.since,
                    control=state.name.label,
                    colour=faction_colour(dataset.factions, state.faction),
                    status=w["renamed"],
                    summary=w["renamed_summary"].format(old=state.old_label, new=state.name.label),
                    sources=state.name.sources,
                    baseline=False,
                )
            )
            continue
        e = state.event
        colour = faction_colour(dataset.factions, state.controller)
        rows.append(
            HistoryRow(
                since=state.since,
                control=control_words(state.control, dataset.factions_on(state.since), lang),
                colour=colour,
                status=w.get(state.status, state.status) if e is None else status_words(e, lang),
                summary=e.summary if e is not None else w["baseline_summary"],
                sources=e.sources if e is not None else dataset.baseline_sources,
                baseline=e is None,
                qualifier=e.date_qualifier if e is not None else None,
                event=e,
            )
        )
    return rows


def history_html(place: Place, rows: list[HistoryRow], day: date | None = None, lang: str = DEFAULT_LANG) -> str:
    """A place's history. In the Arabic view `place` is the localized one (geo.view.localize): its name is the Arabic name."""
    w = words(lang)
    other = f' <span dir="rtl" lang="ar">{esc(place.name_ar)}</span>' if lang == "en" and place.name_ar else ""
    also = w["also"].format(names=data_text(", ".join(place.aliases), lang)) if place.aliases and lang == "en" else ""
    head = (
        f'<div class="syria-history"><p><b>{esc(place.name)}</b>{other}'
        f'<br><span class="muted">{esc(kind_label(place.kind, lang))}, '
        f"{esc(w['governorate'].format(gov=governorate(place.governorate, lang)))}"
        + also
        + '</span></p><ol style="padding-inline-start:1.1rem">'
    )
    items = []
    for row in rows:
        current = day is not None and row.since <= day
        when = day_label(row.since, lang) + (f" ({data_text(row.qualifier, lang)})" if row.qualifier else "")
        label = w["from_day" if row.baseline else "on_day"].format(day=when)
        summary = esc(row.summary) if row.baseline or row.status == w["renamed"] else data_text(row.summary, lang)
        items.append(
            f'<li style="margin-bottom:.4rem{";opacity:.55" if not current else ""}">'
            f'{label}: <b style="border-bottom:3px solid {row.colour}">{esc(row.control)}</b> '
            f'<span class="muted">({status_html(row.event, lang) if row.event is not None else esc(row.status)})</span><br>{summary}'
            f'<br><span style="font-size:.85rem">{w["sources"].format(list=sources_html(row.sources, lang))}</span></li>'
        )
    return head + "".join(items) + "</ol></div>"


# --- searching places ----------------------------------------------------------------------
def place_options(dataset: Dataset) -> list[str]:
    """Place ids sorted by name, for the search box."""
    return sorted(dataset.places, key=lambda pid: (dataset.places[pid].name.casefold(), pid))


def place_label(place: Place, lang: str = DEFAULT_LANG) -> str:
    """Plain text (the search box shows it as text): name, Arabic name, aliases and kind, all searchable;
    in Arabic the Arabic name first. `place`: as in the data (not localized)."""
    names = [place.name_ar, place.name] if lang == "ar" and place.name_ar else [place.name, place.name_ar]
    label = " · ".join(n for n in names if n)
    if place.aliases:
        label += f" ({', '.join(place.aliases)})"
    kind = kind_label(place.kind, lang)
    return f"{label}{words(lang)['list_sep']}{kind.lower() if lang == 'en' else kind}"


# --- captions --------------------------------------------------------------------------
def as_of_caption(dataset: Dataset, timeline: Timeline, lang: str = DEFAULT_LANG) -> str:
    """One line (Markdown-safe: no data strings): how current the data is."""
    w = words(lang)
    last_change = timeline.event_days[-1] if timeline.event_days else timeline.first_day
    reports = w["reports_read"].format(day=day_label(dataset.reports_to, lang)) if dataset.reports_to is not None else ""
    return w["as_of"].format(
        last=day_label(timeline.last_day, lang),
        places=len(dataset.places),
        events=len(dataset.events),
        first=day_label(timeline.first_day, lang),
        change=day_label(last_change, lang),
        reports=reports,
    )


def unused_areas_notice(place_ids: tuple[str, ...]) -> str:
    """One line (Markdown-safe: place ids are a-z, 0-9 and _) naming places whose `area` could not be drawn."""
    shown = ", ".join(f"`{pid}`" for pid in place_ids[:10]) + (f" and {len(place_ids) - 10} more" if len(place_ids) > 10 else "")
    return f"The area of {shown} has no usable polygon (run `python -m geo validate`); the zones count such a place as its point."


def outlets(dataset: Dataset) -> list[str]:
    """Every publisher cited, most cited first (plain text): geo.view.credits, as the page and the picture credit them."""
    return credited_outlets(dataset)


def attribution_html(dataset: Dataset, lang: str = DEFAULT_LANG) -> str:
    """The outlets, the tiles and the map's own sources (geo.view.credits), for the foot of the dashboard."""
    names = outlets(dataset)
    w = words(lang)
    listed = data_text(", ".join(names), lang) if names else w["none"]
    return (
        f'<div class="syria-attribution" style="font-size:.85rem">{w["sources"].format(list=listed)}. '
        f"{w['credit_tiles']} {tile_attribution_html('carto', lang)}. {esc(w['credit_places'])}. {esc(w['credit_border'])}.</div>"
    )


METHOD_MD = """\
**What the map shows.** Every place in the gazetteer, coloured by the faction that held it at the
**end** of the chosen day. The timeline starts from a sourced baseline (below) and applies the
hand-curated events of `events.yaml` in order; nothing is inferred between events.

**Statuses.** *Confirmed*: an independent source confirms the change. *Claimed*: one side says so and
nobody has verified it yet. *Disputed*: one side says so and the other denies it. Claims are drawn
hollow so they are never mistaken for facts.

**Places.** Coordinates come from the offline GeoNames gazetteer; crossings and bases GeoNames lacks
carry hand coordinates with a documented source. A marker is a point, not a front line: control of a
city says nothing about the countryside around it.

**Zones are approximate.** The coloured areas are inferred from held places, not surveyed front lines:
no source here maps where one side's ground ends. Each place gets the ground nearest to it (a Voronoi
cell, measured in an equal-area projection and clipped to Syria's border; cities pull further than
bases and crossings, and a few places such as the 55 km zone around al-Tanf have a known extent);
a day's zones are these cells merged by who held each place at the end of the day. A contested place
gives a striped zone, a split place counts for its main holder, and the dashed front lines are where
zones of different sides meet. Villages, desert and mountains are coloured only because they lie near a
listed place, so the areas (km², equal-area) are estimates. Population is the sum of the GeoNames
figures of the listed places each side holds (often pre-war census numbers), not of the people in the
zones. The full method is in `docs/zones.md`.

**Share a view.** The address bar always holds the day and the selected place
(`?date=2024-12-06&place=homs`, with `&zones=0` or `&fronts=0` when those are switched off): copy it
to share exactly this view.

**Corrections.** Edit `events.yaml` (every event needs a source), run `python -m geo validate`, and
open a pull request.
"""


def baseline_html(dataset: Dataset, lang: str = DEFAULT_LANG) -> str:
    """The baseline's date and sources (escaped)."""
    w = words(lang)
    return (
        f'<div class="syria-baseline" style="font-size:.9rem">{w["baseline"].format(day=day_label(dataset.baseline_date, lang))} '
        f"{w['sources'].format(list=sources_html(dataset.baseline_sources, lang) or w['none'])}.</div>"
    )


def method_md(lang: str = DEFAULT_LANG) -> str:
    """'Data & method' in Markdown (no data strings)."""
    return METHOD_MD_AR if lang == "ar" else METHOD_MD


METHOD_MD_AR = """\
**ما تُظهره الخريطة.** كل موقع في المعجم الجغرافي، ملوَّنًا بلون الفصيل الذي سيطر عليه في **نهاية** اليوم المختار.
يبدأ الخط الزمني من وضع أولي موثَّق بمصادر (أدناه) ويطبّق الأحداث المنسَّقة يدويًا في `events.yaml` بالترتيب؛ ولا يُستنتَج شيء
بين الأحداث.

**الحالات.** *مؤكَّد*: مصدر مستقل يؤكد التغيير. *ادّعاء*: يقول به طرف ولم يتحقق منه أحد بعد. *متنازَع عليه*: يقول به طرف
وينفيه الآخر. تُرسَم الادعاءات مفرَّغة حتى لا تُحسَب وقائع.

**المواقع.** الإحداثيات من معجم GeoNames الجغرافي؛ والمعابر والقواعد التي لا يعرفها GeoNames لها إحداثيات يدوية بمصدر موثَّق.
الرمز نقطة لا خط جبهة: السيطرة على مدينة لا تقول شيئًا عن الريف حولها.

**المناطق تقريبية.** المساحات الملوَّنة مستنتَجة من المواقع المسيطَر عليها، لا خطوط جبهة مَسوحة: يأخذ كل موقع الأرض الأقرب إليه
(خلية فورونوي، تُقاس بإسقاط متساوي المساحة وتُقصّ بحدود سوريا)، ومناطق اليوم هي هذه الخلايا مجمَّعة بحسب من سيطر على كل موقع في
نهاية اليوم. الموقع محلّ القتال يعطي منطقة مخطَّطة، وخطوط الجبهة المتقطعة هي حيث تلتقي مناطق أطراف مختلفة. لذلك المساحات (كم²)
تقديرات، والسكان مجموع أرقام GeoNames للمواقع المُدرجة التي يسيطر عليها كل طرف، لا سكان المناطق. المنهج كاملًا في `docs/zones.md`.

**مشاركة العرض.** يحفظ شريط العنوان دائمًا اليوم والموقع المحدَّد واللغة (`?date=2024-12-06&place=homs&lang=ar`): انسخه لمشاركة
هذا العرض بعينه.

**التصحيحات.** عدّل `events.yaml` (كل حدث يحتاج مصدرًا)، وشغّل `python -m geo validate`، وافتح طلب دمج.

نصوص الأحداث (الملخصات والملاحظات) وأسماء وسائل الإعلام وعناوين المصادر تبقى كما نُشرت، بالإنجليزية.
"""
