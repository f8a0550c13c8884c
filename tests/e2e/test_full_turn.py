"""Three browsers play a whole (short) game: create a room, join by invite link, a spectator who arrives
mid-turn, scripted pointer drawing, a guesser who reloads and gets their seat back, a wrong and a right
guess, the drawer's AI guesses relayed to the others, scores on every screen, the turn-end reveal, the
game end with its gallery, and a rematch. Screenshots of each screen go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import canvas_rgba, draw_stroke, enter_name, ink_mask, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A little house in canvas space (800x600): walls, roof, door, a sun (a few strokes).
HOUSE_START = [
    [(250, 300), (250, 500), (550, 500), (550, 300), (250, 300)],
    [(230, 310), (400, 160), (570, 310)],
]
HOUSE_END = [
    [(370, 500), (370, 410), (430, 410), (430, 500)],
    [(650, 90), (690, 70), (730, 90), (740, 130), (710, 160), (665, 155), (645, 125), (650, 90)],
]


def score_of(page: Any, name: str) -> int:
    text = page.locator(f'#scoreboard li:has(.name:text-is("{name}")) .score').text_content()
    return int(text)


def wait_same_ink(a: Any, b: Any, timeout: float = 10.0) -> float:
    """Waits until two boards show the same pixels; returns the fraction of differing ink pixels."""
    deadline = time.monotonic() + timeout
    while True:
        wa, ha, pa = canvas_rgba(a)
        wb, hb, pb = canvas_rgba(b)
        diff, ink = 1.0, 0
        if (wa, ha) == (wb, hb):  # same viewport, same backing size (once a fresh board has been laid out)
            ma, mb = ink_mask(pa), ink_mask(pb)
            ink = sum(ma)
            diff = sum(x != y for x, y in zip(ma, mb, strict=True)) / max(1, ink)
            if ink > 2000 and diff < 0.005:
                return diff
        if time.monotonic() > deadline:
            raise AssertionError(f"boards differ: {wa}x{ha} vs {wb}x{hb}, {diff:.2%} of {ink} ink pixels")
        time.sleep(0.3)


def test_three_browsers_play_a_game(chromium: Any, server_url: str, artifacts: Path) -> None:
    errors: list[str] = []
    ann, bob, zoe = (new_page(chromium, errors) for _ in range(3))

    # Landing and room creation.
    # The AI runs on WASM here (fast on CPUs); the WebGL path has its own test (test_ai_panel.py).
    ann.goto(f"{server_url}/?ai=wasm")
    expect(ann.locator("#create")).to_be_visible()
    shot(ann, artifacts, "01-landing")
    enter_name(ann, "Ann")
    ann.click("#create")
    expect(ann.locator("#room-code")).to_be_visible()
    link = ann.input_value("#invite-link")
    code = ann.locator("#room-code").text_content()
    assert link.endswith(f"/r/{code}")

    # Bob joins through the invite link.
    bob.goto(f"{link}?ai=wasm")
    expect(bob.locator("#invite-note")).to_contain_text(code)
    enter_name(bob, "Bob")
    bob.click("#join-invite")
    expect(ann.locator("#lobby-players li:not(.ai)")).to_have_count(2)  # + the AI player, if on
    expect(bob.locator("#start")).to_be_hidden()  # only the host starts

    # The host sets one round; Bob's read-only form follows.
    ann.fill("#set-rounds", "1")
    ann.locator("#set-rounds").dispatch_event("change")
    expect(bob.locator("#set-rounds")).to_have_value("1")
    bob.fill("#chat-input", "hi all")
    bob.press("#chat-input", "Enter")
    expect(ann.locator("#chat-log")).to_contain_text("hi all")
    shot(ann, artifacts, "02-lobby")

    ann.click("#start")
    expect(ann.locator("#choices button").first).to_be_visible()
    expect(bob.locator("#overlay")).to_contain_text("Ann is choosing")
    shot(ann, artifacts, "03-choosing")
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_be_visible()
    word = ann.locator("#word-text").text_content()
    expect(bob.locator("#pattern")).to_be_visible()
    assert word not in (bob.locator("#word").text_content() or "")

    # Ann draws with real pointer events; Zoe arrives mid-turn as a spectator.
    for stroke in HOUSE_START:
        draw_stroke(ann, stroke)
    zoe.goto(f"{link}?ai=wasm")
    enter_name(zoe, "Zoe")
    zoe.click("#watch")
    expect(zoe.locator("#board")).to_be_visible()
    expect(zoe.locator("#scoreboard")).to_contain_text("Zoe")
    for stroke in HOUSE_END:
        draw_stroke(ann, stroke)
    ann.click("#tool-eraser")
    draw_stroke(ann, [(620, 120), (770, 120)])
    wait_same_ink(ann, bob)
    wait_same_ink(ann, zoe)  # the log from the join ack + the relayed batches
    for page in (bob, zoe):  # the drawer's AI guesses, relayed by the server, as live bars
        expect(page.locator("#ai-panel .ai-bar").first).to_be_visible()
    # Bob reloads his tab: the session token takes his seat back, with the drawing so far.
    bob.reload()
    expect(bob.locator("#pattern")).to_be_visible(timeout=15_000)
    wait_same_ink(ann, bob)
    shot(ann, artifacts, "04-drawer")
    shot(bob, artifacts, "05-guesser")
    shot(zoe, artifacts, "06-spectator")

    # A wrong guess is chat for everyone; a right one scores on all three screens.
    bob.fill("#chat-input", "is it a zeppelin?")
    bob.press("#chat-input", "Enter")
    expect(zoe.locator("#chat-log")).to_contain_text("is it a zeppelin?")
    bob.fill("#chat-input", word.upper())
    bob.press("#chat-input", "Enter")
    for page in (ann, bob, zoe):
        expect(page.locator("#reveal-word")).to_have_text(word)
    expect(bob.locator("#chat-log")).to_contain_text("You guessed the word")
    for page in (ann, zoe):
        expect(page.locator("#chat-log")).to_contain_text("Bob guessed the word")
    expect(zoe.locator("#chat-log")).not_to_contain_text(word.upper())
    bob_points = score_of(bob, "Bob")
    assert bob_points > 0
    for page in (ann, bob, zoe):
        assert score_of(page, "Bob") == bob_points
        assert score_of(page, "Ann") == score_of(ann, "Ann") >= 50  # the drawer: 50 per correct guesser
    shot(zoe, artifacts, "07-turn-end")

    # Bob's turn; Ann guesses his word, which ends the one-round game.
    expect(bob.locator("#choices button").first).to_be_visible(timeout=15_000)
    bob.locator("#choices button").first.click()
    expect(bob.locator("#word-text")).to_be_visible()
    draw_stroke(bob, [(300, 300), (500, 300), (400, 450), (300, 300)])
    ann.fill("#chat-input", bob.locator("#word-text").text_content())
    ann.press("#chat-input", "Enter")
    for page in (ann, bob, zoe):
        expect(page.locator("#ranking li:not(.ai)")).to_have_count(2, timeout=15_000)
    expect(ann.locator("#gallery .gallery-item")).to_have_count(2)
    expect(ann.locator("#gallery")).to_contain_text(word)
    ranking = ann.locator("#ranking").text_content()
    assert re.search(r"Ann.*Bob|Bob.*Ann", ranking)
    shot(ann, artifacts, "08-game-end")

    # Rematch: the host starts again and everyone is back in a game.
    ann.click("#rematch")
    for page in (ann, bob, zoe):
        expect(page.locator("#board")).to_be_visible()
    assert errors == [], errors
