"""Likes (core/likes.py): guessers rate the turn's drawing once; the room sees the totals; nothing scores."""

from __future__ import annotations

from game_server.core import Chat, ChooseWord, Join, Like, Settings, StartGame, Tick, new_room

from .support import Game


def game() -> Game:
    g = Game(room=new_room("LIKES00000", Settings(ai_level="hard")))
    g.join("Ann", "Bob", "Cy")
    g.do(Join("szoe", "Zoe", conn="c-szoe", spectate=True))
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    return g


def test_guessers_rate_once_and_the_room_sees_the_totals_without_any_points() -> None:
    g = game()
    key = g.room.turn.key
    scores = {p.id: p.score for p in g.room.players}
    events = g.do(Like("pbob", key, True))
    assert [(e.name, e.data, e.to.spectators) for e in events] == [
        ("liked", {"turn": key, "player_id": "pbob", "name": "Bob", "like": True, "likes": 1, "dislikes": 0},
         True)]
    assert "pann" in events[0].to.players  # the drawer sees it
    g.refuse(Like("pbob", key, False), "not_allowed")  # once per turn
    assert g.do(Like("pcy", key, False))[0].data == {
        "turn": key, "player_id": "pcy", "name": "Cy", "like": False, "likes": 1, "dislikes": 1}
    assert {p.id: p.score for p in g.room.players} == scores  # never a score lever
    assert g.room.turn.winner is None and g.room.rival == {"humans": 0, "ai": 0}


def test_who_may_rate_and_when() -> None:
    g = game()
    key = g.room.turn.key
    g.refuse(Like("pann", key, True), "not_allowed")  # the drawer
    g.refuse(Like("szoe", key, True), "not_allowed")  # a spectator
    g.refuse(Like("nobody", key, True), "not_in_room")
    g.refuse(Like("pbob", "g0-r0-t0", True), "wrong_phase")  # another turn
    g.do(Chat("pbob", g.word), dt=2)
    g.do(Chat("pcy", g.word), dt=2)  # the turn ends: rating stays open during the reveal
    assert g.room.phase == "turn_end"
    assert g.do(Like("pbob", key, True))[0].data["likes"] == 1
    g.do(Tick(), dt=6)  # the next turn: the old one cannot be rated any more
    g.refuse(Like("pcy", key, True), "wrong_phase")
    assert g.room.turn.likes == {}
