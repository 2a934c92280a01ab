"""View-model logic of the dashboard: pure functions, no streamlit.

Query parameters in and out, stepping and playing through the days, the legend,
the "what changed" panel, a place's history and the page's captions. Anything that
produces HTML escapes every data string with `geo.escape.esc` and builds links only
with `geo.escape.link`; the HTML is one line per block (no blank lines), so
Streamlit's Markdown renderer passes it through as an HTML block, untouched.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from geo.escape import esc, link, safe_colour
from geo.look import (
    MarkerStyle,
    control_words,
    day_label,
    faction_colour,
    faction_name,
    front_swatch_svg,
    icon_svg,
    zone_swatch_svg,
)
from geo.model import STATUSES, Dataset, Event, Place, PlaceState, Source
from geo.symbols import KIND_SYMBOLS
from geo.timeline import Rename, Timeline

DATE_PARAM = "date"
PLACE_PARAM = "place"
ZONES_PARAM = "zones"  # zones=0: no zones on the map
FRONTS_PARAM = "fronts"  # fronts=0: no front lines
COMPARE_PARAM = "compare"  # compare=YYYY-MM-DD: what changed hands between that day and the day shown
_OFF, _ON = frozenset({"0", "false", "off", "no"}), frozenset({"1", "true", "on", "yes"})
_PLACE_ID = re.compile(r"[a-z0-9_]{1,80}")
_SHOWABLE = re.compile(r"[^0-9A-Za-z.:+-]")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def iso_day(text: str) -> date | None:
    """YYYY-MM-DD only, the links' own form (date.fromisoformat also takes week dates such as 2024-W48-6)."""
    try:
        return date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else None
    except ValueError:
        return None


def _repeated(name: str, count: int, fallback: str) -> str:
    return f"The link gives {name} {count} different values: {fallback}."


def parse_flag(raw: object) -> bool | None:
    """An on/off query parameter: '0', 'false', 'off', 'no' -> False; '1', 'true', 'on', 'yes' -> True; else None."""
    values = _distinct(raw)
    text = values[0].lower() if len(values) == 1 else ""
    return False if text in _OFF else True if text in _ON else None


def parse_view_params(
    params: Mapping[str, str | list[str]], first_day: date, last_day: date, place_ids: Mapping | frozenset | set
) -> ViewParams:
    """The view a URL asks for. Missing: the default (last day, no place). Invalid, out of range or
    repeated with different values: the default too, with a notice saying what was ignored; never an exception."""
    notices = []
    day = last_day
    latest = f"showing the latest day, {day_label(last_day)}"
    text, count = _single(params, DATE_PARAM)
    if count > 1:
        notices.append(_repeated(DATE_PARAM, count, latest))
    elif text:
        asked = iso_day(text)
        if asked is None:
            notices.append(f"The link's date `{shown_value(text)}` is not a date like {last_day.isoformat()}: {latest}.")
        elif not first_day <= asked <= last_day:
            notices.append(f"The link's date {asked.isoformat()} is outside the data "
                           f"({first_day.isoformat()} to {last_day.isoformat()}): {latest}.")
        else:
            day = asked
    place = None
    text, count = _single(params, PLACE_PARAM)
    if count > 1:
        notices.append(_repeated(PLACE_PARAM, count, "no place is selected"))
    elif text:
        if _PLACE_ID.fullmatch(text) and text in place_ids:
            place = text
        else:
            notices.append(f"The link's place `{shown_value(text)}` is not in the gazetteer: no place is selected.")
    layers = []
    for name, what in ((ZONES_PARAM, "zones"), (FRONTS_PARAM, "front lines")):
        text, count = _single(params, name)
        flag = parse_flag(text)
        if count > 1:
            notices.append(_repeated(name, count, f"showing the {what}"))
        elif flag is None and text:
            notices.append(f"The link's {name} value is not 0 or 1: showing the {what}.")
        layers.append(flag is not False)
    compare = None
    text, count = _single(params, COMPARE_PARAM)
    if count > 1:
        notices.append(_repeated(COMPARE_PARAM, count, "no comparison is shown"))
    elif text:
        asked = iso_day(text)
        if asked is None or not first_day <= asked <= last_day:
            notices.append(f"The link's comparison date `{shown_value(text)}` is not a day of the data: no comparison is shown.")
        else:
            compare = asked
    return ViewParams(day, place, tuple(notices), *layers, compare=compare)


