"""Hostile links: whatever a link's query string holds, the page renders, never an exception.

A bad `date` (malformed, out of range, oversized, repeated with a bad last value), an unknown or
hostile `place`, bad `zones`/`fronts` flags: the default view (the last day, no place selected) with
a notice quoting the bad value made safe, and the address bar rewritten to the clean view. Unknown
parameters and empty values are dropped silently. The tests run the script with AppTest on the
fixture data, then send the worst links to a live server: over Streamlit's websocket protocol
(oversized query strings), as plain HTTP (URLs too long for the server) and in a real Chromium
(script in the link: nothing runs, the map still paints).

Repeated parameters: the last value counts (as `st.query_params` reads them), see test_present.py.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.chromium import MAP_FRAME, MAP_FRAME_URL
from tests.support.data import FIXTURE_EVENTS, FIXTURE_PLACES
from tests.support.viewers import Engine, WsViewer, run_async

FIRST, LAST = date(2024, 11, 26), date(2024, 12, 6)
SAFE_SHOWN = re.compile(r"`([^`]*)`")  # the bad value, as the notice quotes it


@pytest.fixture
def app(fixture_app):
    """The dashboard on the fixture data (conftest), run: app(**query_params) -> the AppTest after its run."""
    return lambda **params: fixture_app(**params).run()


@pytest.fixture(scope="module")
def engine():
    from geo.reading.loader import load_dataset

    return Engine(load_dataset(FIXTURE_EVENTS, FIXTURE_PLACES))


def map_view(at: AppTest) -> dict:
    """The view the map component is told (the map paints it in the browser: tests/test_browser.py)."""
    (component,) = [c for c in at.get("bidi_component") if c.proto.component_name == "syria_map"]
    return json.loads(component.proto.json)


def legend_counts(at: AppTest) -> dict[str, int]:
    (legend,) = [m.value for m in at.markdown if "syria-legend" in m.value]
    return {f: int(n) for f, n in re.findall(r'data-faction="([a-z0-9_]+)"><b>(\d+)</b>', legend)}


def assert_view(at: AppTest, engine: Engine, day: date, place: str | None = None, notices: tuple[str, ...] = ()) -> None:
    """The page rendered without an exception, shows `day` (map, legend, heading) with `place` selected,
    has exactly the notices expected (each a phrase), and the link was rewritten to this clean view."""
    assert not at.exception, at.exception
    assert not at.error
    warnings = [w.value for w in at.warning]
    assert len(warnings) == len(notices), warnings
    for phrase in notices:
        assert any(phrase in w for w in warnings), (phrase, warnings)
    for text in warnings:  # a quoted bad value is cut short and holds only harmless characters
        for shown in SAFE_SHOWN.findall(text):
            assert len(shown) <= 41 and re.fullmatch(r"[0-9A-Za-z.:+?-]*…?", shown), shown
    assert at.subheader[0].value == engine.expected(day).label
    assert at.selectbox[0].value == place
    expected = engine.expected(day)
    assert legend_counts(at) == expected.counts
    assert map_view(at)["day"] == day.isoformat() and map_view(at)["place"] == place
    clean = {"date": day.isoformat(), **({"place": place} if place else {})}
    assert {k: at.query_params[k] for k in at.query_params} == clean  # nothing else survives in the link


NOT_A_DATE = [
    "2024-13-45",
    "2024-02-30",
    "2024-00-10",
    "0000-00-00",
    "9999-99-99",
    "2024-1-6",
    "20241206",
    "6 Dec 2024",
    "2024-12-06T00:00",
    "2024-12-06 00:00",
    "-2024-12-06",
    "+2024-12-06",
    "2024/12/06",
    "yesterday",
    "NaN",
    "null",
    "[]",
    "'; DROP TABLE events;--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "${alert(1)}",
    "{{7*7}}",
    "javascript:alert(1)",
    "../../etc/passwd",
    "%3Cscript%3E",
    "2024-11-30\x00",
    "\u202e2024-11-30",
    "٢٠٢٤-١٢-٠٦",
    "２０２４-１１-３０",
    "🗺️" * 20,
    "x" * 10_000,
    "2024-11-30" * 1_000,
]


@pytest.mark.parametrize("raw", NOT_A_DATE, ids=lambda raw: ascii(raw[:24]))
def test_a_malformed_date_opens_the_last_day_with_a_notice(app, engine, raw):
    at = app(date=raw)
    assert_view(at, engine, LAST, notices=("is not a date like 2024-12-06",))


def test_an_iso_week_date_is_not_a_date_like_the_links(app, engine):
    at = app(date="2024-W48-6")
    assert_view(at, engine, LAST, notices=("is not a date like 2024-12-06",))


@pytest.mark.parametrize("raw", ["2024-11-25", "2024-12-07", "0001-01-01", "1970-01-01", "9999-12-31"])
def test_a_date_outside_the_data_opens_the_last_day_with_a_notice(app, engine, raw):
    at = app(date=raw)
    assert_view(at, engine, LAST, notices=(f"The link's date {raw} is outside the data (2024-11-26 to 2024-12-06)",))


@pytest.mark.parametrize("raw", [FIRST.isoformat(), LAST.isoformat(), " 2024-11-30 ", "\t2024-11-30\n"])
def test_the_edges_of_the_data_and_stray_blanks_are_fine(app, engine, raw):
    at = app(date=raw)
    assert_view(at, engine, date.fromisoformat(raw.strip()))


@pytest.mark.parametrize(
    ("values", "day", "notices"),
    [
        (["2024-11-30", "2024-11-30"], date(2024, 11, 30), ()),  # the same twice: not ambiguous
        (["2024-11-27"] * 500, date(2024, 11, 27), ()),
        (["2024-11-30", "", "  "], date(2024, 11, 30), ()),  # blanks say nothing
        (["2024-11-29", "2024-11-30"], LAST, ("The link gives date 2 different values: showing the latest day",)),
        (["garbage", "2024-11-30"], LAST, ("gives date 2 different values",)),
        (["2024-11-30", "2031-01-01", "x"], LAST, ("gives date 3 different values",)),
    ],
)
def test_a_repeated_date_opens_the_default_day_unless_it_says_one_thing(app, engine, values, day, notices):
    at = app(date=values)
    assert_view(at, engine, day, notices=notices)


@pytest.mark.parametrize(
    "raw",
    [
        "atlantis",
        "Aleppo",
        "ALEPPO",
        "aleppo;hama",
        "aleppo,hama",
        "hama%00",
        "__proto__",
        "constructor",
        "toString",
        "حلب",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE places;--",
        "../../etc/passwd",
        "a" * 81,
        "a" * 10_000,
        "aleppo\x00",
        "${alert(1)}",
    ],
)
def test_an_unknown_or_hostile_place_is_ignored_with_a_notice(app, engine, raw):
    at = app(date="2024-11-30", place=raw)
    assert_view(at, engine, date(2024, 11, 30), notices=("is not in the gazetteer: no place is selected",))


def test_a_repeated_place_selects_nothing_unless_it_says_one_thing(app, engine):
    assert_view(app(date="2024-11-30", place=["hama", " hama"]), engine, date(2024, 11, 30), place="hama")
    assert_view(
        app(date="2024-11-30", place=["atlantis", "hama"]),
        engine,
        date(2024, 11, 30),
        notices=("The link gives place 2 different values: no place is selected",),
    )


def test_a_known_place_with_blanks_around_it_is_selected(app, engine):
    assert_view(app(date="2024-11-30", place="  aleppo "), engine, date(2024, 11, 30), place="aleppo")


@pytest.mark.parametrize(
    "params",
    [
        {"date": "", "place": ""},
        {"date": "   ", "place": "  ", "zones": "", "fronts": ""},
        {"utm_source": "newsletter", "fbclid": "x" * 300},
        {"foo": "<script>alert(1)</script>", "__proto__": "1", "": "empty name"},
        {"Date": "2024-11-30", "PLACE": "aleppo"},  # names are case-sensitive: unknown parameters
    ],
)
def test_empty_values_and_unknown_parameters_are_dropped_without_a_notice(app, engine, params):
    assert_view(app(**params), engine, LAST)


@pytest.mark.parametrize("raw", ["maybe", "2", "<b>", "x" * 5_000])
def test_bad_layer_flags_keep_the_layers_on_with_a_notice(app, engine, raw):
    at = app(date="2024-11-30", zones=raw, fronts=raw)
    assert_view(at, engine, date(2024, 11, 30), notices=("zones value is not 0 or 1", "fronts value is not 0 or 1"))
    assert [c.value for c in at.checkbox] == [True, True]


def test_everything_hostile_at_once(app, engine):
    at = app(
        date=["2024-11-30", "<svg/onload=alert(1)>" * 400], place="\"'><script>alert(2)</script>", zones="¯\\_(ツ)_/¯", extra="{{config}}"
    )
    assert_view(at, engine, LAST, notices=("gives date 2 different values", "is not in the gazetteer", "zones value is not 0 or 1"))


def test_the_notice_goes_when_the_user_moves_and_the_link_stays_clean(app, engine):
    at = app(date="<script>", place="atlantis")
    at.session_state["day"] = date(2024, 12, 5)  # as the map settling on the day before sets it (streamlit_app.on_map_view)
    at.run()
    assert not at.warning and not at.exception
    assert {k: at.query_params[k] for k in at.query_params} == {"date": "2024-12-05"}


# --- a live server: Streamlit's own limits, and the raw protocol --------------------------------
@pytest.fixture(scope="module")
def server(live_server_factory):
    return live_server_factory(FIXTURE_EVENTS, FIXTURE_PLACES, "hostile-links")


async def ws_view(server, query: str):
    viewer = await WsViewer.open(server.ws_url, query)
    try:
        return await viewer.load()
    finally:
        await viewer.close()


def ws_open(server, query: str):
    return run_async(ws_view(server, query))


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("date=" + "%3Cscript%3E" * 20_000, "is not a date"),  # 240 kB: the app gets it and quotes 40 characters
        ("date=" + "9" * 600_000, None),  # over Streamlit's 512 Ki-character limit: dropped before the app sees it
        ("&".join(f"p{i}=1" for i in range(1_500)) + "&date=2024-11-30", None),  # over 1,000 parameters: dropped
        ("date=2024-11-30&" * 900 + "place=hama", None),  # 900 repeats: the last date counts
        ("date=%E0%A4%A&place=%FF%FE%00", "is not a date"),  # broken percent-encoding and UTF-8
    ],
)
def test_oversized_and_broken_query_strings_over_the_websocket(server, engine, query, notice):
    view = ws_open(server, query)
    repeated = query.startswith("date=2024-11-30&")
    expected = engine.expected(date(2024, 11, 30) if repeated else LAST)
    assert not view.exceptions() and not view.errors()
    assert view.heading() == expected.label
    assert view.legend() == expected.counts and view.map_view()["day"] == expected.day.isoformat()
    assert view.query == ("date=2024-11-30&place=hama" if repeated else expected.query)
    warnings = view.warnings()
    if notice is None:
        assert not [w for w in warnings if "date" in w], warnings
    else:
        assert any(notice in w for w in warnings), warnings
        assert all(len(w) < 400 for w in warnings)  # the notice quotes only the start of the value
    assert server.healthy()


def test_streamlits_own_embed_parameters_are_left_to_streamlit(server, engine):
    """`embed` and `embed_options` belong to Streamlit (it keeps them in the link and reads only the
    values it knows); the app's own parameters are handled as usual next to them."""
    view = ws_open(server, "embed=true&embed_options=%3Cscript%3E&date=x")
    assert not view.exceptions() and not view.errors()
    assert view.legend() == engine.expected(LAST).counts and any("is not a date" in w for w in view.warnings())
    assert view.query == "embed=true&embed_options=%3Cscript%3E&date=2024-12-06"


