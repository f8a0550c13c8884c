"""Issue 14: avatars and the public room list in real browsers. Ann picks an avatar on the landing page and
opens a public room; Bob's landing page lists it (live: it appears without a reload) and joins it with one
click; both avatars show in the lobby and beside chat lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import enter_name, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_public_room_appears_in_another_browser_and_avatars_follow_the_players(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    ann, bob = new_page(chromium, errors), new_page(chromium, errors)
    bob.goto(server_url)  # Bob's landing page is open before the room exists
    expect(bob.locator("#public-note")).to_be_visible()
    ann.goto(server_url)
    enter_name(ann, "Ann")
    for field, value in (("color", 5), ("face", 3), ("shape", 1)):
        ann.click(f"#avatar-picker [data-{field}='{value}']")
    expect(ann.locator("#avatar-preview")).to_have_attribute("data-avatar", "5-3-1")
    ann.click("#create")
    expect(ann.locator("#room-code")).to_be_visible()
    code = ann.locator("#room-code").text_content()
    ann.evaluate("() => window.__doodleai.updateSettings({public: true})")

    row = bob.locator(f"#public-rooms li[data-code='{code}']")
    expect(row).to_be_visible(timeout=15_000)  # the list polls: no reload
    expect(row).to_contain_text("1/8 players")
    expect(row).to_contain_text("In the lobby")
    shot(bob, artifacts, "public-rooms")
    bob_avatar = bob.locator("#avatar-preview").get_attribute("data-avatar")  # a random one, kept
    assert bob_avatar
    enter_name(bob, "Bob")
    row.locator(".join-public").click()
    expect(bob.locator("#room-code")).to_have_text(code)
    expect(ann.locator("#lobby-players li:not(.ai)")).to_have_count(2)
    expect(ann.locator(f"#lobby-players [data-avatar='{bob_avatar}']")).to_have_count(1)
    expect(bob.locator("#lobby-players [data-avatar='5-3-1']")).to_have_count(1)
    bob.fill("#chat-input", "hello Ann")
    bob.press("#chat-input", "Enter")
    expect(ann.locator(f"#chat-log li.msg .avatar[data-avatar='{bob_avatar}']")).to_have_count(1)
    assert ann.evaluate("() => localStorage.getItem('doodleai.avatar')") == "5-3-1"
    shot(ann, artifacts, "avatars-lobby")
    ann.context.close()
    bob.context.close()
    assert not errors, errors
