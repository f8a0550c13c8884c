"""A game through the pure core: phases, guesses, scoring, hints, timeouts, audiences."""

from __future__ import annotations

import pytest

from game_server.core import (
    Chat,
    ChooseWord,
    Join,
    Leave,
    StartGame,
    Tick,
    UpdateSettings,
    next_deadline,
    room_from_dict,
    room_to_dict,
)
from game_server.core.state import CHOOSE_TIME, GAME_END_TIME, TURN_END_TIME

from .support import Game, names, to_whom


@pytest.fixture
def game() -> Game:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    return g


def start_drawing(g: Game, index: int = 0) -> str:
    g.do(ChooseWord(g.room.turn.drawer_id, index))
    assert g.room.phase == "drawing"
    return g.room.turn.drawer_id


def test_first_joiner_hosts_and_join_events(game: Game) -> None:
    assert game.room.host_id == "pann"
    assert [p.id for p in game.room.players] == ["pann", "pbob", "pcy"]
    events = game.do(Join("pdee", "Dee"))
    joined = next(e for e in events if e.name == "player_joined")
    assert "pdee" not in joined.to.players and joined.to.spectators


def test_start_needs_host_lobby_and_two_players() -> None:
    g = Game()
    g.join("Ann")
    g.refuse(StartGame("pann"), "not_enough_players")
    g.join("Bob")
    g.refuse(StartGame("pbob"), "not_host")
    g.refuse(StartGame("nobody"), "not_in_room")
    g.do(StartGame("pann"))
    assert g.room.phase == "choosing" and g.room.round == 1 and g.room.turn.drawer_id == "pann"
    g.refuse(StartGame("pann"), "wrong_phase")


def test_choices_go_to_the_drawer_only(game: Game) -> None:
    events = game.do(StartGame("pann"))
    choices = game.room.turn.choices
    assert len(choices) == 3
    drawer_views = [e for e in events if e.name == "state" and e.data["turn"]["choices"]]
    assert [e.to.players for e in drawer_views] == [frozenset({"pann"})]
    assert drawer_views[0].data["turn"]["choices"] == list(choices)
    game.refuse(ChooseWord("pbob", 0), "not_allowed")
    game.refuse(ChooseWord("pann", 3), "bad_request")
    game.refuse(ChooseWord("pann", -1), "bad_request")


