"""Seats through the pure core: spectators, reconnection grace, host transfer, kick, votekick."""

from __future__ import annotations

from game_server.core import (
    Chat,
    ChooseWord,
    Disconnect,
    Join,
    Kick,
    Leave,
    Rejoin,
    StartGame,
    Tick,
    TransferHost,
    UpdateSettings,
    VoteKick,
    next_deadline,
)
from game_server.core.state import MAX_SPECTATORS

from .support import Game, names


def game_of(*who: str) -> Game:
    g = Game()
    g.join(*who)
    return g


def test_max_players_and_spectators() -> None:
    g = game_of("Ann", "Bob")
    g.do(UpdateSettings("pann", {"max_players": 2}))
    g.refuse(Join("pcy", "Cy"), "room_full")
    g.do(Join("s1", "Watcher", spectate=True))
    assert [s.id for s in g.room.spectators] == ["s1"]
    g.refuse(Join("s1", "Again", spectate=True), "already_in_room")
    for i in range(2, MAX_SPECTATORS + 1):
        g.do(Join(f"s{i}", "W", spectate=True))
    g.refuse(Join("sx", "W", spectate=True), "spectators_full")


def test_spectators_cannot_play() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.do(Join("sz", "Zed", spectate=True))
    g.refuse(StartGame("sz"), "not_host")
    g.refuse(VoteKick("sz", "pbob"), "not_allowed")
    g.do(StartGame("pann"))
    g.refuse(ChooseWord("sz", 0), "not_allowed")
    g.do(ChooseWord("pann", 0))
    events = g.do(Chat("sz", g.word))
    assert names(events) == ["chat"]
    assert all(p.score == 0 for p in g.room.players)


def test_disconnect_keeps_the_seat_for_the_grace_period_then_frees_it() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))
    bob = g.room.player("pbob")
    assert not bob.connected and bob.away_until == g.now + 60
    assert next_deadline(g.room) == g.now + 60
    g.do(Tick(), dt=59)
    assert g.room.player("pbob") is not None
    g.do(Rejoin("pbob", conn="c2"))
    assert g.room.player("pbob").connected and g.room.player("pbob").away_until is None
    assert next_deadline(g.room) is None
    g.do(Disconnect("pbob", conn="c2", grace=60))
    events = g.do(Tick(), dt=60)
    assert g.room.player("pbob") is None
    left = next(e for e in events if e.name == "player_left")
    assert left.data["reason"] == "timeout"
    g.refuse(Rejoin("pbob", conn="c3"), "session_expired")


def test_rejoin_restores_score_and_a_stale_disconnect_is_ignored() -> None:
    g = game_of("Ann", "Bob")
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    g.do(Chat("pbob", g.word))
    score = g.room.player("pbob").score
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))
    g.do(Rejoin("pbob", conn="new"))
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))  # the old connection closing late
    bob = g.room.player("pbob")
    assert bob.connected and bob.score == score and bob.conn == "new"


def test_turn_ends_early_when_the_only_pending_guesser_drops() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    g.do(Chat("pbob", g.word))
    g.do(Disconnect("pcy", conn="c-pcy", grace=60))
    assert g.room.phase == "turn_end"


def test_disconnected_players_are_skipped_as_drawer() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.do(Disconnect("pbob", conn="c-pbob", grace=600))
    g.do(StartGame("pann"))
    g.do(Tick(), dt=15)
    g.do(Tick(), dt=80)
    g.do(Tick(), dt=5)
    assert g.room.turn.drawer_id == "pcy"


def test_host_transfer_on_leave_and_explicitly() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.refuse(TransferHost("pbob", "pcy"), "not_host")
    g.refuse(TransferHost("pann", "pann"), "not_allowed")
    g.refuse(TransferHost("pann", "nobody"), "unknown_player")
    g.do(TransferHost("pann", "pcy"))
    assert g.room.host_id == "pcy"
    g.do(Disconnect("pann", conn="c-pann", grace=60))
    g.do(Leave("pcy"))
    assert g.room.host_id == "pbob"  # the connected player is preferred
    g.do(Leave("pbob"))
    assert g.room.host_id == "pann"
    g.do(Leave("pann"))
    assert g.room.host_id is None and g.room.players == ()


