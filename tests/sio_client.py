"""The recording Socket.IO test client shared by the integration and multi-process tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import socketio


class RecordingClient:
    """A python-socketio AsyncClient that records every event it receives.

    `timeout` bounds connects and acks; `wait` is the default patience of wait_for/wait_event
    (multi-process tests cross real processes and Redis, so they pass longer ones).
    """

    def __init__(self, url: str, *, timeout: float = 5.0, wait: float = 3.0) -> None:
        self.url = url
        self.timeout = timeout
        self.wait = wait
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.player_id: str | None = None
        self.token: str | None = None

        async def record(event: str, *args: Any) -> None:
            self.events.append((event, args[0] if len(args) == 1 else list(args)))

        self.sio.on("*", record)

    async def connect(self, auth: Any = None) -> None:
        await self.sio.connect(self.url, auth={"protocol": 1} if auth is None else auth,
                               transports=["websocket"], wait_timeout=self.timeout)

    async def call(self, event: str, payload: Any = None, *more: Any) -> dict[str, Any]:
        """Emit with an ack; no payload sends nothing (bad-input tests rely on that)."""
        data = () if payload is None and not more else (payload, *more)
        if len(data) > 1:
            return await self.sio.call(event, data, timeout=self.timeout)  # several args arrive as one list
        return await self.sio.call(event, data[0] if data else None, timeout=self.timeout)

    async def ok(self, event: str, payload: Any = None) -> dict[str, Any]:
        ack = await self.call(event, {} if payload is None else payload)
        assert ack.get("ok"), (event, payload, ack)
        if "player_id" in ack:
            self.player_id, self.token = ack["player_id"], ack["token"]
        return ack

    def named(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    def last_state(self) -> dict[str, Any]:
        states = self.named("state")
        assert states, "no state received"
        return max(states, key=lambda s: s["rev"])

    async def wait_for(self, pred: Callable[[], Any], timeout: float | None = None) -> Any:
        loop = asyncio.get_running_loop()
        end = loop.time() + (self.wait if timeout is None else timeout)
        while True:
            value = pred()
            if value:
                return value
            if loop.time() > end:
                names = [e for e, _ in self.events[-15:]]
                raise AssertionError(f"{self.player_id}: timed out; last event names: {names}; "
                                     f"last event: {self.events[-1:]}")
            await asyncio.sleep(0.01)

    async def wait_event(self, name: str, pred: Callable[[Any], bool] = lambda _: True,
                         timeout: float | None = None) -> Any:
        found = await self.wait_for(
            lambda: next(((d,) for e, d in self.events if e == name and pred(d)), None), timeout
        )
        return found[0]

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()
