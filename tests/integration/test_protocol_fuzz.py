"""Seeded protocol fuzzing with real Socket.IO clients, on both stores.

From clients seated in a room in each phase (lobby, choosing, drawing, turn end, race) and from one with
no seat, every client event plus reserved and unknown names is sent with valid-shaped-but-wrong and junk
payloads (wrong types, NaN/Infinity, lone surrogates, huge strings and arrays, deep nesting, binary
attachments, several arguments). After every event: an ack came, with a documented error code (never
`internal`); a refused event left the stored room and its drawing log byte-identical; every server event
the clients received fits its schema. At the end: no error or traceback in the log, and a normal game
plays on the same server. A failure prints the seed and the event; pin a failing seed as a named case.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest

from game_server import protocol
from game_server.core.race import log_key
from game_server.core.state import TURN_END_TIME
from game_server.protocol.server import SERVER_SCHEMAS
from game_server.ratelimit import RateLimiter

from .conftest import Client, Server, start_server, stop_server

MODELS = Path(__file__).resolve().parents[2] / "models"
SEEDS = [20261201]  # pinned; add any seed that ever failed
EVENTS_PER_PHASE = 400  # x 5 phases x 2 stores = 4000 events, ~30 s on a shared 2-core machine
PHASES = ["lobby", "choosing", "drawing", "turn_end", "race"]
RESERVED = ["connect", "disconnect", "connect_error", "disconnecting", "newListener", "removeListener",
            "message"]
UNKNOWN = ["no_such_event", "DRAW", "state", "", "\ud800"]
DOCUMENTED = set(protocol.ERROR_CODES) - {"internal"}
MAX_JUNK_BYTES = 120_000  # junk stays under the message size limit (that case has its own test)


@pytest.fixture
async def fuzz_server(tmp_path: Path, store_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    # Batches ahead of the log and claims ahead of it wait for the missing part; fuzzing needs no patience.
    monkeypatch.setattr("game_server.handlers.draw.SEQ_WAIT_S", 0.05, raising=False)
    monkeypatch.setattr("game_server.handlers.claim.CLAIM_WAIT_S", 0.05)
    models = {"models_dir": MODELS} if (MODELS / "doodle.onnx").exists() else {}
    srv, runner = await start_server(tmp_path, **models, **store_config)
    rt = srv.ctx.runtime
    for name in rt.limiters:
        rt.limiters[name] = RateLimiter(100_000, 100_000)
    yield srv
    await stop_server(srv, runner)


class Table:
    """A room with Ann (host), Bob, Cy, Zoe (spectator), and Out (no seat), brought to one phase."""

    def __init__(self, server: Server, code: str, clients: dict[str, Client]) -> None:
        self.server, self.code, self.clients = server, code, clients

    async def snapshot(self) -> str:
        room = await self.server.room(self.code)
        logs = []
        if room.turn is not None:
            keys = [room.turn.key] + [log_key(room, p.id) for p in room.players if room.turn.sketches]
            logs = [await self.server.ctx.store.get_strokes(self.code, k) for k in keys]
        return await self.server.raw(self.code) + json.dumps(logs, sort_keys=True)


async def seat(server: Server, phase: str) -> Table:
    ann, bob, cy, zoe, out = [await server.client() for _ in range(5)]
    settings: dict[str, Any] = {"mode": "race"} if phase == "race" else {}
    code = (await ann.ok("create_room", {"name": "Ann", "settings": settings}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await cy.ok("join_room", {"code": code, "name": "Cy"})
    await zoe.ok("join_room", {"code": code, "name": "Zoe", "spectate": True})
    clients = {"ann": ann, "bob": bob, "cy": cy, "zoe": zoe, "out": out}
    by_id = {c.player_id: c for c in clients.values()}
    if phase != "lobby":
        await ann.ok("start_game")
    room = await server.room(code)
    if phase in ("drawing", "turn_end"):
        drawer = by_id[room.turn.drawer_id]
        await drawer.ok("choose_word", {"index": 0})
        await drawer.ok("draw", {"seq": 0, "ops": [stroke(1)], "turn": room.turn.key})
    if phase == "race":
        for c in (ann, bob):
            await c.ok("draw", {"seq": 0, "ops": [stroke(1)], "turn": room.turn.key})
    if phase == "turn_end":
        await server.tick(room.settings.draw_time + 1)
    assert (await server.room(code)).phase == ("drawing" if phase == "race" else phase)
    return Table(server, code, clients)


def stroke(sid: int, x: float = 10.0) -> dict[str, Any]:
    return {"type": "stroke", "id": sid, "tool": "pen", "color": "#000000", "width": 5,
            "points": [[x, 10], [x + 5, 20]]}


class Junk:
    """Seeded generators of wrong payloads."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def nested(self, depth: int) -> Any:
        value: Any = "bottom"
        for _ in range(depth):
            value = [value] if self.rng.random() < 0.5 else {"a": value}
        return value

    def value(self) -> Any:
        r = self.rng
        options = [
            lambda: None, lambda: True, lambda: -1, lambda: 0, lambda: 2**31, lambda: 10**30, lambda: 1.5,
            lambda: math.nan, lambda: math.inf, lambda: -math.inf, lambda: "", lambda: "\ud800",
            lambda: "a\udfffb", lambda: "x" * r.choice([65, 1000, MAX_JUNK_BYTES]), lambda: "\x00\x1b",
            lambda: [], lambda: [0] * r.choice([65, 501, 30_000]), lambda: [[1, 2]] * 600,
            lambda: self.nested(r.choice([5, 50, 300])), lambda: b"\x00\xff binary",
            lambda: {"nested": b"\x01"}, lambda: {"type": "stroke"}, lambda: r.random(),
        ]
        return r.choice(options)()

    def mutate(self, payload: dict[str, Any]) -> Any:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0 or not payload:
            return self.value()  # not an object at all
        out = dict(payload)
        key = r.choice(list(out))
        if kind == 1:
            del out[key]
        elif kind == 2:
            out[key] = self.value()
        elif kind == 3:
            out[r.choice(["evil", "\ud800", "__proto__", "x" * 100])] = self.value()
        elif kind == 4 and isinstance(out[key], list) and out[key]:
            out[key] = [self.mutate(v) if isinstance(v, dict) else self.value() for v in out[key]]
        else:
            out[key] = self.mutate(out[key]) if isinstance(out[key], dict) else self.value()
        return out


