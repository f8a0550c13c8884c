"""The AI as a server-verified player, through the real server and real Socket.IO clients.

The drawer's browser is played by `Browser`: the Python rasterizer (doodle_raster, the parity-tested twin
of raster.js) and onnxruntime on the shipped models/doodle.onnx compute honest `ai_guess` payloads. Which
fixture drawings to use is decided at run time from what the CURRENT model recognizes (the model gets
retrained), and the rooms play custom-only words so the secret word is known.

Honest claims are verified and make the AI guess (`guessed` with at_s, the turn for the AI's side, drawer
points, humans race it; the room's AI level decides how sure and how soon); forged claims — the word on
an empty or unrelated drawing, a claim replayed from an earlier turn, a claim from a player who is not
the drawer, a stroke count the server never received, a flood — are rejected with nothing scored;
guessers and spectators never see the word in the relayed guesses.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest
from metric_values import metric_value
from verify.verify_helpers import google_to_ops, honest_payload, load_drawings

from doodle_raster import rasterize_ops
from game_server.claims import CLAIM_THRESHOLD
from game_server.core.ai import AI_ID, AI_LEVELS
from game_server.core.scoring import guess_points

from .audit import leaks
from .conftest import Client, Server, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
MARGIN = 0.05  # honest drawings must be recognized with p >= CLAIM_THRESHOLD + MARGIN
BATCH_OPS = 16


class Browser:
    """What the drawer's browser computes: its own top guesses for a prefix of its drawing."""

    def __init__(self) -> None:
        import onnxruntime as ort

        self.session = ort.InferenceSession(str(MODELS / "doodle.onnx"), providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        self.labels: list[str] = json.loads((MODELS / "doodle.json").read_text())["labels"]

    def probs(self, drawings: list[list[dict]]) -> np.ndarray:
        x = np.stack([rasterize_ops(ops) for ops in drawings])[:, None].astype(np.float32)
        return np.concatenate([self.session.run(None, {self.input: x[i : i + 64]})[0]
                               for i in range(0, len(x), 64)])

    def payload(self, turn: str, ops: list[dict], count: int | None = None) -> dict:
        count = len(ops) if count is None else count
        return honest_payload(self.probs([ops[:count]])[0], self.labels, turn, count)


@dataclass
class Picks:
    word: str  # a label the model recognizes in `ops` with high confidence; played as a custom word
    ops: list[dict]  # that drawing, as the drawer's ops
    prob: float
    unrelated: list[dict]  # a drawing the model reads as something else (the word's p < 0.05)


@pytest.fixture(scope="module")
def browser() -> Browser:
    if not (MODELS / "doodle.onnx").exists() or not (MODELS / "doodle.json").exists():
        pytest.skip("models/doodle.onnx is not there yet (train and export the model first)")
    return Browser()


@pytest.fixture(scope="module")
def picks(browser: Browser) -> Picks:
    drawings = [d for d in load_drawings() if re.fullmatch(r"[a-z]+( [a-z]+)*", d["word"])]
    ops = [google_to_ops(d["drawing"]) for d in drawings]
    probs = browser.probs(ops)
    index = {label: i for i, label in enumerate(browser.labels)}
    best = [(float(p.max()), i) for i, (d, p) in enumerate(zip(drawings, probs, strict=True))
            if browser.labels[int(p.argmax())] == d["word"] and p.max() >= CLAIM_THRESHOLD + MARGIN]
    if not best:
        pytest.skip(f"the current model recognizes no fixture drawing with p >= {CLAIM_THRESHOLD + MARGIN}")
    prob, i = max(best)
    word = drawings[i]["word"]
    unrelated = next((j for j, p in enumerate(probs)
                      if drawings[j]["word"] != word and p[index[word]] < 0.05 and p.max() >= 0.2
                      and browser.labels[int(p.argmax())] != word), None)
    if unrelated is None:
        pytest.skip(f"no fixture drawing the current model reads as clearly not {word!r}")
    return Picks(word, ops[i], prob, ops[unrelated])


@pytest.fixture
async def ai_server(tmp_path: Path, store_config: dict[str, Any]) -> Any:
    """The real server with the shipped model (so it verifies claims), on memory and on Redis."""
    srv, runner = await start_server(tmp_path, models_dir=MODELS, **store_config)
    assert srv.ctx.verifier is not None, "the server did not load models/doodle.onnx"
    yield srv
    await stop_server(srv, runner)


@dataclass
class Table:
    server: Server
    code: str
    ann: Client  # host, draws first
    bob: Client
    zoe: Client  # spectator

    async def turn(self) -> tuple[str, str, str]:
        """(key, drawer id, word) of the running turn, once it is drawing."""
        room = await self.server.room(self.code)
        assert room.turn is not None and room.phase == "drawing", room.phase
        return room.turn.key, room.turn.drawer_id, room.turn.word or ""


async def table(server: Server, word: str, *others: str, **settings: Any) -> Table:
    """Ann (host, first drawer), Bob, `others` and the spectator Zoe, in a game on the custom word `word`."""
    ann, bob, zoe = [await server.client() for _ in range(3)]
    created = await ann.ok("create_room", {"name": "Ann", "settings": {
        "custom_words": [word], "custom_only": True, "word_choices": 1, "draw_time": 240,
        "ai_level": "hard", **settings}})  # "hard": no claim delay (the levels have their own test)
    code = created["code"]
    assert created["state"]["settings"]["ai_player"] is True
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    for name in others:
        await (await server.client()).ok("join_room", {"code": code, "name": name})
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    await ann.ok("start_game")
    await ann.ok("choose_word", {"index": 0})
    return Table(server, code, ann, bob, zoe)


async def draw(client: Client, turn: str, ops: list[dict], seq: int = 0) -> int:
    """Send `ops` in batches (like the browser's input module); returns the next seq."""
    for i in range(0, len(ops), BATCH_OPS):
        await client.ok("draw", {"seq": seq, "turn": turn, "ops": ops[i : i + BATCH_OPS]})
        seq += 1
    return seq


def forged(turn: str, word: str, count: int, prob: float = 0.93) -> dict:
    return {"turn": turn, "stroke_count": count, "guesses": [{"label": word, "prob": prob}]}


def ai_score(state: dict) -> int:
    return next(p["score"] for p in state["players"] if p["id"] == AI_ID)


async def test_an_honest_claim_makes_the_ai_guess_and_humans_race_it(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    t = await table(ai_server, picks.word)
    key, drawer, word = await t.turn()
    assert drawer == t.ann.player_id and word == picks.word
    state = await t.ann.ok("get_state")
    ai = next(p for p in state["state"]["players"] if p["id"] == AI_ID)
    assert ai == {**ai, "name": "AI", "kind": "ai", "score": 0, "drawing": False}
    assert state["state"]["host_id"] == t.ann.player_id
    await draw(t.ann, key, picks.ops)
    ai_server.clock.t += 12.4  # the AI recognizes the drawing 12.4 s into the turn

    payload = browser.payload(key, picks.ops)
    assert payload["guesses"][0]["label"] == picks.word  # what an honest browser claims
    ack = await t.ann.ok("ai_guess", payload)
    assert ack["verdict"] == "verified" and ack["reason"] == "verified" and ack["scored"] is True
    guessed = await t.bob.wait_event("guessed", lambda d: d["player_id"] == AI_ID)
    assert guessed["name"] == "AI" and guessed["points"] == ack["points"] == 0  # turns, not points
    assert guessed["turn_won"] == "ai" and guessed["rival"] == {"humans": 0, "ai": 1}
    assert guessed["at_s"] == pytest.approx(12.4, abs=0.05)
    room = await ai_server.room(t.code)
    assert room.player(AI_ID).score == 0 and room.rival == {"humans": 0, "ai": 1}
    assert room.player(t.ann.player_id).score == 50  # the drawer gains per correct guesser, the AI too
    assert room.phase == "drawing"  # the AI does not end the turn for the humans: they race it

    # A second claim on the same turn scores nothing more (and does not even run the model).
    again = await t.ann.ok("ai_guess", payload)
    assert again["verdict"] == "none" and again["reason"] == "already_recognized"
    right = await t.bob.ok("chat", {"text": picks.word})
    assert right["ok"] and right["result"] == "correct"
    bonus_kept = guess_points(ai_server.clock.t, room.turn.started_at, 240, first=True)
    assert right["points"] == bonus_kept  # the first human keeps the first-guess bonus
    ended = await t.zoe.wait_event("turn_ended")
    assert ended["reason"] == "all_guessed" and AI_ID not in ended["deltas"]
    assert ended["winner"] == "ai" and ended["rival"] == {"humans": 0, "ai": 1}

    # Next turn (Bob draws): Ann replays her verified claim of the earlier turn -> rejected, nothing changes.
    await ai_server.tick(5.1)
    await t.bob.ok("choose_word", {"index": 0})
    key2, drawer2, _ = await t.turn()
    assert key2 != key and drawer2 == t.bob.player_id
    before = await ai_server.raw(t.code)
    replay = await t.ann.ok("ai_guess", payload)
    assert (replay["verdict"], replay["reason"]) == ("rejected", "wrong_turn")
    # ...and the new drawer cannot pass the old drawing off as theirs under the new turn's key either.
    moved = await t.bob.ok("ai_guess", {**payload, "turn": key2})
    assert (moved["verdict"], moved["reason"]) == ("rejected", "unknown_stroke_count")
    assert await ai_server.raw(t.code) == before
    metrics = ai_server.ctx.metrics
    assert metric_value(metrics, "claims_total", result="accepted", reason="verified") == 1
    assert metric_value(metrics, "claims_total", result="rejected", reason="wrong_turn") == 1


async def test_forged_claims_are_rejected_and_score_nothing(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    t = await table(ai_server, picks.word)
    key, _, word = await t.turn()
    seq = await draw(t.ann, key, picks.unrelated)
    n = len(picks.unrelated)
    assert browser.payload(key, picks.unrelated)["guesses"][0]["label"] != word
    before = [await ai_server.raw(t.code)]

    async def rejected(client: Client, payload: dict, reason: str) -> None:
        ack = await client.ok("ai_guess", payload)
        assert (ack["verdict"], ack["reason"]) == ("rejected", reason), ack
        assert await ai_server.raw(t.code) == before[0]

    await rejected(t.ann, forged(key, word, n), "server_disagrees")  # the word on an unrelated drawing
    await rejected(t.ann, forged(key, word, n + 1000), "unknown_stroke_count")  # strokes never received
    await rejected(t.bob, forged(key, word, n), "not_owner")  # a guesser claims the drawer's drawing
    await rejected(t.bob, {**browser.payload(key, picks.ops), "stroke_count": 1}, "not_owner")
    # ...and the answer to a guesser is the same whatever label it names: no oracle for the word.
    other = next(label for label in browser.labels if label != word)
    ai_server.clock.t += 61  # past the forgery window (3 forged claims within 60 s: a cool-down)
    await rejected(t.bob, forged(key, other, n), "not_owner")
    low = await t.bob.call("ai_guess", forged(key, word, n, prob=0.3))
    assert low == await t.bob.call("ai_guess", forged(key, other, n, prob=0.3))
    assert low["ok"] is False and low["error"]["code"] == "not_allowed"
    ai_server.clock.t += 61
    await draw(t.ann, key, [{"type": "clear"}], seq)
    before[0] = await ai_server.raw(t.code)
    await rejected(t.ann, forged(key, word, n + 1), "empty_drawing")  # the word on a cleared canvas
    # A stroke count of 0 names no drawing at all.
    await rejected(t.ann, forged(key, word, 0), "unknown_stroke_count")
    assert not [e for e in (*t.bob.named("guessed"), *t.zoe.named("guessed"))]
    metrics = ai_server.ctx.metrics
    for reason in ("server_disagrees", "unknown_stroke_count", "not_owner", "empty_drawing"):
        assert metric_value(metrics, "claims_total", result="rejected", reason=reason) >= 1
    assert metric_value(metrics, "claims_total", result="accepted", reason="verified") == 0
    # A malformed payload is an error ack (and changes nothing either).
    bad = await t.ann.call("ai_guess", {"turn": key, "stroke_count": 1,
                                        "guesses": [{"label": "x", "prob": 2}]})
    assert bad["ok"] is False and bad["error"]["code"] == "bad_request"
    assert await ai_server.raw(t.code) == before[0]


async def test_a_flood_of_claims_is_rate_limited_and_scores_nothing(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    t = await table(ai_server, picks.word)
    key, _, word = await t.turn()
    await draw(t.ann, key, picks.unrelated)
    before = await ai_server.raw(t.code)
    acks = await asyncio.gather(*(t.ann.call("ai_guess", forged(key, word, len(picks.unrelated)))
                                  for _ in range(30)))
    codes = [a["error"]["code"] if not a["ok"] else a["verdict"] for a in acks]
    assert set(codes) <= {"rejected", "rate_limited"}, codes
    assert codes.count("rate_limited") >= 30 - 8  # the per-connection limit (burst 8)
    assert await ai_server.raw(t.code) == before
    # Three forged claims put the sender in a cool-down: even an honest claim is refused now...
    honest = browser.payload(key, picks.unrelated)
    await asyncio.sleep(0.6)  # the per-connection bucket refills (it runs on real time)
    refused = await t.ann.call("ai_guess", honest)
    assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
    # ...and after the cool-down (30 s) the sender is heard again.
    ai_server.clock.t += 31
    assert (await t.ann.ok("ai_guess", honest))["verdict"] == "none"
    assert metric_value(ai_server.ctx.metrics, "ai_forgery_blocks_total") >= 1


async def test_guessers_and_spectators_never_see_the_word_in_the_ai_view(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    t = await table(ai_server, picks.word, "Cy")  # Cy keeps the turn going after Bob and the AI guessed
    key, _, word = await t.turn()
    seq = 0
    for count in range(1, len(picks.ops) + 1):  # the browser predicts as the drawing grows
        seq = await draw(t.ann, key, picks.ops[count - 1 : count], seq)
        payload = browser.payload(key, picks.ops, count)
        if word not in [g["label"] for g in payload["guesses"]]:  # make sure the word is in every list
            payload["guesses"].append({"label": word, "prob": 0.0})
        await t.ann.ok("ai_guess", payload)
        await asyncio.sleep(0.3)  # like a browser predicting a few times a second
    relays = await t.bob.wait_for(lambda: len(t.bob.named("ai_guess")) == len(picks.ops)
                                  and t.bob.named("ai_guess"))
    await t.zoe.wait_for(lambda: len(t.zoe.named("ai_guess")) == len(picks.ops))
    for relay in (*relays, *t.zoe.named("ai_guess")):
        assert relay["player_id"] == t.ann.player_id and relay["turn"] == key
        labels = [g["label"] for g in relay["guesses"]]
        assert word not in labels and labels.count(None) == 1, labels
    assert not t.ann.named("ai_guess")  # the drawer has its own guesses
    # Bob guesses the word: from now on he is a knower and gets the guesses as sent.
    await t.bob.ok("chat", {"text": word})
    await t.ann.ok("ai_guess", browser.payload(key, picks.ops) | {"guesses": [{"label": word, "prob": 0.4}]})
    full = await t.bob.wait_for(lambda: [r for r in t.bob.named("ai_guess") if r["guesses"][0]["label"]])
    assert full[-1]["guesses"] == [{"label": word, "prob": 0.4}]
    secrets = {key: [word]}
    assert leaks(t.zoe.events, t.zoe.player_id, secrets) == []
    assert leaks(t.bob.events, t.bob.player_id, secrets) == []


async def test_the_host_can_turn_the_ai_off_and_it_cannot_be_kicked(
    ai_server: Server, picks: Picks
) -> None:
    ann, bob = await ai_server.client(), await ai_server.client()
    created = await ann.ok("create_room", {"name": "Ann"})
    code = created["code"]
    assert [p["kind"] for p in created["state"]["players"]] == ["human", "ai"]
    kick = await ann.call("kick", {"player_id": AI_ID})
    assert kick["ok"] is False and kick["error"]["code"] == "not_allowed"
    host = await ann.call("transfer_host", {"player_id": AI_ID})
    assert host["ok"] is False and host["error"]["code"] == "not_allowed"
    # The AI takes no seat: a 2-player room still has room for a second human.
    await ann.ok("update_settings", {"settings": {"max_players": 2}})
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("update_settings", {"settings": {"ai_player": False}})
    state = (await ann.ok("get_state"))["state"]
    assert [p["name"] for p in state["players"]] == ["Ann", "Bob"] and state["settings"]["ai_player"] is False
    # The last human leaving takes the AI along: the room is gone, not kept alive by the AI.
    await ann.ok("update_settings", {"settings": {"ai_player": True}})
    await bob.ok("leave_room")
    await ann.ok("leave_room")
    assert await ai_server.ctx.store.load(code) is None
    async with aiohttp.ClientSession() as http, http.get(f"{ai_server.url}/healthz") as resp:
        health = await resp.json()
    assert health["verifier"]["model"] == "doodle.onnx" and health["verifier"]["labels"] > 1


async def test_without_a_model_there_is_no_ai_player_and_claims_are_unavailable(server: Server) -> None:
    assert server.ctx.verifier is None
    ann = await server.client()
    created = await ann.ok("create_room", {"name": "Ann"})
    assert created["state"]["settings"]["ai_player"] is False
    assert [p["kind"] for p in created["state"]["players"]] == ["human"]
    ack = await ann.ok("ai_guess", forged("g1-r1-t1", "cat", 1))
    assert ack["verdict"] == "unavailable"


async def test_the_hosts_ai_level_is_the_servers_policy_not_the_clients(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    """At "normal" the AI may not claim before the level's delay (`too_early`, no model run, no forgery) and
    a guess below the level's threshold is no claim, whatever the client sends."""
    level = AI_LEVELS["normal"]
    t = await table(ai_server, picks.word, ai_level="normal")
    key, _, _ = await t.turn()
    await draw(t.ann, key, picks.ops)
    before = await ai_server.raw(t.code)
    ai_server.clock.t += level.delay - 3
    early = await t.ann.ok("ai_guess", forged(key, picks.word, len(picks.ops), prob=0.99))
    assert (early["verdict"], early["reason"]) == ("none", "too_early")
    assert early["wait_s"] == pytest.approx(3)
    unsure = await t.ann.ok("ai_guess", forged(key, picks.word, len(picks.ops), prob=level.threshold - 0.01))
    assert (unsure["verdict"], unsure["reason"]) == ("none", "not_a_claim")
    assert await ai_server.raw(t.code) == before
    assert metric_value(ai_server.ctx.metrics, "claims_total", result="accepted", reason="verified") == 0
    ai_server.clock.t += 3
    payload = browser.payload(key, picks.ops)
    ack = await t.ann.ok("ai_guess", payload)
    if payload["guesses"][0]["prob"] >= level.threshold:  # the current model is that sure of this drawing
        assert ack["verdict"] in ("verified", "rejected"), ack  # judged at the level's threshold
        if ack["verdict"] == "verified":
            assert (await ai_server.room(t.code)).rival == {"humans": 0, "ai": 1}
    else:
        assert (ack["verdict"], ack["reason"]) == ("none", "not_a_claim")
    state = (await t.bob.ok("get_state"))["state"]
    assert state["settings"]["ai_level"] == "normal"


async def test_a_claim_that_overtakes_its_strokes_waits_for_them(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    """The server handles each event in its own task, so a claim may be judged before the batches it counts
    are appended (here it is even sent first): it waits for them (up to 1 s) instead of being rejected."""
    t = await table(ai_server, picks.word)
    key, _, _ = await t.turn()
    claim = t.ann.call("ai_guess", browser.payload(key, picks.ops))
    batches = [t.ann.call("draw", {"seq": s, "turn": key, "ops": [op]}) for s, op in enumerate(picks.ops)]
    ack, *drawn = await asyncio.gather(claim, *batches)
    assert all(a["ok"] for a in drawn), drawn
    assert ack["ok"] and ack["verdict"] == "verified" and ack["scored"] is True, ack


BAD_PROVIDERS = ["cpu", "WebGL", None, 3]  # not exactly "webgl" | "wasm" | "webgpu"


async def test_the_relay_names_the_senders_execution_provider_and_a_bad_one_is_refused(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    t = await table(ai_server, picks.word)
    key, _, word = await t.turn()
    await draw(t.ann, key, picks.unrelated)
    live = browser.payload(key, picks.unrelated)  # the AI sees something else: a live view, not a claim
    assert live["guesses"][0]["label"] != word
    ack = await t.ann.ok("ai_guess", {**live, "provider": "wasm"})
    assert ack["verdict"] == "none"
    for watcher in (t.bob, t.zoe):  # guessers and spectators (the masked copy) are told where it runs
        relay = await watcher.wait_event("ai_guess")
        assert relay["provider"] == "wasm" and relay["player_id"] == t.ann.player_id
    before = await ai_server.raw(t.code)
    for provider in BAD_PROVIDERS:
        bad = await t.ann.call("ai_guess", {**live, "provider": provider})
        assert bad["ok"] is False and bad["error"]["code"] == "bad_request", (provider, bad)
        assert await ai_server.raw(t.code) == before
    # Left out, it is simply not relayed; and none of the refused payloads was relayed before this one.
    await t.ann.ok("ai_guess", live)
    relays = await t.bob.wait_for(lambda: len(t.bob.named("ai_guess")) >= 2 and t.bob.named("ai_guess"))
    assert len(relays) == 2 and "provider" not in relays[1]


async def test_race_thumbnail_relays_name_the_senders_execution_provider(
    ai_server: Server, browser: Browser, picks: Picks
) -> None:
    ann, bob = await ai_server.client(), await ai_server.client()
    settings = {"mode": "race", "custom_words": [picks.word], "custom_only": True, "word_choices": 1}
    code = (await ann.ok("create_room", {"name": "Ann", "settings": settings}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("start_game")
    room = await ai_server.room(code)
    assert room.phase == "drawing" and room.turn is not None
    key = room.turn.key
    await draw(ann, key, picks.unrelated)
    live = browser.payload(key, picks.unrelated)
    assert (await ann.ok("ai_guess", {**live, "provider": "webgpu"}))["reason"] == "not_a_claim"
    relay = await bob.wait_event("ai_guess", lambda d: d["player_id"] == ann.player_id)
    assert relay["provider"] == "webgpu" and relay["guesses"] == live["guesses"]
    before = await ai_server.raw(code)
    for provider in BAD_PROVIDERS:
        bad = await ann.call("ai_guess", {**live, "provider": provider})
        assert bad["ok"] is False and bad["error"]["code"] == "bad_request", (provider, bad)
    assert await ai_server.raw(code) == before
