"""Issue 13, item 2: the AI is ready before it is needed. The model loads and warms up on the landing page
(not at game start); while it loads, the drawer's panel shows a progress bar and the guessers are told
"Ann's AI is loading…"; in a 3-browser game the drawer's AI is ready before the first turn's first stroke."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import VIEWPORT, draw_stroke, enter_name, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRIANGLE = [(300, 450), (400, 200), (500, 450), (300, 450)]


def _ai_status(page: Any) -> str:
    return page.evaluate("() => window.__doodleai.classifier.status")


def _room_of_three(pages: list[Any], url: str, names: tuple[str, ...]) -> None:
    host = pages[0]
    enter_name(host, names[0])
    host.click("#create")
    expect(host.locator("#room-code")).to_be_visible()
    link = host.input_value("#invite-link")
    for page, name in zip(pages[1:], names[1:], strict=True):
        page.goto(f"{link}{url}")
        enter_name(page, name)
        page.click("#join-invite")
        expect(page.locator("#room-code")).to_be_visible()
    expect(host.locator("#lobby-players li:not(.ai)")).to_have_count(len(pages))
    host.fill("#set-rounds", "1")
    host.locator("#set-rounds").dispatch_event("change")


def test_ai_is_ready_before_the_first_stroke_of_a_three_browser_game(chromium: Any, server_url: str) -> None:
    errors: list[str] = []
    ann, bob, cy = (new_page(chromium, errors) for _ in range(3))
    ann.goto(f"{server_url}/?ai=wasm")
    # The model is fetched on the landing page, before any room exists.
    ann.wait_for_function("() => window.__doodleai.classifier.status !== 'idle'", timeout=10_000)
    assert ann.locator("#create").is_visible()
    _room_of_three([ann, bob, cy], "?ai=wasm", ("Ann", "Bob", "Cy"))
    ann.click("#start")
    expect(ann.locator("#choices button").first).to_be_visible()
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_be_visible()
    # The first stroke: the drawer's AI is already loaded and warm, and the panel says so.
    assert _ai_status(ann) == "ready"
    expect(ann.locator("#ai-panel")).to_have_attribute("data-state", "ready")
    expect(ann.locator("#ai-sentence")).to_contain_text("Start drawing")
    expect(ann.locator("#ai-progress")).to_be_hidden()
    draw_stroke(ann, TRIANGLE)
    expect(ann.locator("#ai-panel .ai-bar").first).to_be_visible(timeout=5000)
    for page in (bob, cy):
        expect(page.locator("#ai-panel .ai-bar").first).to_be_visible(timeout=5000)
    assert not errors, errors


def test_loading_state_for_the_drawer_and_the_guessers(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    slow = chromium.new_context(viewport=VIEWPORT)
    held: list[Any] = []
    slow.route("**/models/doodle.web.onnx", lambda route: held.append(route))  # the model "downloads" slowly
    ann = new_page(slow, errors)
    bob, cy = (new_page(chromium, errors) for _ in range(2))
    try:
        ann.goto(f"{server_url}/?ai=wasm")
        _room_of_three([ann, bob, cy], "?ai=wasm", ("Ann", "Bob", "Cy"))
        assert _ai_status(ann) == "loading"
        ann.click("#start")
        ann.locator("#choices button").first.click()
        expect(ann.locator("#word-text")).to_be_visible()
        # The drawer sees a progress bar; the guessers are told the truth instead of "waiting for a stroke".
        expect(ann.locator("#ai-panel")).to_have_attribute("data-state", "loading")
        expect(ann.locator("#ai-progress")).to_be_visible()
        expect(ann.locator("#ai-sentence")).to_contain_text("Getting the AI ready")
        for page in (bob, cy):
            expect(page.locator("#ai-sentence")).to_contain_text("Ann's AI is loading", timeout=5000)
            expect(page.locator("#ai-progress")).to_be_visible()
        shot(ann, artifacts, "ai-loading-drawer")
        shot(bob, artifacts, "ai-loading-guesser")
        assert held, "the model request was not made"
        for route in held:
            route.continue_()
        expect(ann.locator("#ai-panel")).to_have_attribute("data-state", "ready", timeout=20_000)
        expect(ann.locator("#ai-progress")).to_be_hidden()
        draw_stroke(ann, TRIANGLE)
        for page in (ann, bob, cy):
            expect(page.locator("#ai-panel .ai-bar").first).to_be_visible(timeout=10_000)
            expect(page.locator("#ai-progress")).to_be_hidden()
    finally:
        slow.close()
    assert not errors, errors
