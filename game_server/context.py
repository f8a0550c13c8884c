"""What every handler gets: the config, the Socket.IO server, the store, metrics, time, randomness and the
per-process services, all built by `app.create_app(config)` and passed in (nothing is made on first use).

`GameLayer` is what the process shell (app, clock, liveness) calls of the game layer: production passes
`game_server.handlers.GAME`; the shell's own tests pass a fake one.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import socketio

from game_server.claims import ForgeryLimiter
from game_server.config import Config
from game_server.metrics import Metrics
from game_server.store.base import RoomStore

if TYPE_CHECKING:  # these import the context themselves, or onnxruntime (loaded only at start-up)
    from game_server.capture import Capture
    from game_server.clock import Clock
    from game_server.handlers.runtime import Runtime
    from game_server.liveness import Liveness
    from game_server.verify import Verifier


@dataclass
class ServerContext:
    """Shared services of one server process."""

    config: Config
    sio: socketio.AsyncServer
    store: RoomStore
    metrics: Metrics
    runtime: Runtime  # seats, room locks, caches, rate limiters, the word pool (handlers/runtime.py)
    forgery: ForgeryLimiter = field(default_factory=ForgeryLimiter)  # forged AI claims per player id
    now: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.SystemRandom)
    verifier: Verifier | None = None  # set at start-up when the model loads (app._verifier_context)
    ai_off_reason: str | None = None  # why there is no verifier (for /healthz), None while there is one
    clock: Clock | None = None  # set by create_app (the clock needs the context); tests call tick_once
    liveness: Liveness | None = None  # None when config.node_ttl <= 0
    capture: Capture | None = None  # opt-in training data (None: capture off)
    started_at: float = field(default_factory=time.time)
    # This process's id in the store's liveness records (S12); game_server.liveness replaces it with a
    # fresh one if the process was ever presumed dead (a stalled event loop), so the old id stays dead.
    node_id: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class GameLayer:
    """The game's entry points the process shell calls (handlers.GAME; a fake in the shell's tests)."""

    register: Callable[[ServerContext], None]  # register every Socket.IO event on ctx.sio
    on_deadline: Callable[[ServerContext, str], Awaitable[None]]  # the clock claimed a room's deadline
    local_rooms: Callable[[ServerContext], set[str]]  # rooms this process holds seats in (heartbeat)
    on_node_lost: Callable[[ServerContext, str, str], Awaitable[None]]  # (node, code): a process died
    reassert_seats: Callable[[ServerContext], Awaitable[int]]  # after this process was presumed dead
