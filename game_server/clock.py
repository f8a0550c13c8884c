"""Fires room deadlines (turn timers, word-choice timeouts, hints, reconnection grace) exactly once.

Deadlines are timestamps the game core puts in room state; handlers copy the next one into the
store (`set_deadline`). Any number of processes run a `Clock`: each tick claims due rooms with a
lease (`store.claim_due`, rule S6), so one process fires a given deadline, and a process that dies
mid-fire lets another retry after the lease. Tests call `tick_once(now)` with a fake `now`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from game_server.context import ServerContext
from game_server.store.base import StoreUnavailable

log = logging.getLogger("game_server.clock")

FireFn = Callable[[ServerContext, str], Awaitable[Any]]


def is_due(deadline: float | None, now: float) -> bool:
    """Pure rule: a deadline fires once `now` reaches it; None never fires."""
    return deadline is not None and deadline <= now


class Clock:
    """Polls the store for due deadlines and hands each claimed room to `fire(ctx, code)`."""

    def __init__(
        self,
        ctx: ServerContext,
        fire: FireFn,
        *,
        interval: float | None = None,
        lease: float = 5.0,
        batch: int = 100,
    ) -> None:
        self.ctx = ctx
        self.fire = fire  # the game layer's on_deadline(ctx, code), injected by app.create_app
        self.interval = ctx.config.clock_interval if interval is None else interval
        self.lease = lease
        self.batch = batch
        self._task: asyncio.Task[None] | None = None
        self._store_down = False

    async def tick_once(self, now: float | None = None) -> list[str]:
        """Claim and fire every due room once; returns the codes fired (errors are logged, not raised)."""
        now = self.ctx.now() if now is None else now
        try:
            codes = await self.ctx.store.claim_due(now, self.lease, self.batch)
        except StoreUnavailable as exc:
            if not self._store_down:  # log the outage once, not every tick
                log.error("store unavailable; deadlines wait", extra={"error": str(exc)})
            self._store_down = True
            return []
        if self._store_down:
            log.info("store available again; deadlines resume")
            self._store_down = False
        fired: list[str] = []
        for code in codes:
            started = time.perf_counter()
            try:
                await self.fire(self.ctx, code)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deadline handler failed", extra={"room": code, "event": "deadline"})
                self._count("deadline_errors_total")
                continue
            fired.append(code)
            self._count("deadlines_fired_total")
            self.ctx.metrics.observe("deadline_seconds", time.perf_counter() - started)
        return fired

    def _count(self, name: str) -> None:
        self.ctx.metrics.inc(name)

    async def run(self) -> None:
        """Tick every `interval` seconds until cancelled; nothing a tick raises stops the loop."""
        while True:
            try:
                await self.tick_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in a tick must not stop every timer of the process
                log.exception("clock tick failed")
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        """Run the loop in the background (no-op when interval <= 0: tests drive tick_once)."""
        if self._task is None and self.interval > 0:
            self._task = asyncio.create_task(self.run(), name="doodleai-clock")

    async def stop(self) -> None:
        """Cancel the loop and wait for it, so no deadline fires after shutdown."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()
