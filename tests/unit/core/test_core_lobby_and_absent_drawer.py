"""Public lobbies start on their own; a disconnected drawer does not hang the turn (pure core, fake time)."""

from __future__ import annotations

from game_server.core import (
    Chat,
    ChooseWord,
    Disconnect,
    GameError,
    Join,
    Leave,
    Rejoin,
    StartGame,
    Tick,
    UpdateSettings,
    new_room,
    next_deadline,
)
from game_server.core.lobby import LOBBY_COUNTDOWN
from game_server.core.state import (
    CHOOSE_TIME,
    DRAWER_GRACE,
    GAME_END_TIME,
    HOST_GRACE,
    TURN_END_TIME,
    Settings,
)

from .support import Game, names


def public_game() -> Game:
    return Game(room=new_room("PUBLIC0000", Settings(public=True, rounds=1)))


def test_public_lobby_counts_down_from_two_players_and_starts_itself() -> None:
    g = public_game()
    g.join("Ann")
    assert g.room.phase == "lobby" and g.room.deadline is None
    events = g.do(Join("pbob", "Bob", conn="c-pbob"), dt=1)
    due = g.now + LOBBY_COUNTDOWN
    assert g.room.deadline == due and next_deadline(g.room) == due
    assert {e.data["deadline"] for e in events if e.name == "state"} == {due}  # the host's and the others'
    g.do(Join("pcy", "Cy", conn="c-pcy"), dt=5)
    assert g.room.deadline == due, "more players do not push the start back"
    g.do(Tick(), dt=LOBBY_COUNTDOWN - 5 - 0.1)
    assert g.room.phase == "lobby"
    events = g.do(Tick(), dt=0.1)
    assert g.room.phase == "choosing" and g.room.round == 1 and g.room.deadline == g.now + CHOOSE_TIME
    assert "state" in names(events)


def test_countdown_is_cancelled_below_two_connected_players_and_restarts() -> None:
    g = public_game()
    g.join("Ann", "Bob")
    assert g.room.deadline is not None
    g.do(Disconnect("pbob", conn="c-pbob", grace=60), dt=3)
    assert g.room.deadline is None
    g.do(Tick(), dt=LOBBY_COUNTDOWN)
    assert g.room.phase == "lobby"
    g.do(Rejoin("pbob", conn="c2"), dt=1)
    assert g.room.deadline == g.now + LOBBY_COUNTDOWN
    g.do(Leave("pbob"), dt=1)
    assert g.room.deadline is None and g.room.phase == "lobby"


def test_private_lobby_never_starts_itself_and_going_private_cancels() -> None:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    assert g.room.deadline is None
    g.do(Tick(), dt=10 * LOBBY_COUNTDOWN)
    assert g.room.phase == "lobby"
    g = public_game()
    g.join("Ann", "Bob")
    g.do(UpdateSettings("pann", {"public": False}))
    assert g.room.deadline is None


def test_host_may_start_before_the_countdown() -> None:
    g = public_game()
    g.join("Ann", "Bob")
    g.do(StartGame("pann"), dt=2)
    assert g.room.phase == "choosing" and g.room.deadline == g.now + CHOOSE_TIME


def test_back_in_the_lobby_after_a_game_the_countdown_runs_again() -> None:
    g = public_game()
    g.join("Ann", "Bob")
    g.do(StartGame("pann"))
    for _ in range(2):  # both turns time out
        g.do(Tick(), dt=CHOOSE_TIME)
        g.do(Tick(), dt=g.room.turn.draw_time)
        g.do(Tick(), dt=TURN_END_TIME)
    assert g.room.phase == "game_end"
    g.do(Tick(), dt=GAME_END_TIME)
    assert g.room.phase == "lobby" and g.room.deadline == g.now + LOBBY_COUNTDOWN
    g.do(Tick(), dt=LOBBY_COUNTDOWN)
    assert g.room.phase == "choosing" and g.room.game == 2


def drawing_game() -> Game:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(StartGame("pann"))
    return g


