"""The benchmark (`python -m geo bench`) runs and prints its table. Timings are printed, never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.cli.bench_report import Metric, SizeResult, table, targets
from tests.support.data import REPO


def bench(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "bench", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def test_quick_bench_runs_and_prints_the_table(tmp_path):
    out = tmp_path / "BENCH.md"
    result = bench("--quick", "--no-browser", "--write", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    for row in (
        "| 1. load + validate |",
        "| 2. precompute: territory model",
        "| 3. date query",
        "| 4. settle: the dashboard's rerun",
        "| 4. bytes sent to the map component per settle",
        "| 5. straightforward way as a rerun",
        "| 5. straightforward rerun / dashboard rerun",
    ):
        assert row in result.stdout, row
    report = out.read_text(encoding="utf-8")
    assert report.startswith("# Benchmarks") and "## Machine" in report and "- CPU:" in report and "- Python:" in report
    assert "| 4. settle: the dashboard's rerun for the day the map settled on (AppTest) |" in report


@pytest.mark.browser
def test_quick_bench_with_the_browser():
    result = bench("--quick")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "measurement failed" not in result.stderr, result.stderr[-3000:]
    for row in (
        "| 6. first map paint on a cold server",
        "| 6. repaint after a day change while scrubbing",
        "| 6. repaint after a jump to a random day (most places change), timed in the page (median) |",
        "| 6. bytes on the network per move while scrubbing",
        "| 6. play at 30 days/s",
        "| 7. baseline: Next day with events",
        "| 8. TimeSliderChoropleth: repaint",
        "| 6. server memory, peak |",
    ):
        assert row in result.stdout, row


def test_table_shows_median_and_range_and_the_targets():
    shipped = SizeResult("shipped", "shipped data")
    for value in (10.0, 15.0, 12.0):
        shipped.metric("repaint", "ms").add(value)
    shipped.metric("settle_bytes", "KiB").add(70.0)
    shipped.metric("query", "ms").add(0.004)
    text = table([shipped])
    assert "| 6. repaint after a day change while scrubbing (steps of 1-3 days), timed in the page (median) | 12 ms (10-15) |" in text
    assert "| 3. date query (state + changes + counts) | 4.0 µs |" in text
    verdicts = {what: verdict for _, what, _, verdict in targets([shipped])}
    assert verdicts == {
        "6. repaint after a day change while scrubbing (steps of 1-3 days), timed in the page (median)": "met",
        "6. bytes on the websocket per settle (the one rerun after a gesture)": "NOT met",
    }
    assert Metric().text() == "-"