async def valid_shaped(t: Table, event: str, rng: random.Random) -> dict[str, Any]:
    """A payload of the right shape, often wrong for the sender or the moment (never a real target id)."""
    room = await t.server.room(t.code)
    key = room.turn.key if room.turn else "g9-r9-t9"
    seq = rng.choice([0, 1, 2, 5, 10**9])
    label = rng.choice(["cat", "dog", "apple", "house", "unicorn", "\ud800"])
    avatar = rng.choice([None, "3-2-1", "11-7-2", "12-0-0", "1-1-1\n", "\ud800"])
    return {
        "create_room": {"name": "Eve", "settings": {"rounds": rng.randint(1, 10)}, "avatar": avatar},
        "join_room": {"code": rng.choice([t.code, "0000000000"]), "name": "Eve",
                      "spectate": rng.random() < 0.5, "avatar": avatar},
        "quick_play": {"name": "Eve", "avatar": avatar},
        "rejoin": {"token": rng.choice(["0" * 32, "f" * 64])},
        "leave_room": {"unused": 1},
        "update_settings": {"settings": {"rounds": 2, "custom_only": True}},
        "start_game": {},
        "choose_word": {"index": rng.randint(0, 4)},
        "chat": {"text": rng.choice(["hello", "  ", "hi\u200b", "x" * 201])},
        "draw": {"seq": seq, "ops": [stroke(rng.choice([0, 1, 2, 99])), {"type": "undo"}], "turn": key},
        "kick": {"player_id": "pnobody"},
        "vote_kick": {"player_id": "pnobody"},
        "transfer_host": {"player_id": "pnobody"},
        "get_state": {},
        "ai_guess": {"turn": rng.choice([key, "g0-r0-t0"]), "stroke_count": rng.choice([0, 1, 5, 99]),
                     "guesses": [{"label": label, "prob": rng.choice([0.3, 0.6, 0.99])}]},
        "like": {"turn": rng.choice([key, "g0-r0-t0"]), "like": rng.random() < 0.5},
        "set_consent": {"consent": rng.random() < 0.5,
                        "contributor": rng.choice(["c" + "0" * 24, None, "Eve"])},
        "list_rooms": {},
    }[event]


