"""Room-store benchmark: operations per second and p50/p99 latency of the memory and Redis stores.

    .venv/bin/python bench/bench_store.py [--redis-url redis://127.0.0.1:6379/0] [--ops 3000]
                                          [--concurrency 1,16] [--rooms 16]

Operations (each timed on its own, with `concurrency` tasks at once, spread over `rooms` rooms):
  update   read-modify-write of a ~2 KB room (one guess, say): load + version-checked save
  append   append_strokes of one batch (4 items of 16 points), as the drawer streams
  claim    claim_due(now, lease=0, limit=10) over 100 due rooms, as every process's clock polls
Redis: the URL given, else 127.0.0.1:6379 if it answers, else a throwaway redis-server. Keys live under a
unique prefix and are deleted afterwards.

Targets (TARGETS below; Redis on localhost, 16 concurrent tasks, one 2-core box shared by client and
Redis): every Redis operation >= 1,000 ops/s with p99 <= 50 ms. A busy room needs ~20 writes/s (strokes
at 10 batches/s, guesses, clock), so that leaves room for dozens of busy rooms per process. The memory
store is the upper bound and is reported for comparison only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from game_server.store.base import RoomStore, VersionConflict  # noqa: E402
from game_server.store.memory import MemoryStore  # noqa: E402


def sample_room(code: str) -> dict:
    players = [
        {"id": f"p{i}", "name": f"Player {i}", "score": 100 * i, "connected": True, "guessed": i % 2 == 0}
        for i in range(8)
    ]
    return {
        "code": code, "phase": "drawing", "round": 1, "turn": 3, "players": players, "host": "p0",
        "settings": {"rounds": 3, "draw_time": 80, "word_choices": 3, "hints": 2, "custom_words": []},
        "word": "bicycle", "hint": "b _ _ _ _ _ e", "deadline": time.time() + 60, "counter": 0,
        "chat": [{"from": "p1", "text": "is it a bike" * 2}] * 10,
    }


def stroke_batch(i: int) -> list[dict]:
    return [{"seq": i, "color": "#000000", "width": 4, "tool": "pen",
             "points": [[(i * 7 + k) % 800, (k * 13) % 600] for k in range(16)]} for _ in range(4)]


async def _bump(store: RoomStore, code: str) -> int:
    """One read-modify-write as handlers/runtime.run does it: load, change, version-checked save, retry."""
    while True:
        room, version = await store.load(code)  # type: ignore[misc]
        room = {**room, "counter": room["counter"] + 1}
        try:
            await store.save(code, room, version, ttl=600)
        except VersionConflict:
            continue
        return room["counter"]


async def timed(
    n: int, concurrency: int, op: Callable[[int], Awaitable[object]]
) -> tuple[float, list[float]]:
    """Run op(0..n-1) with `concurrency` workers; returns (wall seconds, per-op latencies in seconds)."""
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            start = time.perf_counter()
            await op(i)
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies


TARGETS = {"min_ops_per_s": 1000.0, "max_p99_ms": 50.0}  # Redis, concurrency 16


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


async def bench_store(
    name: str, store: RoomStore, ops: int, concurrency: int, rooms: int
) -> list[tuple[str, float, float, float]]:
    """(op, ops/s, p50 ms, p99 ms) for each case."""
    tag = uuid.uuid4().hex[:6]
    codes = [f"B{tag}{i}" for i in range(rooms)]
    for code in codes:
        await store.create_room(code, sample_room(code), ttl=600)
    due = [f"D{tag}{i}" for i in range(100)]
    for code in due:
        await store.create_room(code, {"code": code}, ttl=600)
        await store.set_deadline(code, 1.0)

    cases: dict[str, Callable[[int], Awaitable[object]]] = {
        "update": lambda i: _bump(store, codes[i % rooms]),
        "append": lambda i: store.append_strokes(codes[i % rooms], "r1t1", stroke_batch(i), ttl=600),
        "claim": lambda i: store.claim_due(1000.0 + i, lease=0.0, limit=10),
    }
    lines = []
    for op, fn in cases.items():
        await timed(min(200, ops), concurrency, fn)  # warm-up (connections, script cache)
        wall, lat = await timed(ops, concurrency, fn)
        lines.append((op, ops / wall, quantile(lat, 0.5) * 1e3, quantile(lat, 0.99) * 1e3))
    for code in codes + due:
        await store.delete_room(code)
    return lines


async def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--redis-url", help="Redis to measure (default: local or a throwaway server)")
    parser.add_argument("--ops", type=int, default=3000, help="timed operations per case")
    parser.add_argument("--concurrency", default="1,16", help="concurrent tasks (comma-separated runs)")
    parser.add_argument("--rooms", type=int, default=16, help="rooms the operations spread over")
    args = parser.parse_args()

    import redis_server

    from game_server.store.redis import RedisStore

    url = args.redis_url or redis_server.shared_redis_url()
    levels = [int(c) for c in args.concurrency.split(",")]
    print(f"ops={args.ops} rooms={args.rooms} redis={url}")
    print(f"{'store':<7} {'conc':>4} {'op':<7} {'ops/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
    stores: list[tuple[str, Callable[[], Awaitable[RoomStore]]]] = []

    async def memory() -> RoomStore:
        return MemoryStore()

    stores.append(("memory", memory))
    prefix = f"doodleai-bench:{uuid.uuid4().hex[:8]}:"
    if url is not None:
        stores.append(("redis", lambda: RedisStore.connect(url, prefix)))
    misses = []
    try:
        for name, make in stores:
            for conc in levels:
                store = await make()
                try:
                    rows = await bench_store(name, store, args.ops, conc, args.rooms)
                finally:
                    await store.close()
                for op, rate, p50, p99 in rows:
                    print(f"{name:<7} {conc:>4} {op:<7} {rate:>10,.0f} {p50:>9.3f} {p99:>9.3f}", flush=True)
                    if name == "redis" and conc == 16 and (
                        rate < TARGETS["min_ops_per_s"] or p99 > TARGETS["max_p99_ms"]
                    ):
                        misses.append(f"redis {op}: {rate:,.0f} ops/s, p99 {p99:.1f} ms")
    finally:
        if url is not None:
            redis_server.delete_prefix(url, prefix)
        redis_server.stop_all()
    if url is None:
        print("redis   (skipped: no Redis and no redis-server binary)")
    elif 16 in levels:
        verdict = "met" if not misses else "MISSED: " + "; ".join(misses)
        print(f"targets (redis, conc 16: >= {TARGETS['min_ops_per_s']:,.0f} ops/s, "
              f"p99 <= {TARGETS['max_p99_ms']:.0f} ms): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
