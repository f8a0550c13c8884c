"""Issue 13, item 4: the AI's words. The drawer's panel says "Oh, I know, it's …!" only when the top guess
is the word ("I see … / … or maybe …" otherwise, however confident); after the server verified the AI's
recognition every panel holds it (later guesses do not move it); the reveal replaces every "???"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import draw_stroke, host_and_guest, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRIANGLE = [(300, 450), (400, 200), (500, 450), (300, 450)]
RECORD_SENTENCES = """() => {
  window.__sentences = [];
  const el = document.getElementById('ai-sentence');
  const panel = document.getElementById('ai-panel');
  new MutationObserver(() => window.__sentences.push(
    {text: el.textContent, labels: panel.dataset.labels || '[]'}))
    .observe(el, {childList: true, subtree: true, characterData: true});
}"""


def _game(chromium: Any, url: str, word: str, errors: list[str]) -> tuple[Any, Any]:
    """Ann (host, drawer) and Bob in a room whose only word is `word`; returns when Ann is drawing."""
    ann, bob = host_and_guest(chromium, url, errors, words=word)
    ann.wait_for_function("() => window.__doodleai.classifier.status === 'ready'", timeout=60_000)
    ann.click("#start")
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_have_text(word)
    ann.evaluate(RECORD_SENTENCES)
    return ann, bob


def test_the_drawer_never_hears_i_know_for_a_wrong_label(chromium: Any, server_url: str) -> None:
    errors: list[str] = []
    ann, bob = _game(chromium, server_url, "baseball bat", errors)
    draw_stroke(ann, TRIANGLE)  # the model is sure it is a triangle
    ann.wait_for_function("() => JSON.parse(document.getElementById('ai-panel').dataset.labels || '[]')[0]"
                          " === 'triangle'", timeout=10_000)
    draw_stroke(ann, [(350, 380), (450, 380)])
    ann.wait_for_timeout(1500)
    said = ann.evaluate("() => window.__sentences")
    assert said, "the panel said nothing"
    wrong = [s for s in said if "I know" in s["text"]]
    assert not wrong, wrong
    assert any(s["text"].startswith("I see a triangle… or maybe") for s in said), said
    ann.context.close()
    bob.context.close()
    assert not errors, errors


def test_a_verified_recognition_holds_and_the_reveal_replaces_the_secret(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann, bob = _game(chromium, server_url, "triangle", errors)
    draw_stroke(ann, TRIANGLE)
    # The claim is verified by the server: the AI player guessed the word; every panel holds it.
    expect(ann.locator("#ai-panel")).to_have_attribute("data-locked", "1", timeout=15_000)
    expect(bob.locator("#ai-panel")).to_have_attribute("data-locked", "1")
    said = [s["text"] for s in ann.evaluate("() => window.__sentences")]
    assert "Oh, I know, it's a triangle!" in said, said  # the top guess was the word
    expect(ann.locator("#ai-sentence")).to_contain_text("Got it! It's a triangle!")
    expect(bob.locator("#ai-sentence")).to_contain_text("Got it")
    expect(bob.locator("#ai-bars li.top .ai-label")).to_have_text("???")
    shot(bob, artifacts, "ai-recognized-guesser")
    # More strokes after the recognition: the panels do not fall back to "I see…".
    draw_stroke(ann, [(200, 150), (600, 100), (250, 550)])
    draw_stroke(ann, [(600, 500), (700, 300)])
    ann.wait_for_timeout(1500)
    expect(ann.locator("#ai-sentence")).to_contain_text("Got it! It's a triangle!")
    expect(bob.locator("#ai-sentence")).to_contain_text("Got it")
    # Bob guesses: the turn ends and the reveal replaces every "???".
    bob.fill("#chat-input", "triangle")
    bob.press("#chat-input", "Enter")
    expect(bob.locator("#reveal-word")).to_have_text("triangle")
    expect(bob.locator("#ai-panel")).not_to_contain_text("???")
    expect(bob.locator("#ai-bars li.top .ai-label")).to_have_text("triangle")
    ann.context.close()
    bob.context.close()
    assert not errors, errors
