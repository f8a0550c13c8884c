"""Two `python -m game_server` processes on one Redis serve the same room (real time, real sockets).

1. Players of one room on different processes play a whole game: strokes, guesses and scores cross
   processes; one process is SIGKILLed mid-turn, its players rejoin on the other with their session
   tokens, and the game finishes with every score intact and each turn ended exactly once.
2. Redis stops mid-game: events get `unavailable` error acks and nothing crashes; Redis comes back and
   play and cross-process fan-out resume; then every server process is restarted and the room, the
   scores and the sessions are still there.
Real game timings apply (shortest drawing time 15 s, 5 s between turns), so these take ~40 s each.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from redis import asyncio as aioredis

from .conftest import Client, Cluster

pytestmark = [pytest.mark.multiprocess, pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(180)]


def stroke(sid: int, x: float) -> dict[str, Any]:
    return {"type": "stroke", "id": sid, "tool": "pen", "color": "#112233", "width": 4,
            "points": [[x, 100], [x + 10, 120], [x + 20, 110]]}


async def choose(drawer: Client, turn_key: str | None = None) -> tuple[str, str]:
    """The drawer picks the first word offered; returns (turn key, word)."""
    view = await drawer.wait_event(
        "state",
        lambda s: s["phase"] == "choosing" and s["turn"] and s["turn"]["choices"]
        and s["drawer_id"] == drawer.player_id and s["turn"]["key"] != turn_key,
        timeout=20,
    )
    ack = await drawer.ok("choose_word", {"index": 0})
    return view["turn"]["key"], ack["word"]


def scores(view: dict[str, Any]) -> dict[str, int]:
    return {p["id"]: p["score"] for p in view["players"]}


async def until_stored_deadline(cl: Cluster, code: str, expected: float, timeout: float = 10.0) -> None:
    """Wait until the store holds `expected` as room `code`'s deadline (rule S6's sorted set)."""
    redis = aioredis.Redis.from_url(cl.redis.url)
    stored = None
    try:
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            stored = await redis.zscore(f"{cl.prefix}deadlines", code)
            if stored is not None and abs(stored - expected) < 1e-3:
                return
            await asyncio.sleep(0.05)  # polling an observable condition, not a guess at a duration
    finally:
        await redis.aclose()
    raise AssertionError(f"room {code}: stored deadline {stored}, expected {expected}")


def ended(client: Client, word: str) -> list[dict[str, Any]]:
    return [d for d in client.named("turn_ended") if d["word"] == word]


async def test_game_across_two_processes_survives_sigkill_of_one(cluster: Any) -> None:
    cl: Cluster = cluster(2)
    a, b = cl.servers
    ann = await cl.client(a)
    bob = await cl.client(b)
    cy = await cl.client(b)
    code = (await ann.ok("create_room", {"name": "Ann", "settings": {"rounds": 1, "draw_time": 15}}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await ann.wait_event("player_joined", lambda d: d["name"] == "Cy")  # emitted on B, heard on A
    await ann.ok("start_game")

    # -- turn 1: Ann draws on A; Bob and Cy on B see the strokes and guess; scores reach everyone ------
    key1, word1 = await choose(ann)
    for seq in range(3):
        await ann.ok("draw", {"seq": seq, "ops": [stroke(seq, 100 + 30 * seq)]})
    for watcher in (bob, cy):
        await watcher.wait_for(lambda w=watcher: len(w.named("draw")) == 3)
        assert [d["seq"] for d in watcher.named("draw")] == [0, 1, 2]
    assert (await bob.ok("chat", {"text": word1}))["result"] == "correct"
    await ann.wait_event("guessed", lambda d: d["player_id"] == bob.player_id)  # B -> A
    assert (await cy.ok("chat", {"text": word1}))["result"] == "correct"
    for c in (ann, bob, cy):
        assert (await c.wait_event("turn_ended", lambda d: d["word"] == word1))["reason"] == "all_guessed"
    views = [await c.wait_for(lambda c=c: next(
        (s for s in c.named("state") if s["phase"] == "turn_end"), None)) for c in (ann, bob, cy)]
    assert all(scores(v) == scores(views[0]) for v in views)
    assert all(score > 0 for score in scores(views[0]).values())

    # -- turn 2: Bob draws on B; B is SIGKILLed mid-turn; Bob and Cy rejoin on A ------------------------
    key2, word2 = await choose(bob, key1)  # the turn-end deadline fired on one of the two processes
    for seq in range(2):
        await bob.ok("draw", {"seq": seq, "ops": [stroke(10 + seq, 200 + 30 * seq)]})
    await ann.wait_for(lambda: len(ann.named("draw")) == 2)  # Ann drew turn 1: these are Bob's
    before_kill = scores(ann.last_state())
    b.kill()
    assert a.alive and not b.alive
    bob2, cy2 = await cl.client(a), await cl.client(a)
    back_bob = await bob2.ok("rejoin", {"token": bob.token})
    back_cy = await cy2.ok("rejoin", {"token": cy.token})
    assert (back_bob["player_id"], back_cy["player_id"]) == (bob.player_id, cy.player_id)
    for back in (back_bob, back_cy):
        assert back["state"]["phase"] == "drawing" and back["state"]["turn"]["key"] == key2
        assert scores(back["state"]) == before_kill
        assert back["drawing"]["key"] == key2 and len(back["drawing"]["ops"]) == 2
    assert back_bob["state"]["turn"]["word"] == word2 and back_bob["drawing"]["next_seq"] == 2
    assert back_cy["state"]["turn"]["word"] is None  # the word is still secret to a guesser
    await bob2.ok("draw", {"seq": 2, "ops": [stroke(12, 400)]})
    await cy2.wait_event("draw", lambda d: d["seq"] == 2)
    assert (await ann.ok("chat", {"text": word2}))["result"] == "correct"
    # Cy never guesses: the drawing deadline ends the turn, fired by the surviving process.
    for c in (ann, bob2, cy2):
        got = await c.wait_event("turn_ended", lambda d: d["word"] == word2, timeout=30)
        assert got["reason"] == "time"

    # -- turn 3: Cy draws on A; the game ends ------------------------------------------------------------
    _, word3 = await choose(cy2, key2)
    await cy2.ok("draw", {"seq": 0, "ops": [stroke(20, 300)]})
    await ann.ok("chat", {"text": word3})
    await bob2.ok("chat", {"text": word3})
    finals = [await c.wait_event("game_ended", timeout=20) for c in (ann, bob2, cy2)]

    # Every turn ended exactly once, for everyone who was there (no double fire after the kill). No fire
    # is outstanding once the room's stored deadline is the game end's own: a claimed deadline sits at its
    # lease (5 s past the claim) until the fire re-arms it, and nothing else is due before the game end's.
    game_end = await ann.wait_for(
        lambda: next((s for s in ann.named("state") if s["phase"] == "game_end"), None))
    await until_stored_deadline(cl, code, game_end["deadline"])
    assert [d["word"] for d in ann.named("turn_ended")] == [word1, word2, word3]
    assert [d["word"] for d in bob2.named("turn_ended")] == [word2, word3]
    assert [d["word"] for d in cy2.named("turn_ended")] == [word2, word3]
    assert len(ann.named("game_ended")) == 1
    # Every score intact: the ranking equals the sum of each turn's points, and agrees for everyone.
    totals: dict[str, int] = {}
    for turn in ann.named("turn_ended"):
        for pid, points in turn["deltas"].items():
            totals[pid] = totals.get(pid, 0) + points
    ranking = {r["id"]: r["score"] for r in finals[0]["ranking"]}
    assert ranking == {pid: totals.get(pid, 0) for pid in ranking}
    assert all({r["id"]: r["score"] for r in f["ranking"]} == ranking for f in finals)
    assert all(ranking[pid] >= before_kill[pid] for pid in before_kill)
    assert a.alive and "Traceback" not in a.log_text()


async def _until(pred: Any, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_redis_restart_mid_game_then_server_restart(cluster: Any) -> None:
    cl: Cluster = cluster(2)
    a, b = cl.servers
    ann, bob, cy = await cl.client(a), await cl.client(b), await cl.client(b)
    code = (await ann.ok("create_room", {"name": "Ann", "settings": {"rounds": 1, "draw_time": 120}}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await ann.ok("start_game")
    turn_key, word = await choose(ann)
    await ann.ok("draw", {"seq": 0, "ops": [stroke(0, 100)]})
    await bob.wait_event("draw", lambda d: d["seq"] == 0)

    # -- Redis goes away: error acks, no crash, /healthz says 503 -------------------------------------
    cl.redis.stop(graceful=True)
    for client, event, payload in [
        (bob, "chat", {"text": "anyone there"}),
        (ann, "draw", {"seq": 1, "ops": [stroke(1, 150)]}),
        (cy, "get_state", {}),
    ]:
        ack = await client.call(event, payload)
        assert ack == {"ok": False, "error": {"code": "unavailable", "message": ack["error"]["message"]}}, ack
    assert a.health() == 503 and b.health() == 503
    await asyncio.sleep(1.0)  # the clocks poll a dead store a few times
    assert a.alive and b.alive

    # -- Redis is back: the same events succeed, fan-out crosses processes again --------------------
    cl.redis.start()
    await _until(lambda: a.health() == 200 and b.health() == 200, 15, "both servers healthy")
    assert (await ann.ok("draw", {"seq": 1, "ops": [stroke(1, 150)]}))["index"] == 1
    # Pub/sub keeps no backlog: an emit made while a listener is still resubscribing is lost, so the
    # drawer keeps drawing (as a player would) until B's clients hear from A again.
    seq, end = 2, time.monotonic() + 20
    while not [d for d in cy.named("draw") if d["seq"] >= 1]:
        assert time.monotonic() < end, "fan-out from A to B did not resume"
        await ann.ok("draw", {"seq": seq, "ops": [stroke(seq, 150 + seq)]})
        seq += 1
        await asyncio.sleep(0.5)
    state = await cy.ok("get_state")
    assert len(state["drawing"]["ops"]) == seq  # nothing lost from the store, nothing duplicated
    assert (await bob.ok("chat", {"text": word}))["result"] == "correct"
    await ann.wait_event("guessed", lambda d: d["player_id"] == bob.player_id)  # B -> A
    before = scores(await ann.wait_for(lambda: next(
        (s for s in reversed(ann.named("state")) if scores(s).get(bob.player_id, 0) > 0), None)))

    # -- every server process restarts: room, scores and sessions live on in Redis -----------------------
    assert a.terminate() == 0 and b.terminate() == 0
    for server in (a, b):
        server.start()
    ann2, bob2 = await cl.client(a), await cl.client(b)
    back = await ann2.ok("rejoin", {"token": ann.token})
    assert back["player_id"] == ann.player_id and back["state"]["code"] == code
    assert scores(back["state"]) == before
    assert back["state"]["turn"]["key"] == turn_key and back["state"]["turn"]["word"] == word
    assert back["drawing"]["key"] == turn_key and len(back["drawing"]["ops"]) == seq
    await bob2.ok("rejoin", {"token": bob.token})
    # Shutting both processes down disconnected everyone, so the turn may have ended meanwhile (Cy,
    # the only player left to guess, is away); either way Ann's chat reaches Bob, a knower, across.
    await ann2.ok("chat", {"text": "back again"})
    await bob2.wait_event("chat", lambda d: d["text"] == "back again")  # A -> B after the restart
    for server in (a, b):
        assert server.alive and "Traceback" not in server.log_text()