def map_view(day: date, compare: date | None, place: str | None, focus: str | None, zones: bool, fronts: bool) -> dict:
    """What the dashboard tells the map application: the view, and whether to bring the place into view."""
    return {"day": day.isoformat(), "compare": compare.isoformat() if compare is not None else None, "place": place,
            "focus": focus is not None and focus == place, "zones": zones, "fronts": fronts}


def view_query(day: date, place: str | None, zones: bool = True, fronts: bool = True, compare: date | None = None) -> dict[str, str]:
    """The query parameters that reopen this view; the date is always there, zones and front lines only when off."""
    query = {DATE_PARAM: day.isoformat()}
    if place:
        query[PLACE_PARAM] = place
    if compare is not None:
        query[COMPARE_PARAM] = compare.isoformat()
    if not zones:
        query[ZONES_PARAM] = "0"
    if not fronts:
        query[FRONTS_PARAM] = "0"
    return query


# --- stepping and playing ------------------------------------------------------------
def step_day(timeline: Timeline, day: date, action: str) -> date:
    """prev / next: one day; prev_event / next_event: the nearest day with events; first / last."""
    day = timeline.clamp(day)
    if action == "prev":
        return timeline.clamp(day - timedelta(days=1))
    if action == "next":
        return timeline.clamp(day + timedelta(days=1))
    if action == "next_event":
        return timeline.next_event_day(day) or timeline.last_day
    if action == "prev_event":
        return timeline.previous_event_day(day) or timeline.first_day
    if action == "first":
        return timeline.first_day
    if action == "last":
        return timeline.last_day
    raise ValueError(f"unknown step '{action}'")


def play_start(timeline: Timeline, day: date) -> date:
    """Where Play starts: from the day shown, or from the first day when it is already the last."""
    day = timeline.clamp(day)
    return timeline.first_day if day >= timeline.last_day else day


def play_tick(timeline: Timeline, day: date) -> tuple[date, bool]:
    """One step of Play: the next day, and whether to keep playing after it."""
    new_day = timeline.clamp(timeline.clamp(day) + timedelta(days=1))
    return new_day, new_day < timeline.last_day


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


ZONES_CAPTION = ("Areas are approximate zones inferred from held places, not surveyed front lines; "
                 "population counts the listed towns (GeoNames), not the zones.")


def legend_rows(dataset: Dataset, timeline: Timeline, day: date, stats: list[Mapping] | None = None) -> list[LegendRow]:
    """One row per faction, in the data's order: its colour and the places it holds at the end of `day`;
    with `stats` (TerritoryModel.stats_on(day)) also its zones' km² and the population of its listed places."""
    counts = timeline.counts_on(day)
    before = timeline.counts_on(day - timedelta(days=1)) if day > timeline.first_day else counts
    by_faction = {row["faction"]: row for row in stats or ()}
    inferred = inferred_counts(timeline, day)
    merged_by = {m.faction: m.date for m in dataset.mergers}
    rows = []
    for fid, f in dataset.factions_on(day).items():
        if fid in merged_by and merged_by[fid] < day:  # gone the day before: nothing left to count
            continue
        row = LegendRow(fid, f.short, f.label, safe_colour(f.colour), counts.get(fid, 0), counts.get(fid, 0) - before.get(fid, 0),
                        inferred=inferred.get(fid, 0))
        if stats is not None:
            figures = by_faction.get(fid, {})
            row = replace(row, area_km2=float(figures.get("area_km2", 0.0)), contested_km2=float(figures.get("contested_km2", 0.0)),
                          population=int(figures.get("population", 0)))
        rows.append(row)
    return rows


