"""The benchmark (`python -m geo bench`) runs and prints its table. Timings are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

from benchmarks.bench import Metric, SizeResult, table, targets


def bench(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "bench", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_quick_bench_runs_and_prints_the_table(tmp_path):
    out = tmp_path / "BENCH.md"
    result = bench("--quick", "--no-browser", "--write", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    for row in ("| 1. load + validate |", "| 2. precompute: territory model", "| 3. date query", "| 4. slider move: dashboard rerun",
                "| 4. bytes sent to the map component per move |", "| 5. straightforward way as a rerun",
                "| 5. straightforward rerun / dashboard rerun"):
        assert row in result.stdout, row
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Benchmarks") and "## Machine" in report and "- CPU:" in report and "- Python:" in report
    assert "| 4. slider move: dashboard rerun (AppTest) |" in report


@pytest.mark.browser
def test_quick_bench_with_the_browser():
    result = bench("--quick")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "browser measurement failed" not in result.stderr, result.stderr[-3000:]
    for row in ("| 6. cold start: server start to first map painted", "| 6. slider move (Next day with events) clicked to map updated",
                "| 6. server memory, peak |"):
        assert row in result.stdout, row


def test_table_shows_median_and_range_and_the_targets():
    shipped = SizeResult("shipped", "shipped data")
    for value in (40.0, 55.0, 48.0):
        shipped.metric("move", "ms").add(value)
    shipped.metric("map_bytes", "KiB").add(70.0)
    shipped.metric("query", "ms").add(0.004)
    text = table([shipped])
    assert "| 4. slider move: dashboard rerun (AppTest) | 48 ms (40-55) |" in text
    assert "| 3. date query (state + changes + counts) | 4.0 µs |" in text
    verdicts = {what: verdict for _, what, _, verdict in targets([shipped])}
    assert verdicts == {"4. slider move: dashboard rerun (AppTest)": "met", "4. bytes sent to the map component per move": "NOT met"}
    assert Metric().text() == "-"
