"""Nicknames and chat are text, never HTML: markup sent by players shows up literally and runs nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import Bot, enter_name, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "<img src=x onerror=X=1>"  # 23 characters: names allow 24
BOT_NAME = "<script>X=2</script>"
CHAT = '<img src=x onerror="window.__xss=3"><b>bold?</b>'


def test_markup_in_names_and_chat_is_shown_as_text(chromium: Any, server_url: str, artifacts: Path) -> None:
    errors: list[str] = []
    page = new_page(chromium, errors)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(server_url)
    enter_name(page, NAME)
    page.click("#create")
    expect(page.locator("#room-code")).to_be_visible()
    bot = Bot(server_url)
    try:
        code = page.locator("#room-code").text_content()
        assert bot.call("join_room", {"code": code, "name": BOT_NAME})["ok"]
        assert bot.call("chat", {"text": CHAT})["ok"]
        page.fill("#chat-input", CHAT)
        page.press("#chat-input", "Enter")
        players = page.locator("#lobby-players")
        expect(players).to_contain_text(NAME)
        expect(players).to_contain_text(BOT_NAME)
        messages = page.locator("#chat-log .msg")
        expect(messages).to_have_count(2)
        for i in range(2):
            expect(messages.nth(i).locator(".msg-text")).to_have_text(CHAT)
        expect(messages.nth(0).locator(".msg-name")).to_have_text(BOT_NAME)
        expect(messages.nth(1).locator(".msg-name")).to_have_text(NAME)
        shot(page, artifacts, "10-xss-as-text")
    finally:
        bot.close()
    assert page.locator("#app img, #app script, #app b").count() == 0
    assert page.evaluate("typeof X === 'undefined' && window.__xss === undefined")
    assert not [u for u in fetched if u.rstrip("/").endswith("/x")], "an <img src=x> was loaded"
    assert errors == [], errors
