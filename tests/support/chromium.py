"""Debian's Chromium, headless, through Playwright: launched one way for the tests and the benchmarks.

Pages are kept offline: every request to anything but what the caller allows (the app's own server,
file: URLs) is aborted, so a map must paint from what the app serves itself; map tiles fail, which is fine.
Set SYRIA_MAP_CHROMIUM to use another Chromium than /usr/bin/chromium.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("SYRIA_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
MAP_FRAME = "iframe.syria-map"  # the dashboard's map application, as a selector
MAP_FRAME_URL = "/app/static/maps/"  # ... and as part of its frame's URL
ROUNDTRIP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'  # the round-trip baseline's map (benchmarks/roundtrip_app.py)
ROUNDTRIP_FRAME_URL = "streamlit_folium.st_folium"
LOCAL_SCHEMES = ("data:", "blob:", "about:")  # what a page makes itself: always allowed
KIB = 1024


class ChromiumUnavailable(RuntimeError):
    """Chromium or Playwright is missing, or the browser did not start."""


def launch(playwright, extra_args: Iterable[str] = ()):
    """Launch headless Chromium from a sync or an async Playwright (await the async one's result)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args], headless=True)


@contextmanager
def headless_chromium(extra_args: Iterable[str] = ()) -> Iterator:
    """A Browser (sync Playwright), closed afterwards. Raises ChromiumUnavailable, saying why, when it cannot run."""
    if not Path(CHROMIUM).exists():
        raise ChromiumUnavailable(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`, or set SYRIA_MAP_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover
        raise ChromiumUnavailable(f"playwright is not installed: {exc}") from exc
    with sync_playwright() as p:
        try:
            browser = launch(p, extra_args)
        except Exception as exc:
            raise ChromiumUnavailable(f"cannot launch {CHROMIUM}: {exc}") from exc
        try:
            yield browser
        finally:
            browser.close()


class OfflinePage:
    """A page in a browser context of its own that may load only URLs starting with one of `allowed`
    (and data:, blob:, about:); every other request is aborted.

    Keeps what it saw: requests (every URL asked for), blocked, dialogs (each dismissed) and errors (uncaught in the page).
    """

    def __init__(self, browser, allowed: Iterable[str], width: int, height: int, timeout_ms: float, **context_options):
        self.context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1, **context_options)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        prefixes = (*LOCAL_SCHEMES, *allowed)

        def route(r):
            url = r.request.url
            self.requests.append(url)
            if url.startswith(prefixes):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(timeout_ms)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def close(self) -> None:
        self.context.close()


def map_frame(page, timeout_s: float = 20):
    """The frame of the dashboard's map, once the page has one."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if MAP_FRAME_URL in frame.url:
                return frame
        time.sleep(0.02)
    raise RuntimeError("no map frame")


class Wire:
    """Bytes over the network after start(): HTTP responses' bodies are not counted (a request is), websocket frames are.
    Playwright reports frames when its client runs: wait with page.wait_for_timeout, never time.sleep."""

    def __init__(self, page):
        self.frames: list[int] = []
        self.requests: list[str] = []
        self.on = False
        page.on("request", lambda r: self.requests.append(r.url) if self.on else None)
        page.on("websocket", lambda ws: (ws.on("framesent", self._frame), ws.on("framereceived", self._frame)))

    def _frame(self, payload) -> None:
        if self.on:
            self.frames.append(len(payload) if isinstance(payload, bytes | bytearray) else len(str(payload).encode()))

    def start(self) -> None:
        self.frames.clear()
        self.requests.clear()
        self.on = True

    def kib(self) -> float:
        return sum(self.frames) / KIB

    def quiet(self, page, ms: int = 1000, limit_ms: int = 30_000) -> None:
        """Wait until nothing has gone over the websocket for `ms` (a rerun still on its way would count otherwise)."""
        waited, seen = 0, -1
        while waited < limit_ms:
            count = len(self.frames)
            if count == seen:
                return
            seen = count
            page.wait_for_timeout(ms)
            waited += ms
