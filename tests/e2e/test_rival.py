"""Humans vs the AI in a real browser: the host picks the AI level in the lobby; the scoreline beside the
scoreboard shows 0:1 after a turn the AI wins (the drawer's browser replays a real Quick, Draw! drawing its
model recognizes, the server verifies the claim), then 1:1 after a turn a human wins, and the end screen
settles it ("a draw"). Likes: a guesser's like reaches the drawer, and the gallery counts them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import Bot, draw_stroke, enter_name, new_page, shot
from .test_ai_panel import MODELS, PREFERRED, STROKES, Model, as_ops, canvas_strokes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SURE = 0.7  # well above the "hard" level's threshold (0.5): browser and server agree on it


def sure_drawing() -> tuple[str, list[list[tuple[float, float]]]]:
    """A real drawing the model names as its category with p >= SURE (first in a fixed order)."""
    env = os.environ.get("QUICKDRAW_DIR")
    strokes_dir = Path(env) / "strokes" if env else STROKES
    if not (MODELS / "doodle.onnx").is_file() or not strokes_dir.is_dir():
        pytest.skip("the model or the Quick, Draw! strokes are missing (QUICKDRAW_DIR)")
    model = Model()
    names = [c for c in PREFERRED if c in model.labels] + [c for c in model.labels if c not in PREFERRED]
    for category in names:
        path = strokes_dir / f"{category.replace(' ', '_')}.ndjson"
        if not path.is_file():
            continue
        for line in path.read_text().splitlines()[:25]:
            strokes = canvas_strokes(json.loads(line)["drawing"])
            label, prob = model.top(as_ops(strokes), 1)[0]
            if label == category and prob >= SURE:
                return category, strokes
    pytest.fail("the model is sure of none of the drawings tried")


def rival(page: Any) -> tuple[str, str]:
    return page.locator("#rival-humans").text_content(), page.locator("#rival-ai").text_content()


def test_the_scoreline_follows_the_turns_the_ai_and_the_humans_win_and_likes_reach_the_drawer(
    chromium: Any, server_url: str, artifacts: Path
) -> None:
    word, strokes = sure_drawing()
    errors: list[str] = []
    ada = new_page(chromium, errors)
    ada.goto(f"{server_url}/?ai=wasm")
    enter_name(ada, "Ada")
    ada.click("#create")
    expect(ada.locator("#room-code")).to_be_visible()
    expect(ada.locator("#rival-help")).to_be_visible()  # the rules, in the lobby
    bot = Bot(server_url)
    try:
        assert bot.call("join_room", {"code": ada.locator("#room-code").text_content(), "name": "Bot"})["ok"]
        ada.select_option("#set-ai_level", "hard")  # the host's level: sure at 50 %, from the first stroke
        ada.evaluate("s => window.__doodleai.updateSettings(s)",
                     {"custom_words": [word], "custom_only": True, "word_choices": 1, "rounds": 1})
        state = bot.call("get_state", {})["state"]
        assert state["settings"]["ai_level"] == "hard" and state["settings"]["rounds"] == 1
        ada.click("#start")

        # Turn 1: Ada draws, her browser's AI names it and the server verifies -> a turn for the AI.
        ada.locator("#choices button").first.click()
        expect(ada.locator("#word-text")).to_be_visible()
        expect(ada.locator("#rival")).to_be_visible()
        assert rival(ada) == ("0", "0")
        for stroke in strokes:
            draw_stroke(ada, stroke)
        expect(ada.locator("#rival-ai")).to_have_text("1", timeout=30_000)
        assert rival(ada) == ("0", "1")
        won = [d for e, d in bot.events if e == "guessed" and d["player_id"] == "ai"]
        assert won and won[0]["turn_won"] == "ai" and won[0]["points"] == 0
        shot(ada, artifacts, "13-rival-ai-wins-a-turn")
        expect(ada.locator("#like-up")).to_be_hidden()  # the drawer does not rate her own drawing
        turn1 = bot.call("get_state", {})["state"]["turn"]["key"]
        assert bot.call("like", {"turn": turn1, "like": True}) == {"ok": True, "likes": 1, "dislikes": 0}
        expect(ada.locator("#chat-log")).to_contain_text("Bot likes your drawing")
        assert bot.call("chat", {"text": word})["result"] == "correct"  # the turn ends

        # Turn 2: Bot draws, Ada names it first -> a turn for the humans.
        ada.wait_for_function("() => window.__doodleai.room.view.phase === 'choosing'", timeout=15_000)
        assert bot.call("choose_word", {"index": 0})["ok"]
        ada.wait_for_function("() => window.__doodleai.room.view.phase === 'drawing'", timeout=10_000)
        ada.click("#like-up")  # Ada likes Bot's drawing: the drawer gets it
        expect(ada.locator("#like-count")).to_have_text("1 like, 0 dislikes")
        expect(ada.locator("#like-up")).to_be_hidden()  # once per turn
        assert any(e == "liked" and d["name"] == "Ada" and d["like"] for e, d in bot.events)
        ada.fill("#chat-input", word)
        ada.press("#chat-input", "Enter")
        expect(ada.locator("#rival-humans")).to_have_text("1", timeout=10_000)  # during the turn-end reveal
        assert rival(ada) == ("1", "1")
        expect(ada.locator("#rival-result")).to_contain_text("Humans 1 : 1 AI", timeout=15_000)
        expect(ada.locator("#rival-result")).to_contain_text("draw")
        assert ada.locator("#ranking li.ai").count() == 0  # the AI has the scoreline, not a rank
        expect(ada.locator("#gallery .gallery-likes")).to_have_count(2)  # both drawings were liked once
        expect(ada.locator("#gallery .gallery-likes").first).to_contain_text("1 like, 0 dislikes")
        shot(ada, artifacts, "14-rival-end")
    finally:
        bot.close()
    assert errors == [], errors
