"""Issue 13, item 6: a spectator's chat during drawing is not shown to a guesser (a spectator may know the
word); the drawer sees it, and in the lobby everyone does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import enter_name, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_spectators_chat_does_not_reach_a_guesser_during_drawing(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann, bob, zoe = (new_page(chromium, errors) for _ in range(3))
    ann.goto(f"{server_url}/?ai=wasm")
    enter_name(ann, "Ann")
    ann.click("#create")
    expect(ann.locator("#room-code")).to_be_visible()
    link = ann.input_value("#invite-link")
    bob.goto(f"{link}?ai=wasm")
    enter_name(bob, "Bob")
    bob.click("#join-invite")
    zoe.goto(f"{link}?ai=wasm")
    enter_name(zoe, "Zoe")
    zoe.click("#watch")
    expect(ann.locator("#lobby-spectators")).to_contain_text("Zoe")
    zoe.fill("#chat-input", "hello from the stands")
    zoe.press("#chat-input", "Enter")
    for page in (ann, bob):  # in the lobby a spectator talks to everyone
        expect(page.locator("#chat-log")).to_contain_text("hello from the stands")

    ann.click("#start")
    ann.locator("#choices button").first.click()
    word = ann.locator("#word-text").text_content()
    expect(bob.locator("#pattern")).to_be_visible()
    zoe.fill("#chat-input", f"it is a {word}!!")
    zoe.press("#chat-input", "Enter")
    expect(ann.locator("#chat-log")).to_contain_text(f"it is a {word}!!")  # the drawer knows the word
    expect(zoe.locator("#chat-log")).to_contain_text(f"it is a {word}!!")
    expect(ann.locator('#chat-log li[data-channel="spectators"]')).to_have_count(1)
    bob.wait_for_timeout(1000)  # the message reached Ann long ago; it must not reach Bob at all
    expect(bob.locator("#chat-log")).not_to_contain_text(f"it is a {word}")
    shot(ann, artifacts, "spectator-chat-drawer")
    assert not errors, errors
