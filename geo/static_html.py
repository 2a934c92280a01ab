"""The standalone map: one self-contained HTML file with the whole timeline and a client-side slider.

`build_html(dataset, timeline, territory=None)` returns a page that needs no Python
server: open the file, or put it on any static host or CDN, and it shows the same
day-by-day map as the dashboard (slider, play/stop, previous/next, legend with counts,
what changed, each place's history on click). The day is in the URL fragment
(`map.html#2024-12-06`, or `#2024-12-06/aleppo` with a place's history open), so a
link opens that day, and the fragment never reaches the host's logs.

What is inside:
- Leaflet's JS and CSS, read at export time from static/vendor/ or node_modules/
  (`./scripts/setup_assets.sh` installs them from npm; they are never committed). When
  neither has them, `leaflet="cdn"` (or "auto") links the pinned version on jsDelivr
  with its Subresource Integrity hash instead; the page then needs the network.
- The data, once, as JSON in `<script type="application/json">` (`<`, `>`, `&` and the
  JS line separators escaped, so no text can end the element): the places, each with
  its history (the day index from which each state holds, so the state on any day is
  the last entry at or before it), the events and the sources. Zones and front lines
  (optional) are stored once per distinct map state, with each day's state index.
- A small hand-written app (APP_JS). It builds every element with DOM calls and puts
  data text in with `textContent` only; links are made only for http(s) URLs. The
  markers' SVG symbols are built here in Python from whitelisted shapes and checked
  colours (geo.render.icon_svg) and parsed by the page as SVG, never as HTML.
- A Content-Security-Policy: only the two inline scripts (by hash) may run, so even
  markup that slipped into the page could not run code; no fetch or XHR; images only
  from the page itself and the tile server.

Map tiles (CARTO light, as in the dashboard, or OpenStreetMap, or none) are the only
thing loaded from the network; offline the map shows Syria's outline without them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from geo.assets import LEAFLET_VERSION, REPO_ROOT, VENDOR_DIR
from geo.escape import safe_colour, safe_url
from geo.look import MarkerStyle, control_words, day_label, icon_svg
from geo.model import Dataset, Event, Source
from geo.outline import outline_geojson
from geo.present import change_headline, sentence, status_words, symbol_rows  # the dashboard's words
from geo.render import marker_style, place_bounds, to_js_json
from geo.symbols import KIND_SYMBOLS
from geo.timeline import Timeline

NODE_MODULES = REPO_ROOT / "node_modules"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/"
# Subresource Integrity of the npm files of Leaflet 1.9.3 (what jsDelivr serves); checked by a test against node_modules.
LEAFLET_SRI = {
    "leaflet.js": "sha384-okbbMvvx/qfQkmiQKfd5VifbKZ/W8p1qIsWvE1ROPUfHWsDcC8/BnHohF7vPg2T6",
    "leaflet.css": "sha384-o/2yZuJZWGJ4s/adjxVW71R+EO/LyCwdQfP5UWSgX/w87iiTXuvDZaejd3TsN7mf",
}
TILES = {
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png", "abcd", 19,
        [["© ", "OpenStreetMap", "https://www.openstreetmap.org/copyright"], [" contributors © ", "CARTO", "https://carto.com/attributions"]],
        "https://*.basemaps.cartocdn.com",
    ),
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "", 19,
        [["© ", "OpenStreetMap", "https://www.openstreetmap.org/copyright"], [" contributors", "", ""]],
        "https://tile.openstreetmap.org",
    ),
}
ZONES_NOTE = "Approximate zones inferred from held places, not surveyed front lines."
STATUS_COLOURS = {"confirmed": "#2E7D32", "claimed": "#B26A00", "disputed": "#C62828"}
_SVG_DATA = "data:image/svg+xml;base64,"


class AssetsMissing(RuntimeError):
    """Leaflet's files are not installed (run ./scripts/setup_assets.sh), and no CDN fallback was allowed."""


