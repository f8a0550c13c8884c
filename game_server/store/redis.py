"""The Redis room store: rooms shared by every server process that points at the same Redis.

Keeps the rules of `store.base` (S1-S15) with redis-py's asyncio client. Key layout (`P` = prefix):

    P room:{CODE}:state            hash  d = room JSON, v = version            (S1-S4)
    P room:{CODE}:turns            set   turn keys that have strokes           (S5, S9, S10)
    P room:{CODE}:strokes:<turn>   list  one JSON item per stroke entry        (S5)
    P room:{CODE}:log:<turn>       hash  n = next seq, m = bookkeeping JSON    (S13)
    P room:{CODE}:chat             list  the newest chat records (JSON)        (S14)
    P deadlines                    zset  code -> deadline (epoch seconds)      (S6)
    P public                       zset  code -> open seats                    (S8)
    P session:<token>              string session JSON with a TTL              (S7)
    P {nodes}:… and P node:{<node>}:rooms                                     (S12, store/redis_nodes.py)

Every key of a room carries the hash tag `{CODE}`, so the Lua scripts (store/redis_scripts.py) that touch
several of them stay in one Cluster slot (S10); the scripts that refresh or delete a room's stroke lists
and log bookkeeping derive those names from the turn set, which Redis allows for keys of the declared
keys' slot. A batch (S13) refreshes only its own log's keys and the room's state and turn set; every
room save refreshes the rest. The two global sorted sets
live in their own slot and are only touched by single-key commands or single-key scripts. Writes of a
room refresh the TTL of all its keys in the same script (S10). Rooms that expired (or were never
created) leave members in the global sets; `claim_due` and `find_public` skip and drop those lazily.
Every driver error becomes `StoreUnavailable` (S11).
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from redis import asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from game_server.config import safe_url
from game_server.store import redis_scripts as lua
from game_server.store.base import (
    DEFAULT_ROOM_TTL,
    Appended,
    Room,
    RoomStore,
    StoreUnavailable,
    VersionConflict,
)
from game_server.store.redis_nodes import RedisLiveness
from game_server.store.redis_support import dump as _dump
from game_server.store.redis_support import guarded as _guarded
from game_server.store.redis_support import ms as _ms

__all__ = ["RedisStore"]
POOL_SIZE = 64  # Redis connections per process (commands beyond it wait for one)


class RedisStore(RedisLiveness, RoomStore):
    """Rooms, strokes, deadlines, sessions and the public index in one Redis (or Cluster slot set).

    Construct it without I/O (`RedisStore(url, prefix)`); the connection opens on first use.
    `await RedisStore.connect(url, prefix)` also checks that Redis answers and raises StoreUnavailable
    naming the URL when it does not.
    """

    backend = "redis"

    def __init__(
        self,
        url: str,
        prefix: str = "",
        *,
        socket_timeout: float = 3.0,
        client: aioredis.Redis | None = None,
    ) -> None:
        if "{" in prefix or "}" in prefix:
            raise ValueError("the Redis key prefix must not contain braces (they would break the hash tag)")
        self.url = safe_url(url)
        self.prefix = prefix
        # One retry, on connection errors only: it replaces a pooled connection that died with a Redis
        # restart. Timeouts are not retried, since the script may already have run (a double append).
        retry = Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=1,
                      supported_errors=(RedisConnectionError,))
        # A bounded pool that queues: under a burst (30 batches/s per drawer, Redis slow to answer) more
        # than POOL_SIZE commands in flight wait for a connection (up to socket_timeout) instead of
        # failing with "Too many connections", which bench/bench_fanout.py hit with the default pool.
        self._redis = client or aioredis.Redis.from_pool(aioredis.BlockingConnectionPool.from_url(
            url,
            decode_responses=True,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=retry,
            retry_on_error=[RedisConnectionError],
            max_connections=POOL_SIZE,
            timeout=socket_timeout,
        ))
        self._create = self._redis.register_script(lua.CREATE)
        self._save = self._redis.register_script(lua.SAVE)
        self._append = self._redis.register_script(lua.APPEND)
        self._append_batch = self._redis.register_script(lua.APPEND_BATCH)
        self._claim = self._redis.register_script(lua.CLAIM)
        self._drop_claimed = self._redis.register_script(lua.DROP_CLAIMED)
        self._delete = self._redis.register_script(lua.DELETE)
        self._init_liveness()

    @classmethod
    def from_config(cls, config: Any) -> RedisStore:
        """The store for a `game_server.config.Config` with a redis_url (no I/O yet)."""
        return cls(config.redis_url, prefix=config.redis_prefix)

    @classmethod
    async def connect(cls, url: str, prefix: str = "", **kwargs: Any) -> RedisStore:
        """A store whose Redis answered PING; StoreUnavailable naming `url` otherwise."""
        store = cls(url, prefix, **kwargs)
        try:
            await store.ping()
        except StoreUnavailable as exc:
            await store.close()
            raise StoreUnavailable(f"cannot reach Redis at {safe_url(url)}: {exc.__cause__ or exc}") from exc
        return store

    # -- keys (S10) ------------------------------------------------------------------------------
    def _room(self, code: str) -> str:
        if "{" in code or "}" in code:
            raise ValueError(f"room code {code!r} must not contain braces")
        return f"{self.prefix}room:{{{code}}}:"

    def _keys(self, code: str) -> tuple[str, str, str]:
        """(state key, turn-set key, prefix of the stroke lists) of a room."""
        base = self._room(code)
        return base + "state", base + "turns", base + "strokes:"

    @property
    def _deadlines(self) -> str:
        return f"{self.prefix}deadlines"

    @property
    def _public(self) -> str:
        return f"{self.prefix}public"

    def _session(self, token: str) -> str:
        return f"{self.prefix}session:{token}"

    # -- rooms (S1-S4, S9) -------------------------------------------------------------------------
    @_guarded
    async def create_room(self, code: str, room: Room, ttl: int = DEFAULT_ROOM_TTL) -> bool:
        state, turns, strokes = self._keys(code)
        # Versions start at the creation time in microseconds, so a room re-created under a deleted
        # room's code never repeats a version that a stale writer could still hold (S2, S3).
        first = str(time.time_ns() // 1000)
        created = await self._create(keys=[state, turns], args=[_dump(room), first, _ms(ttl), strokes])
        return bool(created)

    @_guarded
    async def load(self, code: str) -> tuple[Room, int] | None:
        data, version = await self._redis.hmget(self._keys(code)[0], ["d", "v"])
        if data is None or version is None:
            return None
        return json.loads(data), int(version)

    @_guarded
    async def save(self, code: str, room: Room, expected_version: int, ttl: int = DEFAULT_ROOM_TTL) -> int:
        state, turns, strokes = self._keys(code)
        data = _dump(room)  # serialize first: a room that cannot be stored leaves the stored one intact
        ok, version = await self._save(
            keys=[state, turns], args=[str(int(expected_version)), data, _ms(ttl), strokes]
        )
        if not ok:
            raise VersionConflict(f"room {code}: expected version {expected_version}, found {version}")
        return int(version)

    @_guarded
    async def delete_room(self, code: str) -> None:
        state, turns, strokes = self._keys(code)
        await self._delete(keys=[state, turns], args=[strokes, self._room(code) + "log:"])
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.delete(self._room(code) + "chat")  # a failure here leaves chat that expires by its TTL
            pipe.zrem(self._deadlines, code)
            pipe.zrem(self._public, code)
            await pipe.execute()

    # -- strokes (S5) ------------------------------------------------------------------------------
    @_guarded
    async def append_strokes(
        self, code: str, turn_key: str, items: list[Any], ttl: int = DEFAULT_ROOM_TTL
    ) -> int:
        state, turns, strokes = self._keys(code)
        encoded = [_dump(item) for item in items]  # all or nothing
        length = await self._append(
            keys=[state, turns, strokes + turn_key], args=[_ms(ttl), strokes, turn_key, *encoded]
        )
        return int(length)

    @_guarded
    async def append_batch(
        self, code: str, turn_key: str, seq: int, items: list[Any], base: str, meta: str, room_version: int,
        ttl: int = DEFAULT_ROOM_TTL,
    ) -> Appended:
        state, turns, strokes = self._keys(code)
        encoded = [_dump(item) for item in items]  # all or nothing
        status, index, stored = await self._append_batch(
            keys=[state, turns, strokes + turn_key, self._room(code) + "log:" + turn_key],
            args=[str(int(room_version)), int(seq), base, meta, _ms(ttl), turn_key, *encoded],
        )
        return Appended(str(status), int(index), str(stored))

    @_guarded
    async def read_log_meta(self, code: str, turn_key: str) -> str:
        return await self._redis.hget(self._room(code) + "log:" + turn_key, "m") or ""

    @_guarded
    async def get_strokes(
        self, code: str, turn_key: str, start: int = 0, end: int | None = None
    ) -> list[Any]:
        key = self._keys(code)[2] + turn_key
        if start < 0 or (end is not None and end < 0):  # Python slice semantics, done client-side
            items = await self._redis.lrange(key, 0, -1)
            items = items[start:end]
        elif end is not None and end <= start:
            return []
        else:
            items = await self._redis.lrange(key, start, -1 if end is None else end - 1)
        return [json.loads(item) for item in items]

    # -- recent chat (S14) -------------------------------------------------------------------------
    @_guarded
    async def append_chat(self, code: str, item: Any, keep: int, ttl: int = DEFAULT_ROOM_TTL) -> None:
        key = self._room(code) + "chat"
        async with self._redis.pipeline(transaction=True) as pipe:  # MULTI: push, trim, expire at once
            pipe.rpush(key, _dump(item))
            pipe.ltrim(key, -keep, -1)
            pipe.pexpire(key, _ms(ttl))
            await pipe.execute()

    @_guarded
    async def recent_chat(self, code: str) -> list[Any]:
        return [json.loads(item) for item in await self._redis.lrange(self._room(code) + "chat", 0, -1)]

    # -- deadlines (S6) ----------------------------------------------------------------------------
    @_guarded
    async def set_deadline(self, code: str, at: float | None) -> None:
        self._room(code)  # validates the code
        if at is None:
            await self._redis.zrem(self._deadlines, code)
        else:
            await self._redis.zadd(self._deadlines, {code: float(at)})

    @_guarded
    async def claim_due(self, now: float, lease: float = 5.0, limit: int = 100) -> list[str]:
        if limit <= 0:
            return []
        until = repr(float(now + lease))
        claimed: list[str] = await self._claim(
            keys=[self._deadlines], args=[repr(float(now)), until, int(limit)]
        )
        if not claimed:
            return []
        gone = [code for code, alive in zip(claimed, await self._exists(claimed), strict=True) if not alive]
        if gone:  # an expired room (S10): its deadline goes with it
            await self._drop_claimed(keys=[self._deadlines], args=[until, *gone])
        return [code for code in claimed if code not in gone]

    async def _exists(self, codes: list[str]) -> list[bool]:
        """Whether each room's state key exists (one pipelined EXISTS per room: keys span slots)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for code in codes:
                pipe.exists(self._keys(code)[0])
            return [bool(n) for n in await pipe.execute()]

    # -- sessions (S7) -----------------------------------------------------------------------------
    @_guarded
    async def put_session(self, token: str, data: dict[str, Any], ttl: float) -> None:
        await self._redis.set(self._session(token), _dump(data), px=_ms(ttl))

    @_guarded
    async def get_session(self, token: str) -> dict[str, Any] | None:
        text = await self._redis.get(self._session(token))
        return None if text is None else json.loads(text)

    @_guarded
    async def delete_session(self, token: str) -> None:
        await self._redis.delete(self._session(token))

    # -- public index (S8) -------------------------------------------------------------------------
    @_guarded
    async def set_public(self, code: str, open_seats: int) -> None:
        self._room(code)
        if open_seats <= 0:
            await self._redis.zrem(self._public, code)
        else:
            await self._redis.zadd(self._public, {code: int(open_seats)})

    @_guarded
    async def find_public(self) -> list[str]:
        codes: list[str] = await self._redis.zrange(self._public, 0, -1)
        if not codes:
            return []
        alive = await self._exists(codes)
        gone = [code for code, ok in zip(codes, alive, strict=True) if not ok]
        if gone:  # rooms that expired (S10) leave the index
            await self._redis.zrem(self._public, *gone)
        return [code for code, ok in zip(codes, alive, strict=True) if ok]

    # -- operations ----------------------------------------------------------------------------------
    @_guarded
    async def ping(self) -> None:
        """Raise StoreUnavailable unless Redis answers (start-up check and /healthz)."""
        await self._redis.ping()

    async def close(self) -> None:
        """Close the connection pool (errors while closing are ignored: Redis may already be gone)."""
        with contextlib.suppress(RedisError, OSError):
            await self._redis.aclose()
