"""The deadline clock: fires each due room once per lease, survives errors, driven by a fake `now`."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from types import SimpleNamespace

from metric_values import metric_value

from game_server.clock import Clock, is_due
from game_server.config import Config
from game_server.metrics import Metrics
from game_server.store.memory import MemoryStore


def make_ctx(store=None, now=1000.0):
    return SimpleNamespace(
        config=replace(Config(), clock_interval=0), store=store or MemoryStore(),
        metrics=Metrics(), now=lambda: now,
    )


def test_is_due():
    assert not is_due(None, 5.0)
    assert not is_due(5.1, 5.0)
    assert is_due(5.0, 5.0) and is_due(4.0, 5.0)


async def test_due_rooms_fire_once_and_again_only_after_the_lease():
    ctx = make_ctx()
    fired: list[str] = []

    async def fire(_ctx, code):
        fired.append(code)

    clock = Clock(ctx, fire, lease=5.0)
    await ctx.store.set_deadline("AAAA", 10.0)
    await ctx.store.set_deadline("BBBB", 20.0)
    assert await clock.tick_once(9.0) == []
    assert await clock.tick_once(10.0) == ["AAAA"]
    assert await clock.tick_once(12.0) == []  # leased to this process until 15
    # The handler did not move the deadline (as if its process died): it comes due after the lease.
    assert sorted(await clock.tick_once(20.0)) == ["AAAA", "BBBB"]
    assert fired == ["AAAA", "AAAA", "BBBB"] or fired == ["AAAA", "BBBB", "AAAA"]
    assert metric_value(ctx.metrics, "deadlines_fired_total") == 3


async def test_two_clocks_sharing_a_store_never_fire_the_same_deadline_twice():
    store = MemoryStore()
    fired: list[str] = []

    async def fire(ctx, code):
        fired.append(code)
        await ctx.store.set_deadline(code, None)

    clocks = [Clock(make_ctx(store), fire) for _ in range(2)]
    for i in range(20):
        await store.set_deadline(f"ROOM{i:02d}", 50.0 + i)
    for now in (55.0, 60.0, 80.0):
        await asyncio.gather(*(c.tick_once(now) for c in clocks))
    assert sorted(fired) == [f"ROOM{i:02d}" for i in range(20)]


async def test_a_failing_handler_is_logged_with_its_room_and_others_still_fire(caplog):
    ctx = make_ctx()
    fired: list[str] = []

    async def fire(_ctx, code):
        if code == "BAD1":
            raise RuntimeError("boom")
        fired.append(code)

    await ctx.store.set_deadline("BAD1", 1.0)
    await ctx.store.set_deadline("GOOD", 2.0)
    with caplog.at_level(logging.ERROR, logger="game_server.clock"):
        assert await Clock(ctx, fire).tick_once(3.0) == ["GOOD"]
    assert fired == ["GOOD"]
    record = next(r for r in caplog.records if r.msg == "deadline handler failed")
    assert record.room == "BAD1" and record.exc_info
    assert metric_value(ctx.metrics, "deadline_errors_total") == 1


async def test_store_outage_waits_instead_of_raising():
    store = MemoryStore()
    ctx = make_ctx(store)
    fired: list[str] = []

    async def fire(_ctx, code):
        fired.append(code)

    clock = Clock(ctx, fire)
    await store.set_deadline("ROOM", 1.0)
    store.available = False
    assert await clock.tick_once(2.0) == []
    store.available = True
    assert await clock.tick_once(2.0) == ["ROOM"]


async def test_loop_survives_errors_and_stops_cleanly():
    calls = 0

    class FlakyStore(MemoryStore):
        async def claim_due(self, now, lease=5.0, limit=100):
            nonlocal calls
            calls += 1
            if calls == 1:
                raise ValueError("a bug, not an outage")
            return await super().claim_due(now, lease, limit)

    ctx = make_ctx(FlakyStore())
    fired: list[str] = []

    async def fire(_ctx, code):
        fired.append(code)
        await ctx.store.set_deadline(code, None)

    await ctx.store.set_deadline("ROOM", 0.0)
    clock = Clock(ctx, fire, interval=0.001)
    clock.start()
    for _ in range(500):
        if fired:
            break
        await asyncio.sleep(0.002)
    await clock.stop()
    assert fired == ["ROOM"] and calls >= 2 and not clock.running


def test_interval_zero_means_no_loop():
    clock = Clock(make_ctx(), lambda c, k: None)
    clock.start()
    assert not clock.running
