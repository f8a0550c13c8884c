"""What players noticed (issue 13), in the pure core: the host's view of the custom words, `custom_only`
refusals that say why, spectators' chat audiences, the host's reconnection grace."""

from __future__ import annotations

from game_server.core import (
    AiGuess,
    AiRecognized,
    Chat,
    ChooseWord,
    DrawBatch,
    Join,
    RaceRecognized,
    Settings,
    StartGame,
    Tick,
    UpdateSettings,
    new_room,
    room_from_dict,
    room_to_dict,
)
from game_server.core.chat import chat_record, visible_chat
from game_server.core.events import view

from .support import Game


def _states_to(events: list, pid: str) -> list[dict]:
    return [e.data for e in events if e.name == "state" and pid in e.to.players]


def test_host_keeps_seeing_the_custom_words_after_joins() -> None:
    g = Game()
    g.join("Ann")
    g.do(UpdateSettings("pann", {"custom_words": ["zebra", "koala", "hot dog", "yak"]}))
    for name in ("Bob", "Cy"):
        events = g.do(Join(f"p{name.lower()}", name))
        (host_view,) = _states_to(events, "pann")  # exactly one view reaches the host
        assert host_view["settings"]["custom_words"] == ["zebra", "koala", "hot dog", "yak"]
        (guest_view,) = _states_to(events, "pbob")
        assert guest_view["settings"]["custom_words"] is None
        assert guest_view["settings"]["custom_word_count"] == 4
    events = g.do(UpdateSettings("pann", {"custom_words": ["zebra", "koala", "yak"], "custom_only": True}))
    (host_view,) = _states_to(events, "pann")
    assert host_view["settings"]["custom_words"] == ["zebra", "koala", "yak"]
    assert host_view["settings"]["custom_only"] is True


def test_custom_only_refusal_says_why() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(UpdateSettings("pann", {"custom_words": ["zebra", "koala"]}))
    try:
        g.do(UpdateSettings("pann", {"custom_only": True}))
    except Exception as exc:  # GameError
        assert exc.code == "bad_request" and "at least 3" in exc.message and "has 2" in exc.message
    else:
        raise AssertionError("custom_only with 2 words for 3 choices was accepted")
    assert g.room.settings.custom_only is False


def test_a_drawer_whose_ai_is_loading_tells_the_room_without_guesses() -> None:
    g = Game()
    g.join("Ann", "Bob")
    g.do(Join("szoe", "Zoe", spectate=True))
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    key = g.room.turn.key
    events = g.do(AiGuess("pann", key, 0, (), None, "loading", 0.4))
    (relay,) = [e for e in events if e.name == "ai_guess"]
    assert relay.data["status"] == "loading" and relay.data["progress"] == 0.4 and relay.data["guesses"] == []
    assert "pbob" in relay.to.players and relay.to.spectators
    g.refuse(AiGuess("pann", key, 0, (), None, "sleepy"), "bad_request")
    g.refuse(AiGuess("pann", key, 0, (("zebra", 0.4),), None, "loading"), "bad_request")
    g.refuse(AiGuess("pbob", key, 0, (), None, "loading"), "not_allowed")  # only the drawer's AI


STROKE = {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 4,
          "points": [[10, 10], [50, 60]]}


def test_the_gallery_record_holds_the_servers_verified_recognition_until_the_next_game() -> None:
    g = Game(room=new_room("GALLERY000", Settings(ai_player=True, rounds=1, word_choices=1)))
    g.join("Ann", "Bob")
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    first = g.room.turn.key
    g.do(DrawBatch("pann", 0, (STROKE,)), dt=1.0)
    g.do(AiRecognized(first, 1, 0.8123456), dt=11.0)  # 12.0 s into the drawing, server time
    g.do(Tick(), dt=80)  # time's up for turn 1
    g.do(Tick(), dt=5)  # Bob's turn: chosen, nothing drawn, not recognized
    g.do(ChooseWord("pbob", 0))
    g.do(Tick(), dt=80)
    g.do(Tick(), dt=5)
    assert g.room.phase == "game_end"
    ann, bob = g.room.history
    assert ann["key"] == first and ann["drawer_id"] == "pann" and ann["log"] == first
    assert ann["ai"] == {"at_s": 12.0, "prob": 0.8123, "place": None}
    assert bob["drawer_id"] == "pbob" and bob["ai"] is None
    shown = view(g.room, g.now)["history"]
    assert shown == [ann, bob]  # the same record for everyone: no per-viewer times
    assert room_from_dict(room_to_dict(g.room)).history == g.room.history  # kept in the store's room
    g.do(Tick(), dt=10)  # back to the lobby: the gallery stays until the next game
    assert g.room.phase == "lobby" and view(g.room, g.now)["history"] == shown
    g.do(StartGame("pann"))
    assert g.room.history == () and view(g.room, g.now)["history"] is None


