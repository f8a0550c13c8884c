"""A real server (app.create_app on a free port, fake clock, clock loop off) and real Socket.IO clients.

`server.tick(dt)` moves the fake time and fires due deadlines through the real clock (`tick_once`), so a
whole game plays in well under a second of wall time.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sio_client import RecordingClient

from game_server.app import CTX_KEY, create_app
from game_server.config import Config
from game_server.context import ServerContext
from game_server.core import Room, room_from_dict


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@dataclass
class Server:
    url: str
    ctx: ServerContext
    clock: FakeClock
    clients: list[Client] = field(default_factory=list)

    async def tick(self, dt: float = 0.0) -> list[str]:
        """Advance the fake time by `dt` and fire whatever is due (as the clock loop would)."""
        self.clock.t += dt
        fired = await self.ctx.clock.tick_once()
        await asyncio.sleep(0.02)  # let the emitted events reach the clients
        return fired

    async def room(self, code: str) -> Room:
        loaded = await self.ctx.store.load(code)
        assert loaded is not None, f"room {code} is gone"
        return room_from_dict(loaded[0])

    async def raw(self, code: str) -> str:
        """The stored room as canonical JSON (for "nothing changed" assertions)."""
        loaded = await self.ctx.store.load(code)
        return json.dumps(loaded[0] if loaded else None, sort_keys=True)

    async def client(self, *, connect: bool = True) -> Client:
        c = Client(self.url)
        self.clients.append(c)
        if connect:
            await c.connect()
        return c


class Client(RecordingClient):
    """The recording client with the integration tests' short timeouts."""


async def start_server(tmp_path: Path, store: Any = None, **overrides: Any) -> tuple[Server, web.AppRunner]:
    clock = FakeClock()
    # models_dir defaults to the empty tmp_path (no AI, "optional" lets the server run without it); a test
    # may pass the real models/ as an override.
    config = Config(**{"ai": "optional", "port": 0, "clock_interval": 0, "log_format": "text",
                       "log_level": "warning",
                       "static_dir": tmp_path, "models_dir": tmp_path, "reconnect_grace": 60.0,
                       "capture_dir": tmp_path / "capture", **overrides})  # opted-in drawings: never the repo
    app = create_app(config, store=store, now=clock)
    ctx = app[CTX_KEY]
    ctx.rng = random.Random(1234)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return Server(f"http://127.0.0.1:{port}", ctx, clock), runner


async def stop_server(srv: Server, runner: web.AppRunner) -> None:
    for c in srv.clients:
        if c.sio.connected:
            await c.sio.disconnect()
    await runner.cleanup()


@pytest.fixture
async def server(tmp_path: Path, store_config: dict[str, Any]) -> AsyncIterator[Server]:
    """The server on each store of tests/conftest.py's `store_config`: memory, and Redis (store + fan-out)."""
    srv, runner = await start_server(tmp_path, **store_config)
    yield srv
    await stop_server(srv, runner)


@pytest.fixture
async def redis_game_server(tmp_path: Path, redis_store: Any) -> AsyncIterator[Server]:
    """The same server on the Redis store (a test prefix, cleaned up by tests/conftest.py)."""
    srv, runner = await start_server(tmp_path, store=redis_store)
    yield srv
    await stop_server(srv, runner)
