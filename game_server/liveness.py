"""Server-process liveness: a heartbeat in the store, and a sweep that notices processes that died.

A process killed outright (SIGKILL, power loss) runs no disconnect handlers, so the rooms would keep its
players `connected` forever and their reconnection grace would never start. Every process therefore
beats every `node_ttl / 3` seconds (`store.heartbeat`, rule S12, listing the rooms its connections sit in)
and sweeps: it claims processes whose beat expired (`store.claim_dead_nodes`, leased, so one sweeper
handles each) and applies the core's `NodeLost` to every room indexed under them (the injected game
layer's `on_node_lost`), which disconnects exactly the members that process held. A process that finds
itself presumed dead (its loop stalled past the TTL) takes a fresh id and re-asserts its seats, so a late
sweep of the old id cannot touch them. Tests call `beat_once()` and `sweep_once()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from game_server.context import GameLayer, ServerContext
from game_server.store.base import StoreUnavailable

log = logging.getLogger("game_server.liveness")


class Liveness:
    """Heartbeat of this process and sweeper of dead ones (one per process; needs ctx.config.node_ttl > 0)."""

    def __init__(
        self, ctx: ServerContext, game: GameLayer, *, lease: float | None = None, batch: int = 20
    ) -> None:
        self.ctx = ctx
        self.game = game  # local_rooms, on_node_lost, reassert_seats (handlers.GAME, injected by create_app)
        self.ttl = float(ctx.config.node_ttl)
        self.interval = self.ttl / 3
        self.lease = ctx.config.clock_lease if lease is None else lease
        self.batch = batch
        self._beats = 0  # successful beats under the current id
        self._task: asyncio.Task[None] | None = None
        self._store_down = False

    async def beat_once(self) -> bool:
        """Refresh this process's heartbeat; True if it was alive (False on a first beat or a new id)."""
        game, store, ctx = self.game, self.ctx.store, self.ctx
        alive = await store.heartbeat(ctx.node_id, self.ttl, game.local_rooms(ctx))
        if not alive and self._beats > 0:
            old, ctx.node_id = ctx.node_id, uuid.uuid4().hex
            log.warning("this process was presumed dead (no heartbeat for %.1f s); continuing as a new node",
                        self.ttl, extra={"node": ctx.node_id, "old_node": old})
            self._beats = 0
            await store.heartbeat(ctx.node_id, self.ttl, game.local_rooms(ctx))
            kept = await game.reassert_seats(ctx)
            log.info("seats re-asserted", extra={"node": ctx.node_id, "seats": kept})
        self._beats += 1
        return alive

    async def sweep_once(self) -> list[str]:
        """Claim processes presumed dead and disconnect their members; returns the nodes handled."""
        store = self.ctx.store
        handled: list[str] = []
        for node in await store.claim_dead_nodes(self.lease, self.batch):
            rooms = await store.node_rooms(node)
            failed = 0
            for code in rooms:
                try:
                    await self.game.on_node_lost(self.ctx, node, code)
                except asyncio.CancelledError:
                    raise
                except StoreUnavailable:
                    raise  # the lease runs out and a sweeper tries again
                except Exception:
                    failed += 1
                    log.exception("node-lost handling failed", extra={"room": code, "node": node})
            if failed:
                continue  # retried after the lease
            await store.forget_node(node)
            handled.append(node)
            self._count("nodes_lost_total")
            log.warning("a server process stopped beating; its players' reconnection grace started",
                        extra={"node": node, "rooms": len(rooms)})
        return handled

    def _count(self, name: str) -> None:
        self.ctx.metrics.inc(name)

    async def tick(self) -> None:
        """One beat and one sweep; a store outage is logged once, not every tick."""
        try:
            await self.beat_once()
            await self.sweep_once()
        except StoreUnavailable as exc:
            if not self._store_down:
                log.error("store unavailable; liveness paused", extra={"error": str(exc)})
            self._store_down = True
            return
        if self._store_down:
            log.info("store available again; liveness resumes")
            self._store_down = False

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in one tick must not stop the heartbeat
                log.exception("liveness tick failed")
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        """Beat and sweep in the background (no-op when node_ttl <= 0)."""
        if self._task is None and self.ttl > 0:
            self._task = asyncio.create_task(self.run(), name="doodleai-liveness")

    async def stop(self) -> None:
        """Stop beating. The node's record is left to expire: a sweep then disconnects any member whose
        disconnect this process's shutdown did not get to (NodeLost is idempotent)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
