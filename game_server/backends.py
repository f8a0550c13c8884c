"""Picks the storage and the Socket.IO client manager from the config: memory or Redis.

The only place that decides between backends; everything else receives a `RoomStore` and a manager.
"""

from __future__ import annotations

import socketio

from game_server.config import Config
from game_server.relay import LocalManager
from game_server.store.base import RoomStore
from game_server.store.memory import MemoryStore


def make_store(config: Config) -> RoomStore:
    """The room store for this process (not yet connected; Redis stores connect lazily)."""
    if not config.redis_url:
        return MemoryStore()
    try:
        from game_server.store.redis import RedisStore
    except ModuleNotFoundError as exc:
        if exc.name != "game_server.store.redis":
            raise
        raise RuntimeError(
            f"--redis-url {config.redis_url} given, but this build has no Redis store "
            "(game_server/store/redis.py is missing)"
        ) from exc
    return RedisStore.from_config(config)


def make_client_manager(config: Config) -> socketio.AsyncManager:
    """In-process fan-out for memory; Redis pub/sub fan-out across processes for Redis."""
    if not config.redis_url:
        return LocalManager()
    # An AsyncRedisManager whose listener a heartbeat watchdog restarts (python-socketio #1581, #1569).
    from game_server.fanout import WatchedRedisManager

    return WatchedRedisManager(config.redis_url, channel=f"{config.redis_prefix}socketio")
