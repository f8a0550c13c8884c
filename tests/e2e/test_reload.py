"""Issue 13, item 7: a host who reloads keeps the role (it passes only after a few seconds away); the
recent chat comes back with a reload, and only what that player may read (the knowers' channel stays with
those who know the word)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import host_and_guest, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _say(page: Any, text: str) -> None:
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")


def test_a_host_reload_keeps_the_role_and_the_chat_comes_back(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann, bob = host_and_guest(chromium, server_url, errors)
    _say(bob, "hi Ann")
    _say(ann, "hello Bob")
    expect(bob.locator("#chat-log")).to_contain_text("hello Bob")

    # The host reloads: same seat, still host, the chat is back.
    ann.reload()
    expect(ann.locator("#room-code")).to_be_visible(timeout=15_000)
    expect(ann.locator("#start")).to_be_visible()
    expect(ann.locator("#chat-log")).to_contain_text("hi Ann")
    expect(ann.locator("#chat-log")).to_contain_text("hello Bob")
    ann.wait_for_timeout(6500)  # past the host grace: the role did not pass while she was away
    expect(ann.locator("#start")).to_be_visible()
    expect(bob.locator("#lobby-status")).to_contain_text("Waiting for Ann to start")
    shot(ann, artifacts, "host-reloaded")

    # In a game: the drawer's line goes to the knowers only, and a reload keeps it that way.
    ann.click("#start")
    ann.locator("#choices button").first.click()
    expect(ann.locator("#word-text")).to_be_visible()
    _say(bob, "is it a zeppelin?")
    _say(ann, "you are close, Bob")  # knowers' channel: Bob has not guessed
    expect(ann.locator("#chat-log")).to_contain_text("is it a zeppelin?")
    expect(ann.locator("#chat-log")).to_contain_text("you are close, Bob")
    bob.reload()
    expect(bob.locator("#pattern")).to_be_visible(timeout=15_000)
    expect(bob.locator("#chat-log")).to_contain_text("is it a zeppelin?")
    expect(bob.locator("#chat-log")).to_contain_text("hello Bob")
    expect(bob.locator("#chat-log")).not_to_contain_text("you are close")
    ann.reload()
    expect(ann.locator("#word-text")).to_be_visible(timeout=15_000)
    expect(ann.locator("#chat-log")).to_contain_text("you are close, Bob")
    expect(ann.locator("#chat-log")).to_contain_text("is it a zeppelin?")
    assert not errors, errors
