"""The AI pseudo-player through the pure core: its seat, the masked relay of its guesses, its recognition."""

from __future__ import annotations

from game_server.core import (
    AiGuess,
    AiRecognized,
    Chat,
    ChooseWord,
    DrawBatch,
    Join,
    Kick,
    Leave,
    Settings,
    StartGame,
    TransferHost,
    UpdateSettings,
    VoteKick,
    new_room,
)
from game_server.core.ai import AI_ID
from game_server.core.events import view

from .support import Game, names

STROKE = {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 4,
          "points": [[10, 10], [50, 60]]}


def ai_game(*who: str, **settings: object) -> Game:
    settings.setdefault("ai_level", "hard")  # no claim delay: these tests are about the mechanics
    g = Game(room=new_room("AIROOM0000", Settings(**settings)))  # type: ignore[arg-type]
    g.join(*who)
    return g


def drawing(g: Game, word_index: int = 0) -> str:
    """Start the game, let the drawer choose, draw one stroke; returns the turn key."""
    g.do(StartGame(g.room.host_id))
    g.do(ChooseWord(g.room.turn.drawer_id, word_index))
    g.do(DrawBatch(g.room.turn.drawer_id, 0, (STROKE,)))
    return g.room.turn.key


def test_the_ai_sits_after_the_first_human_never_hosts_and_leaves_with_the_last_human() -> None:
    g = ai_game()
    assert g.room.players == ()
    g.join("Ann")
    assert [(p.id, p.kind) for p in g.room.players] == [("pann", "human"), (AI_ID, "ai")]
    assert g.room.host_id == "pann"
    g.join("Bob")
    g.do(Leave("pann"))
    assert g.room.host_id == "pbob"
    g.do(Leave("pbob"))
    assert g.room.players == ()  # no one left to keep the room: the shell deletes it
    assert g.room.host_id is None


def test_the_host_turns_the_ai_off_and_on_and_race_mode_has_none() -> None:
    g = ai_game("Ann")
    g.do(UpdateSettings("pann", {"ai_player": False}))
    assert [p.id for p in g.room.players] == ["pann"]
    g.do(UpdateSettings("pann", {"ai_player": True}))
    assert [p.id for p in g.room.players] == ["pann", AI_ID]
    assert view(g.room, g.now)["settings"]["ai_player"] is True
    g.do(UpdateSettings("pann", {"mode": "race"}))  # everyone draws in a race: no AI guesser seat
    assert [p.id for p in g.room.players] == ["pann"]


def test_the_ai_takes_no_seat_cannot_be_kicked_and_counts_for_nothing() -> None:
    g = ai_game("Ann", max_players=2)
    g.join("Bob")  # Ann, AI and Bob: the AI does not fill the second seat
    g.refuse(Join("pcy", "Cy"), "room_full")
    g.refuse(Kick("pann", AI_ID), "not_allowed")
    g.refuse(TransferHost("pann", AI_ID), "not_allowed")
    g.refuse(VoteKick("pbob", AI_ID), "not_allowed")
    g.refuse(VoteKick("pbob", "pann"), "not_enough_players")  # 2 humans: no votekick
    g.refuse(Chat(AI_ID, "hello"), "not_allowed")  # nobody speaks for the AI
    g.do(Leave("pbob"))
    g.refuse(StartGame("pann"), "not_enough_players")  # one human and the AI make no game


def test_ai_guess_relays_the_word_only_to_knowers() -> None:
    g = ai_game("Ann", "Bob", "Cy")
    g.do(Join("szoe", "Zoe", spectate=True))
    key = drawing(g)
    word = g.word
    events = g.do(AiGuess("pann", key, 1, ((word, 0.3), ("zebra", 0.2))))
    assert g.room == g.log[-1][0]  # nothing changes
    (relay,) = events
    assert relay.to.players == {"pbob", "pcy"} and relay.to.spectators
    assert relay.data == {"player_id": "pann", "turn": key, "stroke_count": 1,
                          "guesses": [{"label": None, "prob": 0.3}, {"label": "zebra", "prob": 0.2}]}
    g.do(Chat("pbob", word))
    masked, full = sorted(g.do(AiGuess("pann", key, 1, ((word, 0.3),))), key=lambda e: e.to.spectators)[::-1]
    assert masked.to.players == {"pcy"} and masked.data["guesses"] == [{"label": None, "prob": 0.3}]
    assert full.to.players == {"pbob"} and not full.to.spectators
    assert full.data["guesses"] == [{"label": word, "prob": 0.3}]
    g.refuse(AiGuess("pbob", key, 1, ((word, 0.9),)), "not_allowed")  # only the drawer's guesses
    g.refuse(AiGuess("szoe", key, 1, ((word, 0.9),)), "not_allowed")
    g.refuse(AiGuess("pann", "g0-r0-t0", 1, ((word, 0.9),)), "wrong_phase")


def test_ai_recognized_wins_the_turn_for_the_ai_and_only_once() -> None:
    g = ai_game("Ann", "Bob")
    key = drawing(g)
    events = g.do(AiRecognized(key, 1), dt=12.4)
    guessed = next(e for e in events if e.name == "guessed")
    assert guessed.data == {"player_id": AI_ID, "name": "AI", "points": 0, "at_s": 12.4,
                            "turn_won": "ai", "rival": {"humans": 0, "ai": 1}}
    assert g.room.player(AI_ID).score == 0 and g.room.player("pann").score == 50
    assert g.room.phase == "drawing"  # Bob still races it
    g.refuse(AiRecognized(key, 1), "not_allowed")  # the AI already guessed
    events = g.do(Chat("pbob", g.word))
    assert "turn_ended" in names(events)
    g.refuse(AiRecognized(key, 1), "wrong_phase")  # the turn is over


def test_ai_recognized_needs_strokes() -> None:
    # A count beyond the log is refused by the shell against the stored log (claims.check_context).
    g = ai_game("Ann", "Bob")
    key = drawing(g)
    g.refuse(AiRecognized(key, 0), "bad_request")


def test_without_the_ai_player_nothing_is_recognized() -> None:
    g = ai_game("Ann", "Bob", ai_player=False)
    key = drawing(g)
    g.refuse(AiRecognized(key, 1), "not_allowed")


def test_the_ais_guess_does_not_end_the_turn_of_a_guesser_who_is_only_away() -> None:
    """Bob reloads (away within his grace) while the AI names the drawing: his turn goes on, and ends
    once he is back and has guessed too (before, the AI's guess alone ended it during the reload)."""
    from game_server.core import Chat, Disconnect, Rejoin

    g = ai_game("Ann", "Bob")
    key = drawing(g)
    g.do(Disconnect("pbob", conn="c-pbob", grace=60))
    events = g.do(AiRecognized(key, 1))
    assert "guessed" in names(events) and "turn_ended" not in names(events)
    assert g.room.phase == "drawing"
    g.do(Rejoin("pbob", conn="c2-pbob"))
    events = g.do(Chat("pbob", g.room.turn.word))
    assert "turn_ended" in names(events)
