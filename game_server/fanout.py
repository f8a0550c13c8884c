"""Socket.IO fan-out across processes through Redis pub/sub, with a watchdog on the listener.

`WatchedRedisManager` is python-socketio's `AsyncRedisManager` with these repairs (the first is a
failure we reproduced with the stock manager: tests/multiprocess/test_fanout_watchdog.py):

- Silent listener death (python-socketio #1581): the listener blocks on its pub/sub socket with no
  read timeout, so a connection that dies without a FIN/RST (a vanished host, a dropped NAT mapping, a
  proxy that stops forwarding) stalls it forever while publishes, on a fresh connection, still work:
  this process then silently stops receiving other processes' emits. Each process publishes a
  heartbeat on the channel every `heartbeat_interval` seconds and expects to hear its own; when none
  arrives for `stale_after` seconds, the listener task is cancelled and started again.
- Connection leak on reconnect (#1569): each listener reconnect creates a new Redis client and never
  closes the previous one (it relies on garbage collection). The previous client and pub/sub are now
  closed explicitly; we could not make the stock manager leak with redis-py 8, so this is hygiene.
- Publisher and listener share one client object, so a failed publish replaces the listener's
  connection under it. Publishing now has its own client, which retries once on a fresh connection
  when Redis closed the pooled one (a restart), so the first emit after a restart is not lost
  (redis-py clients made by from_url retry nothing unless told to).

The restart also resets the listener's reconnect back-off, which otherwise grows to 60 s during a long
Redis outage and keeps fan-out down for up to a minute after Redis is back.
Must not import the store or the game; handlers keep emitting through `sio` as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import socketio
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

from game_server.relay import DirectEmit

log = logging.getLogger("game_server.fanout")

HEARTBEAT = "doodleai-heartbeat"


class WatchedRedisManager(socketio.AsyncRedisManager, DirectEmit):
    """AsyncRedisManager whose listener is restarted when it stops hearing its own heartbeats."""

    def __init__(
        self,
        url: str,
        channel: str = "socketio",
        *,
        heartbeat_interval: float = 5.0,
        stale_after: float = 15.0,
        redis_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # Short socket timeouts bound a publish on a dead connection; the listener's blocking read is
        # not affected by them (redis-py reads pub/sub messages without a timeout). A client made by
        # from_url retries nothing by default, so the first publish after a Redis restart would hit the
        # pooled connection Redis closed and be lost: retry once, on a fresh connection.
        options = {
            "socket_timeout": 2.0,
            "socket_connect_timeout": 2.0,
            "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), retries=1,
                           supported_errors=(RedisConnectionError,)),
            "retry_on_error": [RedisConnectionError],
            **(redis_options or {}),
        }
        super().__init__(url, channel=channel, redis_options=options, **kwargs)
        self.heartbeat_interval = heartbeat_interval
        self.stale_after = stale_after
        self.last_heartbeat = time.monotonic()
        self.listener_restarts = 0  # exported for tests and logs
        self._publisher: Any = None
        self._watchdog: asyncio.Task[None] | None = None
        self._publish_failing = False
        self._beat_marker = b""

    # -- listener --------------------------------------------------------------------------------
    def initialize(self) -> None:
        """Called by the server on its first client connection: start the listener and the watchdog."""
        super().initialize()
        self._beat_marker = self.host_id.encode()
        if not self.write_only:
            self._watchdog = self.server.start_background_task(self._watch)

    def _redis_connect(self) -> None:
        """(Listener only.) Connect afresh and close the client the listener used before (#1569)."""
        old = [x for x in (self.pubsub, self.redis) if x is not None]
        super()._redis_connect()
        if old:
            asyncio.get_running_loop().create_task(self._close_quietly(old))

    @staticmethod
    async def _close_quietly(objs: list[Any]) -> None:
        for obj in objs:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await obj.aclose()

    async def _listen(self):  # type: ignore[no-untyped-def]
        async for message in super()._listen():
            if self._beat_marker and self._beat_marker in message and HEARTBEAT.encode() in message:
                self.last_heartbeat = time.monotonic()
                continue  # ours; other processes' heartbeats fall through and are ignored by _thread
            yield message

    async def _watch(self) -> None:
        self.last_heartbeat = time.monotonic()
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            await self._publish({"method": HEARTBEAT, "host_id": self.host_id})
            silent = time.monotonic() - self.last_heartbeat
            if silent > self.stale_after:
                log.warning("fan-out listener heard nothing for %.1f s: restarting it", silent,
                            extra={"channel": self.channel, "restarts": self.listener_restarts + 1})
                await self._restart_listener()

    async def _restart_listener(self) -> None:
        self.listener_restarts += 1
        self.last_heartbeat = time.monotonic()  # give the new listener a full period
        task = getattr(self, "thread", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(BaseException):
                async with asyncio.timeout(2.0):
                    await task
        stale = [x for x in (self.pubsub, self.redis) if x is not None]
        self.pubsub = self.redis = None
        self.connected = False
        await self._close_quietly(stale)
        self.thread = self.server.start_background_task(self._thread)

    # -- publisher -------------------------------------------------------------------------------
    async def _publish(self, data: Any) -> Any:
        """Publish on a client of its own; errors are logged (once per outage), never raised."""
        try:
            if self._publisher is None:
                module = self._get_redis_module()
                self._publisher = module.Redis.from_url(self.redis_url, **self.redis_options)
            result = await self._publisher.publish(self.channel, self.json.dumps(data))
        except Exception as exc:  # the emitting handler must not fail because fan-out is down
            if not self._publish_failing:
                log.error("cannot publish to Redis: other processes miss this emit",
                          extra={"channel": self.channel, "error": f"{type(exc).__name__}: {exc}"})
            self._publish_failing = True
            return None
        if self._publish_failing:
            log.info("publishing to Redis again", extra={"channel": self.channel})
            self._publish_failing = False
        return result

    async def aclose(self) -> None:
        """Stop the watchdog and listener and close every Redis client (app cleanup)."""
        for task in (self._watchdog, getattr(self, "thread", None)):
            if task is not None:
                task.cancel()
                with contextlib.suppress(BaseException):
                    async with asyncio.timeout(2.0):
                        await task
        await self._close_quietly([x for x in (self.pubsub, self.redis, self._publisher) if x is not None])
        self.pubsub = self.redis = self._publisher = None
