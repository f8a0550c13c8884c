"""Issue 13, item 3: the client picks the faster execution provider by timing WebGL and WASM on the same
input at warm-up (a test hook, `?ai_slow=<provider>`, adds 1 s to one side to force either outcome); the
AI panel shows the provider and the milliseconds; onnxruntime never runs on the page's main thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import draw_stroke, new_page, shot, solo_drawing_with_bot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _warmed(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => window.__doodleai.classifier.status !== 'loading'", timeout=60_000)
    return page.evaluate("""() => { const c = window.__doodleai.classifier;
        return {status: c.status, provider: c.provider, timings: c.timings, renderer: c.renderer,
                error: c.error, mainThreadOrt: typeof window.ort !== 'undefined'}; }""")


@pytest.mark.parametrize(("slow", "expected"), [("webgl", "wasm"), ("wasm", "webgl")])
def test_the_faster_provider_wins_the_warm_up(
    chromium: Any, server_url: str, slow: str, expected: str
) -> None:
    errors: list[str] = []
    page = new_page(chromium, errors)
    page.goto(f"{server_url}/?ai_slow={slow}")
    got = _warmed(page)
    assert got["status"] == "ready", got
    assert set(got["timings"]) == {"webgl", "wasm"}, got  # both were loaded and timed on the same input
    assert got["timings"][slow] >= 1000  # the hook's handicap
    assert got["provider"] == expected, got
    assert got["timings"][expected] == min(got["timings"].values())
    assert not got["mainThreadOrt"], "onnxruntime must run in the worker, not on the main thread"
    page.context.close()
    assert not errors, errors


def test_unforced_choice_is_the_measured_faster_and_the_panel_shows_it(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    page = new_page(chromium, errors)
    page.goto(server_url)
    got = _warmed(page)
    print(f"warm-up timings (shared, GPU-less machine): {got['timings']}, WebGL renderer {got['renderer']!r}")
    assert got["status"] == "ready", got
    assert got["provider"] == min(got["timings"], key=got["timings"].get), got
    assert not got["mainThreadOrt"]
    bot = solo_drawing_with_bot(page, server_url)
    try:
        draw_stroke(page, [(300, 450), (400, 200), (500, 450), (300, 450)])
        expect(page.locator("#ai-panel .ai-bar").first).to_be_visible(timeout=10_000)
        name = {"webgl": "WebGL", "wasm": "WASM"}[got["provider"]]
        expect(page.locator("#ai-provider")).to_contain_text(name)
        expect(page.locator("#ai-provider")).to_contain_text(" ms")
        shot(page, artifacts, "ai-provider-measured")
    finally:
        bot.close()
        page.context.close()
    assert not errors, errors
