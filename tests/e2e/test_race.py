"""Race mode in two browsers: the same public prompt for everyone, both draw at once, and each sees the
other's drawing appear live in its thumbnail (empty before, ink after). Bob plays on a phone-sized touch
screen and draws with his finger (touch events), without the page scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import draw_stroke, enter_name, new_page, shot, touch_stroke

pytestmark = [pytest.mark.browser, pytest.mark.slow]

THUMB_INK = """id => { const c = document.querySelector(`.race-card[data-id="${id}"] canvas`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let dark = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++; return dark; }"""


def test_race_players_draw_the_same_prompt_and_see_each_other(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann = new_page(chromium, errors)
    phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    bob = new_page(phone, errors)
    ann.goto(f"{server_url}/?ai=wasm")
    enter_name(ann, "Ann")
    ann.click("#create")
    link = ann.input_value("#invite-link")
    bob.goto(f"{link}?ai=wasm")
    enter_name(bob, "Bob")
    bob.click("#join-invite")
    expect(ann.locator("#lobby-players li:not(.ai)")).to_have_count(2)
    ann.select_option("#set-mode", "race")
    expect(bob.locator("#set-mode")).to_have_value("race")
    ann.click("#start")

    prompt = ann.locator("#word-text")
    expect(prompt).to_be_visible()
    expect(bob.locator("#word-text")).to_have_text(prompt.text_content())  # a public prompt
    expect(bob.locator("#toolbar")).to_be_visible()  # everyone draws
    ids = {p: p.evaluate("window.__doodleai.room.me.id") for p in (ann, bob)}
    for page, other in ((ann, bob), (bob, ann)):
        expect(page.locator(".race-card")).to_have_count(1)
        assert page.locator(".race-card").get_attribute("data-id") == ids[other]
        assert page.evaluate(THUMB_INK, ids[other]) == 0

    draw_stroke(ann, [(200, 150), (600, 150), (600, 450), (200, 450), (200, 150)])
    bob.locator("#board").scroll_into_view_if_needed()
    scroll = bob.evaluate("window.scrollY")
    touch_stroke(bob, [(150, 500), (400, 100), (650, 500)])
    assert bob.evaluate("window.scrollY") == scroll  # drawing does not scroll the page
    for page, other in ((ann, bob), (bob, ann)):
        page.wait_for_function(f"() => ({THUMB_INK})({ids[other]!r}) > 100", timeout=10_000)
    shot(ann, artifacts, "11-race")
    shot(bob, artifacts, "12-race-phone")
    assert errors == [], errors
