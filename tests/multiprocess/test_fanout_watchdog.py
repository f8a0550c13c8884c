"""Socket.IO fan-out through Redis (game_server.fanout.WatchedRedisManager) survives Redis failures.

Two Socket.IO servers in this process, each with its own manager and Redis connections (as two server
processes would have), one client on each; an emit on one server must reach the other's client.
- A Redis restart: fan-out resumes within seconds, each server stays subscribed exactly once and the
  number of Redis connections stays bounded (python-socketio #1569 reported connections leaking on
  reconnect; with redis-py 8 we could not make the stock manager leak in this setup either).
- A half-open pub/sub connection (a proxy that stops forwarding without closing): python-socketio's own
  listener blocks forever on it (#1581, reproduced while building this); the heartbeat watchdog notices
  and restarts the listener.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis.asyncio as aioredis
import socketio
from aiohttp import web

from game_server.fanout import WatchedRedisManager

from .tcp_proxy import TcpProxy

pytestmark = [pytest.mark.redis, pytest.mark.slow]


class Pair:
    """Servers A and B sharing one Redis URL, with a recording client connected to each."""

    def __init__(self) -> None:
        self.servers: list[socketio.AsyncServer] = []
        self.runners: list[web.AppRunner] = []
        self.clients: list[socketio.AsyncClient] = []
        self.got: list[tuple[str, str]] = []

    async def start(self, url: str) -> Pair:
        for name in ("A", "B"):
            manager = WatchedRedisManager(url, channel="fanout-test", heartbeat_interval=0.3, stale_after=1.2)
            sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
            app = web.Application()
            sio.attach(app)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            client = socketio.AsyncClient(reconnection=False)
            client.on("hello", lambda data, name=name: self.got.append((name, data)))
            await client.connect(f"http://127.0.0.1:{port}", transports=["websocket"])
            self.servers.append(sio)
            self.runners.append(runner)
            self.clients.append(client)
        return self

    @property
    def managers(self) -> list[WatchedRedisManager]:
        return [sio.manager for sio in self.servers]  # type: ignore[misc]

    async def crosstalk(self) -> tuple[bool, bool]:
        """(A's emit reached B's client, B's emit reached A's client)."""
        self.got.clear()
        tag = f"{time.monotonic():.6f}"
        await self.servers[0].emit("hello", f"A{tag}")
        await self.servers[1].emit("hello", f"B{tag}")
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            ab, ba = ("B", f"A{tag}") in self.got, ("A", f"B{tag}") in self.got
            if ab and ba:
                break
            await asyncio.sleep(0.02)
        return ab, ba

    async def wait_crosstalk(self, within: float) -> float:
        """Seconds until fan-out works both ways again; fails after `within`."""
        start = time.monotonic()
        result = (False, False)
        while time.monotonic() - start < within:
            result = await self.crosstalk()
            if all(result):
                return time.monotonic() - start
        raise AssertionError(f"fan-out (A->B, B->A) still {result} after {within} s")

    async def close(self) -> None:
        for client in self.clients:
            if client.connected:
                await client.disconnect()
        for runner in self.runners:
            await runner.cleanup()
        for manager in self.managers:
            await manager.aclose()


@pytest.fixture
async def pair_factory() -> AsyncIterator[Callable[[str], Any]]:
    pairs: list[Pair] = []

    async def make(url: str) -> Pair:
        pair = Pair()
        pairs.append(pair)
        return await pair.start(url)

    yield make
    for pair in pairs:
        await pair.close()


async def _subscribers(url: str, channel: str) -> tuple[int, int]:
    client = aioredis.Redis.from_url(url)
    try:
        numsub = dict(await client.pubsub_numsub(channel))[channel.encode()]
        connected = (await client.info("clients"))["connected_clients"] - 1  # minus this client
        return numsub, connected
    finally:
        await client.aclose()


async def test_fanout_resumes_after_redis_restarts(
    redis_server_factory: Any, pair_factory: Any
) -> None:
    server = redis_server_factory()
    pair = await pair_factory(server.url)
    await pair.wait_crosstalk(within=3)
    before = await _subscribers(server.url, "fanout-test")
    assert before[0] == 2
    for down in (0.2, 1.5, 0.2):
        server.stop()
        await asyncio.sleep(down)
        assert await pair.crosstalk() == (False, False)  # nothing crosses while Redis is down
        server.start()
        took = await pair.wait_crosstalk(within=8)
        assert took < 8
    await asyncio.sleep(1.0)  # let replaced connections finish closing
    after = await _subscribers(server.url, "fanout-test")
    assert after[0] == 2, "each server subscribed exactly once (no zombie subscription)"
    # A publisher's pool may hold a second connection after two concurrent publishes; more is a leak.
    assert after[1] <= before[1] + 2, f"Redis connections grew from {before[1]} to {after[1]}"


async def test_stalled_listener_on_half_open_connection_is_restarted(
    redis_server_factory: Any, pair_factory: Any
) -> None:
    server = redis_server_factory()
    proxy = await TcpProxy("127.0.0.1", server.port).start()
    try:
        pair = await pair_factory(proxy.url)
        await pair.wait_crosstalk(within=3)
        assert proxy.freeze() >= 2  # every open connection, both listeners' included, now swallows bytes
        took = await pair.wait_crosstalk(within=10)
        assert all(m.listener_restarts >= 1 for m in pair.managers)
        assert took < 10
    finally:
        await proxy.stop()
