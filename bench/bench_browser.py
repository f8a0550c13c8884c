"""In-browser classification time of the game's AI, per execution provider, in headless Chromium.

    .venv/bin/python bench/bench_browser.py [--runs 100] [--category cat] [--chromium /usr/bin/chromium]

Starts the real server (python -m game_server) on a free port serving web_client/dist (built first if
missing) and models/, opens the client with `?ai=webgl` and `?ai=wasm` (each forces one provider), and
asks the client's own classifier worker for `--runs` classifications of a real Quick, Draw! drawing
placed on the 800x600 canvas. Each time covers one classification as the game does it: the JavaScript
rasterizer (ops -> 28x28) plus the onnxruntime-web session run, measured inside the worker. Prints the
median, p90 and the rasterizer's share. Here WebGL runs on SwiftShader (software), so it is far slower
than on a real GPU; WASM is the tested baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STROKES = ROOT.parent / "shared" / "quickdraw" / "strokes"
ARGS = [
    "--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
]


def drawing_ops(category: str) -> list[dict]:
    path = STROKES / f"{category.replace(' ', '_')}.ndjson"
    if path.is_file():
        strokes = json.loads(path.read_text().splitlines()[0])["drawing"]
    else:  # no shared data: a square with a diagonal
        strokes = [[[0, 255, 255, 0, 0], [0, 0, 255, 255, 0]], [[0, 255], [0, 255]]]
    return [{"type": "stroke", "id": i + 1, "tool": "pen", "color": "#000000", "width": 10,
             "points": [[x * 2 + 145, y * 2 + 45] for x, y in zip(s[0], s[1], strict=False)]}
            for i, s in enumerate(strokes)]


def start_server() -> tuple[subprocess.Popen, str]:
    dist = ROOT / "web_client" / "dist"
    if not (dist / "index.html").is_file():
        subprocess.run(["npm", "run", "--silent", "build"], cwd=ROOT / "web_client", check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "game_server", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--category", default="cat")
    ap.add_argument("--chromium", default=os.environ.get("DOODLEAI_CHROMIUM", "/usr/bin/chromium"))
    args = ap.parse_args()
    if not Path(args.chromium).exists():
        raise SystemExit(f"Chromium not found at {args.chromium}")
    from playwright.sync_api import sync_playwright

    ops = drawing_ops(args.category)
    proc, url = start_server()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
            cpu = platform.processor() or platform.machine()
            print(f"chromium {browser.version}, {os.cpu_count()} CPUs ({cpu}), "
                  f"drawing: {args.category} ({len(ops)} strokes), {args.runs} classifications per provider")
            for provider in ("webgl", "wasm"):
                page = browser.new_page()
                page.goto(f"{url}/?ai={provider}")
                result = page.evaluate(
                    """async ([ops, n]) => { const c = window.__doodleai.classifier;
                         try { await c.init(); } catch (e) { return {error: String(e.message || e)}; }
                         await c.bench(ops, 5);  // warm-up beyond the init run
                         return {provider: c.provider, times: await c.bench(ops, n)}; }""",
                    [ops, args.runs],
                )
                page.close()
                if "error" in result:
                    print(f"{provider:>6}: unavailable ({result['error']})")
                    continue
                total = sorted(t["ms"] for t in result["times"])
                raster = statistics.median(t["rasterMs"] for t in result["times"])
                p90 = total[min(len(total) - 1, int(0.9 * len(total)))]
                median = statistics.median(total)
                print(f"{result['provider']:>6}: median {median:7.2f} ms per classification "
                      f"(p90 {p90:.2f} ms; rasterizer {raster:.2f} ms of it)")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
