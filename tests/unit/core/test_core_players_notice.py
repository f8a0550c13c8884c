"""What players noticed (issue 13), in the pure core: the host's view of the custom words, `custom_only`
refusals that say why, spectators' chat audiences, the host's reconnection grace."""

from __future__ import annotations

from game_server.core import Join, UpdateSettings

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
