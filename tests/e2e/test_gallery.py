"""Issue 13, item 5: a truthful gallery. Per drawing, the AI's verified recognition (server time and the
server's probability) or "not recognized"; the same in two browsers (server times, not each client's); the
same after a reload (the server keeps the game's drawings and its AI record until the next game)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import Bot, draw_stroke, host_and_guest, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TRIANGLE = [(300, 450), (400, 200), (500, 450), (300, 450)]


def _gallery(page: Any) -> list[dict[str, str]]:
    expect(page.locator("#gallery")).to_have_attribute("data-loaded", "1", timeout=10_000)
    return page.evaluate("""() => [...document.querySelectorAll('#gallery .gallery-item')].map((f) => ({
        key: f.dataset.key, at: f.dataset.aiAt, prob: f.dataset.aiProb,
        text: f.querySelector('figcaption').textContent}))""")


def test_gallery_matches_the_servers_verified_claims_in_two_browsers_and_after_a_reload(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann, bob = host_and_guest(chromium, server_url, errors, words="triangle, zebra")
    code = ann.locator("#room-code").text_content()
    watcher = Bot(server_url)  # a spectator that records what the server says
    try:
        assert watcher.call("join_room", {"code": code, "name": "Watcher", "spectate": True})["ok"]
        ann.wait_for_function("() => window.__doodleai.classifier.status === 'ready'", timeout=60_000)
        bob.wait_for_function("() => window.__doodleai.classifier.status === 'ready'", timeout=60_000)
        ann.click("#start")
        # Turn 1: each drawer draws their word as a triangle; whoever has "triangle" gets recognized.
        for drawer, guesser in ((ann, bob), (bob, ann)):
            drawer.locator("#choices button").first.click(timeout=20_000)
            word = drawer.locator("#word-text").text_content(timeout=10_000)
            draw_stroke(drawer, TRIANGLE)
            if word == "triangle":
                expect(drawer.locator("#ai-panel")).to_have_attribute("data-locked", "1", timeout=15_000)
            else:
                drawer.wait_for_timeout(1500)
            guesser.fill("#chat-input", word)
            guesser.press("#chat-input", "Enter")
            expect(guesser.locator("#reveal-word")).to_have_text(word)
        verified = [d for e, d in watcher.events if e == "guessed" and d["player_id"] == "ai"]
        assert len(verified) == 1, verified  # exactly one drawing (the triangle) was recognized
        expect(ann.locator("#gallery .gallery-item")).to_have_count(2, timeout=20_000)
        expect(bob.locator("#gallery .gallery-item")).to_have_count(2)
        seen_ann, seen_bob = _gallery(ann), _gallery(bob)
        assert seen_ann == seen_bob  # the same facts, the same times, for everyone
        hit = [g for g in seen_ann if g["at"]]
        miss = [g for g in seen_ann if not g["at"]]
        assert len(hit) == 1 and len(miss) == 1, seen_ann
        assert float(hit[0]["at"]) == verified[0]["at_s"]  # the server's time of the verified claim
        assert abs(float(hit[0]["prob"]) - verified[0]["prob"]) < 1e-3  # the server's probability
        at_s, prob = verified[0]["at_s"], verified[0]["prob"]
        assert f"recognized at {at_s:.1f} s ({round(prob * 100)}%)" in hit[0]["text"]
        assert "triangle" in hit[0]["text"]
        assert "not recognized" in miss[0]["text"] and "zebra" in miss[0]["text"]
        shot(ann, artifacts, "gallery")
        # Bob reloads: the gallery comes back from the server, unchanged.
        bob.reload()
        bob.locator("#gallery, #last-gallery").first.wait_for(timeout=15_000)
        if not bob.locator("#gallery").count():
            bob.click("#last-gallery")  # the game-end phase is over: the lobby offers the last game
        assert _gallery(bob) == seen_ann
    finally:
        watcher.close()
    assert not errors, errors
