"""Race mode rules (game_server/core/race.py), pure, with a fake clock."""

from __future__ import annotations

import random

import pytest

from game_server.core import (
    Chat,
    ChooseWord,
    Disconnect,
    DrawBatch,
    Join,
    Leave,
    RaceRecognized,
    StartGame,
    Tick,
    UpdateSettings,
    apply,
    draw_relay,
    member_view,
    room_from_dict,
    room_to_dict,
)
from game_server.core.race import (
    MIN_POINTS,
    RACE_PROMPTS,
    RACE_RESULTS_TIME,
    RACE_TIME,
    log_key,
    place_points,
)
from game_server.core.state import DRAWING, GAME_END, LOBBY, TURN_END

from .support import Game, names

WORDS = ["zebra", "koala", "hot dog", "lamp", "kite", "drum", "owl"]


def stroke(sid: int, x: float = 10.0) -> dict:
    return {"type": "stroke", "id": sid, "tool": "pen", "color": "#000000", "width": 4,
            "points": [[x, 10.0], [x + 5, 20.0]]}


@pytest.fixture
def game() -> Game:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(Join("sZoe", "Zoe", conn="c-z", spectate=True))
    g.do(UpdateSettings("pann", {"mode": "race", "custom_words": WORDS, "custom_only": True}))
    return g


def start(game: Game) -> None:
    events = game.do(StartGame("pann"))
    assert game.room.phase == DRAWING and game.room.turn is not None
    started = next(e for e in events if e.name == "turn_started")
    assert started.data["word"] == game.word and started.data["mode"] == "race"
    assert started.to.spectators and started.to.players == {"pann", "pbob", "pcy"}


def draw(game: Game, pid: str, seq: int, sid: int, dt: float = 0.0) -> list:
    return game.do(DrawBatch(pid, seq, (stroke(sid),)), dt)


def test_settings_accept_race_and_the_prompt_is_public(game: Game) -> None:
    assert game.room.settings.mode == "race"
    start(game)
    word = game.word
    assert word in WORDS and game.room.drawer_id is None
    assert game.room.deadline == game.now + RACE_TIME and game.room.round == 1
    for member in ("pann", "pbob", "sZoe"):  # every player and spectator sees the prompt
        turn = member_view(game.room, member, game.now)["turn"]
        assert turn["word"] == word and turn["pattern"] == word and turn["sketches"] == {}
    game.refuse(ChooseWord("pann", 0), "wrong_phase")


def test_everyone_draws_their_own_log_and_the_relay_is_tagged(game: Game) -> None:
    start(game)
    ev = draw(game, "pann", 0, 1)
    relay = next(e for e in ev if e.name == "draw")
    assert relay.data["player_id"] == "pann" and relay.to.players == {"pbob", "pcy"} and relay.to.spectators
    before = game.room
    draw(game, "pbob", 0, 5)  # Bob's seq and stroke ids are his own (his log's bookkeeping, in the store)
    assert game.room is before and game.room.turn.sketches == {}
    assert log_key(game.room, "pbob") == f"{game.room.turn.key}:pbob"
    assert draw_relay(game.room, DrawBatch("pbob", 1, (stroke(6),)))[0] == f"{game.room.turn.key}:pbob"
    game.refuse(DrawBatch("sZoe", 0, (stroke(1),)), "not_allowed")
    game.refuse(DrawBatch("ghost", 0, (stroke(1),)), "not_in_room")
    with pytest.raises(Exception, match="over"):
        draw_relay(game.room, DrawBatch("pann", 2, (stroke(3),)), "g0-r9-race")
    view = member_view(game.room, "pcy", game.now)["turn"]["sketches"]
    assert view == {}  # recognitions only: nobody was recognized yet


def test_verified_recognitions_score_by_order_and_end_the_prompt(game: Game) -> None:
    start(game)
    key = game.room.turn.key
    for pid, sid in (("pann", 1), ("pbob", 1), ("pcy", 1)):
        draw(game, pid, 0, sid)
    ev = game.do(RaceRecognized("pbob", key, 1), dt=3.0)
    rec = next(e for e in ev if e.name == "race_recognized")
    assert rec.data == {"player_id": "pbob", "name": "Bob", "place": 1, "points": 500, "time": 3.0,
                        "turn": key}
    game.refuse(RaceRecognized("pbob", key, 1), "not_allowed")  # once per prompt
    game.refuse(RaceRecognized("pann", "g1-r0-race", 1), "wrong_phase")  # another prompt
    game.refuse(RaceRecognized("pann", key, 0), "bad_request")  # (more ops than drawn: claims.check_context)
    game.refuse(RaceRecognized("sZoe", key, 1), "not_allowed")
    ev = game.do(RaceRecognized("pcy", key, 1), dt=1.5)
    assert "turn_ended" not in names(ev) and game.room.phase == DRAWING
    ev = game.do(RaceRecognized("pann", key, 1), dt=1.0)
    ended = next(e for e in ev if e.name == "turn_ended")
    assert ended.data["reason"] == "all_guessed" and game.room.phase == TURN_END
    assert ended.data["results"] == [
        {"player_id": "pbob", "place": 1, "time": 3.0, "points": 500},
        {"player_id": "pcy", "place": 2, "time": 4.5, "points": 400},
        {"player_id": "pann", "place": 3, "time": 5.5, "points": 300},
    ]
    assert {p.id: p.score for p in game.room.players} == {"pann": 300, "pbob": 500, "pcy": 400}
    game.refuse(RaceRecognized("pann", key, 1), "wrong_phase")  # too late
    assert game.room.deadline == game.now + RACE_RESULTS_TIME


