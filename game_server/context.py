"""What every handler gets: the config, the Socket.IO server, the store, metrics, time and randomness.

Built once by `app.create_app(config)`; handlers receive it instead of reaching for globals, so tests can
swap the clock (`now`) and the random source.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import socketio

from game_server.config import Config
from game_server.store.base import RoomStore

if TYPE_CHECKING:
    from game_server.capture import Capture


@dataclass
class ServerContext:
    """Shared services of one server process."""

    config: Config
    sio: socketio.AsyncServer
    store: RoomStore
    metrics: Any  # game_server.metrics.Metrics
    now: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.SystemRandom)
    verifier: Any | None = None  # game_server.verify.Verifier once the AI verification exists
    ai_off_reason: str | None = None  # why there is no verifier (for /healthz), None while there is one
    clock: Any | None = None  # game_server.clock.Clock (tests call `ctx.clock.tick_once(now)`)
    game_runtime: Any | None = None  # game_server.handlers.runtime.Runtime, made on first use
    ai_runtime: Any | None = None  # game_server.handlers.ai.AiRuntime (forgery limiter), made on first use
    started_at: float = field(default_factory=time.time)
    # This process's id in the store's liveness records (S12); game_server.liveness replaces it with a
    # fresh one if the process was ever presumed dead (a stalled event loop), so the old id stays dead.
    node_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    liveness: Any | None = None  # game_server.liveness.Liveness
    capture: Capture | None = None  # opt-in training data (None: capture off)
