"""Helpers the Redis store modules share: error translation (S11), JSON and time encoding.

Imports redis-py's exception types only; knows nothing of rooms.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from redis.exceptions import RedisError

from game_server.store.base import StoreUnavailable

P = ParamSpec("P")
R = TypeVar("R")


def dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def guarded(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """S11: translate every driver failure into StoreUnavailable."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except (RedisError, OSError, TimeoutError) as exc:
            store = args[0]
            where = getattr(store, "url", "redis")
            raise StoreUnavailable(f"redis at {where}: {type(exc).__name__}: {exc}") from exc

    return wrapper