# --- Leaflet ------------------------------------------------------------------------------
def leaflet_dir() -> Path | None:
    """Leaflet's dist/ folder: static/vendor first (what the dashboard serves), then node_modules."""
    for base in (VENDOR_DIR / "leaflet" / "dist", NODE_MODULES / "leaflet" / "dist"):
        if (base / "leaflet.js").is_file() and (base / "leaflet.css").is_file():
            return base
    return None


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _script_safe(js: str) -> str:
    """JS text that cannot end its <script> element early (no '</script', no '<!--')."""
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def _inline_leaflet(folder: Path) -> tuple[str, str]:
    js = (folder / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", js)  # the .map file is not bundled
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match) -> str:
        image = folder / "images" / match.group(1)
        if not image.is_file():
            return "url(data:,)"
        return "url(data:image/png;base64," + base64.b64encode(image.read_bytes()).decode("ascii") + ")"

    css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css)
    css = css.replace("</", "<\\/")
    return _script_safe(js), css


# --- the data --------------------------------------------------------------------------------
def _svg_uri(svg: str) -> str:
    return _SVG_DATA + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def symbol_key(dataset: Dataset) -> list[list[str]]:
    """[data-URI of an SVG, explanation] for every symbol the map can show: the dashboard's key (geo.present)."""
    return [[_svg_uri(svg), text] for svg, text in symbol_rows(dataset, zones=False, fronts=False)]


