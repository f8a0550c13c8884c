"""The handlers on fakes (tests/handlers/harness.py): claims, a draw batch and a turn deadline, with a fake
clock instead of sleeps and a fake emitter instead of sockets."""

from __future__ import annotations

from typing import Any

from game_server.core.ai import AI_ID, AI_LEVELS
from game_server.core.race import RACE_TIME

from .harness import STROKE, Harness


async def classic_turn(h: Harness, **settings: Any) -> tuple[str, str, str, str, str]:
    """Ann creates a room, Bob joins, the game starts and the drawer picks a word.
    Returns (code, turn key, word, drawer sid, guesser sid)."""
    created = await h.ok("a", "create_room", {"name": "Ann", "settings": settings})
    code = created["code"]
    await h.ok("b", "join_room", {"code": code, "name": "Bob"})
    await h.ok("a", "start_game")
    room = await h.room(code)
    sids = {created["player_id"]: "a", **{p.id: "b" for p in room.players if p.id != created["player_id"]}}
    drawer = sids[room.drawer_id]
    word = (await h.ok(drawer, "choose_word", {"index": 0}))["word"]
    room = await h.room(code)
    assert room.turn is not None
    return code, room.turn.key, word, drawer, "b" if drawer == "a" else "a"


def claim(turn: str, word: str, count: int = 1, prob: float = 0.9) -> dict[str, Any]:
    return {"turn": turn, "stroke_count": count, "guesses": [{"label": word, "prob": prob}]}


async def test_a_draw_batch_is_stored_and_relayed_to_the_others_only() -> None:
    h = Harness()
    code, key, _, drawer, guesser = await classic_turn(h)
    assert (await h.ok(drawer, "draw", {"seq": 0, "ops": [STROKE], "turn": key}))["index"] == 0
    assert await h.ctx.store.get_strokes(code, key) == [STROKE]
    assert [d["ops"] for d in h.received(guesser, "draw")] == [[STROKE]]
    assert h.received(drawer, "draw") == []
    # The same seq again is a duplicate, stored once.
    assert (await h.ok(drawer, "draw", {"seq": 0, "ops": [STROKE], "turn": key}))["dup"] is True
    assert await h.ctx.store.get_strokes(code, key) == [STROKE]
    refused = await h.send(guesser, "draw", {"seq": 0, "ops": [STROKE], "turn": key})
    assert refused["ok"] is False and refused["error"]["code"] == "not_allowed"


async def test_a_claim_is_too_early_then_verified_and_the_ai_scores() -> None:
    h = Harness()
    code, key, word, drawer, guesser = await classic_turn(h, ai_level="normal")
    h.verifier.sees = word
    await h.ok(drawer, "draw", {"seq": 0, "ops": [STROKE], "turn": key})
    early = await h.ok(drawer, "ai_guess", claim(key, word))
    delay = AI_LEVELS["normal"].delay
    assert (early["verdict"], early["reason"], early["wait_s"]) == ("none", "too_early", delay)
    assert h.verifier.runs == []  # no model run before the level's delay
    # The drawer's guesses are relayed at once, the word masked for the guesser.
    assert h.received(guesser, "ai_guess")[-1]["guesses"] == [{"label": None, "prob": 0.9}]
    h.clock.t += delay
    ack = await h.ok(drawer, "ai_guess", claim(key, word))
    assert (ack["verdict"], ack["reason"], ack["scored"]) == ("verified", "verified", True)
    assert [g["player_id"] for g in h.received(guesser, "guessed")] == [AI_ID]
    room = await h.room(code)
    assert room.player(AI_ID).guessed_at is not None  # type: ignore[union-attr]
    again = await h.ok(drawer, "ai_guess", claim(key, word))
    assert (again["verdict"], again["reason"]) == ("none", "already_recognized")
    assert h.metric("ai_recognitions_total") == 1


async def test_forged_claims_are_rejected_then_the_sender_cools_down() -> None:
    h = Harness()
    code, key, word, drawer, guesser = await classic_turn(h, ai_level="hard")
    h.verifier.sees = "cat" if word != "cat" else "dog"  # the server's model disagrees
    await h.ok(drawer, "draw", {"seq": 0, "ops": [STROKE], "turn": key})
    before = await h.ctx.store.load(code)
    reasons = [(await h.ok(drawer, "ai_guess", claim(key, word, count)))["reason"] for count in (1, 5)]
    assert reasons == ["server_disagrees", "unknown_stroke_count"]
    # Not the drawer: rejected whatever the word, so the answer is no oracle for it.
    other = await h.ok(guesser, "ai_guess", claim(key, "cat"))
    assert (other["verdict"], other["reason"]) == ("rejected", "not_owner")
    assert (await h.ok(guesser, "ai_guess", claim(key, word)))["reason"] == "not_owner"
    # The drawer's third forgery (a replayed turn key) trips the cool-down: even a fine claim is refused.
    assert (await h.ok(drawer, "ai_guess", claim("g0-r9-t9", word)))["reason"] == "wrong_turn"
    h.verifier.sees = word
    refused = await h.send(drawer, "ai_guess", claim(key, word))
    assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
    assert await h.ctx.store.load(code) == before  # nothing scored, nothing changed
    h.clock.t += 30.0  # claims.ForgeryPolicy.cooldown
    assert (await h.ok(drawer, "ai_guess", claim(key, word)))["scored"] is True


async def test_a_turn_deadline_fires_once() -> None:
    h = Harness()
    code, _, _, drawer, guesser = await classic_turn(h, draw_time=30, hints=0)  # no hint deadlines
    room = await h.room(code)
    assert room.deadline == h.clock.t + 30
    assert await h.tick(room.deadline - h.clock.t - 0.01) == []  # not yet
    assert await h.tick(0.01) == [code]
    assert await h.tick() == []  # re-armed for the next phase, not fired twice
    assert len(h.received(guesser, "turn_ended")) == len(h.received(drawer, "turn_ended")) == 1


async def test_race_claims_take_the_same_road() -> None:
    h = Harness()
    created = await h.ok("a", "create_room", {"name": "Ann", "settings": {"mode": "race"}})
    code = created["code"]
    await h.ok("b", "join_room", {"code": code, "name": "Bob"})
    await h.ok("a", "start_game")
    room = await h.room(code)
    assert room.turn is not None and room.turn.word is not None
    key, word = room.turn.key, room.turn.word
    h.verifier.sees = word
    unsure = await h.ok("a", "ai_guess", claim(key, word, prob=0.3))
    assert (unsure["verdict"], unsure["reason"]) == ("none", "not_a_claim")
    # Relayed unmasked: the prompt is public.
    assert h.received("b", "ai_guess")[-1]["guesses"] == [{"label": word, "prob": 0.3}]
    await h.ok("a", "draw", {"seq": 0, "ops": [STROKE], "turn": key})
    ack = await h.ok("a", "ai_guess", claim(key, word))
    assert (ack["verdict"], ack["scored"], ack["place"]) == ("verified", True, 1)
    assert [e["player_id"] for e in h.received("b", "race_recognized")] == [created["player_id"]]
    again = await h.ok("a", "ai_guess", claim(key, word))
    assert (again["reason"], again["place"]) == ("already_recognized", 1)
    assert h.metric("race_recognitions_total") == 1
    await h.tick(RACE_TIME)
    late = await h.send("b", "ai_guess", claim(key, word))
    assert late["ok"] is False and late["error"]["code"] == "wrong_phase"  # late: not a forgery
