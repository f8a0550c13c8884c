"""Issue 14: the AI's voice. `speechSynthesis` is stubbed in both pages to record what the client asks it to
say. The drawer hears the live guesses ("I see… a house? a triangle?") and the verified claim with the
word; the guesser hears the claim without the word, and nothing said to them before they guessed names the
word; the sound toggle mutes the voice."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import draw_stroke, host_and_guest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRIANGLE = [(300, 450), (400, 200), (500, 450), (300, 450)]
RECORD_SPEECH = """(() => {
  window.__spoken = [];
  const synth = { speaking: false, pending: false, paused: false,
    speak(u) { window.__spoken.push(String(u.text)); }, cancel() {}, pause() {}, resume() {},
    getVoices() { return []; }, addEventListener() {}, removeEventListener() {} };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
})();"""


def spoken(page: Any) -> list[str]:
    return page.evaluate("() => window.__spoken.slice()")


def test_the_drawer_hears_the_guesses_and_a_guesser_never_hears_the_word_before_guessing(
    chromium: Any, server_url: str
) -> None:
    errors: list[str] = []
    ann, bob = host_and_guest(chromium, server_url, errors, words="triangle", init_script=RECORD_SPEECH)
    ann.wait_for_function("() => window.__doodleai.classifier.status === 'ready'", timeout=60_000)
    ann.click("#start")
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_have_text("triangle")
    draw_stroke(ann, TRIANGLE)
    expect(bob.locator("#ai-panel")).to_have_attribute("data-locked", "1", timeout=20_000)
    ann.wait_for_function("() => window.__spoken.includes(\"Oh, I know, it's a triangle!\")", timeout=10_000)
    bob.wait_for_function("() => window.__spoken.includes('Oh, I know what it is!')", timeout=10_000)
    heard_ann = spoken(ann)
    # What the live guesses name while the stroke is half drawn depends on the model; that they are
    # spoken to the drawer, before the claim, does not.
    before_claim = heard_ann[: heard_ann.index("Oh, I know, it's a triangle!")]
    assert any(t.startswith("I see… ") for t in before_claim), heard_ann
    before_guess = spoken(bob)
    assert not [t for t in before_guess if "triangle" in t.lower()], before_guess  # never the word

    # Bob mutes, then guesses: the turn ends; nothing more is said to him.
    bob.click("#sound")
    expect(bob.locator("#sound")).to_have_attribute("aria-pressed", "false")
    bob.fill("#chat-input", "triangle")
    bob.press("#chat-input", "Enter")
    expect(bob.locator("#reveal-word")).to_have_text("triangle")
    assert spoken(bob) == before_guess
    ann.context.close()
    bob.context.close()
    assert not errors, errors