def inferred_counts(timeline: Timeline, day: date) -> dict[str, int]:
    """Places per holder whose current state rests on inference (basis: inferred) at the end of `day`."""
    counts: dict[str, int] = {}
    for state in timeline.state_on(day).values():
        if state.basis == "inferred":
            counts[state.controller] = counts.get(state.controller, 0) + 1
    return counts


def km2_text(km2: float) -> str:
    """'12,300 km²': to 100 km² from 1,000 km², to 10 below; an estimate, so no false precision."""
    if km2 <= 0:
        return "0 km²"
    if km2 < 10:
        return "<10 km²"
    return f"{round(km2, -2 if km2 >= 1000 else -1):,.0f} km²"


def people_text(people: int) -> str:
    """'2.1 M', '850 k', '9,500': a head count to two or three figures."""
    if people >= 1_000_000:
        return f"{people / 1e6:.1f} M"
    if people >= 10_000:
        return f"{people / 1e3:,.0f} k"
    return f"{people:,}"


def legend_html(rows: list[LegendRow], total: int, nodata_km2: float | None = None, reach_km: float | None = None) -> str:
    """The legend table: places held (and the change), and when the rows have them, zone km² and listed population;
    with `nodata_km2`, the ground too far from every listed place to be anyone's (counted apart, in the total)."""
    figures = any(row.area_km2 is not None for row in rows)
    right = 'style="text-align:right;white-space:nowrap"'
    items = []
    if figures:
        items.append(f'<tr class="muted" style="font-size:.8rem"><td></td><td></td><td {right}>places</td>'
                     f'<td {right}>zone area*</td><td {right}>population*</td></tr>')
    for row in rows:
        # a coloured box, not an SVG image: the legend is sent on every settle
        swatch = (f'<span class="syria-swatch" title="{esc(row.short)}" style="display:inline-block;width:13px;height:13px;'
                  f'background:{row.colour};border:1px solid #222;border-radius:2px;vertical-align:middle"></span>')
        delta = f' <span class="delta">({row.change:+d})</span>' if row.change else ""
        if row.inferred:
            delta += f' <span class="muted inferred" title="of which inferred from wider reports">{row.inferred} inf.</span>'
        extra = ""
        if figures:
            contested = f"of which {km2_text(row.contested_km2)} contested" if row.contested_km2 > 0 else "none contested"
            extra = (f'<td {right} data-area="{esc(row.faction)}" title="{contested}">{km2_text(row.area_km2 or 0.0)}</td>'
                     f'<td {right} data-population="{esc(row.faction)}">{people_text(row.population or 0)}</td>')
        items.append(
            f'<tr><td style="min-width:22px">{swatch}</td><td title="{esc(row.label)}"><b>{esc(row.short)}</b> '
            f'<span class="muted">{esc(row.label)}</span></td>'
            f'<td {right} data-faction="{esc(row.faction)}"><b>{row.count}</b>{delta}</td>{extra}</tr>'
        )
    totals = ""
    if figures and nodata_km2:
        items.append(f'<tr class="muted"><td></td><td>No data <span style="font-size:.8rem">(farther than {reach_km or 0:g} km from '
                     f'every listed place)</span></td><td></td><td {right} data-area="nodata">{km2_text(nodata_km2)}</td><td></td></tr>')
    if figures:
        totals = (f'<td {right}>{km2_text(sum(r.area_km2 or 0.0 for r in rows) + (nodata_km2 or 0.0))}</td>'
                  f'<td {right}>{people_text(sum(r.population or 0 for r in rows))}</td>')
    caption = f'<p class="muted syria-zones-caption" style="font-size:.8rem;margin:.3rem 0 0">* {ZONES_CAPTION}</p>' if figures else ""
    return (
        '<div class="syria-legend"><table style="width:100%;border-collapse:collapse">'
        + "".join(items)
        + f'<tr><td></td><td class="muted">All places</td><td style="text-align:right">{total}</td>{totals}</tr></table>'
        + _inferred_line(sum(row.inferred for row in rows)) + caption + "</div>"
    )


