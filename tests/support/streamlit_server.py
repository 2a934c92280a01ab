"""`streamlit run streamlit_app.py` on a free localhost port: one way to start the app for the tests and the benchmarks.

    with Server(events, places, "label") as server: server.url, server.rss_mb(), server.metrics()

`running_server` is the same for a test: it fails the test (never skips it) when the server does not start.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.data import ARTIFACTS, REPO

STREAM = "/_stcore/stream"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, timeout_s: float = 15) -> None:
    """Terminate a child process; kill it when it has not exited after `timeout_s`."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout_s)


class Server:
    """`streamlit run streamlit_app.py` on a free localhost port, on the given data files.

    The log goes to `log` (default test-artifacts/streamlit-<label>.log). `started` is the
    time.perf_counter() when the process was started: a cold start is measured from it.
    """

    def __init__(
        self,
        events: Path,
        places: Path,
        label: str = "load",
        extra_args: Iterable[str] = (),
        startup_s: float = 90,
        app: Path = REPO / "streamlit_app.py",
        log: Path | None = None,
    ):
        self.events, self.places, self.label, self.app = Path(events), Path(places), label, Path(app)
        self.extra_args, self.startup_s = list(extra_args), startup_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}{STREAM}"
        self.log = log or ARTIFACTS / f"streamlit-{label}.log"
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        # `python -m` from the checkout: its folder is on the app's import path, as for a script at its root
        # (an app in benchmarks/ imports tests.support too)
        env = {**os.environ, "SYRIA_MAP_EVENTS": str(self.events), "SYRIA_MAP_PLACES": str(self.places)}
        self.started = time.perf_counter()
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(self.app),
                    "--server.port",
                    str(self.port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                    "--server.fileWatcherType",
                    "none",
                    "--server.runOnSave",
                    "false",
                    *self.extra_args,
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.startup_s
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.healthy():
                return self
            if time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"streamlit did not answer on {self.url}:\n{self.log_tail()}")
            time.sleep(0.05)  # often: the benchmark's cold start counts until the first answer

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            stop(self.proc)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.read().strip() == b"ok"
        except OSError:
            return False

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def rss_mb(self) -> float:
        """The server process's resident memory (VmRSS), in MB."""
        assert self.proc is not None
        text = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)) / 1024

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def script_runs(self) -> int:
        """Script runs so far: every run looks up the app's cached `load` (hit or miss) once."""
        return int(sum(v for k, v in self.metrics().items() if k.startswith('cache_lookups_total{cache="dashboard.caches.load"')))

    def metrics(self) -> dict[str, float]:
        """Streamlit's own counters (/_stcore/metrics, OpenMetrics text): 'name{labels}' -> value."""
        with urllib.request.urlopen(f"{self.url}/_stcore/metrics", timeout=10) as response:
            text = response.read().decode()
        out = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out


@contextmanager
def running_server(events: Path, places: Path, label: str, extra_args=()) -> Iterator[Server]:
    """A started `streamlit run streamlit_app.py` on the data files (url, ws_url, rss_mb(), metrics()),
    stopped afterwards. Fails (never skips) the test when it does not start."""
    import pytest  # a test's helper: the benchmarks, which use Server, need no pytest

    server = Server(events, places, label, extra_args)
    try:
        server.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        server.__exit__(None, None, None)
