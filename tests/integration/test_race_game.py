"""A race-mode game through the real server and three Socket.IO clients, decided by VERIFIED recognition.

Each client draws real Quick, Draw! drawings (tests/fixtures/verify_drawings.ndjson) and computes its own
claims the honest way a browser does: the Python rasterizer + onnxruntime on the shipped model. The prompts
are custom-only words picked at test time from the fixture drawings the current model recognizes, so the
test follows the model. Cy forges claims (an unrelated drawing, another player's drawing) and never scores;
the order of verified recognitions decides who wins.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from game_server.core.race import RACE_PROMPTS, RACE_RESULTS_TIME, RACE_TIME
from game_server.ratelimit import RateLimiter

from .conftest import Client, Server, start_server, stop_server

ort = pytest.importorskip("onnxruntime")

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
sys.path.insert(0, str(REPO / "tests" / "verify"))
from verify_helpers import google_to_ops, load_drawings  # noqa: E402

from doodle_raster import rasterize_ops  # noqa: E402

pytestmark = pytest.mark.skipif(not (MODELS / "doodle.onnx").exists(), reason="no shipped model")

CONFIDENT = 0.6  # well above the claim threshold (0.5), so a recognized drawing stays recognized
MAX_WORDS = 12  # prompts to draw from: a game needs 6


class Model:
    """What an honest browser runs: rasterize its own ops, run the same ONNX model."""

    def __init__(self) -> None:
        self.labels: list[str] = json.loads((MODELS / "doodle.json").read_text())["labels"]
        self.session = ort.InferenceSession(str(MODELS / "doodle.onnx"), providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name

    def probs(self, ops: list[dict]) -> np.ndarray:
        img = np.asarray(rasterize_ops(ops), dtype=np.float32).reshape(1, 1, 28, 28)
        return self.session.run(None, {self.input: img})[0][0]

    def guesses(self, ops: list[dict], k: int = 3) -> list[dict[str, Any]]:
        p = self.probs(ops)
        return [{"label": self.labels[i], "prob": float(p[i])} for i in np.argsort(-p, kind="stable")[:k]]


@pytest.fixture(scope="module")
def model() -> Model:
    return Model()


@pytest.fixture(scope="module")
def drawings(model: Model) -> dict[str, list[dict]]:
    """word -> ops of one fixture drawing the model recognizes (top-1 == word, p >= CONFIDENT)."""
    found: dict[str, tuple[float, list[dict]]] = {}
    for d in load_drawings():
        ops = google_to_ops(d["drawing"])
        p = model.probs(ops)
        if d["word"] not in found and model.labels[int(p.argmax())] == d["word"] and p.max() >= CONFIDENT:
            found[d["word"]] = (float(p.max()), ops)
    if len(found) < 3:
        pytest.skip(f"the model recognizes only {len(found)} fixture words confidently")
    # The most confident dozen: enough prompts for a game, and well within the custom-word limit.
    best = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:MAX_WORDS]
    return {word: ops for word, (_, ops) in best}


@pytest.fixture
async def server(tmp_path: Path, store_config: dict[str, Any]) -> AsyncIterator[Server]:
    """The server with the shipped model, on each store (memory, and Redis: store + fan-out)."""
    srv, runner = await start_server(tmp_path, models_dir=MODELS, **store_config)
    assert srv.ctx.verifier is not None, "the server must load models/doodle.onnx to verify claims"
    # A whole race plays in ~2 s of wall time here, far faster than people draw: lift the per-connection
    # ai_guess rate limit (its own tests cover it); the forgery cool-down (fake clock) stays in force.
    srv.ctx.runtime.limiters["ai"] = RateLimiter(1000, 1000)
    yield srv
    await stop_server(srv, runner)


def unrelated(drawings: dict[str, list[dict]], model: Model, word: str) -> list[dict]:
    """A real drawing the model does NOT read as `word`."""
    for other, ops in drawings.items():
        if other != word and model.labels[int(model.probs(ops).argmax())] != word:
            return ops
    raise AssertionError("no unrelated drawing")


async def draw_all(client: Client, turn: str, ops: list[dict]) -> None:
    for seq, start in enumerate(range(0, len(ops), 16)):
        ack = await client.ok("draw", {"seq": seq, "turn": turn, "ops": ops[start : start + 16]})
        assert "index" in ack


def claim(turn: str, count: int, guesses: list[dict], **extra: Any) -> dict[str, Any]:
    return {"turn": turn, "stroke_count": count, "guesses": guesses, **extra}


def forged_or_limited(ack: dict) -> bool:
    """A forged claim gets a `rejected` ack, or an error ack once the sender is cooling down."""
    if ack["ok"]:
        return ack["verdict"] == "rejected"
    return ack["error"]["code"] == "rate_limited"


async def test_race_game_is_won_by_verified_recognition(
    server: Server, model: Model, drawings: dict[str, list[dict]]
) -> None:
    words = sorted(drawings)
    ann, bob, cy = await server.client(), await server.client(), await server.client()
    settings = {"mode": "race", "custom_words": words, "custom_only": True, "word_choices": 1}
    code = (await ann.ok("create_room", {"name": "Ann", "settings": settings}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await ann.ok("start_game")
    cy_limited = 0
    sent = {c.player_id: 0 for c in (ann, bob, cy)}  # draw batches each player sent so far
    for n in range(RACE_PROMPTS):
        room = await server.room(code)
        assert room.phase == "drawing" and room.round == n + 1
        turn, word = room.turn.key, room.turn.word
        # Custom words are kept normalized (lower case); the model's label may be capitalized.
        label = next(w for w in words if w.lower() == word)
        for c in (ann, bob, cy):  # everyone was told the prompt
            started = await c.wait_event("turn_started", lambda d, k=turn: d["key"] == k)
            assert started["word"] == word and started["mode"] == "race"
        honest, fake = drawings[label], unrelated(drawings, model, label)
        last = n == RACE_PROMPTS - 1
        await asyncio.gather(draw_all(ann, turn, honest), draw_all(bob, turn, honest),
                             draw_all(cy, turn, honest if last else fake))
        for c, ops in ((ann, honest), (bob, honest), (cy, honest if last else fake)):
            sent[c.player_id] += -(-len(ops) // 16)
        # Everyone sees everyone's drawing as it comes, tagged with the player.
        for watcher in (ann, bob, cy):
            for other in {ann, bob, cy} - {watcher}:
                await watcher.wait_for(lambda w=watcher, o=other: len(
                    [d for d in w.named("draw") if d["player_id"] == o.player_id]) == sent[o.player_id])

        # A live (non-claim) guess is relayed to the others, tagged with the player.
        live = model.guesses(honest[:1])
        if not (live[0]["label"] == label and live[0]["prob"] >= 0.5):
            ack = await bob.ok("ai_guess", claim(turn, 1, live))
            assert ack["verdict"] == "none" and ack["reason"] == "not_a_claim"
            relay = await ann.wait_event("ai_guess", lambda d, t=turn: d["turn"] == t)
            assert relay["player_id"] == bob.player_id and relay["guesses"] == live

        if n < 3:  # Cy forges: "the AI sees the word" on an unrelated drawing, then on Bob's drawing
            forged = [{"label": label, "prob": 0.97}, {"label": model.labels[0], "prob": 0.01}]
            acks = [await cy.call("ai_guess", claim(turn, len(fake), forged)),
                    await cy.call("ai_guess", claim(turn, len(honest), model.guesses(honest),
                                                    player=bob.player_id))]
            assert all(forged_or_limited(a) for a in acks), acks
            cy_limited += sum(1 for a in acks if not a["ok"])
            reasons = {a["reason"] for a in acks if a["ok"]}
            assert reasons <= {"server_disagrees", "not_owner", "below_threshold", "unknown_stroke_count"}

        first, second = (bob, ann) if n < 4 else (ann, bob)
        ack = await first.ok("ai_guess", claim(turn, len(honest), model.guesses(honest)))
        assert (ack["verdict"], ack["scored"], ack["place"], ack["points"]) == ("verified", True, 1, 500), ack
        await server.tick(1.5)
        ack = await second.ok("ai_guess", claim(turn, len(honest), model.guesses(honest)))
        assert (ack["verdict"], ack["scored"], ack["place"], ack["points"]) == ("verified", True, 2, 400), ack
        again = await second.ok("ai_guess", claim(turn, len(honest), model.guesses(honest)))
        assert again["reason"] == "already_recognized" and again["verdict"] == "none"  # once per prompt
        for c in (ann, bob, cy):
            await c.wait_for(lambda c=c, t=turn: [d["place"] for d in c.named("race_recognized")
                                                  if d["turn"] == t] == [1, 2])

        if last:  # Cy drew honestly this time: the third verified recognition ends the prompt early
            ack = await cy.ok("ai_guess", claim(turn, len(honest), model.guesses(honest)))
            assert (ack["verdict"], ack["place"], ack["points"]) == ("verified", 3, 300), ack
            ended = await ann.wait_event("turn_ended", lambda d: d.get("results") and len(d["results"]) == 3)
            assert ended["reason"] == "all_guessed"
        else:
            await server.tick(RACE_TIME)
            await ann.wait_for(lambda k=n + 1: len(ann.named("turn_ended")) == k)
            ended = ann.named("turn_ended")[-1]
            assert ended["word"] == word and ended["reason"] == "time"
        assert [r["player_id"] for r in ended["results"][:2]] == [first.player_id, second.player_id]
        assert [r["points"] for r in ended["results"]][:2] == [500, 400]
        await server.tick(RACE_RESULTS_TIME)

    final = await ann.wait_event("game_ended")
    ranking = {r["id"]: (r["rank"], r["score"]) for r in final["ranking"]}
    assert ranking[bob.player_id] == (1, 4 * 500 + 2 * 400)
    assert ranking[ann.player_id] == (2, 4 * 400 + 2 * 500)
    assert ranking[cy.player_id] == (3, 300)  # forged claims earned nothing; the honest one did
    assert cy_limited >= 1  # repeated forgeries put Cy on a cool-down


async def test_a_late_spectator_gets_every_players_drawing_and_thumbnail_relays(
    server: Server, model: Model, drawings: dict[str, list[dict]]
) -> None:
    words = sorted(drawings)
    ann, bob = await server.client(), await server.client()
    settings = {"mode": "race", "custom_words": words, "custom_only": True, "word_choices": 1}
    code = (await ann.ok("create_room", {"name": "Ann", "settings": settings}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("start_game")
    room = await server.room(code)
    turn, word = room.turn.key, room.turn.word
    word = next(w for w in words if w.lower() == word)  # the model's label (custom words are lower case)
    await draw_all(ann, turn, drawings[word])
    await draw_all(bob, turn, unrelated(drawings, model, word))
    zoe = await server.client()
    ack = await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    assert ack["state"]["turn"]["word"] == word  # a race prompt is public
    players = ack["drawing"]["players"]
    assert players[ann.player_id] == drawings[word]
    assert players[bob.player_id] == unrelated(drawings, model, word)
    assert ack["state"]["turn"]["sketches"] == {}  # recognitions only: none yet
    assert ack["drawing"]["next_seqs"][ann.player_id] == (len(drawings[word]) + 15) // 16
    # A claim on a count the server never received, or replayed from another prompt, is refused; an
    # honest one is verified and relayed.
    bad = await ann.call("ai_guess", claim(turn, 999, model.guesses(drawings[word])))
    assert bad["ok"] and bad["verdict"] == "rejected" and bad["reason"] == "unknown_stroke_count"
    replay = await bob.call("ai_guess", claim("g0-r1-race", 1, [{"label": word, "prob": 0.9}]))
    assert replay["ok"] and (replay["verdict"], replay["reason"]) == ("rejected", "wrong_turn")
    ok = await ann.ok("ai_guess", claim(turn, len(drawings[word]), model.guesses(drawings[word])))
    assert ok["verdict"] == "verified" and ok["scored"] and ok["place"] == 1
    seen = await zoe.wait_event("ai_guess", lambda d: d["player_id"] == ann.player_id)
    assert seen["guesses"][0]["label"] == word
    assert (await server.room(code)).player(ann.player_id).score == 500
