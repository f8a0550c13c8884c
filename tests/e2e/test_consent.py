"""Opt-in training data in the browser: the landing checkbox is off by default, the lobby shows who shares
(a room-level count), the player's own contributor id while sharing, and a switch that revokes it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import enter_name, new_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_consent_is_off_by_default_visible_in_the_lobby_and_revocable(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    errors: list[str] = []
    page = new_page(chromium, errors)
    page.goto(server_url)
    box = page.locator("#consent")
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    expect(page.locator("#privacy-note")).to_contain_text("What sharing keeps")
    enter_name(page, "Ann")
    box.check()
    page.click("#create")
    expect(page.locator("#room-code")).to_be_visible()
    expect(page.locator("#training-count")).to_contain_text("1 of 1 players share")
    expect(page.locator("#share-drawings")).to_be_checked()
    expect(page.locator("#contributor-id")).to_have_text(re.compile(r"contributor id .*: c[0-9a-f]{24}$"))
    shot(page, artifacts, "40-consent-lobby")
    page.locator("#share-drawings").uncheck()
    expect(page.locator("#training-count")).to_contain_text("nobody in this room shares")
    expect(page.locator("#contributor-id")).to_be_hidden()
    assert errors == [], errors
