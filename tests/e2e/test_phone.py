"""Issue 13, item 8: the phone layout. On a 390x844 touch screen (and 360 px) nothing overflows sideways
(scrollWidth <= innerWidth, and no element sticks out) with a 15-letter word, as a guesser (the letter
boxes) and as the drawer (the word, touch drawing); the timer, the AI panel, the chat and "Leave" stay on
screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import enter_name, new_page, shot, touch_stroke

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = "saxophoneplayer, basketballhoops"  # 15 letters each, no space to wrap at


# Elements sticking out of the screen on the right (inside clipping or scrolling boxes too, so an
# overflow: hidden somewhere cannot hide a cut-off "Leave"); the scores row scrolls by design.
OUTSIDE = """(w) => {
  const out = [];
  for (const el of document.querySelectorAll('#app *')) {
    if (el.closest('.scores') || !el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    const name = `${el.tagName}.${el.className} ${r.left}-${r.right}`;
    if (r.width && (r.right > w + 0.5 || r.left < -0.5)) out.push(name);
  }
  return out.slice(0, 5);
}"""


def _fits(page: Any, what: str, width: int) -> None:
    """Against the phone's real width: a mobile browser widens its layout viewport (innerWidth) to fit
    content that overflows, so innerWidth alone would hide the overflow."""
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1] == width, f"{what}: {sizes[0]} px wide (innerWidth {sizes[1]}) on {width} px"
    assert page.evaluate(OUTSIDE, width) == [], what
    for sel in ("#leave", "#timer"):
        box = page.locator(sel).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (what, sel, box)


@pytest.mark.parametrize("width", [390, 360])
def test_phone_layout_has_no_horizontal_overflow_with_a_15_letter_word(
    chromium: Any, server_url: str, artifacts: Path, width: int
) -> None:
    errors: list[str] = []
    phone = chromium.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2,
                                 is_mobile=True, has_touch=True)
    ann = new_page(chromium, errors)
    bob = new_page(phone, errors)
    try:
        ann.goto(f"{server_url}/?ai=wasm")
        enter_name(ann, "Ann")
        ann.click("#create")
        expect(ann.locator("#room-code")).to_be_visible()
        bob.goto(f"{ann.input_value('#invite-link')}?ai=wasm")
        enter_name(bob, "Bobby Tables")
        bob.click("#join-invite")
        expect(bob.locator("#room-code")).to_be_visible()
        for field, value in (("#set-rounds", "1"), ("#set-word_choices", "1"), ("#set-custom_words", WORDS)):
            ann.fill(field, value)
            ann.locator(field).dispatch_event("change")
        expect(ann.locator("#set-custom_words")).to_have_value(WORDS)
        ann.locator("#set-custom_only").check()
        expect(bob.locator("#set-custom_only")).to_be_checked()
        sizes = bob.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1] == width, f"lobby: {sizes}"
        assert bob.evaluate(OUTSIDE, width) == [], "lobby"
        shot(bob, artifacts, f"phone-{width}-lobby")
        ann.click("#start")
        ann.locator("#choices button").first.click()
        word = ann.locator("#word-text").text_content()
        assert len(word) == 15
        # Bob guesses on the phone: 15 letter boxes, the timer, the AI panel and the chat all fit.
        expect(bob.locator("#pattern .letter")).to_have_count(15)
        _fits(bob, "guesser", width)
        for sel in ("#ai-panel", "#chat-input", "#board"):
            box = bob.locator(sel).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (sel, box)
        shot(bob, artifacts, f"phone-{width}-guesser")
        bob.locator("#chat-input").tap()
        bob.fill("#chat-input", word)
        bob.press("#chat-input", "Enter")
        expect(bob.locator("#reveal-word")).to_have_text(word)
        # Bob's turn on the phone: the word itself, touch drawing.
        bob.locator("#choices button").first.tap(timeout=20_000)
        expect(bob.locator("#word-text")).to_have_text(bob.locator("#word-text").text_content())
        assert len(bob.locator("#word-text").text_content()) == 15
        touch_stroke(bob, [(200, 450), (400, 150), (600, 450), (200, 450)])
        bob.wait_for_function("() => window.__doodleai.screen.board.log.length > 0")  # the finger drew
        expect(bob.locator("#toolbar")).to_be_visible()  # still Bob's turn: the drawer's screen is measured
        _fits(bob, "drawer", width)
        shot(bob, artifacts, f"phone-{width}-drawer")
    finally:
        phone.close()
    assert not errors, errors
