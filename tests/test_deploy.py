"""Deployment files agree with the app: Dockerfile, .dockerignore, .streamlit/config.toml, requirements.txt.

Nothing is built or pulled: the Dockerfile is read as text, and its CMD and HEALTHCHECK
are run here, on 127.0.0.1 and a free port, against this checkout.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.support.chromium import MAP_FRAME, OfflinePage, map_frame
from tests.support.data import ARTIFACTS, FIXTURE_EVENTS, FIXTURE_PLACES, REPO
from tests.support.streamlit_server import free_port, stop

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
    return exec_form(args[args.index("CMD") + 3 :].strip())


# --- the Dockerfile ------------------------------------------------------------------------------
def base_image(docker) -> str:
    """The final stage's base image, its ARG (declared before the first FROM) filled in with its default."""
    args = dict(a.split("=", 1) for op, a in docker[: next(i for i, (op, _) in enumerate(docker) if op == "FROM")] if op == "ARG")
    return re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], final_stage(docker)[0][1])


def test_runs_the_app_on_the_python_of_the_project(docker):
    base = base_image(docker)
    # a digest may pin it (see the Dockerfile's comment on how): python:3.11-slim@sha256:<64 hex>
    match = re.fullmatch(r"python:(\d+)\.(\d+)-slim(@sha256:[0-9a-f]{64})?", base)
    assert match, base
    assert all(a == "${PYTHON_IMAGE}" or a.startswith("${PYTHON_IMAGE} ") for op, a in docker if op == "FROM")  # both stages
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
    assert "pip install -r requirements.txt -c constraints.txt" in runs  # every package pinned, those pulled in too
    assert ["requirements.txt", "constraints.txt", "./"] in [shlex.split(a) for op, a in stage if op == "COPY"]
    assert "find static -xtype l -print -delete" in runs  # no dangling symbolic link in static/ (see run.sh)
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


# --- every package pinned ---------------------------------------------------------------------------
def pins(path: Path) -> dict[str, str]:
    """name -> version of a requirements or constraints file's `name==version` lines (others: an error)."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-r "):
            name, _, version = line.partition("==")
            assert version and re.fullmatch(r"[\w.+!-]+", version), f"{path.name}: not pinned: {line}"
            out[_normal(name)] = version
    return out


def closure(names: list[str]) -> dict[str, str]:
    """Every distribution these need, with what they need in turn (markers evaluated here), at the installed versions."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement

    seen: dict[str, str] = {}
    todo = list(names)
    while todo:
        name = _normal(todo.pop())
        if name in seen:
            continue
        dist = distribution(name)
        seen[name] = dist.version
        for text in dist.requires or ():
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_constraints_pin_every_package_the_requirements_pull_in():
    """constraints.txt pins what requirements.txt and requirements-dev.txt pull in, at the versions the suite runs
    with; scripts/setup.sh and the Dockerfile install with it (-c constraints.txt)."""
    constraints = pins(REPO / "constraints.txt")
    runtime, dev = pins(REPO / "requirements.txt"), pins(REPO / "requirements-dev.txt")
    for name, version in (runtime | dev).items():
        assert constraints.get(name) == version, f"{name}=={version} in requirements, {constraints.get(name)} in constraints.txt"
    needed = closure(list(runtime)) | closure(list(dev))
    missing = {name: version for name, version in needed.items() if name not in constraints}
    assert not missing, f"pulled in but not pinned in constraints.txt: {missing}"
    wrong = {name: (version, constraints[name]) for name, version in needed.items() if constraints[name] != version}
    assert not wrong, f"installed here vs constraints.txt: {wrong}"
    # the runtime part comes first, so the Docker image's install reads as what it is
    text = (REPO / "constraints.txt").read_text()
    head = text[: text.index("# --- the test and lint tools")]
    assert set(closure(list(runtime))) <= set(pins_of_text(head))
    setup = (REPO / "scripts" / "setup.sh").read_text()
    assert '-r "$req" -c constraints.txt' in setup and "constraints.txt | sha256sum" in setup


