"""The claim policy of both modes (core/claims.py `plan`): what an `ai_guess` is before any model runs."""

from __future__ import annotations

import pytest

from game_server.core import ChooseWord, GameError, Settings, StartGame, Tick, new_room
from game_server.core.ai import AI_ID, AI_LEVELS
from game_server.core.claims import CLAIM_THRESHOLD, Claim, Verify, plan
from game_server.core.race import RACE_TIME, log_key

from .support import Game


def classic(level: str = "hard") -> tuple[Game, str, str]:
    g = Game(room=new_room("CLAIMS0000", Settings(ai_player=True, ai_level=level)))
    g.join("Ann", "Bob")
    g.do(StartGame("pann"))
    g.do(ChooseWord(g.room.turn.drawer_id, 0))  # type: ignore[union-attr]
    return g, g.room.turn.key, g.room.drawer_id  # type: ignore[union-attr, return-value]


def race() -> tuple[Game, str]:
    g = Game(room=new_room("CLAIMS0000", Settings(mode="race")))
    g.join("Ann", "Bob")
    g.do(StartGame("pann"))
    return g, g.room.turn.key  # type: ignore[union-attr]


def says(turn: str, label: str, prob: float = 0.9, count: int = 1) -> Claim:
    return Claim(turn, count, ((label, prob),))


def refused(g: Game, sender: str, claim: Claim, code: str) -> None:
    with pytest.raises(GameError) as err:
        plan(g.room, sender, claim, g.now)
    assert err.value.code == code


def test_classic_the_drawers_claim_is_relayed_masked_and_verified_at_the_level() -> None:
    g, key, drawer = classic("hard")
    todo = plan(g.room, drawer, says(key, g.word), g.now)  # type: ignore[arg-type]
    assert todo.verify == Verify(key, drawer, key, g.word, AI_LEVELS["hard"].threshold)  # type: ignore[arg-type]
    assert [e.data["guesses"][0]["label"] for e in todo.relay if drawer not in e.to.players] == [None]


def test_classic_below_the_level_is_a_live_view_and_before_the_delay_too_early() -> None:
    g, key, drawer = classic("easy")
    unsure = plan(g.room, drawer, says(key, g.word, 0.65), g.now)  # type: ignore[arg-type]
    assert unsure.ack == {"verdict": "none", "reason": "not_a_claim"} and unsure.relay
    early = plan(g.room, drawer, says(key, g.word), g.now)  # type: ignore[arg-type]
    assert early.ack == {"verdict": "none", "reason": "too_early", "wait_s": AI_LEVELS["easy"].delay}
    assert early.verify is None and early.relay  # relayed all the same


def test_classic_a_guessers_answer_never_depends_on_the_word() -> None:
    g, key, drawer = classic()
    bob = next(p.id for p in g.room.players if p.id not in (drawer, AI_ID))
    for label in (g.word, "bicycle"):
        todo = plan(g.room, bob, says(key, label), g.now)  # type: ignore[arg-type]
        assert todo.relay == [] and todo.verify is not None and todo.verify.owner == drawer
    for label in (g.word, "bicycle"):
        refused(g, bob, says(key, label, CLAIM_THRESHOLD - 0.1), "not_allowed")  # type: ignore[arg-type]


def test_replays_late_claims_and_noise_about_other_turns() -> None:
    g, key, drawer = classic()
    replay = plan(g.room, drawer, says("g0-r9-old", g.word), g.now)  # type: ignore[arg-type]
    assert replay.verify is not None and replay.verify.turn == key and replay.verify.owner is None
    refused(g, drawer, says("g0-r9-old", "cat", 0.2), "wrong_phase")
    rg, rkey = race()
    rg.do(Tick(), dt=RACE_TIME)  # the prompt is over: a claim on it is late, not a forgery
    refused(rg, "pann", says(rkey, rg.room.turn.word), "wrong_phase")  # type: ignore[union-attr, arg-type]


def test_race_every_player_owns_their_drawing_and_a_claim_is_relayed_only_once_verified() -> None:
    g, key = race()
    word = g.room.turn.word  # type: ignore[union-attr]
    todo = plan(g.room, "pbob", says(key, word), g.now)  # type: ignore[arg-type]
    assert todo.relay == []
    assert todo.verify == Verify(key, "pbob", log_key(g.room, "pbob"), word, CLAIM_THRESHOLD)  # type: ignore[arg-type]
    live = plan(g.room, "pbob", says(key, word, 0.3), g.now)  # type: ignore[arg-type]
    assert live.ack == {"verdict": "none", "reason": "not_a_claim"}
    assert [e.data["guesses"] for e in live.relay] == [[{"label": word, "prob": 0.3}]]