def test_place_points_fall_with_order_to_a_floor() -> None:
    assert [place_points(n) for n in range(1, 8)] == [500, 400, 300, 200, 100, 100, 100]
    assert MIN_POINTS == 100


def test_a_game_is_six_prompts_then_the_ranking(game: Game) -> None:
    start(game)
    seen = []
    for n in range(RACE_PROMPTS):
        assert game.room.phase == DRAWING and game.room.round == n + 1
        seen.append(game.word)
        draw(game, "pcy", 0, 1)
        game.do(RaceRecognized("pcy", game.room.turn.key, 1), dt=2.0)
        ev = game.do(Tick(), dt=RACE_TIME)  # nobody else got it: time runs out
        ended = next(e for e in ev if e.name == "turn_ended")
        assert ended.data["reason"] == "time" and ended.data["word"] == seen[-1]
        ev = game.do(Tick(), dt=RACE_RESULTS_TIME)
    assert len(set(seen)) == RACE_PROMPTS  # no prompt twice in a game
    assert game.room.phase == GAME_END and "game_ended" in names(ev)
    assert game.room.ranking[0]["id"] == "pcy" and game.room.ranking[0]["score"] == 500 * RACE_PROMPTS
    game.do(Tick(), dt=10)
    assert game.room.phase == LOBBY


def test_chat_is_never_a_guess_in_race(game: Game) -> None:
    start(game)
    ev = game.do(Chat("pbob", game.word))
    assert names(ev) == ["chat"] and ev[0].data["channel"] == "all" and ev[0].to.spectators
    assert all(p.score == 0 for p in game.room.players)


def test_disconnects_and_leaves_do_not_hang_a_prompt(game: Game) -> None:
    start(game)
    key = game.room.turn.key
    draw(game, "pann", 0, 1)
    game.do(RaceRecognized("pann", key, 1), dt=1)
    game.do(Disconnect("pbob", conn="c-pbob", grace=60))
    assert game.room.phase == DRAWING  # Cy still races
    ev = game.do(Leave("pcy"))  # the last one still racing leaves: Ann is done, Bob is away
    assert game.room.phase == TURN_END and "turn_ended" in names(ev)
    ev = game.do(Leave("pbob"))  # one player left: the game ends
    assert game.room.phase == GAME_END and "game_ended" in names(ev)


def test_recognized_last_pending_player_ends_after_disconnect(game: Game) -> None:
    start(game)
    key = game.room.turn.key
    draw(game, "pann", 0, 1)
    draw(game, "pbob", 0, 1)
    game.do(RaceRecognized("pann", key, 1))
    game.do(RaceRecognized("pbob", key, 1))
    ev = game.do(Disconnect("pcy", conn="c-pcy", grace=60))  # the only one still drawing drops out
    assert game.room.phase == TURN_END and "turn_ended" in names(ev)


def test_ai_pseudo_player_takes_no_part(game: Game) -> None:
    game.do(Join("ai0", "AI", kind="ai"))
    start(game)
    game.refuse(DrawBatch("ai0", 0, (stroke(1),)), "not_allowed")
    key = game.room.turn.key
    for pid in ("pann", "pbob", "pcy"):
        draw(game, pid, 0, 1)
        game.do(RaceRecognized(pid, key, 1))
    assert game.room.phase == TURN_END  # the AI does not hold the prompt open


def test_race_needs_two_connected_humans() -> None:
    g = Game()
    g.join("Ann")
    g.do(Join("ai0", "AI", kind="ai"))
    g.do(UpdateSettings("pann", {"mode": "race"}))
    g.refuse(StartGame("pann"), "not_enough_players")


def test_race_state_round_trips_through_the_store_form(game: Game) -> None:
    start(game)
    draw(game, "pbob", 0, 1)
    game.do(RaceRecognized("pbob", game.room.turn.key, 1), dt=2)
    assert room_from_dict(room_to_dict(game.room)) == game.room


def test_race_uses_the_word_pool_without_custom_words() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(UpdateSettings("pann", {"mode": "race"}))
    room, _ = apply(g.room, StartGame("pann"), g.now, random.Random(3), pool=("cat", "dog"))
    assert room.turn is not None and room.turn.word in ("cat", "dog")


def test_public_race_lobby_starts_a_race(game: Game) -> None:
    game.do(UpdateSettings("pann", {"public": True}))
    assert game.room.deadline is not None
    game.do(Tick(), dt=30)
    assert game.room.phase == DRAWING and game.room.turn.drawer_id == ""
    assert game.room.turn.key.endswith("race")