def _inferred_line(inferred: int) -> str:
    if not inferred:
        return '<p class="muted syria-inferred" style="font-size:.8rem;margin:.3rem 0 0">No place rests on inference this day.</p>'
    places = "place rests" if inferred == 1 else "places rest"
    return (f'<p class="muted syria-inferred" style="font-size:.8rem;margin:.3rem 0 0">{inferred} {places} on inference from a '
            "wider report (no source names the place; white centre dot).</p>")


def symbol_rows(dataset: Dataset, zones: bool = True, fronts: bool = True) -> list[tuple[str, str]]:
    """(svg, explanation) for every symbol the map can show: shapes by kind (those in the data), then modes,
    statuses, changes, and the zones and front lines when they are shown."""
    grey = "#9E9E9E"
    example = "#4477AA"
    other = "#DDAA33"
    kinds_present = {p.kind for p in dataset.places.values()}
    rows = [
        (icon_svg(MarkerStyle(shape, radius, grey)), label)
        for kind, (shape, radius, label) in KIND_SYMBOLS.items()
        if kind in kinds_present
    ]
    rows += [
        (icon_svg(MarkerStyle("circle", 7.5, example)), "Held (confirmed): holder's colour"),
        (icon_svg(MarkerStyle("circle", 7.5, example, ring=other)), "Contested: striped edge in the attacker's colour"),
        (icon_svg(MarkerStyle("circle", 7.5, example, fill2=other)), "Split: right half in the second holder's colour"),
        (icon_svg(MarkerStyle("circle", 7.5, example, outline="claimed")), "Claimed, not confirmed: hollow"),
        (icon_svg(MarkerStyle("circle", 7.5, example, outline="disputed")), "Disputed (denied): hollow, dotted edge"),
        (icon_svg(MarkerStyle("circle", 7.5, example, inferred=True)), INFERRED_WORDS),
        (icon_svg(MarkerStyle("circle", 7.5, example, halo=True)), "Changed on this day: black ring"),
        (icon_svg(MarkerStyle("circle", 7.5, example, selected=True)), "Selected place: blue dashed ring"),
    ]
    if zones:
        rows += [
            (zone_swatch_svg(example), "Zone (approximate): the ground nearest the places a side holds"),
            (zone_swatch_svg(example, other), "Contested zone: stripes in the attacker's colour, dashed edge"),
        ]
    if fronts:
        rows.append((front_swatch_svg(), "Front line (approximate): where two sides' zones meet"))
    return rows


INFERRED_WORDS = "Inferred from a wider report (no source names the place): white centre dot"


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


def status_words(event: Event) -> str:
    """Plain text: 'confirmed', 'claimed by HTS', 'disputed: claimed by X, denied by Y', '…; inferred'."""
    words = _status_only(event)
    return f"{words}; inferred from a wider report" if event.basis == "inferred" else words


def _status_only(event: Event) -> str:
    if event.merger is not None:
        return f"merger of factions (the place keeps its status: {event.status})"
    if event.status == "claimed":
        return f"claimed by {event.claimed_by}" if event.claimed_by else "claimed"
    if event.status == "disputed":
        words = "disputed"
        if event.claimed_by:
            words += f": claimed by {event.claimed_by}"
        if event.denied_by:
            words += f", denied by {event.denied_by}"
        return words
    return "confirmed"


def change_headline(dataset: Dataset, event: Event, before: PlaceState | None) -> str:
    """Plain text: what the event did to the place, e.g. 'HTS took Aleppo from Government'."""
    place = dataset.places[event.place].name if event.place in dataset.places else event.place
    f = dataset.factions_on(event.date)
    new, ctl = faction_name(f, event.control.controller), event.control
    if event.merger is not None:
        gone = faction_name(dataset.factions_on(event.date - timedelta(days=1)), event.merger.faction)
        return f"{place} passes to {new} as {gone} merges into it"
    old = faction_name(f, before.controller) if before is not None else None
    if ctl.contested_with:
        attackers = " and ".join(faction_name(f, x) for x in ctl.contested_with)
        verb = "contest" if len(ctl.contested_with) > 1 else "contests"
        return f"{attackers} {verb} {place}, held by {new}"
    if before is not None and before.controller != ctl.controller:
        text = f"{new} took {place} from {old}"
        if ctl.secondary:
            text += f"; {faction_name(f, ctl.secondary)} holds part of it"
        return text
    if ctl.secondary:
        return f"{place} is split: {new} holds it, {faction_name(f, ctl.secondary)} holds part"
    if before is not None and before.control.contested_with:
        return f"{new} holds {place}; the fighting is over"
    return f"{new} holds {place}"


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


