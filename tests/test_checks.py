"""The checks on every change: the pre-commit hooks and the pull-request workflow say what they should."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
WORKFLOW = ROOT / ".github" / "workflows" / "checks.yml"


def hooks() -> dict[str, dict]:
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_pre_commit_config_is_valid_and_has_every_check():
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(PRE_COMMIT)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(hooks()) == {"ruff", "ruff-format", "check-yaml", "mypy", "geo-validate"}
    assert hooks()["geo-validate"]["entry"].endswith("-m geo validate")


def test_the_whole_tree_is_in_ruff_format_and_ci_checks_it():
    # formatting was adopted file by file (#16), then applied to the whole tree once (#18): the hook takes every file
    assert "files" not in hooks()["ruff-format"]
    assert "ruff format --check ." in (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_check_yaml_names_file_and_line(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("a: [1, 2]\n", encoding="utf-8")
    bad.write_text("a: 1\nb: [1\n", encoding="utf-8")
    script = ROOT / "scripts" / "check_yaml.py"
    ok = subprocess.run([sys.executable, str(script), str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stdout == ""
    broken = subprocess.run([sys.executable, str(script), str(good), str(bad)], capture_output=True, text=True, check=False)
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"{bad}:3: yaml: ")


def test_pull_requests_validate_post_the_diff_and_run_the_tests():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    script = "\n".join(steps)
    assert "-m geo validate" in script
    assert re.search(r'-m geo diff "origin/\$GITHUB_BASE_REF" events\.yaml --format markdown', script)
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    assert "./scripts/test.sh" in steps  # the README's test command, as it is