def page_data(dataset: Dataset, timeline: Timeline, territory=None, tiles: str = "carto") -> dict:
    """Everything the page shows, as plain JSON-able data (strings are raw text, never markup).

    days: ISO dates; labels: '6 Dec 2024'. places[i].h: history entries
    {d: first day index, c: controller, k: contested_with, s: secondary, st: status,
    w: control in words, e: event index or -1, i / ih: icon index (ih: with the "changed" ring)}.
    events[j]: {d, p: place index, hl: headline, st, sw: status in words, sum, q, n, src: [source index]}.
    zones: {states: [{zones, front_lines}], day: [state index per day]} or null.
    """
    first = timeline.first_day
    days = list(timeline.days)
    sources: list[dict] = []
    source_index: dict[tuple, int] = {}

    def source_id(s: Source) -> int:
        key = (s.outlet, s.title, s.date, s.url)
        if key not in source_index:
            source_index[key] = len(sources)
            sources.append({"o": s.outlet, "t": s.title, "d": day_label(s.date), "u": safe_url(s.url)})
        return source_index[key]

    icons: list[list] = []
    icon_index: dict[str, int] = {}

    def icon_id(style: MarkerStyle) -> int:
        key = style.key()
        if key not in icon_index:
            icon_index[key] = len(icons)
            icons.append([icon_svg(style), style.size, (1000 if style.halo else 0) + int(style.radius * 10)])
        return icon_index[key]

    event_index = {id(e): i for i, e in enumerate(dataset.events)}
    place_index = {pid: i for i, pid in enumerate(dataset.places)}
    events: list[dict | None] = [None] * len(dataset.events)

    def event_id(e: Event) -> int:  # a merger's per-place changes are not in the file's list: they go after it
        if id(e) not in event_index:
            event_index[id(e)] = len(events)
            events.append(None)
        return event_index[id(e)]

    places = []
    for place in dataset.places.values():
        history = []
        previous = None
        for state in timeline.history(place.id):
            e = state.event
            d = (state.since - first).days
            entry = {
                "d": d, "c": state.controller, "k": list(state.control.contested_with), "s": state.control.secondary,
                "st": state.status, "w": control_words(state.control, dataset.factions_on(state.since)),
                "b": state.basis,
                "e": event_id(e) if e is not None else -1,
                "i": icon_id(marker_style(place, state, dataset.factions, False)),
                "ih": icon_id(marker_style(place, state, dataset.factions, True)),
            }
            history.append(entry)
            if e is not None:
                events[entry["e"]] = {
                    "d": d, "p": place_index[place.id], "hl": change_headline(dataset, e, previous), "st": e.status,
                    "sw": sentence(status_words(e)), "sum": e.summary, "q": e.date_qualifier, "n": e.note,
                    "c": e.control.controller, "src": [source_id(s) for s in e.sources],
                }
            previous = state
        places.append({
            "id": place.id, "name": place.name, "ar": place.name_ar, "kind": KIND_SYMBOLS.get(place.kind, ("", 0, place.kind))[2],
            "gov": place.governorate, "aka": list(place.aliases), "lat": round(place.lat, 5), "lon": round(place.lon, 5),
            "h": history,
        })
    zones = None
    if territory is not None:
        texts: dict[str, int] = {}
        states: list[dict] = []
        by_day = []
        for day in days:
            text = territory.geojson_text_on(day)
            if text not in texts:
                texts[text] = len(states)
                states.append(json.loads(text))
            by_day.append(texts[text])
        for state in states:  # the note goes once, in the page; ids only in properties
            for layer in ("zones", "front_lines"):
                state[layer].pop("note", None)
        zones = {"states": states, "day": by_day, "note": ZONES_NOTE}
    outlets: dict[str, int] = {}
    for s in (*dataset.baseline_sources, *(s for e in dataset.events for s in e.sources)):
        outlets[s.outlet] = outlets.get(s.outlet, 0) + 1
    tile = TILES.get(tiles)
    return {
        "v": 1,
        "title": dataset.title,
        "days": [d.isoformat() for d in days],
        "labels": [day_label(d) for d in days],
        "weekdays": [f"{d:%A}" for d in days],
        "factions": [{"id": fid, "short": f.short, "label": f.label, "colour": safe_colour(f.colour), "about": f.description,
                      "names": [[(r.start - first).days, r.short, r.label, r.description] for r in f.renames]}
                     for fid, f in dataset.factions.items()],
        "places": places,
        "events": events,
        "sources": sources,
        "baseline": {"d": day_label(dataset.baseline_date), "src": [source_id(s) for s in dataset.baseline_sources]},
        "outlets": sorted(outlets, key=lambda o: (-outlets[o], o.casefold())),
        "icons": icons,
        "symbols": symbol_key(dataset),
        "bounds": [list(b) for b in place_bounds(dataset)],
        "outline": outline_geojson(),
        "zones": zones,
        "tiles": None if tile is None else {"url": tile[0], "sub": tile[1], "max": tile[2], "attr": tile[3]},
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --- the page --------------------------------------------------------------------------------
PAGE_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;color:#1f2328;background:#fff;
  font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
#app{display:flex;height:100%}
#map{flex:1 1 auto;min-width:0;height:100%;background:#e8edf2}
#panel{flex:0 0 380px;height:100%;overflow-y:auto;padding:12px 14px;border-left:1px solid #ddd}
h1{font-size:1.25rem;margin:0 0 2px}
.muted{color:#6b6b6b}
.small{font-size:.82rem}
#day-label{font-size:1.5rem;font-weight:700;color:#1565C0;margin:8px 0 0}
#day-sub{margin:0 0 6px}
#slider{width:100%;margin:6px 0}
.buttons{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 10px}
button{font:inherit;padding:4px 10px;border:1px solid #bbb;border-radius:6px;background:#f6f8fa;cursor:pointer}
button:disabled{opacity:.45;cursor:default}
button.primary{background:#1565C0;border-color:#1565C0;color:#fff}
h2{font-size:1rem;margin:14px 0 6px}
table.legend{width:100%;border-collapse:collapse}
table.legend td{padding:2px 4px;vertical-align:middle}
.swatch{display:inline-block;width:13px;height:13px;border:1px solid #222;border-radius:2px;vertical-align:middle}
.delta{font-size:.8rem;color:#555}
.num{text-align:right;white-space:nowrap}
ul.changes{list-style:none;padding:0;margin:0}
ul.changes li{border-left:4px solid #999;padding-left:8px;margin-bottom:9px;line-height:1.35}
.badge{border:1px solid;border-radius:.6rem;padding:0 .4rem;font-size:.78rem;white-space:nowrap}
.symbols{display:grid;grid-template-columns:1fr 1fr;gap:2px 8px;font-size:.8rem}
.symbols div{display:flex;align-items:center;gap:5px;min-height:24px}
.symbols img{width:auto;height:auto;flex:none}
.syria-place{background:none;border:none}
.history{max-height:300px;overflow-y:auto;font-size:.85rem}
.history ol{padding-left:18px;margin:4px 0}
.history li{margin-bottom:5px}
.history li.later{opacity:.5}
.leaflet-tooltip{font-size:.85rem}
.zones-toggle{display:flex;gap:6px;align-items:center;font-size:.9rem}
footer{margin-top:14px;font-size:.78rem;color:#555}
@media (max-width:760px){
  #app{flex-direction:column;height:auto}
  #map{flex:none;height:62vh;min-height:320px}
  #panel{flex:none;height:auto;border-left:none;border-top:1px solid #ddd}
}
"""

APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("syria-data").textContent);
  var N = DATA.days.length;
  var FACTIONS = new Map();
  DATA.factions.forEach(function (f) { FACTIONS.set(f.id, f); });
  var COLOUR = /^#[0-9A-Fa-f]{6}$/;
  var STATUS_COLOURS = {confirmed: "#2E7D32", claimed: "#B26A00", disputed: "#C62828"};

  // --- DOM helpers: text only ever goes in with textContent ---------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { node.textContent = attrs[k]; }
        else if (k === "class") { node.className = attrs[k]; }
        else { node.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) { return; }
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function safeHref(url) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) { return null; }
    try {
      var u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }
  function link(url, text) {
    var href = safeHref(url);
    if (!href) { return el("span", {text: text}); }
    return el("a", {href: href, target: "_blank", rel: "noopener noreferrer", text: text});
  }
  function colour(c) { return (typeof c === "string" && COLOUR.test(c)) ? c : "#9E9E9E"; }
  function factionColour(id) { var f = FACTIONS.get(id); return colour(f ? f.colour : null); }
  function factionShort(id) { var f = FACTIONS.get(id); return f ? f.short : String(id); }
  // The faction as named on day d (renames keep the id and colour).
  function factionOn(f, d) {
    var name = {short: f.short, label: f.label, about: f.about};
    (f.names || []).forEach(function (n) { if (n[0] <= d) { name = {short: n[1], label: n[2], about: n[3]}; } });
    return name;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function badge(status) {
    var b = el("span", {"class": "badge", text: status});
    b.style.color = b.style.borderColor = STATUS_COLOURS[status] || "#555";
    return b;
  }
  function sourcesNode(ids) {
    var span = el("span", {"class": "small"}, ["Sources: "]);
    ids.forEach(function (i, n) {
      var s = DATA.sources[i];
      if (!s) { return; }
      if (n) { span.appendChild(document.createTextNode("; ")); }
      span.appendChild(document.createTextNode(s.o + ", \u201c"));
      span.appendChild(link(s.u, s.t));
      span.appendChild(document.createTextNode("\u201d (" + s.d + ")"));
    });
    return span;
  }

  // --- icons: SVG built by the exporter from checked values, parsed as SVG (not HTML) --------
  var ICONS = DATA.icons.map(function (spec) {
    var doc = new DOMParser().parseFromString(spec[0], "image/svg+xml");
    var root = doc.documentElement;
    var ok = root && root.nodeName === "svg" && !doc.getElementsByTagName("parsererror").length;
    return {node: ok ? document.importNode(root, true) : null, size: spec[1], z: spec[2]};
  });
  function divIcon(index) {
    var spec = ICONS[index] || ICONS[0];
    var half = spec.size / 2;
    return L.divIcon({
      html: spec.node ? spec.node.cloneNode(true) : el("span"), className: "syria-place",
      iconSize: [spec.size, spec.size], iconAnchor: [half, half]
    });
  }

  // --- state ---------------------------------------------------------------------------------
  function entryOn(place, d) {
    var h = place.h, found = h[0];
    for (var i = 0; i < h.length && h[i].d <= d; i++) { found = h[i]; }
    return found;
  }
  var byDay = [];
  for (var d0 = 0; d0 < N; d0++) { byDay.push([]); }
  DATA.events.forEach(function (e, i) { if (e && e.d >= 0 && e.d < N) { byDay[e.d].push(i); } });
  function countsOn(d) {
    var counts = new Map();
    DATA.factions.forEach(function (f) { counts.set(f.id, 0); });
    DATA.places.forEach(function (p) {
      var c = entryOn(p, d).c;
      counts.set(c, (counts.get(c) || 0) + 1);
    });
    return counts;
  }

  // --- the map ---------------------------------------------------------------------------------
  var map = L.map("map", {zoomSnap: 0.25, minZoom: 4, maxZoom: 14, zoomControl: true});
  window.syriaMap = map;
  if (DATA.tiles) {
    var tiles = L.tileLayer(DATA.tiles.url, {subdomains: DATA.tiles.sub || "abc", maxZoom: DATA.tiles.max || 19});
    tiles.getAttribution = function () { return ""; };
    tiles.addTo(map);
  }
  map.attributionControl.setPrefix(false);
  var attribution = el("span");
  (DATA.tiles ? DATA.tiles.attr : []).forEach(function (part) {
    attribution.appendChild(document.createTextNode(part[0]));
    if (part[1]) { attribution.appendChild(link(part[2], part[1])); }
  });
  attribution.appendChild(document.createTextNode((DATA.tiles ? " · " : "") + "Border: Natural Earth · Places: GeoNames"));
  map.attributionControl.getContainer().appendChild(attribution);
  L.control.scale({imperial: false}).addTo(map);
  if (DATA.outline) {
    L.geoJSON(DATA.outline, {interactive: false, style: {color: "#555", weight: 1.5, fillColor: "#fff", fillOpacity: 0.35}}).addTo(map);
  }
  map.fitBounds(DATA.bounds, {animate: false});
  map.createPane("zones");
  map.getPane("zones").style.zIndex = 350;
  var zonesLayer = L.layerGroup().addTo(map);
  var zonesSlot = -1;

  var markers = DATA.places.map(function (p, i) {
    var m = L.marker([p.lat, p.lon], {icon: divIcon(p.h[0].i), keyboard: false, riseOnHover: true, title: ""});
    m.placeIndex = i;
    m.iconIndex = -1;
    m.bindTooltip(function () { return tooltipNode(i); }, {direction: "top", offset: [0, -8], opacity: 0.95});
    m.bindPopup(function () { return historyNode(i); }, {maxWidth: 340, minWidth: 240, autoPanPadding: [20, 20]});
    m.on("popupopen", function () { openPlace = i; writeHash(); });
    m.on("popupclose", function () { if (openPlace === i) { openPlace = -1; writeHash(); } });
    m.addTo(map);
    return m;
  });

  function tooltipNode(i) {
    var p = DATA.places[i], e = entryOn(p, day);
    var node = el("div", null, [el("b", {text: p.name})]);
    if (p.ar) { node.appendChild(document.createTextNode(" ")); node.appendChild(el("span", {dir: "rtl", text: p.ar})); }
    node.appendChild(el("br"));
    var words = [e.st !== "confirmed" ? e.st : "", e.b === "inferred" ? "inferred" : ""].filter(Boolean);
    node.appendChild(document.createTextNode(e.w + (words.length ? " (" + words.join(", ") + ")" : "") +
      (e.e >= 0 ? " since " + DATA.labels[e.d] : "")));
    if (e.d === day && e.e >= 0) { node.appendChild(el("br")); node.appendChild(el("i", {text: "changed this day"})); }
    return node;
  }

  function historyNode(i) {
    var p = DATA.places[i];
    var box = el("div", {"class": "history", "data-history": p.id});
    var head = el("p", {style: "margin:0 0 4px"}, [el("b", {text: p.name})]);
    if (p.ar) { head.appendChild(document.createTextNode(" ")); head.appendChild(el("span", {dir: "rtl", text: p.ar})); }
    head.appendChild(el("br"));
    head.appendChild(el("span", {"class": "muted", text: p.kind + ", " + p.gov + " governorate" +
      (p.aka && p.aka.length ? "; also " + p.aka.join(", ") : "")}));
    box.appendChild(head);
    var list = el("ol");
    p.h.forEach(function (h) {
      var ev = h.e >= 0 ? DATA.events[h.e] : null;
      var item = el("li", {"class": h.d <= day ? "" : "later"});
      item.appendChild(document.createTextNode((ev ? "On " : "From ") + DATA.labels[h.d] + (ev && ev.q ? " (" + ev.q + ")" : "") + ": "));
      var who = el("b", {text: h.w});
      who.style.borderBottom = "3px solid " + factionColour(h.c);
      item.appendChild(who);
      item.appendChild(el("span", {"class": "muted", text: " (" + (ev ? ev.sw.replace(/\.$/, "") : h.st) + ")"}));
      item.appendChild(el("br"));
      item.appendChild(document.createTextNode(ev ? ev.sum : "Baseline: the state the timeline starts from."));
      item.appendChild(el("br"));
      item.appendChild(sourcesNode(ev ? ev.src : DATA.baseline.src));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function drawZones(d) {
    var show = DATA.zones && zonesToggle && zonesToggle.checked;
    var slot = show ? DATA.zones.day[d] : -1;
    if (slot === zonesSlot) { return; }
    zonesSlot = slot;
    zonesLayer.clearLayers();
    if (slot < 0) { return; }
    var state = DATA.zones.states[slot];
    L.geoJSON(state.zones, {
      pane: "zones", interactive: false,
      style: function (f) {
        var c = factionColour(f.properties.controller);
        var contested = f.properties.contested_with && f.properties.contested_with.length;
        return {color: contested ? factionColour(f.properties.contested_with[0]) : "#ffffff", weight: contested ? 1.5 : 0.8,
                dashArray: contested ? "5 4" : null, fillColor: c, fillOpacity: contested ? 0.16 : 0.28};
      }
    }).addTo(zonesLayer);
    L.geoJSON(state.front_lines, {
      pane: "zones", interactive: false, style: {color: "#222", weight: 2, opacity: 0.9, dashArray: "7 4"}
    }).addTo(zonesLayer);
  }

  // --- the panel ----------------------------------------------------------------------------------
  var $ = function (id) { return document.getElementById(id); };
  $("title").textContent = DATA.title;
  document.title = DATA.title;
  var placesWord = DATA.places.length + " places, " + DATA.events.filter(Boolean).length + " sourced events, " +
    DATA.labels[0] + " to " + DATA.labels[N - 1] + ". The map shows who held each place at the end of the chosen day.";
  $("caption").textContent = placesWord;
  var slider = $("slider");
  slider.min = 0;
  slider.max = Math.max(0, N - 1);
  slider.step = 1;
  var zonesToggle = null;
  if (DATA.zones) {
    zonesToggle = el("input", {type: "checkbox", id: "zones"});
    zonesToggle.checked = true;
    $("zones-box").appendChild(el("label", {"class": "zones-toggle"}, [zonesToggle, "Shaded zones (approximate)"]));
    $("zones-box").appendChild(el("p", {"class": "small muted", text: DATA.zones.note}));
    zonesToggle.addEventListener("change", function () { drawZones(day); });
  }
  DATA.symbols.forEach(function (s) {
    var img = el("img", {alt: s[1]});
    if (/^data:image\/svg\+xml;base64,[A-Za-z0-9+\/=]+$/.test(s[0])) { img.src = s[0]; }
    $("symbols").appendChild(el("div", null, [img, el("span", {text: s[1]})]));
  });
  $("outlets").textContent = DATA.outlets.join(", ") || "none";
  $("generated").textContent = DATA.generated;

  function renderLegend(d) {
    var counts = countsOn(d), before = d > 0 ? countsOn(d - 1) : counts;
    var body = $("legend");
    clear(body);
    DATA.factions.forEach(function (f) {
      var named = factionOn(f, d);
      var sw = el("span", {"class": "swatch"});
      sw.style.background = colour(f.colour);
      var n = counts.get(f.id) || 0, delta = n - (before.get(f.id) || 0);
      var num = el("td", {"class": "num", "data-faction": f.id}, [el("b", {text: String(n)})]);
      if (delta) { num.appendChild(el("span", {"class": "delta", text: " (" + (delta > 0 ? "+" : "") + delta + ")"})); }
      body.appendChild(el("tr", null, [el("td", null, [sw]),
        el("td", {title: named.about || named.label}, [el("b", {text: named.short}), " ",
          el("span", {"class": "muted small", text: named.label})]), num]));
    });
    body.appendChild(el("tr", null, [el("td"), el("td", {"class": "muted", text: "All places"}),
      el("td", {"class": "num", text: String(DATA.places.length)})]));
  }

  function renderChanges(d) {
    var box = $("changes");
    clear(box);
    var ids = byDay[d] || [];
    if (!ids.length) {
      box.appendChild(el("p", {"class": "muted", text: "No recorded change of control on " + DATA.labels[d] + "."}));
      return;
    }
    var list = el("ul", {"class": "changes"});
    ids.forEach(function (i) {
      var e = DATA.events[i];
      var item = el("li", {"data-place": DATA.places[e.p].id});
      item.style.borderLeftColor = factionColour(e.c);
      item.appendChild(el("b", {text: e.hl}));
      if (e.q) { item.appendChild(document.createTextNode(" (" + e.q + ")")); }
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge(e.st));
      item.appendChild(el("br"));
      item.appendChild(document.createTextNode(e.sum));
      item.appendChild(el("br"));
      item.appendChild(el("span", {"class": "muted", text: e.sw}));
      if (e.n) { item.appendChild(el("br")); item.appendChild(el("span", {"class": "muted", text: "Note: " + e.n})); }
      item.appendChild(el("br"));
      item.appendChild(sourcesNode(e.src));
      var show = el("button", {type: "button", "class": "small", text: "Show on map"});
      show.style.marginLeft = "4px";
      show.addEventListener("click", function () { focusPlace(e.p); });
      item.appendChild(show);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function focusPlace(i) {
    var m = markers[i];
    map.setView(m.getLatLng(), Math.max(map.getZoom(), 8), {animate: false});
    m.openPopup();
  }

  // --- the day ------------------------------------------------------------------------------------
  var day = N - 1, openPlace = -1, timer = null;

  function writeHash() {
    var hash = "#" + DATA.days[day] + (openPlace >= 0 ? "/" + DATA.places[openPlace].id : "");
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
  }

  function setDay(d, fromHash) {
    d = Math.max(0, Math.min(N - 1, d | 0));
    day = d;
    DATA.places.forEach(function (p, i) {
      var e = entryOn(p, d), m = markers[i];
      var icon = (e.d === d && e.e >= 0) ? e.ih : e.i;
      if (m.iconIndex !== icon) {
        m.setIcon(divIcon(icon));
        m.setZIndexOffset((ICONS[icon] || ICONS[0]).z);
        m.iconIndex = icon;
      }
      var node = m.getElement();
      if (node) {
        node.setAttribute("data-place", p.id);
        node.setAttribute("data-controller", e.c);
        node.setAttribute("data-status", e.st);
      }
    });
    drawZones(d);
    slider.value = String(d);
    slider.setAttribute("aria-valuetext", DATA.labels[d]);
    $("day-label").textContent = DATA.labels[d];
    $("day-sub").textContent = DATA.weekdays[d] + " · day " + (d + 1) + " of " + N + " · end of day";
    $("prev").disabled = d <= 0;
    $("next").disabled = d >= N - 1;
    renderLegend(d);
    renderChanges(d);
    if (openPlace >= 0) { var pop = markers[openPlace].getPopup(); if (pop && pop.isOpen()) { pop.setContent(historyNode(openPlace)); } }
    document.documentElement.setAttribute("data-day", DATA.days[d]);
    if (!fromHash) { writeHash(); }
  }

  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    $("play").textContent = "Play";
    $("play").className = "";
    $("play").setAttribute("aria-pressed", "false");
  }
  function play() {
    if (timer !== null) { stop(); return; }
    if (day >= N - 1) { setDay(0); }
    $("play").textContent = "Stop";
    $("play").className = "primary";
    $("play").setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (day >= N - 1) { stop(); return; }
      setDay(day + 1);
      if (day >= N - 1) { stop(); }
    }, 1000);
  }

  slider.addEventListener("input", function () { stop(); setDay(+slider.value); });
  $("prev").addEventListener("click", function () { stop(); setDay(day - 1); });
  $("next").addEventListener("click", function () { stop(); setDay(day + 1); });
  $("play").addEventListener("click", play);
  $("next-event").addEventListener("click", function () {
    stop();
    for (var d = day + 1; d < N; d++) { if (byDay[d].length) { setDay(d); return; } }
    setDay(N - 1);
  });

  function readHash() {
    var m = /^#(\d{4}-\d{2}-\d{2})(?:\/([a-z0-9_]{1,80}))?$/.exec(location.hash || "");
    if (!m) { return null; }
    var d = DATA.days.indexOf(m[1]);
    var p = -1;
    if (m[2]) { p = DATA.places.findIndex(function (x) { return x.id === m[2]; }); }
    return {d: d, p: p};
  }
  function applyHash() {
    var h = readHash();
    if (!h || h.d < 0) { return false; }
    stop();
    setDay(h.d, true);
    if (h.p >= 0) { focusPlace(h.p); }
    return true;
  }
  window.addEventListener("hashchange", applyHash);
  if (!applyHash()) { setDay(N - 1); }
  document.documentElement.setAttribute("data-ready", "1");
})();
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>{title}</title>
{leaflet_css}<style>{page_css}</style>
</head>
<body>
<div id="app">
<div id="map" role="region" aria-label="Map of Syria"></div>
<div id="panel">
<h1 id="title">{title}</h1>
<div id="caption" class="small muted"></div>
<p id="day-label"></p>
<p id="day-sub" class="small muted"></p>
<input id="slider" type="range" aria-label="Day (the map shows the end of the day)">
<div class="buttons">
<button id="prev" type="button">&#8249; Previous day</button>
<button id="play" type="button" aria-pressed="false">Play</button>
<button id="next" type="button">Next day &#8250;</button>
<button id="next-event" type="button">Next day with events &#187;</button>
</div>
<div id="zones-box"></div>
<h2>Places held</h2>
<table class="legend"><tbody id="legend"></tbody></table>
<h2>What changed on this day</h2>
<div id="changes"></div>
<h2>Symbols</h2>
<div id="symbols" class="symbols"></div>
<footer>
<p>Click a place for its history. The address ends in the day shown (e.g. <code>#2024-12-06</code>): copy it to share this day.</p>
<p>Sources: <span id="outlets"></span>. Every change of control is a sourced event; claims nobody has verified are drawn hollow.</p>
<p>Coordinates: GeoNames (CC BY 4.0) and hand sources. Border: Natural Earth. Exported <span id="generated"></span>.</p>
</footer>
</div>
</div>
<noscript><p style="padding:1rem">This map needs JavaScript.</p></noscript>
<script type="application/json" id="syria-data">{data}</script>
{leaflet_js}<script>{app_js}</script>
</body>
</html>
"""


def _csp(scripts: list[str], tiles: str | None, cdn: bool) -> str:
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts)
    tile_host = TILES[tiles][4] if tiles in TILES else ""
    script_src = f"{hashes} {LEAFLET_CDN}leaflet.js" if cdn else hashes
    style_src = f"'unsafe-inline' {LEAFLET_CDN}leaflet.css" if cdn else "'unsafe-inline'"
    return (
        f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src data: {tile_host}".rstrip()
        + "; connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def build_html(dataset: Dataset, timeline: Timeline, territory=None, tiles: str = "carto", leaflet: str = "inline") -> str:
    """The standalone page (text/html). tiles: "carto", "osm" or "none"; leaflet: "inline" (fail if Leaflet's
    files are missing: AssetsMissing), "cdn" (link jsDelivr with SRI) or "auto" (inline when installed, else cdn)."""
    if tiles not in (*TILES, "none"):
        raise ValueError(f"tiles must be one of {', '.join((*TILES, 'none'))}")
    if leaflet not in ("inline", "cdn", "auto"):
        raise ValueError("leaflet must be 'inline', 'cdn' or 'auto'")
    folder = leaflet_dir() if leaflet != "cdn" else None
    if folder is None and leaflet == "inline":
        raise AssetsMissing("Leaflet's files are missing from static/vendor/ and node_modules/: run ./scripts/setup_assets.sh")
    data = to_js_json(page_data(dataset, timeline, territory, tiles))
    app_js = _script_safe(APP_JS)
    if folder is not None:
        js, css = _inline_leaflet(folder)
        leaflet_css = f"<style>{css}</style>\n"
        leaflet_js = f"<script>{js}</script>\n"
        scripts = [js, app_js]
    else:
        leaflet_css = (f'<link rel="stylesheet" href="{LEAFLET_CDN}leaflet.css" integrity="{LEAFLET_SRI["leaflet.css"]}" '
                       'crossorigin="anonymous">\n')
        leaflet_js = (f'<script src="{LEAFLET_CDN}leaflet.js" integrity="{LEAFLET_SRI["leaflet.js"]}" '
                      'crossorigin="anonymous"></script>\n')
        scripts = [app_js]
    return PAGE.format(
        csp=_csp(scripts, tiles if tiles != "none" else None, folder is None), title=html.escape(dataset.title),
        leaflet_css=leaflet_css, page_css=PAGE_CSS.strip(), data=data, leaflet_js=leaflet_js, app_js=app_js,
    )


def html_bytes(dataset: Dataset, timeline: Timeline, territory=None, tiles: str = "carto", leaflet: str = "auto") -> bytes:
    """`build_html` as UTF-8 bytes, for a download button (falls back to the CDN when Leaflet is not installed)."""
    return build_html(dataset, timeline, territory, tiles, leaflet).encode("utf-8")


def embedded_data(page: str) -> dict:
    """The JSON data of an exported page (for tests and tools that read an export back)."""
    match = re.search(r'<script type="application/json" id="syria-data">(.*?)</script>', page, flags=re.DOTALL)
    if match is None:
        raise ValueError("no embedded data in this page")
    return json.loads(match.group(1))