def pins_of_text(text: str) -> dict[str, str]:
    return {_normal(line.split("==")[0]): line.split("==")[1] for line in text.splitlines() if "==" in line and not line.startswith("#")}


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
    needed = [
        "streamlit_app.py",
        "requirements.txt",
        "events.yaml",
        ".streamlit/config.toml",
        "package.json",
        "package-lock.json",
        "scripts/vendor_assets.py",
        "geo/__init__.py",
        "geo/data/places.yaml",
        "geo/data/syria.geojson",
        "geo/data/geonames_sy.json",
    ]
    needed += [str(p.relative_to(REPO)) for folder in ("geo", "dashboard") for p in (REPO / folder).rglob("*.py")]
    for path in needed:
        assert (REPO / path).exists(), path
        assert not ignored(path, patterns), f"{path} would be left out of the image"
    for path in (
        ".venv/bin/python",
        "node_modules/leaflet/package.json",
        ".git/HEAD",
        "static/vendor/leaflet/dist/leaflet.js",
        "test-artifacts/x.png",
        "geo/__pycache__/cli.cpython-311.pyc",
        "tests/test_deploy.py",
    ):
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
    # deployed as configured here (Cloud and Docker alike): visitors never see a traceback; no file watcher (the app
    # notices data edits itself: tests/test_live_edit.py)
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["fileWatcherType"] == "none"
    # Cloud runs no `npm ci`: without static/vendor the map falls back to Leaflet's CDN
    from geo.map.assets import asset_urls

    js, css = asset_urls(vendor_dir=Path("/nonexistent"))
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/leaflet@") for _, url in (*js, *css))


def _third_party_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [REPO / "streamlit_app.py", *sorted((REPO / "geo").rglob("*.py")), *sorted((REPO / "dashboard").rglob("*.py"))]:
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


# --- starting up ----------------------------------------------------------------------------------------
def test_a_dangling_link_in_static_does_not_stop_the_server(tmp_path):
    """Streamlit sizes static/ as it starts and stops with a traceback at a symbolic link that leads nowhere (a
    vendor folder linked from a checkout since removed, say). scripts/run.sh removes such links first, saying so (and
    the image has none: test_installs_what_the_app_needs)."""
    link = REPO / "static" / f"dangling-{tmp_path.name}"
    link.symlink_to(tmp_path / "gone")
    port = free_port()
    log = tmp_path / "run.log"
    env = {**os.environ, "SYRIA_MAP_SETUP": "0"}
    try:
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [
                    str(REPO / "scripts" / "run.sh"),
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                ],
                cwd=tmp_path,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 60
            while not _healthy(port):
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
                time.sleep(0.3)
        finally:
            stop(proc)
        assert not link.is_symlink()
        assert f"run.sh: removed a dangling symbolic link: static/{link.name}" in log.read_text(errors="replace")
    finally:
        link.unlink(missing_ok=True)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


# --- the reverse proxy of docs/deploy.md, run with Caddy in front of the app ------------------------------
def documented_caddyfile() -> str:
    text = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    return re.search(r"```caddyfile\n(.*?)```", text, re.S)[1]