def change_items(dataset: Dataset, timeline: Timeline, day: date) -> list[ChangeItem]:
    """The events of `day`, in file order, each with the state it replaced."""
    if not timeline.first_day <= day <= timeline.last_day:
        return []
    items = []
    for event in timeline.events_on(day):
        before = _state_before(timeline, event)
        colour = faction_colour(dataset.factions, event.control.controller)
        headline = change_headline(dataset, event, before)
        items.append(ChangeItem(event, dataset.places.get(event.place), headline, before, colour, event.sources))
    return items


def sources_html(sources: tuple[Source, ...]) -> str:
    """'Reuters, “Headline” (6 Dec 2024); ...' with the headline linked when the source has an http(s) URL."""
    return "; ".join(f"{esc(s.outlet)}, “{link(s.url, s.title)}” ({day_label(s.date)})" for s in sources)


def _status_badge(status: str) -> str:
    colours = {"confirmed": "#2E7D32", "claimed": "#B26A00", "disputed": "#C62828"}
    colour = colours.get(status, "#555555")
    label = esc(status if status in STATUSES else "unknown")
    return (f'<span class="status status-{label}" style="border:1px solid {colour};color:{colour};'
            f'border-radius:.6rem;padding:0 .4rem;font-size:.8rem;white-space:nowrap">{label}</span>')


def _basis_badge(basis: str) -> str:
    if basis != "inferred":
        return ""
    return (' <span class="basis basis-inferred" style="border:1px dashed #555555;color:#555555;border-radius:.6rem;'
            'padding:0 .4rem;font-size:.8rem;white-space:nowrap" title="no source names the place">inferred</span>')


def changes_html(items: list[ChangeItem], day: date) -> str:
    if not items:
        return f'<div class="syria-changes"><p class="muted">No recorded change of control on {day_label(day)}.</p></div>'
    blocks = []
    for item in items:
        e = item.event
        when = f" ({esc(e.date_qualifier)})" if e.date_qualifier else ""
        note = f'<br><span class="muted">Note: {esc(e.note)}</span>' if e.note else ""
        blocks.append(
            f'<li style="margin-bottom:.5rem;border-left:4px solid {item.colour};padding-left:.5rem;list-style:none">'
            f'<b>{esc(item.headline)}</b>{when} {_status_badge(e.status)}{_basis_badge(e.basis)}'
            f'<br>{esc(e.summary)}'
            f'<br><span class="muted">{esc(sentence(status_words(e)))}</span>{note}'
            f'<br><span style="font-size:.85rem">Sources: {sources_html(e.sources)}</span></li>'
        )
    return f'<div class="syria-changes"><ul style="padding-left:0">{"".join(blocks)}</ul></div>'


# --- comparing two days ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CompareGroup:
    faction: str
    short: str
    colour: str
    places: tuple[tuple[str, str], ...]  # (place name, the holder it was taken from, short name)
    net_km2: float | None = None  # zone area gained minus lost (None: no zone figures)


def compare_groups(dataset: Dataset, timeline: Timeline, a: date, b: date, stats_a: list[Mapping] | None = None,
                   stats_b: list[Mapping] | None = None) -> list[CompareGroup]:
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
            groups.append(CompareGroup(fid, faction_name(names_b, fid), faction_colour(dataset.factions, fid),
                                       tuple(gained.get(fid, ())), area.get(fid) if area else None))
    return groups


