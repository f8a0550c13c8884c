"""Browser end-to-end fixtures: the built web client, the real server (a subprocess), Debian's Chromium.

- `client_dist`: web_client/dist, built with `npm run build` (after `npm ci`) when it is missing.
- `server_url`: `python -m game_server` on a free port serving that dist and models/ (one per session).
- `chromium`: a Playwright Chromium (sync API) from /usr/bin/chromium, WebGL on SwiftShader; skipped with
  the reason when Chromium or npm is missing — never silently.
- `webgl_less_context`: a context of that browser where WebGL does not exist: a script makes
  `getContext("webgl*")` return null in the page and in the classifier's worker (Chromium's
  --disable-webgl/--disable-3d-apis flags were measured to leave OffscreenCanvas WebGL on in workers).
Every test module here is marked `browser` and `slow`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CLIENT = REPO / "web_client"
DIST = CLIENT / "dist"
ARTIFACTS = REPO / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("DOODLEAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Makes WebGL unavailable to a page and to its workers (prepended to the worker script by a route).
NO_WEBGL_JS = """(() => {
  for (const C of [self.HTMLCanvasElement, self.OffscreenCanvas]) {
    if (!C) continue;
    const get = C.prototype.getContext;
    C.prototype.getContext = function (kind, ...rest) {
      return /webgl/i.test(String(kind)) ? null : get.call(this, kind, ...rest);
    };
  }
})();
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def client_dist() -> Path:
    if (DIST / "index.html").is_file() and (DIST / "app.js").is_file():
        return DIST
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is missing: cannot build web_client/dist for the browser tests")
    if not (CLIENT / "node_modules").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT, check=True, timeout=300)
    subprocess.run([npm, "run", "--silent", "build"], cwd=CLIENT, check=True, timeout=300)
    return DIST


@pytest.fixture(scope="session")
def server_url(client_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "DOODLEAI_STATIC_DIR": str(client_dist), "PYTHONUNBUFFERED": "1",
           "DOODLEAI_CAPTURE_DIR": str(tmp_path_factory.mktemp("capture"))}  # opted-in drawings: not the repo
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "game_server", "--port", str(port), "--log-format", "text"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _launch(extra: list[str]):  # -> (playwright, browser)
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` to run the browser tests")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + extra)
    except Exception:
        pw.stop()
        raise
    return pw, browser


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    # Module scope, not session: Playwright's sync API keeps an asyncio loop running in this thread
    # while it is started, which would break every async test collected after the browser tests.
    pw, browser = _launch([])
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def webgl_less_context(chromium: object) -> Iterator[object]:
    """A browser context in which WebGL is missing, for pages and workers alike."""
    ctx = chromium.new_context(viewport={"width": 1280, "height": 820})
    ctx.add_init_script(NO_WEBGL_JS)

    def patch_worker(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=NO_WEBGL_JS + response.text(),
                      headers={**response.headers, "content-type": "text/javascript"})

    ctx.route("**/classifier.worker.js", patch_worker)
    yield ctx
    ctx.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
