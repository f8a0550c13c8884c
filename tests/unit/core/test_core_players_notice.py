"""What players noticed (issue 13), in the pure core: the host's view of the custom words, `custom_only`
refusals that say why, spectators' chat audiences, the host's reconnection grace."""

from __future__ import annotations

from game_server.core import AiGuess, ChooseWord, Join, StartGame, UpdateSettings

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
