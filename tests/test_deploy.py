"""Deployment files agree with the app: Dockerfile, .dockerignore, .streamlit/config.toml, requirements.txt.

Nothing is built or pulled: the Dockerfile is read as text, and its CMD and HEALTHCHECK
are run here, on 127.0.0.1 and a free port, against this checkout.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shlex
import subprocess
import sys
import time
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from conftest import ARTIFACTS, REPO

from benchmarks.streamlit_server import free_port, stop

DOCKERFILE = REPO / "Dockerfile"
CONFIG = REPO / ".streamlit" / "config.toml"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        lines.append(current)
        current = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


@pytest.fixture(scope="module")
def docker() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def final_stage(docker):
    start = max(i for i, (op, _) in enumerate(docker) if op == "FROM")
    return docker[start:]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(x, str) for x in value), args
    return value


def cmd(docker) -> list[str]:
    return exec_form(next(a for op, a in reversed(final_stage(docker)) if op == "CMD"))


def port_of(command: list[str]) -> int:
    return int(command[command.index("--server.port") + 1])


def healthcheck(docker) -> list[str]:
    args = next(a for op, a in final_stage(docker) if op == "HEALTHCHECK")
    return exec_form(args[args.index("CMD") + 3:].strip())


# --- the Dockerfile ------------------------------------------------------------------------------
def test_runs_the_app_on_the_python_of_the_project(docker):
    base = final_stage(docker)[0][1]
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim", base)
    assert match, base
    version = (int(match[1]), int(match[2]))
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={version[0]}.{version[1]}" and sys.version_info[:2] == version


def test_command_starts_this_app_on_the_exposed_port(docker):
    command = cmd(docker)
    assert command[:3] == ["streamlit", "run", "streamlit_app.py"] and (REPO / command[2]).is_file()
    assert command[command.index("--server.address") + 1] == "0.0.0.0"  # reachable from outside the container
    port = port_of(command)
    exposed = [a for op, a in final_stage(docker) if op == "EXPOSE"]
    assert exposed == [str(port)]
    config = tomllib.loads(CONFIG.read_text())
    assert config.get("server", {}).get("port", 8501) == port  # no config that moves it elsewhere
    check = " ".join(healthcheck(docker))
    assert f"127.0.0.1:{port}/_stcore/health" in check


def test_installs_what_the_app_needs(docker):
    stage = final_stage(docker)
    runs = " ".join(a for op, a in stage if op == "RUN")
    assert "pip install -r requirements.txt" in runs
    assert ["requirements.txt", "./"] in [shlex.split(a) for op, a in stage if op == "COPY"]
    # Leaflet from npm in a build stage, copied into static/vendor by the project's own script
    all_runs = " ".join(a for op, a in docker if op == "RUN")
    assert "npm ci" in all_runs and "scripts/vendor_assets.py" in runs
    for op, a in docker:
        if op == "COPY" and not a.startswith("--from"):
            for source in shlex.split(a)[:-1]:
                assert (REPO / source).exists(), source
    spec = importlib.util.spec_from_file_location("vendor_assets", REPO / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the --node-modules option the Dockerfile passes exists, and reports a missing install
    assert module.main(["--node-modules", "/nonexistent", "--dest", str(ARTIFACTS / "vendor-check")]) == 1
    user = [a for op, a in stage if op == "USER"]
    assert user and user[-1] not in ("root", "0")


def test_the_command_and_the_health_check_work_here(docker, tmp_path):
    """Run the image's CMD against this checkout (loopback, a free port), then its HEALTHCHECK."""
    port = free_port()
    command = cmd(docker)
    docker_port = port_of(command)
    command[command.index("--server.port") + 1] = str(port)
    command[command.index("--server.address") + 1] = "127.0.0.1"
    command[0] = str(Path(sys.executable).parent / "streamlit")
    check = [sys.executable if part == "python" else part.replace(f":{docker_port}/", f":{port}/") for part in healthcheck(docker)]
    log = tmp_path / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([*command, "--server.fileWatcherType", "none"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while subprocess.run(check, capture_output=True).returncode != 0:
                assert proc.poll() is None, log.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the health check never passed:\n" + log.read_text(errors="replace")[-2000:]
                time.sleep(0.5)
        finally:
            stop(proc)


# --- .dockerignore ---------------------------------------------------------------------------------
def _pattern(p: str) -> re.Pattern:
    out, i = "", 0
    while i < len(p):
        if p.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif p.startswith("**", i):
            out, i = out + ".*", i + 2
        elif p[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif p[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(p[i]), i + 1
    return re.compile(out)


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: a pattern excludes a path, or any of its parent folders; later `!` lines re-include."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for line in patterns:
        negate = line.startswith("!")
        regex = _pattern(line.lstrip("!").strip("/"))
        if any(regex.fullmatch(p) for p in prefixes):
            result = not negate
    return result


def test_dockerignore_keeps_the_app_and_drops_local_clutter():
    patterns = [x.strip() for x in (REPO / ".dockerignore").read_text().splitlines() if x.strip() and not x.startswith("#")]
    needed = ["streamlit_app.py", "requirements.txt", "events.yaml", ".streamlit/config.toml", "package.json",
              "package-lock.json", "scripts/vendor_assets.py", "geo/__init__.py", "geo/data/places.yaml",
              "geo/data/syria.geojson", "geo/data/geonames_sy.json"]
    needed += [str(p.relative_to(REPO)) for p in (REPO / "geo").glob("*.py")]
    for path in needed:
        assert (REPO / path).exists(), path
        assert not ignored(path, patterns), f"{path} would be left out of the image"
    for path in (".venv/bin/python", "node_modules/leaflet/package.json", ".git/HEAD", "static/vendor/leaflet/dist/leaflet.js",
                 "test-artifacts/x.png", "geo/__pycache__/cli.cpython-311.pyc", "tests/test_deploy.py"):
        assert ignored(path, patterns), f"{path} would be copied into the image"


# --- Streamlit Community Cloud -------------------------------------------------------------------------
def test_community_cloud_finds_what_it_needs():
    # the defaults Community Cloud looks for: streamlit_app.py and requirements.txt at the root
    assert (REPO / "streamlit_app.py").is_file() and (REPO / "requirements.txt").is_file()
    config = tomllib.loads(CONFIG.read_text())
    assert config["server"]["enableStaticServing"] is True and config["server"]["headless"] is True
    theme = config["theme"]
    assert theme["base"] in ("light", "dark")
    for key in ("primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor"):
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", theme[key]), key
    # Cloud runs no `npm ci`: without static/vendor the map falls back to Leaflet's CDN
    from geo.assets import asset_urls

    js, css = asset_urls(vendor_dir=Path("/nonexistent"))
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/leaflet@") for _, url in (*js, *css))


def _third_party_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [REPO / "streamlit_app.py", *sorted((REPO / "geo").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                local = (REPO / f"{top}.py").is_file() or (REPO / top).is_dir()  # this repository's own modules
                if top not in sys.stdlib_module_names and top not in ("geo", "__future__") and not local:
                    found.setdefault(top, set()).add(path.name)
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_pinned_in_requirements():
    """Community Cloud and the Docker image install requirements.txt and nothing else."""
    pins = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not pinned: {line}"
            pins[_normal(name)] = version
    dists = packages_distributions()
    missing = {}
    for module, files in _third_party_imports().items():
        names = {_normal(d) for d in dists.get(module, [module])}
        if not names & set(pins):
            missing[module] = sorted(files)
    assert not missing, f"imported but not in requirements.txt: {missing}"


# --- the docs agree -----------------------------------------------------------------------------------------
def test_deploy_docs_use_the_same_commands(docker):
    text = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    port = port_of(cmd(docker))
    assert f"-p {port}:{port}" in text and "docker build" in text
    assert "?embed=true" in text and "python -m geo export-html" in text and "<iframe" in text
    assert "streamlit_app.py" in text and "requirements.txt" in text