def test_host_kick() -> None:
    g = game_of("Ann", "Bob", "Cy")
    g.do(Join("sz", "Zed", spectate=True))
    g.refuse(Kick("pbob", "pcy"), "not_host")
    g.refuse(Kick("pann", "pann"), "not_allowed")
    g.refuse(Kick("pann", "nobody"), "unknown_player")
    events = g.do(Kick("pann", "pcy"))
    kicked = next(e for e in events if e.name == "kicked")
    assert kicked.to.players == frozenset({"pcy"}) and not kicked.to.spectators
    left = next(e for e in events if e.name == "player_left")
    assert left.data["reason"] == "kicked" and "pcy" not in left.to.players
    g.do(Kick("pann", "sz"))
    assert g.room.spectators == ()


def test_votekick_needs_a_strict_majority_of_the_others() -> None:
    g = game_of("Ann", "Bob", "Cy", "Dee", "Eve")
    g.refuse(VoteKick("pbob", "pbob"), "not_allowed")
    g.refuse(VoteKick("pbob", "nobody"), "unknown_player")
    events = g.do(VoteKick("pbob", "peve"))
    cast = next(e for e in events if e.name == "vote_kick")
    assert cast.data == {"target_id": "peve", "voter_id": "pbob", "votes": 1, "needed": 3}
    g.refuse(VoteKick("pbob", "peve"), "already_voted")
    g.do(VoteKick("pcy", "peve"))
    assert g.room.player("peve") is not None and g.room.votes == {"peve": ("pbob", "pcy")}
    events = g.do(VoteKick("pdee", "peve"))
    assert g.room.player("peve") is None and g.room.votes == {}
    assert next(e for e in events if e.name == "player_left").data["reason"] == "votekick"
    g.do(Leave("pdee"))
    g.do(Leave("pcy"))
    g.refuse(VoteKick("pann", "pbob"), "not_enough_players")


def test_votes_of_a_leaving_voter_are_dropped() -> None:
    g = game_of("Ann", "Bob", "Cy", "Dee")
    g.do(VoteKick("pbob", "pdee"))
    g.do(Leave("pbob"))
    assert g.room.votes == {}


def test_an_ai_pseudo_player_guesses_but_never_draws_hosts_or_holds_a_turn_open() -> None:
    # The AI seat itself is automatic (settings.ai_player, tests/unit/core/test_core_ai.py); a player of
    # kind "ai" joined by hand follows the same rules.
    g = Game()
    g.join("Ann", "Bob")
    g.do(Join("bot", "Bot", kind="ai"))
    assert g.room.host_id == "pann"
    g.do(StartGame("pann"))
    drawers = set()
    for _ in range(6):
        drawers.add(g.room.turn.drawer_id)
        g.do(Tick(), dt=15)
        g.do(Tick(), dt=80)
        g.do(Tick(), dt=5)
        if g.room.phase != "choosing":
            break
    assert drawers == {"pann", "pbob"}
    g.refuse(TransferHost(g.room.host_id, "bot"), "not_allowed")
    g.refuse(Kick(g.room.host_id, "bot"), "not_allowed")
    g.do(TransferHost(g.room.host_id, "pbob"))
    g.do(Leave("pann"))
    assert g.room.host_id == "pbob"


def test_one_human_drawing_for_the_ai() -> None:
    from game_server.core.chat import correct_guess
    from game_server.core.env import Env

    g = Game()
    g.join("Ann", "Bob")
    g.do(Join("bot", "Bot", kind="ai"))
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))  # Bob is away (a reload): only the AI guesses now
    room, events = correct_guess(g.room, "bot", Env(now=g.now + 10, rng=g.rng))
    assert room.turn.winner == "ai" and room.player("pann").score > 0  # the AI's turn, the drawer's points
    # ...but Bob is only away, within his grace: his turn is not taken from him by the AI's guess.
    assert room.phase == "drawing" and "turn_ended" not in names(events)