def destructive(event: str, payload: Any) -> bool:
    """A valid leave/kick would end the phase under test; those paths have their own tests."""
    return event == "leave_room" and isinstance(payload, dict)


def check_ack(ack: Any, context: str) -> None:
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), context
    if not ack["ok"]:
        error = ack.get("error")
        assert isinstance(error, dict) and error.get("code") in DOCUMENTED, context
        assert isinstance(error.get("message"), str), context


def check_received(clients: dict[str, Client]) -> None:
    for client in clients.values():
        for name, data in client.events:
            msgspec.convert(data, SERVER_SCHEMAS[name])  # raises if the server sent an undeclared shape


async def fuzz_phase(t: Table, rng: random.Random, seed: int, phase: str) -> Counter[str]:
    """Send EVENTS_PER_PHASE fuzzed events; returns how many acks had each outcome ("ok" or a code)."""
    junk = Junk(rng)
    names = [*protocol.CLIENT_EVENTS] * 4 + RESERVED + UNKNOWN
    outcomes: Counter[str] = Counter()
    for i in range(EVENTS_PER_PHASE):
        event = rng.choice(names)
        who = rng.choice(list(t.clients))
        base = await valid_shaped(t, event, rng) if event in protocol.CLIENT_EVENTS else {}
        payload: Any = base if rng.random() < 0.2 else junk.mutate(base)
        if destructive(event, payload):
            payload = junk.value()
        before = await t.snapshot()
        context = f"seed={seed} phase={phase} #{i}: {who} {event!r} {ascii(payload)[:300]}"
        if rng.random() < 0.05:
            ack = await t.clients[who].sio.call(event, (payload, junk.value()), timeout=10)
        else:
            ack = await t.clients[who].call(event, payload)
        check_ack(ack, context)
        outcomes["ok" if ack["ok"] else ack["error"]["code"]] += 1
        if not ack["ok"]:
            assert await t.snapshot() == before, f"refused but changed the room: {context}"
    return outcomes


async def normal_game(server: Server) -> None:
    """Two fresh players play a whole one-round game on the fuzzed server."""
    ann, bob = await server.client(), await server.client()
    settings = {"rounds": 1, "ai_player": False}
    code = (await ann.ok("create_room", {"name": "Ann", "settings": settings}))["code"]
    await bob.ok("join_room", {"code": code, "name": "Bob"})
    await ann.ok("start_game")
    by_id = {ann.player_id: ann, bob.player_id: bob}
    for _ in range(2):
        room = await server.room(code)
        drawer = by_id[room.turn.drawer_id]
        guesser = bob if drawer is ann else ann
        word = (await drawer.ok("choose_word", {"index": 0}))["word"]
        assert (await drawer.ok("draw", {"seq": 0, "ops": [stroke(1)], "turn": room.turn.key}))["index"] == 0
        assert (await guesser.ok("chat", {"text": word}))["result"] == "correct"
        await server.tick(TURN_END_TIME + 0.1)
    room = await server.room(code)
    assert room.phase == "game_end" and all(p.score > 0 for p in room.players)


@pytest.mark.parametrize("seed", SEEDS)
async def test_fuzzed_events_get_documented_acks_and_change_nothing_when_refused(
    fuzz_server: Server, seed: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    for phase in PHASES:
        table = await seat(fuzz_server, phase)
        outcomes += await fuzz_phase(table, rng, seed, phase)
        check_received(table.clients)
        for client in table.clients.values():
            await client.close()
    await normal_game(fuzz_server)
    gc.collect()  # "Task exception was never retrieved" is logged when the task is collected
    bad = [r for r in caplog.records
           if r.levelno >= logging.ERROR or r.exc_info or "Traceback" in r.getMessage()]
    assert not bad, f"seed={seed}: {[(r.name, r.getMessage()[:200]) for r in bad[:5]]}"
    assert sum(outcomes.values()) == EVENTS_PER_PHASE * len(PHASES)
    # The fuzzer gets past the schemas to the rules, not only to bad_request.
    assert {"ok", "bad_request", "unknown_event", "not_host", "wrong_phase", "not_in_room"} <= set(outcomes)
