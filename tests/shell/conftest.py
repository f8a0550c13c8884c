"""Fixtures for the process-shell tests: an app built by `create_app` with a fake game layer (`game=`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from game_server.app import create_app
from game_server.config import Config
from game_server.context import GameLayer
from game_server.store.memory import MemoryStore


class FakeHandlers:
    """Stands in for the game layer (handlers.GAME) so these tests do not depend on the game's state."""

    def __init__(self) -> None:
        self.registered: list[Any] = []
        self.fired: list[str] = []
        self.layer = GameLayer(
            register=self.registered.append, on_deadline=self.on_deadline, local_rooms=lambda ctx: set(),
            on_node_lost=self.on_node_lost, reassert_seats=self.reassert_seats,
        )

    async def on_deadline(self, ctx: Any, code: str) -> None:
        self.fired.append(code)
        await ctx.store.set_deadline(code, None)

    async def on_node_lost(self, ctx: Any, node: str, code: str) -> None:
        return None

    async def reassert_seats(self, ctx: Any) -> int:
        return 0


@pytest.fixture
def fake_handlers() -> FakeHandlers:
    return FakeHandlers()


@pytest.fixture
def site_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """A built-client directory and a models directory with a few files (and a decoy outside)."""
    dist, models = tmp_path / "dist", tmp_path / "models"
    (dist / "assets").mkdir(parents=True)
    models.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>DoodleAI</title>INDEX")
    (dist / "assets" / "app.js").write_text("console.log('app')")
    (dist / "ort.wasm").write_bytes(b"\0asm")
    (models / "doodle.onnx").write_bytes(b"ONNX")
    (models / "doodle.json").write_text('{"labels": ["cat"]}')
    (models / "notes.txt").write_text("not served")
    (tmp_path / "secret.txt").write_text("SECRET")
    return dist, models


@pytest.fixture
def config(site_dirs: tuple[Path, Path]) -> Config:
    dist, models = site_dirs
    # The decoy doodle.onnx is no model: "optional" runs the server without AI, as these tests want.
    return replace(Config(), static_dir=dist, models_dir=models, clock_interval=0, ai="optional")


ClientFactory = Callable[..., Any]


@pytest.fixture
async def make_client(fake_handlers: FakeHandlers) -> AsyncIterator[ClientFactory]:
    clients: list[TestClient] = []

    async def make(config: Config, **kwargs: Any) -> TestClient:
        client = TestClient(TestServer(create_app(config, game=fake_handlers.layer, **kwargs)))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: ClientFactory, config: Config) -> TestClient:
    return await make_client(config, store=MemoryStore())
