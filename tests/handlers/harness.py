"""Drives the real handlers without sockets: a fake emitter for the Socket.IO server, a fake clock, a fake
verifier, the memory store. Between the pure core tests (tests/unit/core) and the real-socket tests
(tests/integration): every event goes through the same `dispatch.on` wrapper a socket would reach, and
every deadline through the real `Clock.tick_once`, so timing rules are tested without sleeping.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from metric_values import metric_value

from game_server import handlers
from game_server.claims import Claim, Verdict, judge
from game_server.clock import Clock
from game_server.config import Config
from game_server.context import ServerContext
from game_server.core import Room, room_from_dict
from game_server.core.words import LINEAGE_WORDS
from game_server.handlers.runtime import Runtime
from game_server.metrics import Metrics
from game_server.store.memory import MemoryStore

STROKE = {"type": "stroke", "id": 1, "tool": "pen", "color": "#000000", "width": 4,
          "points": [[10, 10], [50, 60]]}


class FakeClock:
    def __init__(self, t: float = 1_800_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


class _Manager:
    def __init__(self, emitter: FakeEmitter) -> None:
        self.emitter = emitter

    def get_participants(self, namespace: str, room: str) -> list[tuple[str, None]]:
        return [(sid, None) for sid in self.emitter.rooms.get(room, ())]

    def is_connected(self, sid: str, namespace: str) -> bool:
        return True


class FakeEmitter:
    """What the handlers use of socketio.AsyncServer: `on`, `emit`, rooms. Delivers into `inbox[sid]`."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[..., Awaitable[Any]]] = {}
        self.rooms: dict[str, set[str]] = defaultdict(set)
        self.inbox: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        self.manager = _Manager(self)

    def on(self, name: str, handler: Callable[..., Awaitable[Any]]) -> None:
        self.handlers[name] = handler

    async def emit(self, event: str, data: Any = None, to: str | list[str] | None = None, **_: Any) -> None:
        targets = [to] if isinstance(to, str) else list(to or [])
        wire = json.loads(json.dumps(data))  # what a client receives
        for sid in sorted({sid for room in targets for sid in self.rooms.get(room, ())}):
            self.inbox[sid].append((event, wire))

    async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.rooms[room].add(sid)

    async def close_room(self, room: str, namespace: str | None = None) -> None:
        self.rooms.pop(room, None)


@dataclass
class FakeVerifier:
    """The server's model, played by a rule: it sees `sees` in any drawing with ink (None: nothing)."""

    labels: tuple[str, ...] = LINEAGE_WORDS
    sees: str | None = None
    runs: list[Claim] = field(default_factory=list)
    recorded: list[Verdict] = field(default_factory=list)

    @property
    def label_set(self) -> frozenset[str]:
        return frozenset(self.labels)

    async def verify(
        self, claim: Claim, ops: list[Any], word: str, *, same_word: Any, threshold: float
    ) -> Verdict:
        self.runs.append(claim)
        probs = [0.9 if label == self.sees else 0.1 / len(self.labels) for label in self.labels]
        return judge(claim, probs, self.labels, word, server_ink=float(len(ops)), threshold=threshold,
                     same_word=same_word)

    def record(self, verdict: Verdict) -> None:
        self.recorded.append(verdict)


class Harness:
    """One server process's game layer on fakes. `await h.send(sid, event, payload)` returns the ack."""

    def __init__(self, **config: Any) -> None:
        self.clock = FakeClock()
        self.sio = FakeEmitter()
        self.verifier = FakeVerifier()
        settings = {"ai": "optional", "clock_interval": 0, "node_ttl": 0, **config}
        self.ctx = ServerContext(
            config=Config(**settings), sio=self.sio, store=MemoryStore(), metrics=Metrics(),  # type: ignore[arg-type]
            runtime=Runtime(), now=self.clock, rng=random.Random(7), verifier=self.verifier,  # type: ignore[arg-type]
        )
        self.ctx.clock = Clock(self.ctx, handlers.GAME.on_deadline, interval=0)
        handlers.GAME.register(self.ctx)

    async def send(self, sid: str, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.sio.handlers[event](sid, {} if payload is None else payload)

    async def ok(self, sid: str, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        ack = await self.send(sid, event, payload)
        assert ack["ok"], ack
        return ack

    async def tick(self, dt: float = 0.0) -> list[str]:
        """Advance the fake time and fire what is due through the real clock (as its loop would)."""
        self.clock.t += dt
        assert self.ctx.clock is not None
        return await self.ctx.clock.tick_once()

    async def room(self, code: str) -> Room:
        loaded = await self.ctx.store.load(code)
        assert loaded is not None
        return room_from_dict(loaded[0])

    def received(self, sid: str, event: str) -> list[Any]:
        return [data for name, data in self.sio.inbox[sid] if name == event]

    def metric(self, name: str, **labels: str) -> float:
        return metric_value(self.ctx.metrics, name, **labels)