@pytest.fixture(scope="module")
def proxy(live_server_factory, tmp_path_factory):
    """Caddy, with the site of docs/deploy.md on a free localhost port (plain HTTP) in front of a live server."""
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.fail("caddy is missing: ./scripts/setup.sh --dev installs it (Debian: apt-get install caddy)")
    server = live_server_factory(FIXTURE_EVENTS, FIXTURE_PLACES, "behind-caddy")
    port = free_port()
    site = documented_caddyfile()
    assert site.startswith("syria-map.example.org {") and "reverse_proxy 127.0.0.1:8501" in site
    site = site.replace("syria-map.example.org {", f"http://127.0.0.1:{port} {{", 1)
    site = site.replace("reverse_proxy 127.0.0.1:8501", f"reverse_proxy 127.0.0.1:{server.port}")
    folder = tmp_path_factory.mktemp("caddy")
    (folder / "Caddyfile").write_text("{\n\tadmin off\n\tauto_https off\n}\n" + site)
    log = ARTIFACTS / "caddy.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [caddy, "run", "--config", str(folder / "Caddyfile"), "--adapter", "caddyfile"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": str(folder)},
        )
    try:
        deadline = time.monotonic() + 30
        while not _healthy(port):
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server
    finally:
        stop(proc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def test_the_documented_proxy_adds_the_headers_and_hides_the_metrics(proxy):
    url, server = proxy
    status, headers, page = fetch(url + "/?date=2024-12-01")
    assert status == 200 and b'<div id="root">' in page
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'self' https://www.example-outlet.org" in csp and "object-src 'none'" in csp
    # Streamlit's own inline scripts run by hash: the documented one must be this Streamlit's
    for script in re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.S):
        assert f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'" in csp, script
    # the map's frame: its own policy, framed by the dashboard only
    maps = sorted((REPO / "static" / "maps").glob("*.html"), key=lambda p: p.stat().st_mtime)
    assert maps
    status, headers, _ = fetch(f"{url}/app/static/maps/{maps[-1].name}")
    assert status == 200 and "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "https://*.basemaps.cartocdn.com" in headers["content-security-policy"]
    # the metrics: there on the app's own port, not through the proxy
    assert fetch(server.url + "/_stcore/metrics")[0] == 200
    for path in ("/_stcore/metrics", "/_stcore/metrics/x"):
        assert fetch(url + path)[0] == 404
    # a nested link goes to the root with its query; Streamlit's own paths are left alone
    status, headers, _ = fetch(url + "/a/b?date=2024-12-01&place=hama")
    assert status == 302 and headers["location"] == "/?date=2024-12-01&place=hama"
    assert fetch(url + "/_stcore/health")[0] == 200 and fetch(url + "/app/static/vendor/leaflet/dist/leaflet.js")[0] == 200


CSP_VIOLATIONS = """document.addEventListener('securitypolicyviolation', e => {
    try { (window.top.__csp = window.top.__csp || []).push([e.violatedDirective, e.blockedURI, location.pathname]); } catch (x) {}
});"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/?date=2024-12-01", "/a/b?date=2024-12-01"], ids=["root", "nested-link"])
def test_the_app_works_in_a_browser_behind_the_documented_proxy(live_browser, proxy, path):
    """Through Caddy with the documented policies: the page, its chart and the map paint, the map and the page talk
    (a day moved on the map reaches the panels), and no policy is violated. A nested link opens the map too."""
    url, _ = proxy
    page = OfflinePage(live_browser, [url], 1200, 900, 45_000)
    try:
        page.context.add_init_script(CSP_VIOLATIONS)
        page.page.goto(url + path)
        page.page.frame_locator(MAP_FRAME).locator(".syria-place").first.wait_for(state="attached")
        frame = map_frame(page.page)
        frame.wait_for_function("() => document.querySelectorAll('.syria-place').length === 4")
        page.page.locator("[data-testid=stVegaLiteChart]").first.wait_for()
        page.page.wait_for_function("() => [...document.querySelectorAll('h3')].some(h => h.textContent.trim() === '1 Dec 2024')")
        assert page.page.url == url + "/?date=2024-12-01"
        frame.locator("#syria-next").click()
        page.page.wait_for_function("() => [...document.querySelectorAll('h3')].some(h => h.textContent.trim() === '2 Dec 2024')")
        assert page.page.evaluate("window.__csp || []") == [] and frame.evaluate("window.__csp || []") == []
        assert not page.errors and not page.dialogs, (page.errors, page.dialogs)
    finally:
        page.close()
