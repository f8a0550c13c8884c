"""Soak run: rooms created, played with strokes, abandoned and expired, on Redis with two server processes.

    .venv/bin/python bench/soak.py [--minutes 15] [--rooms 6] [--server-core 0] [--driver-core 1]

A private redis-server and two `python -m game_server` processes (short reconnect grace and room TTL, so
abandoned rooms go within seconds) are started; the driver (python-socketio clients spread over both
processes) runs cycles of `--rooms` rooms of 4, each one of:
  finished   the game starts, the drawer streams 60 batches, a guess; everyone leaves (room deleted)
  abandoned  the same, then every client drops its connection (the seats go after the grace)
  expired    a private lobby whose one player idles until the room TTL passes (the store expires it)
It prints both processes' RSS and Redis's key count and memory every 30 s, and at the end, once the
grace and TTL have passed, against the baseline taken after a warm-up cycle: no leak of rooms, logs,
sessions, locks or tasks means the key count returns to the baseline and RSS levels off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import socketio
from redis import asyncio as aioredis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_fanout import free_port, rss_kb, wait_http

ROOT = Path(__file__).resolve().parent.parent
GRACE, TTL = 2.0, 15


class Player:
    def __init__(self, url: str) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.url = url
        self.state: dict | None = None
        self.sio.on("state", self._state)

    async def _state(self, view: dict) -> None:
        if self.state is None or view["rev"] >= self.state["rev"]:
            self.state = view

    async def connect(self) -> Player:
        await self.sio.connect(self.url, auth={"protocol": 1}, transports=["websocket"], wait_timeout=10)
        return self

    async def call(self, event: str, data: dict) -> dict:
        ack = await self.sio.call(event, data, timeout=10)
        if not ack.get("ok"):
            raise RuntimeError(f"{event}: {ack}")
        return ack


async def until(pred, timeout: float = 10.0):
    end = time.monotonic() + timeout
    while not (value := pred()):
        if time.monotonic() > end:
            raise TimeoutError("the game did not reach the expected state")
        await asyncio.sleep(0.02)
    return value


async def play(urls: list[str], kind: str, rng: random.Random) -> list[Player]:
    """One room of the given kind; returns the players still connected (the caller closes them)."""
    players = [await Player(urls[i % 2]).connect() for i in range(1 if kind == "expired" else 4)]
    created = await players[0].call("create_room", {"name": "P0", "settings": {"ai_player": False}})
    if kind == "expired":
        return players  # an idle lobby: nothing writes to it, so it expires after the TTL
    ids = [created["player_id"]]
    for j, p in enumerate(players[1:], 1):
        ids.append((await p.call("join_room", {"code": created["code"], "name": f"P{j}"}))["player_id"])
    await players[0].call("start_game", {})
    view = await until(lambda: players[0].state and players[0].state.get("drawer_id") and players[0].state)
    drawer = players[ids.index(view["drawer_id"])]
    word = (await drawer.call("choose_word", {"index": 0}))["word"]
    drawing = await until(lambda: drawer.state and drawer.state["phase"] == "drawing" and drawer.state)
    key = drawing["turn"]["key"]
    for seq in range(60):
        pts = [[rng.uniform(0, 800), rng.uniform(0, 600)] for _ in range(8)]
        op = ({"type": "stroke", "id": seq, "tool": "pen", "color": "#000000", "width": 3, "points": pts}
              if seq % 10 == 0 else {"type": "points", "id": seq - seq % 10, "points": pts})
        await drawer.call("draw", {"seq": seq, "ops": [op], "turn": key})
        await asyncio.sleep(1 / 30)
    guesser = next(p for p in players if p is not drawer)
    await guesser.call("chat", {"text": word})
    if kind == "finished":
        for p in players:
            await p.call("leave_room", {})
            await p.sio.disconnect()
        return []
    for p in players:  # abandoned: connections drop mid-game
        await p.sio.disconnect()
    return []


async def sample(pids: list[int], redis: aioredis.Redis, redis_pid: int) -> str:
    keys = await redis.dbsize()
    servers = sum(rss_kb(p) for p in pids) / 1024
    return f"server RSS {servers:.1f} MB  redis RSS {rss_kb(redis_pid) / 1024:.1f} MB  redis keys {keys}"


async def drive(a: argparse.Namespace, urls: list[str], pids: list[int], rport: int, redis_pid: int) -> None:
    redis = aioredis.Redis(port=rport)
    rng = random.Random(7)
    kinds = ["finished", "abandoned", "expired"]
    idle: list[tuple[float, Player]] = []

    async def cycle() -> None:
        results = await asyncio.gather(*(play(urls, kinds[i % 3], rng) for i in range(a.rooms)))
        for group in results:
            idle.extend((time.monotonic() + TTL + 5, p) for p in group)

    async def close_idle(force: bool = False) -> None:
        for at, p in list(idle):
            if force or time.monotonic() >= at:
                await p.sio.disconnect()
                idle.remove((at, p))

    await cycle()  # warm-up: imports, pools, first rooms
    await close_idle(force=True)
    await asyncio.sleep(GRACE + TTL + 5)
    base = await sample(pids, redis, redis_pid)
    print(f"baseline (after a warm-up cycle and its cleanup): {base}", flush=True)
    end = time.monotonic() + a.minutes * 60
    cycles, next_print = 0, time.monotonic() + 30
    while time.monotonic() < end:
        await cycle()
        cycles += 1
        await close_idle()
        if time.monotonic() >= next_print:
            print(f"  {cycles} cycles ({cycles * a.rooms} rooms): {await sample(pids, redis, redis_pid)}",
                  flush=True)
            next_print += 30
    await asyncio.sleep(TTL + 1)
    await close_idle(force=True)
    print(f"load stopped after {cycles} cycles ({cycles * a.rooms} rooms); waiting for grace and TTL",
          flush=True)
    await asyncio.sleep(GRACE + TTL + 10)
    print(f"end:      {await sample(pids, redis, redis_pid)}", flush=True)
    print(f"baseline: {base}", flush=True)
    leftover = sorted(k.decode() for k in await redis.keys("*"))
    print(f"keys left: {leftover}", flush=True)
    await redis.aclose()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=15.0)
    p.add_argument("--rooms", type=int, default=6, help="rooms per cycle (a third of each kind)")
    p.add_argument("--server-core", type=int, default=0)
    p.add_argument("--driver-core", type=int, default=1)
    a = p.parse_args()
    import subprocess

    pin = ["taskset", "-c", str(a.server_core)]
    rport = free_port()
    redis_cmd = ["redis-server", "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"]
    procs = [subprocess.Popen([*pin, *redis_cmd], stdout=subprocess.DEVNULL)]
    time.sleep(0.3)
    urls, pids = [], []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for _ in range(2):
                port = free_port()
                with (Path(tmp) / f"server-{port}.log").open("wb") as log:
                    cmd = [sys.executable, "-m", "game_server", "--port", str(port),
                           "--redis-url", f"redis://127.0.0.1:{rport}/0", "--reconnect-grace", str(GRACE),
                           "--room-ttl", str(TTL), "--log-level", "warning", "--log-format", "text",
                           "--models-dir", tmp, "--static-dir", tmp]
                    procs.append(subprocess.Popen([*pin, *cmd], cwd=ROOT, stdout=log,
                                                  stderr=subprocess.STDOUT))
                urls.append(f"http://127.0.0.1:{port}")
                pids.append(procs[-1].pid)
            for url in urls:
                wait_http(url + "/healthz")
            os.sched_setaffinity(0, {a.driver_core})
            print(f"soak: {a.minutes} min, {a.rooms} rooms per cycle, two processes + Redis on core "
                  f"{a.server_core}, driver on core {a.driver_core}; grace {GRACE} s, room TTL {TTL} s",
                  flush=True)
            asyncio.run(drive(a, urls, pids, rport, procs[0].pid))
        finally:
            for proc in reversed(procs):
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            errors = [line for f in Path(tmp).glob("*.log") for line in f.read_text().splitlines()
                      if "ERROR" in line]
            print(f"server log errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:5]))


if __name__ == "__main__":
    main()