def status_of(server, request_line_length: int) -> str:
    """The status line the server answers a GET whose request line (GET /?date=... HTTP/1.1) is this long: the whole
    request is sent first (or as much as the server takes), then the answer read."""
    port = int(server.url.rsplit(":", 1)[1])
    path = b"/?date=" + b"%3Cscript%3E" * ((request_line_length - 16) // 12)
    path += b"a" * (request_line_length - 13 - len(path))
    request = b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(OSError):  # closed while we were still sending: its answer may still be there to read
            sock.sendall(request)
        answer = b""
        with contextlib.suppress(OSError):
            while b"\r\n" not in answer and (chunk := sock.recv(65536)):
                answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1") or "closed"


@pytest.mark.parametrize(
    ("length", "status"), [(8_000, 200), (60_000, 200), (120_000, 200), (130_000, 400), (200_000, 400), (2_000_000, 400)]
)
def test_a_url_too_long_for_the_server_is_refused_cleanly(server, length, status):
    """uvicorn (Streamlit's web server) answers a request line of up to about 128,000 bytes (the page itself is the same
    for every query) and refuses a longer one with 400 Bad Request: never a 5xx, and the server carries on."""
    assert len(f"GET /?date={'%3Cscript%3E' * 5}x HTTP/1.1") == 81 and status_of(server, 81) == "HTTP/1.1 200 OK"
    assert status_of(server, length) == f"HTTP/1.1 {status} {'OK' if status == 200 else 'Bad Request'}"
    assert server.healthy()


def test_a_crafted_message_that_breaks_a_script_run_shows_no_details(server):
    """Any client can send widget states the page never would (here: a map component state that is not JSON), which
    makes Streamlit raise inside the script run. The visitor gets Streamlit's generic message, without the exception's
    type, text or traceback (.streamlit/config.toml: client.showErrorDetails = "none"); the server's log has them."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    async def go():
        viewer = await WsViewer.open(server.ws_url, "date=2024-12-01")
        try:
            map_id = (await viewer.load()).map_id()
            broken = await viewer.rerun([WidgetState(id=map_id, json_value="{")])
        finally:
            await viewer.close()
        return broken, await ws_view(server, "date=2024-12-01")  # and the server carries on

    broken, again = run_async(go())
    (exception,) = broken.of_type("exception")
    assert exception.type == "" and not exception.stack_trace, exception
    assert "redacted" in exception.message and "Error" not in exception.message and "/" not in exception.message
    assert not again.exceptions() and again.heading() == "1 Dec 2024"
    assert "JSONDecodeError" in server.log_tail(100_000)  # the details, for the operator
    assert server.healthy()


# --- a real browser ---------------------------------------------------------------------------
HOSTILE_URLS = [
    # script in the date and an HTML injection in the place, percent-encoded as a browser sends them
    ("/?date=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&place=%22%3E%3Cimg%20src%3Dx%20onerror%3D%22window.__pwned%3D2%22%3E", 2),
    # an 8 kB query: SVG onload handlers, repeated
    ("/?date=" + "%3Csvg%2Fonload%3Dwindow.__pwned%3D3%3E" * 210, 1),
    # repeated and unknown parameters, template and prototype tricks
    (
        "/?date=2024-11-30&date=javascript:window.__pwned=4&place=aleppo&place=${window.__pwned=5}&zones=%3Cb%3E"
        "&__proto__[polluted]=1&constructor.prototype.polluted=1",
        3,
    ),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "notices"), HOSTILE_URLS, ids=["script-tags", "8kB-svg-onload", "repeated-and-unknown"])
def test_hostile_links_in_a_real_browser(live_browser, server, engine, path, notices):
    context = live_browser.new_context(viewport={"width": 1200, "height": 900})
    dialogs, page_errors = [], []
    try:
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith((server.url, "data:", "blob:", "about:")) else r.abort())
        page = context.new_page()
        page.set_default_timeout(45_000)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: page_errors.append(str(e)))
        assert len(path) < 9_000
        page.goto(server.url + path)
        page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
        page.wait_for_url("**/?date=2024-12-06", timeout=45_000)  # rewritten to the clean default view
        frame = next(f for f in page.frames if MAP_FRAME_URL in f.url)
        expected = engine.expected(LAST)
        frame.wait_for_function("n => document.querySelectorAll('.syria-place').length === n", arg=len(expected.holders))
        alerts = page.locator('[data-testid="stAlertContentWarning"]')
        alerts.first.wait_for()
        assert alerts.count() == notices
        time.sleep(0.5)
        for where in (page, frame):
            assert where.evaluate("typeof window.__pwned") == "undefined"
            assert where.evaluate("typeof window.polluted === 'undefined' && typeof ({}).polluted === 'undefined'")
            assert where.locator("img[src='x'], svg[onload]").count() == 0
        assert not dialogs and not page_errors, (dialogs, page_errors)
    finally:
        context.close()