def test_drawer_who_disconnects_while_drawing_ends_the_turn_after_the_grace() -> None:
    g = drawing_game()
    g.do(ChooseWord("pann", 0))
    word = g.word
    events = g.do(Disconnect("pann", conn="c-pann", grace=60), dt=5)
    due = g.now + DRAWER_GRACE
    assert g.room.phase == "drawing" and g.room.turn.drawer_away_until == due
    assert next_deadline(g.room) == g.now + HOST_GRACE  # Ann hosts too: her host grace is due first
    assert {e.data["turn"]["drawer_away_until"] for e in events if e.name == "state"} == {due}
    g.do(Tick(), dt=HOST_GRACE)
    assert g.room.host_id == "pbob" and next_deadline(g.room) == due
    g.do(Tick(), dt=DRAWER_GRACE - HOST_GRACE - 0.1)
    assert g.room.phase == "drawing"
    events = g.do(Tick(), dt=0.1)
    ended = [e.data for e in events if e.name == "turn_ended"]
    assert ended == [{"word": word, "reason": "drawer_left", "deltas": {}}]
    assert g.room.phase == "turn_end" and g.room.deadline == g.now + TURN_END_TIME
    assert g.room.player("pann") is not None, "the seat itself keeps its longer reconnection grace"
    g.do(Tick(), dt=TURN_END_TIME)
    assert g.room.phase == "choosing" and g.room.turn.drawer_id == "pbob"


def test_drawer_who_disconnects_while_choosing_is_skipped() -> None:
    g = drawing_game()
    choices = g.room.turn.choices
    g.do(Disconnect("pann", conn="c-pann", grace=60), dt=1)
    events = g.do(Tick(), dt=DRAWER_GRACE)
    assert [e.data for e in events if e.name == "turn_ended"] == [
        {"word": None, "reason": "drawer_left", "deltas": {}}
    ]
    assert g.room.deadline == g.now + TURN_END_TIME < g.now + CHOOSE_TIME
    g.do(Tick(), dt=TURN_END_TIME)
    assert g.room.phase == "choosing" and g.room.turn.drawer_id == "pbob"
    assert not set(g.room.turn.choices) & set(choices), "the absent drawer saw those words"


def test_drawer_who_rejoins_within_the_grace_plays_on() -> None:
    g = drawing_game()
    g.do(ChooseWord("pann", 0))
    deadline = g.room.deadline
    g.do(Disconnect("pann", conn="c-pann", grace=60), dt=2)
    g.do(Rejoin("pann", conn="c2"), dt=DRAWER_GRACE - 1)
    assert g.room.turn.drawer_away_until is None
    g.do(Tick(), dt=5)
    assert g.room.phase == "drawing" and g.room.deadline == deadline
    g.do(Tick(), dt=deadline - g.now)
    assert [g.room.phase, g.room.turn.word is not None] == ["turn_end", True]


def test_a_guesser_disconnecting_does_not_start_the_drawer_grace() -> None:
    g = drawing_game()
    g.do(ChooseWord("pann", 0))
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))
    assert g.room.turn.drawer_away_until is None


def test_all_guessers_gone_the_turn_runs_out() -> None:
    g = drawing_game()
    g.do(ChooseWord("pann", 0))
    deadline = g.room.deadline
    g.do(Disconnect("pbob", conn="c-pbob", grace=200))
    g.do(Disconnect("pcy", conn="c-pcy", grace=200))
    assert g.room.phase == "drawing" and g.room.deadline == deadline and next_deadline(g.room) <= deadline
    events = g.do(Tick(), dt=deadline - g.now)  # hints and the turn's end all fire
    assert [e.data["reason"] for e in events if e.name == "turn_ended"] == ["time"]
    g.do(Tick(), dt=TURN_END_TIME)
    # Only the drawer is connected: the absent guessers are skipped as drawers (not marked as having drawn).
    assert [g.room.phase, g.room.round, g.room.turn.drawer_id] == ["choosing", 2, "pann"]
    assert g.room.deadline == g.now + CHOOSE_TIME


def test_late_joiner_gets_no_points_for_nothing_and_drawer_cannot_guess() -> None:
    g = drawing_game()
    g.do(ChooseWord("pann", 0))
    word = g.word
    try:
        g.do(Chat("pann", word))
        raise AssertionError("the drawer said the word")
    except GameError as exc:
        assert exc.code == "word_in_chat"
    g.do(Join("pdee", "Dee", conn="c-pdee"), dt=10)
    assert g.room.player("pdee").score == 0 and g.room.player("pdee").guessed_at is None
    g.do(Chat("pbob", word))
    g.do(Chat("pcy", word))
    assert g.room.phase == "drawing", "the late joiner still guesses: the turn stays open for them"
    g.do(Chat("pdee", word), dt=1)
    assert g.room.phase == "turn_end" and g.room.turn.deltas["pdee"] > 0
