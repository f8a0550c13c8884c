"""Humans vs the AI (core/scoring.py): the turn goes to the side that names the word first, the AI takes no
points or bonus from the humans, the drawer gains from both sides, and the host's AI level delays claims."""

from __future__ import annotations

import pytest

from game_server.core import AiRecognized, Chat, ChooseWord, DrawBatch, Settings, StartGame, Tick, new_room
from game_server.core.ai import AI_ID, AI_LEVELS, claim_opens_at
from game_server.core.claims import too_early
from game_server.core.events import view
from game_server.core.scoring import guess_points, rival_winner

from .support import Game, names

STROKE = {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 4,
          "points": [[10, 10], [50, 60]]}


def game(*who: str, **settings: object) -> Game:
    settings.setdefault("ai_level", "hard")
    g = Game(room=new_room("RIVAL00000", Settings(**settings)))  # type: ignore[arg-type]
    g.join(*who)
    return g


def drawing(g: Game) -> str:
    g.do(ChooseWord(g.room.turn.drawer_id, 0))
    g.do(DrawBatch(g.room.turn.drawer_id, 0, (STROKE,)))
    return g.room.turn.key


def guessed(events: list) -> dict:
    return next(e.data for e in events if e.name == "guessed")


def test_a_human_first_wins_the_turn_and_the_ai_after_takes_nothing() -> None:
    g = game("Ann", "Bob", "Cy")
    g.do(StartGame("pann"))
    key = drawing(g)
    started = g.room.turn.started_at
    bob = guessed(g.do(Chat("pbob", g.word), dt=10))
    assert bob["points"] == guess_points(g.now, started, 80, first=True)
    assert bob["turn_won"] == "humans" and bob["rival"] == {"humans": 1, "ai": 0}
    ai = guessed(g.do(AiRecognized(key, 1), dt=5))
    assert ai["points"] == 0 and "turn_won" not in ai and "rival" not in ai
    assert g.room.player(AI_ID).score == 0
    assert g.room.player("pann").score == 100  # the drawer: +50 for Bob, +50 for the AI
    ended = next(e.data for e in g.do(Chat("pcy", g.word), dt=1) if e.name == "turn_ended")
    assert ended["winner"] == "humans" and ended["rival"] == {"humans": 1, "ai": 0}
    assert AI_ID not in ended["deltas"]


def test_the_ai_first_wins_the_turn_but_the_first_human_keeps_the_bonus() -> None:
    g = game("Ann", "Bob")
    g.do(StartGame("pann"))
    key = drawing(g)
    started = g.room.turn.started_at
    ai = guessed(g.do(AiRecognized(key, 1), dt=8))
    assert ai["turn_won"] == "ai" and ai["rival"] == {"humans": 0, "ai": 1}
    bob = guessed(g.do(Chat("pbob", g.word), dt=4))
    assert bob["points"] == guess_points(g.now, started, 80, first=True)  # +50: first human
    assert "turn_won" not in bob
    assert g.room.turn.winner == "ai" and g.room.rival == {"humans": 0, "ai": 1}
    assert g.room.player("pann").score == 100


def test_a_turn_nobody_names_is_won_by_no_one() -> None:
    g = game("Ann", "Bob")
    g.do(StartGame("pann"))
    drawing(g)
    ended = next(e.data for e in g.do(Tick(), dt=81) if e.name == "turn_ended")
    assert ended["winner"] is None and ended["rival"] == {"humans": 0, "ai": 0}


def play_turn(g: Game, ai_first: bool) -> None:
    drawer = g.room.turn.drawer_id
    key = drawing(g)
    guesser = next(p.id for p in g.room.players if p.kind == "human" and p.id != drawer)
    if ai_first:
        g.do(AiRecognized(key, 1), dt=5)
    g.do(Chat(guesser, g.word), dt=5)  # the only human guesser: the turn ends
    assert g.room.phase == "turn_end"
    g.do(Tick(), dt=6)  # the next turn (or the game end)


def test_the_game_ranks_humans_only_and_settles_the_scoreline() -> None:
    g = game("Ann", "Bob", rounds=2)
    g.do(StartGame("pann"))
    events: list = []
    for ai_first in (True, True, False, True):  # 4 turns: 2 rounds x 2 drawers
        play_turn(g, ai_first)
        events = g.log[-1][3]
    ended = next(e.data for e in events if e.name == "game_ended")
    assert {r["id"] for r in ended["ranking"]} == {"pann", "pbob"}  # no row for the AI
    assert ended["rival"] == {"humans": 1, "ai": 3, "winner": "ai"}
    assert view(g.room, g.now)["rival"] == {"humans": 1, "ai": 3}
    g.do(StartGame("pann"), dt=1)  # a rematch starts at 0:0
    assert g.room.rival == {"humans": 0, "ai": 0}


def test_rival_winner() -> None:
    assert rival_winner({"humans": 3, "ai": 2}) == "humans"
    assert rival_winner({"humans": 1, "ai": 2}) == "ai"
    assert rival_winner({"humans": 2, "ai": 2}) == rival_winner({}) == "draw"


def test_without_the_ai_there_is_no_scoreline() -> None:
    g = game("Ann", "Bob", ai_player=False)
    g.do(StartGame("pann"))
    drawing(g)
    bob = guessed(g.do(Chat("pbob", g.word), dt=3))
    assert "turn_won" not in bob and "rival" not in bob
    ended = next(e.data for e in g.log[-1][3] if e.name == "turn_ended")
    assert "winner" not in ended and "rival" not in ended
    assert view(g.room, g.now)["rival"] is None


@pytest.mark.parametrize("level", ["easy", "normal", "hard"])
def test_the_ai_level_delays_the_first_claim_in_the_core(level: str) -> None:
    g = game("Ann", "Bob", ai_level=level)
    g.do(StartGame("pann"))
    key = drawing(g)
    delay = AI_LEVELS[level].delay
    assert claim_opens_at(g.room) == g.room.turn.started_at + delay
    if delay > 0:
        g.now = g.room.turn.started_at + delay - 0.1
        g.refuse(AiRecognized(key, 1), "not_allowed")
    g.now = g.room.turn.started_at + delay
    assert "guessed" in names(g.do(AiRecognized(key, 1)))


def test_levels_grow_harder_and_too_early_counts_down() -> None:
    easy, normal, hard = AI_LEVELS["easy"], AI_LEVELS["normal"], AI_LEVELS["hard"]
    assert easy.threshold >= normal.threshold >= hard.threshold >= 0.5
    assert easy.delay >= normal.delay >= hard.delay == 0
    assert too_early(100.0, 110.0) == 10.0
    assert too_early(110.0, 110.0) is None and too_early(5.0, None) is None
    assert Settings().ai_level == "normal"
