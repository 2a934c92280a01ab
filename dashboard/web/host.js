// The dashboard's map component (Streamlit custom component v2, in the page itself, no iframe of its own).
//
// It shows the map application (geo/map/web/map_app.js) in an iframe served from the app's static folder,
// once per dataset, and relays between the two:
// - the map settles on a day (or a comparison): the address bar gets a new history entry (?date=...),
//   and Streamlit gets the view as state ("view"), so its panels follow;
// - a place is clicked on the map: Streamlit gets it as a trigger ("place");
// - Streamlit's view changes (a link, a place picked, the toggles): the map is told, without a reload;
// - Back/Forward: the address's view goes to the map and to Streamlit.
export default function (component) {
  const { data, parentElement, setStateValue, setTriggerValue } = component;
  const host = parentElement.querySelector(".syria-map-host") || parentElement;
  let frame = host.querySelector("iframe.syria-map");
  const url = String(data.url || "");
  // the page's language and direction (Streamlit has no option for them): screen readers read Arabic as Arabic
  const lang = data.lang === "ar" ? "ar" : "en";
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
  if (!/^app\/static\/maps\/[0-9a-f]{16}\.html$/.test(url)) {
    return;  // only the app's own generated page
  }
  const send = (message) => {
    if (frame && frame.contentWindow) {
      frame.contentWindow.postMessage(Object.assign({ source: "syria-host" }, message), window.location.origin);
    }
  };
  const view = () => ({ type: "view", day: data.day, compare: data.compare || null, place: data.place || null,
    focus: !!data.focus, zones: !!data.zones, fronts: !!data.fronts });

  if (!frame || frame.dataset.url !== url) {
    if (frame) { frame.remove(); }
    frame = document.createElement("iframe");
    frame.className = "syria-map";
    frame.dataset.url = url;
    frame.title = String(data.frameTitle || "Map of Syria with its date control");
    frame.setAttribute("loading", "eager");
    frame.style.width = "100%";
    // on a phone the map and its date control fit the first screen, so the control stays within reach of a thumb
    const phone = window.innerWidth < 700;
    const room = window.innerHeight - Math.max(0, host.getBoundingClientRect().top + window.scrollY) - 8;
    frame.style.height = (phone ? Math.round(Math.max(360, Math.min(window.innerHeight * 0.8, room))) : (Number(data.height) || 640)) + "px";
    frame.style.border = "0";
    // the first view travels in the fragment, so the map paints the right day at once
    const first = ["date=" + encodeURIComponent(data.day)];
    if (data.compare) { first.push("compare=" + encodeURIComponent(data.compare)); }
    if (data.place) { first.push("place=" + encodeURIComponent(data.place)); }
    frame.src = url + "#" + first.join("&");
    host.appendChild(frame);
  }
  frame.dataset.day = data.day;

  // one listener per page, reading the latest component functions from the element
  host._syria = { setStateValue, setTriggerValue, send, view, data };
  if (!host._syriaListening) {
    host._syriaListening = true;
    window.addEventListener("message", (ev) => {
      const h = host._syria;
      const f = host.querySelector("iframe.syria-map");
      if (ev.origin !== window.location.origin || !f || ev.source !== f.contentWindow || !ev.data || ev.data.source !== "syria-map") {
        return;
      }
      const m = ev.data;
      if (m.type === "ready") {
        h.send(h.view());
      } else if (m.type === "settle" && /^\d{4}-\d{2}-\d{2}$/.test(m.day)) {
        const params = new URLSearchParams(window.location.search);
        params.set("date", m.day);
        if (m.compare && /^\d{4}-\d{2}-\d{2}$/.test(m.compare)) { params.set("compare", m.compare); } else { params.delete("compare"); }
        if (h.data.lang === "ar") { params.set("lang", "ar"); } else { params.delete("lang"); }
        const next = "?" + params.toString();
        if (next !== window.location.search) {
          window.history.pushState({ syria: true }, "", next + window.location.hash);
        }
        h.setStateValue("view", { day: m.day, compare: m.compare || null });
      } else if (m.type === "place" && /^[a-z0-9_]{1,80}$/.test(m.place)) {
        h.setTriggerValue("place", m.place);
      }
    });
    window.addEventListener("popstate", () => {
      const h = host._syria;
      const params = new URLSearchParams(window.location.search);
      const day = params.get("date"), compare = params.get("compare");
      if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
        h.send({ type: "view", day: day, compare: compare && /^\d{4}-\d{2}-\d{2}$/.test(compare) ? compare : null });
        h.setStateValue("view", { day: day, compare: compare || null });
      }
    });
  } else {
    send(view());  // a rerun: the map follows Streamlit's view (a no-op when it already shows it)
  }
}