def test_guess_scoring_falls_with_time_and_drawer_earns_per_guesser(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    word = game.word
    events = game.do(Chat("pbob", word.upper()), dt=8)  # 10% of 80 s used
    assert names(events)[0] == "guessed"
    bob = game.room.player("pbob")
    assert bob.score == 50 + round(450 * 0.9) + 50  # first guesser bonus
    assert game.room.player("pann").score == 50
    events = game.do(Chat("pcy", word), dt=32)  # 50% used
    assert game.room.player("pcy").score == 50 + 225
    assert game.room.player("pann").score == 100
    assert game.room.phase == "turn_end"  # everyone guessed: early end
    ended = next(e for e in events if e.name == "turn_ended")
    assert ended.data["reason"] == "all_guessed" and ended.data["word"] == word
    assert ended.data["deltas"] == {"pbob": bob.score, "pcy": 275, "pann": 100}


def test_close_guess_is_private_and_not_relayed(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    word = game.word
    near = word[:-1] + ("x" if word[-1] != "x" else "y")
    events = game.do(Chat("pbob", near))
    assert names(events) == ["close_guess"]
    assert to_whom(events, "close_guess") == [frozenset({"pbob"})]
    assert not events[0].to.spectators


def test_guessed_players_chat_only_to_knowers_and_drawer_cannot_say_word(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    game.do(Join("sz", "Zed", spectate=True))
    game.do(Chat("pbob", game.word))
    events = game.do(Chat("pbob", "that was easy"))
    assert [(e.to.players, e.to.spectators) for e in events] == [(frozenset({"pann", "pbob"}), False)]
    assert events[0].data["channel"] == "knowers"
    game.refuse(Chat("pann", f"it is a {game.word}!"), "word_in_chat")
    events = game.do(Chat("pann", "nice"))
    assert events[0].data["channel"] == "knowers"
    events = game.do(Chat("pcy", "hmm"))
    assert events[0].data["channel"] == "all" and events[0].to.spectators
    events = game.do(Chat("sz", game.word))  # spectators never guess
    assert names(events) == ["chat"] and game.room.player("pcy").guessed_at is None


def test_hints_reveal_letters_at_intervals(game: Game) -> None:
    game.do(
        UpdateSettings(
            "pann", {"hints": 2, "custom_words": ["elephant", "giraffe", "pelican"], "custom_only": True}
        )
    )
    game.do(StartGame("pann"))
    start_drawing(game)
    started = game.room.turn.started_at
    assert game.room.turn.hint_times == (started + 80 / 3, started + 160 / 3)
    assert next_deadline(game.room) == started + 80 / 3
    events = game.do(Tick(), dt=27)
    hint = next(e for e in events if e.name == "hint")
    assert hint.data["pattern"].count("_") == len(game.word) - 1
    events = game.do(Tick(), dt=27)
    assert next(e for e in events if e.name == "hint").data["pattern"].count("_") == len(game.word) - 2
    assert game.room.turn.hint_times == ()
    assert game.do(Tick(), dt=1) == []


def test_timeouts_auto_pick_then_end_turn_then_next_drawer(game: Game) -> None:
    game.do(StartGame("pann"))
    assert game.do(Tick(), dt=CHOOSE_TIME - 1) == []
    events = game.do(Tick(), dt=1)
    assert game.room.phase == "drawing" and game.word in game.log[-2][1].turn.choices
    assert "turn_started" in names(events)
    events = game.do(Tick(), dt=80)
    assert game.room.phase == "turn_end"
    assert next(e for e in events if e.name == "turn_ended").data["reason"] == "time"
    game.do(Tick(), dt=TURN_END_TIME)
    assert game.room.phase == "choosing" and game.room.turn.drawer_id == "pbob"


def test_full_game_two_rounds_then_ranking_and_lobby_and_rematch(game: Game) -> None:
    game.do(UpdateSettings("pann", {"rounds": 2}))
    game.do(StartGame("pann"))
    drawers = []
    while game.room.phase != "game_end":
        assert game.room.phase == "choosing"
        drawer = start_drawing(game)
        drawers.append((game.room.round, drawer))
        for p in game.room.players:
            if p.id != drawer:
                game.do(Chat(p.id, game.word), dt=5)
        assert game.room.phase == "turn_end"
        game.do(Tick(), dt=TURN_END_TIME)
    assert drawers == [(1, "pann"), (1, "pbob"), (1, "pcy"), (2, "pann"), (2, "pbob"), (2, "pcy")]
    ranking = game.room.ranking
    assert [r["score"] for r in ranking] == sorted((p.score for p in game.room.players), reverse=True)
    assert ranking[0]["rank"] == 1
    game.do(Tick(), dt=GAME_END_TIME)
    assert game.room.phase == "lobby" and game.room.turn is None
    game.do(StartGame("pann"))
    assert game.room.phase == "choosing" and all(p.score == 0 for p in game.room.players)
    assert game.room.turn.key.startswith("g2-")


def test_ranking_ties_share_a_rank() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(UpdateSettings("pann", {"rounds": 1}))
    g.do(StartGame("pann"))
    g.do(Tick(), dt=CHOOSE_TIME)
    g.do(Tick(), dt=80)
    g.do(Tick(), dt=TURN_END_TIME)
    g.do(Tick(), dt=CHOOSE_TIME)
    g.do(Tick(), dt=80)
    g.do(Tick(), dt=TURN_END_TIME)
    assert g.room.phase == "game_end"
    assert [r["rank"] for r in g.room.ranking] == [1, 1]


def test_drawer_leaving_ends_turn_and_host_passes_on(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    events = game.do(Leave("pann"))
    assert game.room.host_id == "pbob"
    assert game.room.phase == "turn_end"
    assert next(e for e in events if e.name == "turn_ended").data["reason"] == "drawer_left"


def test_game_ends_when_one_player_remains(game: Game) -> None:
    game.do(StartGame("pann"))
    game.do(Leave("pcy"))
    assert game.room.phase == "choosing"
    game.do(Leave("pbob"))
    assert game.room.phase == "game_end" and game.room.host_id == "pann"


def test_mid_game_joiner_guesses_now_and_draws_this_round(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    game.do(Join("pdee", "Dee"))
    game.do(Chat("pdee", game.word))
    assert game.room.player("pdee").score > 0
    order = []
    while game.room.round == 1 and game.room.phase != "game_end":
        game.do(Tick(), dt=100)
        if game.room.phase == "choosing":
            order.append(game.room.turn.drawer_id)
    assert order[:3] == ["pbob", "pcy", "pdee"]


def test_settings_validation(game: Game) -> None:
    # Keys, types and ranges are the protocol schema's (tests/unit/test_protocol.py); these are rules.
    for bad in [
        {"max_players": 2},
        {"custom_only": True},
        {"custom_words": ["ok", "x"]},
    ]:
        game.refuse(UpdateSettings("pann", bad), "bad_request")
    game.refuse(UpdateSettings("pbob", {"rounds": 2}), "not_host")
    game.do(UpdateSettings("pann", {"rounds": 5, "public": True, "custom_words": ["Hot Dog", "hot dog"]}))
    assert game.room.settings.rounds == 5 and game.room.settings.custom_words == ("hot dog",)
    game.do(StartGame("pann"))
    game.refuse(UpdateSettings("pann", {"rounds": 2}), "wrong_phase")


def test_room_dict_round_trip(game: Game) -> None:
    game.do(StartGame("pann"))
    start_drawing(game)
    game.do(Chat("pbob", game.word))
    assert room_from_dict(room_to_dict(game.room)) == game.room
