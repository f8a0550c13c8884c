"""Backend choice: memory store and in-process fan-out by default, Redis for both with a URL."""

from __future__ import annotations

import socketio

from game_server.backends import make_client_manager, make_store
from game_server.config import Config
from game_server.relay import LocalManager
from game_server.store.memory import MemoryStore


def test_memory_by_default():
    config = Config()
    store = make_store(config)
    assert isinstance(store, MemoryStore) and store.backend == "memory"
    manager = make_client_manager(config)
    # In-process fan-out (no pub/sub), with the relay's cheaper emit (game_server/relay.py).
    assert type(manager) is LocalManager and not isinstance(manager, socketio.AsyncRedisManager)


def test_redis_url_selects_redis_store_and_manager_without_connecting():
    # Port 1: nothing listens there; building either object must not touch the network yet.
    config = Config(redis_url="redis://127.0.0.1:1/0", redis_prefix="t:")
    store = make_store(config)
    assert store.backend == "redis"
    manager = make_client_manager(config)
    assert isinstance(manager, socketio.AsyncRedisManager)
    assert manager.channel == "t:socketio"