def test_race_gallery_has_one_entry_per_drawing_with_place_and_time() -> None:
    g = Game()
    g.join("Ann", "Bob")
    words = ["zebra", "koala", "yak"]
    g.do(UpdateSettings("pann", {"mode": "race", "custom_words": words, "custom_only": True}))
    g.do(StartGame("pann"))
    key = g.room.turn.key
    g.do(DrawBatch("pann", 0, (STROKE,)))
    g.do(DrawBatch("pbob", 0, (STROKE,)))
    g.do(RaceRecognized("pbob", key, 1, 0.7), dt=4.0)
    g.do(Tick(), dt=200)
    entries = {e["drawer_id"]: e for e in g.room.history}
    assert entries["pbob"]["ai"] == {"at_s": 4.0, "prob": 0.7, "place": 1}
    assert entries["pann"]["ai"] is None and entries["pann"]["log"] == f"{key}:pann"


def test_spectators_chat_during_drawing_reaches_only_spectators_and_knowers() -> None:


    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(Join("szoe", "Zoe", spectate=True))
    g.do(UpdateSettings("pann", {"custom_words": ["zebra", "koala", "yak"], "custom_only": True}))
    (lobby,) = [e for e in g.do(Chat("szoe", "hi all")) if e.name == "chat"]
    assert lobby.data["channel"] == "all" and lobby.to.players == {"pann", "pbob", "pcy"}
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    word = g.room.turn.word
    (spoiler,) = [e for e in g.do(Chat("szoe", f"it's a {word}!")) if e.name == "chat"]
    assert spoiler.data["channel"] == "spectators"
    assert spoiler.to.players == {"pann"} and spoiler.to.spectators  # the drawer knows; Bob and Cy don't
    g.do(Chat("pbob", word))  # Bob guesses: now he may read the spectators too
    (later,) = [e for e in g.do(Chat("szoe", "well done")) if e.name == "chat"]
    assert later.to.players == {"pann", "pbob"} and later.to.spectators


def test_recent_chat_after_a_rejoin_respects_who_may_read_each_channel() -> None:
    g = Game()
    g.join("Ann", "Bob", "Cy")
    g.do(Join("szoe", "Zoe", spectate=True))
    g.do(UpdateSettings("pann", {"custom_words": ["zebra", "koala", "yak"], "custom_only": True}))
    kept: list[dict] = []

    def say(pid: str, text: str) -> None:
        before = g.room
        kept.extend(chat_record(before, e) for e in g.do(Chat(pid, text)) if e.name == "chat")

    say("pbob", "hello")  # lobby: everyone
    g.do(StartGame("pann"))
    g.do(ChooseWord("pann", 0))
    word = g.room.turn.word
    say("pann", "easy one")  # the drawer: knowers
    say("szoe", f"a {word}?")  # a spectator while drawing: spectators and knowers
    say("pcy", "a horse?")  # a guess that missed: everyone
    texts = {pid: [m["text"] for m in visible_chat(g.room, pid, kept)] for pid in ("pann", "pbob", "szoe")}
    assert texts["pann"] == ["hello", "easy one", f"a {word}?", "a horse?"]
    assert texts["pbob"] == ["hello", "a horse?"]  # Bob does not know the word: nothing that could spoil it
    assert texts["szoe"] == ["hello", f"a {word}?", "a horse?"]
    assert all("turn" not in m for m in visible_chat(g.room, "pbob", kept))
    g.do(Chat("pbob", word))  # Bob guesses: now he may read it all
    assert [m["text"] for m in visible_chat(g.room, "pbob", kept)] == texts["pann"]
    g.do(Chat("pcy", word))  # the turn ends: its word is public, so is its chat
    assert [m["text"] for m in visible_chat(g.room, "pcy", kept)] == texts["pann"]