def compare_html(groups: list[CompareGroup], a: date, b: date) -> str:
    head = f'<p><b>Changed hands between {day_label(a)} and {day_label(b)}</b></p>'
    if not any(g.places for g in groups):
        head += '<p class="muted">No place changed hands.</p>'
    items = []
    for g in groups:
        area = f' <span class="muted">zone area {km2_delta(g.net_km2)}</span>' if g.net_km2 is not None else ""
        names = ", ".join(f"{name} (from {old})" for name, old in g.places)
        count = f"gained {len(g.places)}" if g.places else "no place gained"
        items.append(f'<li style="border-left:4px solid {g.colour};padding-left:.5rem;list-style:none;margin-bottom:.4rem" '
                     f'data-compare="{esc(g.faction)}"><b>{esc(g.short)}</b> {count}{area}'
                     + (f'<br><span style="font-size:.85rem">{esc(names)}</span>' if names else "") + "</li>")
    return f'<div class="syria-compare">{head}<ul style="padding-left:0">{"".join(items)}</ul></div>'


def km2_delta(km2: float | None) -> str:
    """'+1,200 km²' / '−300 km²' (approximate zones)."""
    if km2 is None:
        return ""
    sign = "+" if km2 >= 0 else "−"
    return f"{sign}{km2_text(abs(km2))}"


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


def history_rows(dataset: Dataset, timeline: Timeline, place_id: str) -> list[HistoryRow]:
    """The baseline state of a place and every event that changed it, oldest first."""
    rows = []
    for state in timeline.history_entries(place_id):
        if isinstance(state, Rename):
            rows.append(HistoryRow(
                since=state.since, control=state.name.label, colour=faction_colour(dataset.factions, state.faction),
                status="renamed", summary=f"{state.old_label} is now called {state.name.label}.",
                sources=state.name.sources, baseline=False,
            ))
            continue
        e = state.event
        colour = faction_colour(dataset.factions, state.controller)
        rows.append(HistoryRow(
            since=state.since,
            control=control_words(state.control, dataset.factions_on(state.since)),
            colour=colour,
            status=state.status if e is None else status_words(e),
            summary=e.summary if e is not None else "Baseline: the state the timeline starts from.",
            sources=e.sources if e is not None else dataset.baseline_sources,
            baseline=e is None,
            qualifier=e.date_qualifier if e is not None else None,
        ))
    return rows


def history_html(place: Place, rows: list[HistoryRow], day: date | None = None) -> str:
    head = (
        f'<div class="syria-history"><p><b>{esc(place.name)}</b> <span dir="rtl">{esc(place.name_ar)}</span>'
        f'<br><span class="muted">{esc(KIND_SYMBOLS.get(place.kind, ("", 0, place.kind))[2])}, '
        f'{esc(place.governorate)} governorate'
        + (f"; also {esc(', '.join(place.aliases))}" if place.aliases else "")
        + "</span></p><ol style=\"padding-left:1.1rem\">"
    )
    items = []
    for row in rows:
        current = day is not None and row.since <= day
        when = day_label(row.since) + (f" ({esc(row.qualifier)})" if row.qualifier else "")
        label = "From" if row.baseline else "On"
        items.append(
            f'<li style="margin-bottom:.4rem{";opacity:.55" if not current else ""}">'
            f'{label} {when}: <b style="border-bottom:3px solid {row.colour}">{esc(row.control)}</b> '
            f'<span class="muted">({esc(row.status)})</span><br>{esc(row.summary)}'
            f'<br><span style="font-size:.85rem">Sources: {sources_html(row.sources)}</span></li>'
        )
    return head + "".join(items) + "</ol></div>"


# --- searching places ----------------------------------------------------------------------
def place_options(dataset: Dataset) -> list[str]:
    """Place ids sorted by name, for the search box."""
    return sorted(dataset.places, key=lambda pid: (dataset.places[pid].name.casefold(), pid))


def place_label(place: Place) -> str:
    """Plain text (the search box shows it as text): name, Arabic name, aliases and kind, all searchable."""
    label = place.name
    if place.name_ar:
        label += f" · {place.name_ar}"
    if place.aliases:
        label += f" ({', '.join(place.aliases)})"
    kind = KIND_SYMBOLS.get(place.kind, ("", 0, place.kind))[2].lower()
    return f"{label}, {kind}"


