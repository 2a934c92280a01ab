/* The map application: the whole timeline in the browser (geo/map/payload.py builds its data).
 *
 * One app for the dashboard (inside an iframe, the panels drawn by Streamlit) and the standalone
 * export (with its own panels). Moving the day is a lookup in each place's short history and a
 * recolouring of fixed zone cells: nothing goes over the network while the user scrubs. When a
 * gesture settles (SETTLE_MS without a move), the day goes to the address bar (Back/Forward move
 * between views) and, in the dashboard, to Streamlit, which redraws its panels.
 *
 * Data text only ever reaches the page through textContent; links only for http(s) URLs; the
 * markers' SVG comes from Python (checked shapes and colours) and is parsed as SVG, not HTML.
 */
(function () {
  "use strict";
  var SETTLE_MS = 350;
  var SPEEDS = {"1": 1000, "7": 1000 / 7, "30": 1000 / 30, "changes": 800};
  var COLOUR = /^#[0-9A-Fa-f]{6}$/;
  var STATUS_COLOURS = {confirmed: "#2E7D32", claimed: "#9A5B00", disputed: "#C62828"};

  var DATA = JSON.parse(document.getElementById("syria-data").textContent);
  var CONFIG = JSON.parse(document.getElementById("syria-config").textContent);
  var N = DATA.days.length;
  var EMBEDDED = !!CONFIG.embedded;
  var $ = function (id) { return document.getElementById(id); };
  var UI = DATA.ui || {};
  function t(key, params) {  // the interface's words (geo/view/words.py, in the payload), {name} fields filled in
    var text = String(UI[key] === undefined ? key : UI[key]);
    return text.replace(/\{(\w+)\}/g, function (all, name) { return params && params[name] !== undefined ? String(params[name]) : all; });
  }
  document.documentElement.lang = DATA.lang || "en";
  document.documentElement.dir = DATA.dir || "ltr";
  function english(text) {  // data prose (summaries, notes, outlets, titles) is in English: said so in another language
    var span = el("span", {text: text});
    if (DATA.lang && DATA.lang !== "en") { span.lang = "en"; span.dir = "ltr"; }
    return span;
  }

  // --- small helpers -----------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "class") { node.className = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    });
    return node;
  }
  function clear(node) { while (node && node.firstChild) { node.removeChild(node.firstChild); } }
  function safeHref(url) {
    if (typeof url !== "string" || !/^https?:\/\//i.test(url)) { return null; }
    try { var u = new URL(url); return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null; } catch (e) { return null; }
  }
  function link(url, text) {
    var href = safeHref(url);
    return href ? el("a", {href: href, target: "_blank", rel: "noopener noreferrer", text: text}) : el("span", {text: text});
  }
  function colour(c) { return (typeof c === "string" && COLOUR.test(c)) ? c : "#9E9E9E"; }
  var FACTIONS = {};
  DATA.factions.forEach(function (f) { FACTIONS[f.id] = f; });
  function factionColour(id) { return colour(FACTIONS[id] ? FACTIONS[id].colour : null); }
  function named(id, d) {  // the faction as named on day d (a rename keeps the id and the colour)
    var f = FACTIONS[id];
    if (!f) { return {short: String(id), label: String(id), about: ""}; }
    var name = {short: f.short, label: f.label, about: f.about};
    (f.names || []).forEach(function (n) { if (n[0] <= d) { name = {short: n[1], label: n[2], about: n[3]}; } });
    return name;
  }
  function badge(status, cls) {
    var b = el("span", {"class": "badge " + (cls || ""), text: t(status)});
    if (STATUS_COLOURS[status]) { b.style.color = b.style.borderColor = STATUS_COLOURS[status]; }
    return b;
  }
  function statusNode(ev, cls, bare) {  // an event's status words, who claimed or denied it (data text) marked as English
    var span = el("span", {"class": cls}), rest = bare ? ev.sw.replace(/\.$/, "") : ev.sw;
    (ev.who || []).forEach(function (who) {
      var at = rest.indexOf(who);
      if (at < 0) { return; }
      span.appendChild(document.createTextNode(rest.slice(0, at)));
      span.appendChild(english(who));
      rest = rest.slice(at + who.length);
    });
    span.appendChild(document.createTextNode(rest));
    return span;
  }
  function sourcesNode(ids) {
    var span = el("span", {"class": "small"}, [t("sources", {list: ""})]);
    ids.forEach(function (i, n) {
      var s = DATA.sources[i];
      if (!s) { return; }
      if (n) { span.appendChild(document.createTextNode("; ")); }
      var published = english(s.o + ", \u201c");
      published.appendChild(link(s.u, s.t));
      published.appendChild(document.createTextNode("\u201d"));
      span.appendChild(published);
      span.appendChild(document.createTextNode(" (" + s.d + ")"));
    });
    return span;
  }

  // --- the state on a day: each place's last history entry at or before it -------------------------
  function entryIndex(h, d) {
    var lo = 0, hi = h.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (h[mid].d <= d) { lo = mid; } else { hi = mid - 1; } }
    return lo;
  }
  function entryOn(p, d) { return p.h[entryIndex(p.h, d)]; }
  var EVENTS_BY_DAY = [];
  for (var d0 = 0; d0 < N; d0++) { EVENTS_BY_DAY.push([]); }
  DATA.events.forEach(function (e, i) { if (e && e.d >= 0 && e.d < N) { EVENTS_BY_DAY[e.d].push(i); } });
  var CHANGE_DAYS = [];
  DATA.changes.forEach(function (n, i) { if (n > 0) { CHANGE_DAYS.push(i); } });
  function countsOn(d) {
    var counts = {}, inferred = 0;
    DATA.places.forEach(function (p) {
      var e = entryOn(p, d);
      counts[e.c] = (counts[e.c] || 0) + 1;
      if (e.b === "inferred") { inferred += 1; }
    });
    return {counts: counts, inferred: inferred};
  }

  // --- the map (made by folium: base map, tiles, panes, outline) --------------------------------
  var map = window[CONFIG.mapName];
  if (!map || !window.L) { document.documentElement.setAttribute("data-error", "no map"); return; }
  window.syriaMap = map;
  if (map.attributionControl) { map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>'); }  // no English title
  [["in", "zoom_in"], ["out", "zoom_out"]].forEach(function (z) {  // Leaflet's zoom buttons, in the page's language
    var button = map.getContainer().querySelector(".leaflet-control-zoom-" + z[0]);
    if (button) { button.title = t(z[1]); button.setAttribute("aria-label", t(z[1])); }
  });
  var ICONS = DATA.icons.map(function (spec) {
    var doc = new DOMParser().parseFromString(spec[0], "image/svg+xml");
    var root = doc.documentElement;
    var ok = root && root.nodeName === "svg" && !doc.getElementsByTagName("parsererror").length;
    return {node: ok ? document.importNode(root, true) : null, size: spec[1], z: spec[2]};
  });
  function divIcon(index) {  // a node can be in one place only: each marker gets its own copy of the SVG
    var spec = ICONS[index] || ICONS[0], half = spec.size / 2;
    return L.divIcon({html: spec.node ? spec.node.cloneNode(true) : el("span"), className: "syria-place",
                      iconSize: [spec.size, spec.size], iconAnchor: [half, half]});
  }

  // zones: fixed cells, recoloured; front lines: the shared edges whose two sides differ; no-data ground
  var Z = DATA.zones, S = DATA.style;
  var cellLayers = [], edgeLayers = [], cellKey = [], edgeOn = [];
  var zonesGroup = L.layerGroup(), frontsGroup = L.layerGroup();
  if (Z) {
    var pane = map.getPane("syria-zones") ? "syria-zones" : "overlayPane";
    var fpane = map.getPane("syria-fronts") ? "syria-fronts" : "overlayPane";
    if (Z.nodata) {
      var nd = S.noData;
      L.geoJSON(Z.nodata, {pane: pane, interactive: false, style: {stroke: nd.stroke, color: nd.color, weight: nd.weight,
        opacity: nd.opacity, dashArray: nd.dashArray, fillColor: nd.fillColor, fillOpacity: nd.fillOpacity}}).addTo(zonesGroup);
    }
    Z.cells.forEach(function (g, i) {
      var layer = g ? L.geoJSON(g, {pane: pane, interactive: false, style: {weight: 1, fillOpacity: S.zoneOpacity}}) : null;
      if (layer) { layer.addTo(zonesGroup); }
      cellLayers.push(layer);
      cellKey.push("");
    });
    Z.edges.forEach(function () { edgeLayers.push(null); edgeOn.push(false); });  // made when first on (a faster start)
    var frontPane = fpane;
  }
  var showZones = Z ? CONFIG.zones !== false : false, showFronts = Z ? CONFIG.fronts !== false : false;
  if (showZones) { zonesGroup.addTo(map); }
  if (showFronts) { frontsGroup.addTo(map); }

  function siteKey(s, d) {  // as geo.territory.model.site_keys: the first place's holder, and every rival at the site
    var members = Z.sites[s], first = entryOn(DATA.places[members[0]], d), rivals = {};
    members.forEach(function (pi) {
      var e = entryOn(DATA.places[pi], d);
      [e.c].concat(e.k).forEach(function (f) { if (f !== first.c) { rivals[f] = 1; } });
    });
    return [first.c, Object.keys(rivals).sort()];
  }
  // what a day change touches: only the sites whose places changed state, and the edges around them
  var siteOfPlace = [], siteEdges = [], siteHolder = [];
  if (Z) {
    Z.sites.forEach(function (members, s) { members.forEach(function (pi) { siteOfPlace[pi] = s; }); siteEdges.push([]); siteHolder.push(null); });
    Z.edges.forEach(function (e, i) { siteEdges[e[0]].push(i); siteEdges[e[1]].push(i); });
  }
  function paintZones(d, dirty) {  // dirty: site indexes to redo (all when null)
    if (!Z) { return; }
    var sites = dirty || Z.sites.map(function (_, s) { return s; }), edges = dirty ? [] : Z.edges.map(function (_, i) { return i; });
    for (var k = 0; k < sites.length; k++) {
      var s = sites[k];
      var key = siteKey(s, d), text = key[0] + "|" + key[1].join(",");
      siteHolder[s] = key[0];
      if (dirty) { Array.prototype.push.apply(edges, siteEdges[s]); }
      if (cellLayers[s] && cellKey[s] !== text) {
        cellKey[s] = text;
        var c = factionColour(key[0]), contested = key[1].length > 0;
        cellLayers[s].setStyle(contested
          ? {stroke: true, color: factionColour(key[1][0]), weight: 1.8, opacity: 0.9, dashArray: "4 3", fillColor: c,
             fillOpacity: S.contestedOpacity}
          : {stroke: false, dashArray: null, fillColor: c, fillOpacity: S.zoneOpacity});
      }
    }
    edges.forEach(function (i) {
      var e = Z.edges[i], on = siteHolder[e[0]] !== siteHolder[e[1]];
      if (on !== edgeOn[i]) {
        edgeOn[i] = on;
        if (on && !edgeLayers[i]) {
          var f = S.front;
          edgeLayers[i] = L.geoJSON(e[2], {pane: frontPane, interactive: false, style: {color: f.color, weight: f.weight,
            opacity: f.opacity, dashArray: f.dashArray, lineCap: f.lineCap}});
        }
        if (on) { edgeLayers[i].addTo(frontsGroup); } else { frontsGroup.removeLayer(edgeLayers[i]); }
      }
    });
  }

  // places
  var markers = DATA.places.map(function (p, i) {
    var m = L.marker([p.lat, p.lon], {icon: divIcon(p.h[0].i), keyboard: false, riseOnHover: true, title: ""});
    m.iconIndex = -1;
    m.bindTooltip(function () { return tooltipNode(i); }, {direction: "top", offset: [0, -8], opacity: 0.95});
    if (!EMBEDDED) {
      m.bindPopup(function () { return historyNode(i); }, {maxWidth: 340, minWidth: 240, autoPanPadding: [20, 20]});
      m.on("popupopen", function () { openPlace = i; settleSoon(); });
      m.on("popupclose", function () { if (openPlace === i) { openPlace = -1; settleSoon(); } });
    }
    m.on("click", function () { if (EMBEDDED) { openPlace = i; post({type: "place", place: p.id}); } });
    m.on("popupopen", function (ev) {  // Leaflet's close button, in the page's language
      var close = ev.popup.getElement() && ev.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", t("close")); close.title = t("close"); }
    });
    m.addTo(map);
    return m;
  });
  var compareRings = L.layerGroup().addTo(map);

  function tooltipNode(i) {
    var p = DATA.places[i], e = entryOn(p, day);
    var node = el("div", null, [el("b", {text: p.name})]);
    if (p.ar && p.ar !== p.name) { node.appendChild(document.createTextNode(" ")); node.appendChild(el("span", {dir: "rtl", lang: "ar", text: p.ar})); }
    node.appendChild(el("br"));
    var words = [e.st !== "confirmed" ? t(e.st) : "", e.b === "inferred" ? t("inferred") : ""].filter(Boolean);
    node.appendChild(document.createTextNode(e.w + (words.length ? " (" + words.join(t("list_sep")) + ")" : "") +
      (e.e >= 0 ? t("since", {day: DATA.labels[e.d]}) : "")));
    if (e.d === day && e.e >= 0) { node.appendChild(el("br")); node.appendChild(el("i", {text: t("changed_this_day")})); }
    if (compare >= 0) {
      var a = entryOn(p, compare);
      if (a.c !== e.c) { node.appendChild(el("br")); node.appendChild(el("i", {text: t("on_was", {day: DATA.labels[compare], words: a.w})})); }
    }
    return node;
  }
  function historyNode(i) {
    var p = DATA.places[i];
    var box = el("div", {"class": "history", "data-history": p.id});
    var head = el("p", {style: "margin:0 0 4px"}, [el("b", {text: p.name})]);
    if (p.ar && p.ar !== p.name) { head.appendChild(document.createTextNode(" ")); head.appendChild(el("span", {dir: "rtl", lang: "ar", text: p.ar})); }
    head.appendChild(el("br"));
    var about = el("span", {"class": "muted", text: p.kind + t("list_sep") + t("governorate", {gov: p.gov})});
    if (p.aka.length && DATA.lang === "en") { about.appendChild(document.createTextNode(t("also", {names: p.aka.join(", ")}))); }
    head.appendChild(about);
    box.appendChild(head);
    var list = el("ol");
    p.h.forEach(function (h) {
      var ev = h.e >= 0 ? DATA.events[h.e] : null;
      var item = el("li", {"class": h.d <= day ? "" : "later"});
      item.appendChild(document.createTextNode(t(ev ? "on_day" : "from_day", {day: DATA.labels[h.d]}) + " "));
      if (ev && ev.q) { item.appendChild(english("(" + ev.q + ")")); }
      item.appendChild(document.createTextNode(": "));
      var who = el("b", {text: h.w});
      who.style.borderBottom = "3px solid " + factionColour(h.c);
      item.appendChild(who);
      var status = el("span", {"class": "muted"}, [" (", ev ? statusNode(ev, "", true) : t(h.st), ")"]);
      item.appendChild(status);
      item.appendChild(el("br"));
      item.appendChild(ev ? english(ev.sum) : document.createTextNode(t("baseline_summary")));
      item.appendChild(el("br"));
      item.appendChild(sourcesNode(ev ? ev.src : DATA.baseline.src));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }
  function focusPlace(i) {
    var m = markers[i];
    map.setView(m.getLatLng(), Math.max(map.getZoom(), 8), {animate: false});
    if (!EMBEDDED) { m.openPopup(); }
  }

  // --- painting a day: markers, zones, fronts, compare rings ---------------------------------------
  var day = N - 1, compare = -1, openPlace = -1;
  var repaints = [];  // ms per repaint, measured in the page (python -m geo bench reads them)
  var lastEntry = DATA.places.map(function () { return -1; }), painted = false;
  function paint(d) {
    var t0 = performance.now(), dirty = painted ? [] : null, seen = {};
    for (var i = 0; i < markers.length; i++) {
      var p = DATA.places[i], ei = entryIndex(p.h, d), e = p.h[ei], m = markers[i];
      var icon = (e.d === d && e.e >= 0) ? e.ih : e.i;
      if (m.iconIndex !== icon) {  // only the places whose look changed are touched
        m.setIcon(divIcon(icon));
        m.setZIndexOffset((ICONS[icon] || ICONS[0]).z);
        m.iconIndex = icon;
        var node = m.getElement();
        if (node) {
          node.setAttribute("data-place", p.id);
          node.setAttribute("data-controller", e.c);
          node.setAttribute("data-status", e.st);
        }
      }
      if (ei !== lastEntry[i]) {
        lastEntry[i] = ei;
        var site = siteOfPlace[i];
        if (dirty && site !== undefined && !seen[site]) { seen[site] = 1; dirty.push(site); }
      }
    }
    painted = true;
    paintZones(d, dirty);
    paintCompare(d);
    repaints.push(performance.now() - t0);
    if (repaints.length > 2000) { repaints.splice(0, 1000); }
  }
  function paintCompare(d) {
    compareRings.clearLayers();
    if (compare < 0 || compare === d) { return; }
    DATA.places.forEach(function (p) {
      var a = entryOn(p, compare), b = entryOn(p, d);
      if (a.c !== b.c) {
        L.circleMarker([p.lat, p.lon], {radius: 13, color: factionColour(b.c), weight: 3, dashArray: "3 2", fill: false,
          interactive: false, className: "syria-compare-ring"}).addTo(compareRings);
      }
    });
  }
  function compareSummary(a, b) {  // places that changed hands between two days, by new holder; zone km² gained and lost
    var byHolder = {}, gained = {}, lost = {};
    DATA.places.forEach(function (p, i) {
      var x = entryOn(p, a), y = entryOn(p, b);
      if (x.c !== y.c) { (byHolder[y.c] = byHolder[y.c] || []).push([i, x.c]); }
    });
    if (Z) {
      for (var s = 0; s < Z.sites.length; s++) {
        var ha = siteKey(s, a)[0], hb = siteKey(s, b)[0];
        if (ha !== hb) { gained[hb] = (gained[hb] || 0) + Z.km2[s]; lost[ha] = (lost[ha] || 0) + Z.km2[s]; }
      }
    }
    return {byHolder: byHolder, gained: gained, lost: lost};
  }

  // --- the date control -----------------------------------------------------------------------
  var ctl = $("syria-timeline");
  ctl.setAttribute("aria-label", t("date_control"));
  var slider = el("input", {type: "range", id: "syria-day", min: "0", max: String(Math.max(0, N - 1)), step: "1",
                            "aria-label": t("day_slider")});
  var dayLabel = el("span", {"class": "day-label", id: "syria-day-label", "aria-live": "polite", "aria-atomic": "true"});
  var RTL = DATA.dir === "rtl";  // the buttons point the way time runs on the page
  var prev = el("button", {type: "button", id: "syria-prev", title: t("prev_key"), "aria-label": t("prev_day"), text: RTL ? "\u203a" : "\u2039"});
  var next = el("button", {type: "button", id: "syria-next", title: t("next_key"), "aria-label": t("next_day"), text: RTL ? "\u2039" : "\u203a"});
  var playBtn = el("button", {type: "button", id: "syria-play", "aria-pressed": "false", title: t("play_key"), text: t("play")});
  var speed = el("select", {id: "syria-speed", "aria-label": t("play_speed")}, [
    el("option", {value: "1", text: t("speed_1")}), el("option", {value: "7", text: t("speed_7")}),
    el("option", {value: "30", text: t("speed_30")}), el("option", {value: "changes", text: t("speed_changes")})]);
  speed.value = "7";
  var periods = el("select", {id: "syria-periods", "aria-label": t("jump_period")}, [el("option", {value: "", text: t("periods")})]);
  DATA.periods.forEach(function (p, i) { periods.appendChild(el("option", {value: String(i), text: p.name})); });
  var compareSel = el("input", {type: "date", id: "syria-compare", min: DATA.days[0], max: DATA.days[N - 1],
                                 "aria-label": t("compare_day")});
  var compareClear = el("button", {type: "button", id: "syria-compare-clear", text: "\u00d7", title: t("stop_compare"), "aria-label": t("stop_compare")});
  var histogram = el("div", {"class": "histogram", id: "syria-histogram", role: "group", "aria-label": t("changes_per_day")});
  var marks = el("div", {"class": "period-marks", id: "syria-period-marks"});
  var maxChanges = Math.max.apply(null, DATA.changes.concat([1]));
  DATA.changes.forEach(function (n, i) {
    if (!n) { return; }
    var bar = el("button", {type: "button", "class": "bar", "data-day": DATA.days[i], tabindex: "-1",
                            title: t(n === 1 ? "n_changes_one" : "n_changes", {day: DATA.labels[i], n: n}), "aria-label": DATA.labels[i]});
    bar.style[RTL ? "right" : "left"] = (100 * i / Math.max(1, N - 1)) + "%";
    bar.style.height = Math.max(12, 100 * Math.sqrt(n / maxChanges)) + "%";
    bar.addEventListener("click", function () { stop(); setDay(i); settleSoon(0); });
    histogram.appendChild(bar);
  });
  DATA.periods.forEach(function (p) {
    var mark = el("span", {"class": "mark", title: p.name, text: p.name});
    mark.style[RTL ? "right" : "left"] = (100 * p.from / Math.max(1, N - 1)) + "%";
    mark.style.width = Math.max(0.6, 100 * (p.to - p.from + 1) / Math.max(1, N)) + "%";
    marks.appendChild(mark);
  });
  var row1 = el("div", {"class": "row"}, [prev, dayLabel, next, playBtn, speed, periods,
    el("span", {"class": "compare small"}, [el("label", {"for": "syria-compare", text: t("compare_with")}), compareSel, compareClear])]);
  var row2 = el("div", {"class": "track"}, [marks, histogram, slider]);
  var row3 = el("div", {"class": "row small muted", id: "syria-compare-words"});
  [row1, row2, row3].forEach(function (r) { ctl.appendChild(r); });

  var timer = null, settleTimer = null, playLog = [];
  function setDay(d) {
    d = Math.max(0, Math.min(N - 1, d | 0));
    day = d;
    paint(d);
    slider.value = String(d);
    slider.setAttribute("aria-valuetext", DATA.labels[d]);
    dayLabel.textContent = DATA.labels[d];
    prev.disabled = d <= 0;
    next.disabled = d >= N - 1;
    document.documentElement.setAttribute("data-day", DATA.days[d]);
    if (!EMBEDDED) { renderPanels(d); }
  }
  function setCompare(c) {
    compare = (c === null || c === undefined || c < 0 || c >= N) ? -1 : c;
    compareSel.value = compare >= 0 ? DATA.days[compare] : "";
    $("syria-compare-words").textContent = compare >= 0 ? t("rings_since", {day: DATA.labels[compare]}) : "";
    document.documentElement.setAttribute("data-compare", compare >= 0 ? DATA.days[compare] : "");
    paint(day);
    if (!EMBEDDED) { renderPanels(day); }
  }
  function stop() {
    if (timer !== null) {
      if (timer.interval !== undefined) { clearInterval(timer.interval); } else { cancelAnimationFrame(timer.raf); }
      timer = null;
      settleSoon(0);
    }
    playBtn.textContent = t("play");
    playBtn.setAttribute("aria-pressed", "false");
    dayLabel.setAttribute("aria-live", "polite");  // the day is announced again once playing stops
  }
  function play() {
    if (timer !== null) { stop(); return; }
    if (day >= N - 1) { setDay(0); }
    playBtn.textContent = t("pause");
    playBtn.setAttribute("aria-pressed", "true");
    dayLabel.setAttribute("aria-live", "off");  // not thirty days a second read out
    if (speed.value === "changes") {  // a change a beat
      timer = {interval: setInterval(function () {
        var target = nextChange(day);
        if (target === null) { setDay(N - 1); stop(); return; }
        setDay(target);
      }, SPEEDS.changes)};
      return;
    }
    // n days a second by the clock, painted on the display's frames: a slow frame skips days, it does not slow the play
    var ms = SPEEDS[speed.value] || 1000, t0 = performance.now(), d0 = day;
    timer = {raf: 0};
    var tick = function (now) {
      if (timer === null || timer.interval !== undefined) { return; }  // stopped (or replaced) meanwhile
      var target = Math.min(N - 1, d0 + Math.floor((now - t0) / ms));
      if (target !== day) {
        setDay(target);
        playLog.push([now, target]);  // when each day was painted (python -m geo bench reads the rate)
        if (playLog.length > 4000) { playLog.splice(0, 2000); }
      }
      if (day >= N - 1) { stop(); return; }
      timer.raf = requestAnimationFrame(tick);
    };
    timer.raf = requestAnimationFrame(tick);
  }
  function nextChange(d) { for (var i = 0; i < CHANGE_DAYS.length; i++) { if (CHANGE_DAYS[i] > d) { return CHANGE_DAYS[i]; } } return null; }
  function prevChange(d) { for (var i = CHANGE_DAYS.length - 1; i >= 0; i--) { if (CHANGE_DAYS[i] < d) { return CHANGE_DAYS[i]; } } return null; }

  // the view in the address: #date=YYYY-MM-DD&place=ID&compare=YYYY-MM-DD (the dashboard's host keeps its own ?date=)
  function viewHash() {
    var parts = ["date=" + DATA.days[day]];
    if (openPlace >= 0) { parts.push("place=" + DATA.places[openPlace].id); }
    if (compare >= 0) { parts.push("compare=" + DATA.days[compare]); }
    return "#" + parts.join("&");
  }
  var settled = null;
  function settle() {
    settleTimer = null;
    if (timer !== null) { return; }
    renderTable(day);
    var view = viewHash();
    if (view === settled) { return; }
    settled = view;
    if (EMBEDDED) {
      post({type: "settle", day: DATA.days[day], compare: compare >= 0 ? DATA.days[compare] : null});
    } else if (location.hash !== view) {
      try { history.pushState({syria: view}, "", view); } catch (e) { location.hash = view; }
    }
  }
  function settleSoon(ms) {
    if (settleTimer !== null) { clearTimeout(settleTimer); }
    settleTimer = setTimeout(settle, ms === undefined ? SETTLE_MS : ms);
  }
  function readView(text) {
    var view = {d: -1, p: -1, c: -1};
    var old = /^#?(\d{4}-\d{2}-\d{2})(?:\/([a-z0-9_]{1,80}))?$/.exec(text || "");  // the first exports' form
    var params = old ? {date: old[1], place: old[2]} : {};
    if (!old) {
      (text || "").replace(/^[#?]/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) { params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
      });
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.date || "")) { view.d = DATA.days.indexOf(params.date); }
    if (/^\d{4}-\d{2}-\d{2}$/.test(params.compare || "")) { view.c = DATA.days.indexOf(params.compare); }
    if (/^[a-z0-9_]{1,80}$/.test(params.place || "")) { view.p = DATA.places.findIndex(function (x) { return x.id === params.place; }); }
    return view;
  }
  function applyView(view) {
    stop();
    setDay(view.d >= 0 ? view.d : N - 1);
    setCompare(view.c);
    if (view.p >= 0) { focusPlace(view.p); }
    settled = viewHash();
  }

  slider.addEventListener("input", function () { stop(); setDay(+slider.value); settleSoon(); });  // live while dragging
  slider.addEventListener("change", function () { settleSoon(); });
  prev.addEventListener("click", function () { stop(); setDay(day - 1); settleSoon(); });
  next.addEventListener("click", function () { stop(); setDay(day + 1); settleSoon(); });
  playBtn.addEventListener("click", play);
  speed.addEventListener("change", function () { if (timer !== null) { stop(); play(); } });
  periods.addEventListener("change", function () {
    var p = DATA.periods[+periods.value];
    if (p) { stop(); setDay(p.from); settleSoon(0); }
    periods.value = "";
  });
  compareSel.addEventListener("change", function () { setCompare(DATA.days.indexOf(compareSel.value)); settleSoon(0); });
  compareClear.addEventListener("click", function () { setCompare(-1); settleSoon(0); });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target, tag = t && t.tagName;
    if (tag === "INPUT" && t !== slider || tag === "SELECT" || tag === "TEXTAREA" || (t && t.isContentEditable)) { return; }
    var target = null;
    var back = RTL ? "ArrowRight" : "ArrowLeft", forward = RTL ? "ArrowLeft" : "ArrowRight";  // as the slider runs
    if (ev.key === back) { target = ev.shiftKey ? prevChange(day) : day - 1; }
    else if (ev.key === forward) { target = ev.shiftKey ? nextChange(day) : day + 1; }
    else if (ev.key === "Home") { target = 0; }
    else if (ev.key === "End") { target = N - 1; }
    else if (ev.key === " " && tag !== "BUTTON") { ev.preventDefault(); play(); return; }
    if (target === null) { return; }
    ev.preventDefault();
    stop();
    setDay(target);
    settleSoon();
  });
  window.addEventListener("popstate", function () { if (!EMBEDDED) { applyView(readView(location.hash)); } });
  window.addEventListener("hashchange", function () { if (!EMBEDDED) { applyView(readView(location.hash)); } });

  // --- the dashboard's host (the parent page) ----------------------------------------------------
  function post(message) {
    if (EMBEDDED && window.parent !== window) { message.source = "syria-map"; window.parent.postMessage(message, location.origin); }
  }
  window.addEventListener("message", function (ev) {
    if (ev.origin !== location.origin || ev.source !== window.parent || !ev.data || ev.data.source !== "syria-host") { return; }
    var m = ev.data;
    if (m.type === "view") {
      var d = DATA.days.indexOf(m.day), c = m.compare ? DATA.days.indexOf(m.compare) : -1;
      if (d >= 0 && d !== day) { stop(); setDay(d); }
      if (c !== compare) { setCompare(c); }
      if (m.place) { var p = DATA.places.findIndex(function (x) { return x.id === m.place; }); if (p >= 0 && m.focus) { focusPlace(p); } }
      if (typeof m.zones === "boolean" && Z && m.zones !== showZones) { showZones = m.zones; if (showZones) { zonesGroup.addTo(map); } else { map.removeLayer(zonesGroup); } }
      if (typeof m.fronts === "boolean" && Z && m.fronts !== showFronts) { showFronts = m.fronts; if (showFronts) { frontsGroup.addTo(map); } else { map.removeLayer(frontsGroup); } }
      settled = viewHash();
    }
  });

  // --- the panels of the standalone page -----------------------------------------------------------
  function renderPanels(d) {
    renderLegend(d);
    renderChanges(d);
    renderCompare(d);
    if (openPlace >= 0) { var pop = markers[openPlace].getPopup(); if (pop && pop.isOpen()) { pop.setContent(historyNode(openPlace)); } }
  }
  function renderLegend(d) {
    var now = countsOn(d), before = d > 0 ? countsOn(d - 1) : now, body = $("legend");
    if (!body) { return; }
    clear(body);
    DATA.factions.forEach(function (f) {
      var n = now.counts[f.id] || 0, delta = n - (before.counts[f.id] || 0);
      if (f.gone !== null && f.gone < d && !n) { return; }  // merged into another before this day
      var name = named(f.id, d), sw = el("span", {"class": "swatch"});
      sw.style.background = colour(f.colour);
      var num = el("td", {"class": "num", "data-faction": f.id}, [el("b", {text: String(n)})]);
      if (delta) { num.appendChild(el("span", {"class": "delta", text: " (" + (delta > 0 ? "+" : "") + delta + ")"})); }
      body.appendChild(el("tr", null, [el("td", null, [sw]), el("td", {title: name.about || name.label},
        [el("b", {text: name.short}), " ", el("span", {"class": "muted small", text: name.label})]), num]));
    });
    body.appendChild(el("tr", null, [el("td"), el("td", {"class": "muted", text: t("all_places")}),
      el("td", {"class": "num", text: String(DATA.places.length)})]));
    $("inferred").textContent = now.inferred ? t(now.inferred === 1 ? "inference_one" : "inference_many", {n: now.inferred}) : t("no_inference");
  }
  function renderChanges(d) {
    var box = $("changes");
    if (!box) { return; }
    clear(box);
    var ids = EVENTS_BY_DAY[d] || [];
    if (!ids.length) { box.appendChild(el("p", {"class": "muted", text: t("no_change", {day: DATA.labels[d]})})); return; }
    var list = el("ul", {"class": "changes"});
    ids.forEach(function (i) {
      var e = DATA.events[i];
      var item = el("li", {"data-place": DATA.places[e.p].id});
      item.style.borderLeftColor = factionColour(e.c);
      item.appendChild(el("b", {text: e.hl}));
      if (e.q) { item.appendChild(document.createTextNode(" ")); item.appendChild(english("(" + e.q + ")")); }
      item.appendChild(document.createTextNode(" "));
      item.appendChild(badge(e.st));
      if (e.b === "inferred") { item.appendChild(document.createTextNode(" ")); item.appendChild(badge("inferred", "inferred")); }
      item.appendChild(el("br"));
      item.appendChild(english(e.sum));
      item.appendChild(el("br"));
      item.appendChild(statusNode(e, "muted"));
      if (e.n) { item.appendChild(el("br")); item.appendChild(el("span", {"class": "muted"}, [t("note", {text: ""}), english(e.n)])); }
      item.appendChild(el("br"));
      item.appendChild(sourcesNode(e.src));
      var show = el("button", {type: "button", "class": "small", text: t("show_on_map")});
      show.addEventListener("click", function () { focusPlace(e.p); });
      item.appendChild(show);
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  // the table of the day (standalone page): sortable by its headers, filtered by the words typed; drawn when settled
  var TABLE_COLS = ["place", "kind", "governorate", "holder", "since", "status", "basis"], sortCol = 0, sortUp = true;
  function tableRows(d) {
    return DATA.places.map(function (p) {
      var e = entryOn(p, d);
      var since = e.e >= 0 ? DATA.labels[e.d] : t("baseline", {day: DATA.labels[e.d]}).replace(/\.$/, "");
      return [p.name, p.kind, p.gov, e.w, since, t(e.st), t(e.b === "inferred" ? "inferred" : "reported"), e.d];
    });
  }
  function renderTable(d) {
    var box = $("table-box");
    if (!box || !box.open) { return; }
    var needles = $("table-filter").value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var rows = tableRows(d).filter(function (r) {
      return needles.every(function (n) { return r.slice(0, 7).some(function (c) { return c.toLocaleLowerCase().indexOf(n) >= 0; }); });
    });
    rows.sort(function (a, b) {
      var x = sortCol === 4 ? a[7] - b[7] : a[sortCol].localeCompare(b[sortCol], DATA.lang);
      return (sortUp ? x : -x) || a[0].localeCompare(b[0], DATA.lang);
    });
    $("table-caption").textContent = t("table_caption", {day: DATA.labels[d]});
    $("table-count").textContent = t("table_rows", {n: rows.length, total: DATA.places.length});
    var head = $("table-head"), body = $("table-body");
    clear(head);
    TABLE_COLS.forEach(function (c, i) {
      var button = el("button", {type: "button", "class": "sort", text: t("col_" + c)});
      button.addEventListener("click", function () { sortUp = sortCol === i ? !sortUp : true; sortCol = i; renderTable(day); });
      var th = el("th", {scope: "col", "aria-sort": sortCol === i ? (sortUp ? "ascending" : "descending") : "none"}, [button]);
      head.appendChild(th);
    });
    clear(body);
    rows.forEach(function (r) {
      body.appendChild(el("tr", null, r.slice(0, 7).map(function (c, i) { return el(i ? "td" : "th", i ? {text: c} : {scope: "row", text: c}); })));
    });
  }
  if (!EMBEDDED && $("table-box")) {
    $("table-box").addEventListener("toggle", function () { renderTable(day); });
    $("table-filter").addEventListener("input", function () { renderTable(day); });
  }
  function renderCompare(d) {
    var box = $("compare-list");
    if (!box) { return; }
    clear(box);
    box.hidden = compare < 0;
    if (compare < 0) { return; }
    var sum = compareSummary(compare, d);
    box.appendChild(el("h2", {text: t("changed_between", {a: DATA.labels[compare], b: DATA.labels[d]})}));
    var holders = Object.keys(sum.byHolder);
    if (!holders.length) { box.appendChild(el("p", {"class": "muted", text: t("no_place_changed")})); }
    holders.forEach(function (h) {
      var name = named(h, d), items = sum.byHolder[h];
      var head = el("p", null, [el("b", {text: t("holder_gained", {holder: name.short, n: items.length})})]);
      head.style.borderInlineStart = "4px solid " + factionColour(h);
      head.style.paddingInlineStart = "6px";
      box.appendChild(head);
      box.appendChild(el("p", {"class": "small"}, [items.map(function (x) { return t("from_holder", {place: DATA.places[x[0]].name, old: named(x[1], compare).short}); }).join(t("list_sep"))]));
    });
    if (Z) {
      var parts = [];
      Object.keys(sum.gained).concat(Object.keys(sum.lost)).filter(function (v, i, a) { return a.indexOf(v) === i; }).forEach(function (f) {
        var net = Math.round((sum.gained[f] || 0) - (sum.lost[f] || 0));
        parts.push(named(f, d).short + " " + (net >= 0 ? "+" : "") + t("km2", {n: net.toLocaleString("en")}));
      });
      box.appendChild(el("p", {"class": "small muted", id: "compare-area", text: t("zone_area_approx", {list: parts.join(t("list_sep")) || t("no_change_short")})}));
    }
  }
  if (!EMBEDDED) {
    $("title").textContent = DATA.title;
    document.title = DATA.title;
    $("caption").textContent = t("static_caption", {places: DATA.places.length, events: DATA.events.length, first: DATA.labels[0],
      last: DATA.labels[N - 1], reports: DATA.reportsTo ? t("static_reports", {day: DATA.reportsTo}) : ""});
    Array.prototype.forEach.call(document.querySelectorAll("[data-words]"), function (node) {
      node.textContent = t(node.getAttribute("data-words"), {when: DATA.generated});
    });
    DATA.symbols.forEach(function (s) {
      var img = el("img", {alt: ""});
      if (/^data:image\/svg\+xml;base64,[A-Za-z0-9+\/=]+$/.test(s[0])) { img.src = s[0]; }
      $("symbols").appendChild(el("div", null, [img, el("span", {text: s[1]})]));
    });
    if (Z) {
      var zt = el("input", {type: "checkbox", id: "zones"});
      zt.checked = showZones;
      zt.addEventListener("change", function () { showZones = zt.checked; if (showZones) { zonesGroup.addTo(map); frontsGroup.addTo(map); } else { map.removeLayer(zonesGroup); map.removeLayer(frontsGroup); } });
      $("zones-box").appendChild(el("label", {"class": "toggle"}, [zt, t("zones_box")]));
      $("zones-box").appendChild(el("p", {"class": "small muted", text: Z.note + (Z.reachKm ? t("nodata_note", {km: Z.reachKm}) : "")}));
    }
    var outlets = $("outlets");
    outlets.textContent = t("sources", {list: ""});
    outlets.appendChild(DATA.outlets.length ? english(DATA.outlets.join(", ")) : document.createTextNode(t("none")));
  }

  // --- start ---------------------------------------------------------------------------------------
  window.SyriaMapApp = {
    setDay: function (d) { stop(); setDay(d); settleSoon(); }, day: function () { return day; }, days: N,
    repaints: repaints, playLog: playLog, paint: function (d) { paint(d); }, compareSummary: compareSummary, play: play, stop: stop
  };
  applyView(readView(EMBEDDED ? (CONFIG.view || "") : location.hash));
  window.SyriaMapApp.readyMs = performance.now();  // the page's clock: how long its start took
  document.documentElement.setAttribute("data-ready", "1");
  post({type: "ready"});
})();