def centre_of(dataset: Dataset, place_id: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a place to bring into view on the map, or None."""
    place = dataset.places.get(place_id) if place_id else None
    return (place.lat, place.lon) if place is not None else None


def clicked_place(value: object, place_ids: Mapping | set | frozenset) -> str | None:
    """The place id in what st_folium returned for a click (the clicked GeoJSON feature), if any."""
    if not isinstance(value, Mapping):
        return None
    feature = value.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    pid = props.get("place_id") if isinstance(props, Mapping) else None
    return pid if isinstance(pid, str) and pid in place_ids else None


def map_click(value: object, place_ids: Mapping | set | frozenset, seen_count: object) -> tuple[str | None, object]:
    """(the place clicked, the click count to remember). st_folium also reports zooms: only a click count
    other than `seen_count` (the one remembered from the last call) is a new click."""
    count = value.get("last_object_clicked_count") if isinstance(value, Mapping) else None
    return (None if count == seen_count else clicked_place(value, place_ids)), count


def map_zoom(value: object) -> float | None:
    """The map's zoom level in what st_folium returned, if any."""
    zoom = value.get("zoom") if isinstance(value, Mapping) else None
    return float(zoom) if isinstance(zoom, int | float) and not isinstance(zoom, bool) else None


def map_bounds(value: object) -> dict | None:
    """The map's view bounds in what st_folium returned ({"_southWest": {"lat", "lng"}, "_northEast": ...}), if any."""
    bounds = value.get("bounds") if isinstance(value, Mapping) else None
    return bounds if isinstance(bounds, Mapping) else None


# --- captions --------------------------------------------------------------------------
def as_of_caption(dataset: Dataset, timeline: Timeline) -> str:
    """One line (Markdown-safe: no data strings): how current the data is."""
    last_change = timeline.event_days[-1] if timeline.event_days else timeline.first_day
    reports = (f" Reports were read up to {day_label(dataset.reports_to)}; later reports are not yet included."
               if dataset.reports_to is not None else "")
    return (
        f"As of {day_label(timeline.last_day)}: {len(dataset.places)} places, {len(dataset.events)} sourced events "
        f"since {day_label(timeline.first_day)}. The latest change of control is of {day_label(last_change)}.{reports} "
        "The map shows who held each place at the end of the chosen day."
    )


def unused_areas_notice(place_ids: tuple[str, ...]) -> str:
    """One line (Markdown-safe: place ids are a-z, 0-9 and _) naming places whose `area` could not be drawn."""
    shown = ", ".join(f"`{pid}`" for pid in place_ids[:10]) + (f" and {len(place_ids) - 10} more" if len(place_ids) > 10 else "")
    return (f"The area of {shown} has no usable polygon (run `python -m geo validate`); "
            "the zones count such a place as its point.")


def outlets(dataset: Dataset) -> list[str]:
    """Every outlet cited, most cited first (plain text)."""
    counts: dict[str, int] = {}
    for source in (*dataset.baseline_sources, *(s for e in dataset.events for s in e.sources)):
        counts[source.outlet] = counts.get(source.outlet, 0) + 1
    return sorted(counts, key=lambda o: (-counts[o], o.casefold()))


def attribution_html(dataset: Dataset) -> str:
    names = outlets(dataset)
    return (
        '<div class="syria-attribution" style="font-size:.85rem">'
        f"Sources: {esc(', '.join(names)) if names else 'none'}. "
        'Map tiles &copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener noreferrer">'
        'OpenStreetMap</a> contributors &copy; <a href="https://carto.com/attributions" target="_blank" '
        'rel="noopener noreferrer">CARTO</a>. Coordinates: GeoNames (CC BY 4.0) and hand sources; '
        "border: Natural Earth.</div>"
    )


def problems_lines(problems) -> list[str]:
    """The validator's problems as 'FILE:LINE: field: message' lines."""
    return [str(p) for p in problems]


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


def baseline_html(dataset: Dataset) -> str:
    """The baseline's date and sources (escaped)."""
    return (
        f'<div class="syria-baseline" style="font-size:.9rem">Baseline: {day_label(dataset.baseline_date)}. '
        f"Sources: {sources_html(dataset.baseline_sources) or 'none'}.</div>"
    )
