"""Fan-out benchmark: rooms of 8 per core for our server vs. the minimal Node.js Socket.IO relay.

    .venv/bin/python bench/bench_fanout.py [--rooms 5,10,20,40,60,80,120] [--duration 8]
        [--targets ours,node,ours-redis2] [--server-core 0] [--gen-core 1] [--idle 1000] [--profile 20]

Per target and room count R, a fresh server is started pinned to `--server-core` (taskset) and
bench/fanout_load.mjs (socket.io-client, pinned to `--gen-core`) sets up R rooms of 8: one drawer per room
streams 30 batches/s of 8 points, the 7 others measure draw-to-peer latency. Printed per R: p50/p99/max
latency, delivered/expected relays, the server's RSS. A target's ladder stops once two R in a row miss
p99 <= 100 ms (--p99-ms) with 100% delivery; the largest R that met it is its "rooms per core".
Targets:
  ours         python -m game_server, embedded memory store, one process
  ours-uvloop  the same with --event-loop uvloop (optional package)
  ours-before  our server from --before-root (an older commit), to compare with
  node         bench/node_relay.mjs: join + socket.to(room).emit (the reference a team would pick instead)
  ours-redis2  two game_server processes on one private redis-server (rooms and receivers spread over
               both, fan-out through Redis pub/sub); both processes AND Redis share the server core
               (ours-redis2-uvloop: the same with uvloop)
--idle N also measures memory per idle seated connection (N players in rooms of 8; RSS delta / N).
--profile R runs py-spy on our server at R rooms and prints the functions with the most samples.
Needs `npm install` in bench/ (socket.io, socket.io-client). Loopback only; each run is bounded in time.
Benchmarks are not tests: nothing here asserts timings.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
SERVER_ROOT = ROOT  # --server-root: where `python -m game_server` runs (an older tree, to compare)
BEFORE_ROOT = ROOT  # --before-root: the tree of target "ours-before"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_http(url: str, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError as exc:
            if getattr(exc, "code", None):  # an HTTP error status: the server answers
                return
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@dataclass
class Servers:
    urls: list[str]
    pids: list[int]
    redis_pid: int | None = None

    def rss_mb(self) -> float:
        return sum(rss_kb(p) for p in self.pids) / 1024

    def redis_mb(self) -> float:
        return rss_kb(self.redis_pid) / 1024 if self.redis_pid else 0.0


@contextlib.contextmanager
def start(target: str, core: int, tmp: Path, env_extra: dict[str, str] | None = None) -> Iterator[Servers]:
    """Start `target` pinned to `core`; stop everything it started on exit."""
    procs: list[subprocess.Popen[bytes]] = []
    pin = ["taskset", "-c", str(core)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    try:
        if target == "node":
            port = free_port()
            procs.append(subprocess.Popen([*pin, "node", str(BENCH / "node_relay.mjs"), "--port", str(port)],
                                          stdout=subprocess.DEVNULL, env=env))
            urls = [f"http://127.0.0.1:{port}"]
            wait_http(urls[0] + "/socket.io/?EIO=4&transport=polling")
            yield Servers(urls, [procs[0].pid])
            return
        common = ["--log-level", "warning", "--log-format", "text", "--models-dir", str(tmp),
                  "--static-dir", str(tmp)]
        redis_pid, extra = None, []
        if target.endswith("uvloop"):
            extra += ["--event-loop", "uvloop"]
        count = 2 if target.startswith("ours-redis2") else 1
        if target.startswith("ours-redis2"):
            rport = free_port()
            redis = subprocess.Popen([*pin, "redis-server", "--port", str(rport), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
            procs.append(redis)
            redis_pid = redis.pid
            time.sleep(0.3)
            prefix = f"b{uuid.uuid4().hex[:6]}:"
            extra += ["--redis-url", f"redis://127.0.0.1:{rport}/0", "--redis-prefix", prefix]
        urls, pids = [], []
        for _ in range(count):
            port = free_port()
            with (tmp / f"server-{port}.log").open("wb") as log:  # the child keeps its own descriptor
                cmd = [*pin, PYTHON, "-m", "game_server", "--port", str(port), *common, *extra]
                root = BEFORE_ROOT if target == "ours-before" else SERVER_ROOT
                proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
            procs.append(proc)
            urls.append(f"http://127.0.0.1:{port}")
            pids.append(proc.pid)
        for url in urls:
            wait_http(url + "/healthz")
        yield Servers(urls, pids, redis_pid)
    finally:
        for proc in reversed(procs):  # game servers first, Redis last (they still write on the way out)
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        errors = [line for f in sorted(tmp.glob("server-*.log")) for line in f.read_text().splitlines()
                  if " ERROR " in line]
        for f in tmp.glob("server-*.log"):
            f.unlink()
        if errors:
            print(f"    server logged {len(errors)} errors, e.g. {errors[0][:200]}", flush=True)


def generate(servers: Servers, target: str, core: int, args: list[str], timeout: float) -> tuple[dict, float]:
    """Run the Node load generator; returns its result line and the server RSS peak (MB) while it ran."""
    proto = "node" if target == "node" else "ours"
    cmd = ["taskset", "-c", str(core), "node", str(BENCH / "fanout_load.mjs"), "--target", proto,
           "--urls", ",".join(servers.urls), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak = 0.0
    result: dict = {}
    end = time.monotonic() + timeout
    assert proc.stdout is not None
    for line in proc.stdout:
        data = json.loads(line)
        peak = max(peak, servers.rss_mb())
        if data.get("ready"):
            time.sleep(1.0)
            peak = max(peak, servers.rss_mb())
            result["ready"] = data
        else:
            result.update(data)
        if time.monotonic() > end:
            proc.kill()
            break
    proc.wait()
    return result, peak


def ok(row: dict, p99_ms: float) -> bool:
    return (not row.get("error") and row.get("expected", 0) > 0 and row["delivered"] == row["expected"]
            and not row.get("ack_errors") and row["p99"] is not None and row["p99"] <= p99_ms)


def fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}" if v >= 10 else f"{v:.1f}"


def ladder(target: str, rooms: list[int], a: argparse.Namespace, tmp: Path) -> int:
    """Run R = rooms... until two in a row fail (one may be a scheduling hiccup of a shared machine);
    returns the largest R that passed (0 if none)."""
    best, failures = 0, 0
    for r in rooms:
        with start(target, a.server_core, tmp) as servers:
            base = servers.rss_mb()
            row, peak = generate(servers, target, a.gen_core,
                                 ["--rooms", str(r), "--duration", str(a.duration)], timeout=a.duration + 240)
            redis = f" redis {servers.redis_mb():.0f} MB" if servers.redis_pid else ""
        if row.get("error"):
            print(f"  {target:<12} R={r:<4} error: {row['error']}", flush=True)
            break
        passed = ok(row, a.p99_ms)
        print(f"  {target:<12} R={r:<4} players={r * 8:<5} p50={fmt(row['p50']):>6} ms"
              f"  p99={fmt(row['p99']):>6} ms  max={fmt(row['max']):>6} ms"
              f"  delivered={row['delivered']}/{row['expected']}"
              f"  ack_err={row['ack_errors']} retries={row.get('retries', 0)}"
              f"  server RSS {base:.0f}->{peak:.0f} MB{redis}"
              f"  {'ok' if passed else 'FAIL'}", flush=True)
        failures = 0 if passed else failures + 1
        if failures >= 2:
            break
        best = r if passed else best
    return best


def idle_memory(target: str, conns: int, a: argparse.Namespace, tmp: Path) -> float:
    """KB of server RSS per idle seated connection (N players in rooms of 8, nothing sent)."""
    with start(target, a.server_core, tmp) as servers:
        time.sleep(1.0)
        base = servers.rss_mb() + servers.redis_mb()
        idle = ["--mode", "idle", "--conns", str(conns), "--hold", "3"]
        row, peak = generate(servers, target, a.gen_core, idle, timeout=300)
        n = row.get("ready", {}).get("conns", conns)
    per = (peak - base) * 1024 / max(1, n)
    print(f"  {target:<12} {n} idle seated connections: RSS {base:.0f} -> {peak:.0f} MB = {per:.0f} KB each",
          flush=True)
    return per


def profile(rooms: int, a: argparse.Namespace, tmp: Path) -> None:
    """py-spy on our server (memory store) under `rooms` rooms; prints the top functions by own samples."""
    spy = shutil.which("py-spy") or str(Path(PYTHON).parent / "py-spy")
    out = tmp / "profile.txt"
    with start("ours", a.server_core, tmp) as servers:
        proc = subprocess.Popen(["taskset", "-c", str(a.gen_core), "node", str(BENCH / "fanout_load.mjs"),
                                 "--target", "ours", "--urls", servers.urls[0], "--rooms", str(rooms),
                                 "--duration", str(a.duration)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()  # ready: rooms are set up
        seconds = str(max(2, a.duration - 2))
        subprocess.run([spy, "record", "-p", str(servers.pids[0]), "-d", seconds, "-r", "100",
                        "-f", "raw", "-o", str(out), "--nonblocking"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.communicate(timeout=a.duration + 120)
    own: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]  # per function, not per line
        n = int(count)
        total += n
        own[frames[-1]] += n
        for f in set(frames):
            incl[f] += n
    print(f"  py-spy, {rooms} rooms, {total} samples. Own time:")
    for f, n in own.most_common(12):
        print(f"    {100 * n / total:5.1f}%  {f}")
    print("  Inclusive (selected):")
    for f, n in incl.most_common(60):
        if any(k in f for k in ("draw", "emit", "append_batch", "_send", "encode", "dumps", "loads", "sweep",
                                "tick", "deflate", "compress", "room_to_dict", "room_from_dict")):
            print(f"    {100 * n / total:5.1f}%  {f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rooms", default="5,10,20,40,60,80,120")
    p.add_argument("--duration", type=int, default=8, help="measured seconds per R (after 2 s warm-up)")
    p.add_argument("--targets", default="ours,node,ours-redis2")
    p.add_argument("--server-core", type=int, default=0)
    p.add_argument("--gen-core", type=int, default=1)
    p.add_argument("--p99-ms", type=float, default=100.0, help="latency bound of a passing R (default 100)")
    p.add_argument("--idle", type=int, default=0, help="also measure memory with this many idle players")
    p.add_argument("--profile", type=int, default=0, help="also profile our server at this many rooms")
    p.add_argument("--server-root", type=Path, default=ROOT,
                   help="run our server from this tree (e.g. an older commit: git archive <rev> game_server)")
    p.add_argument("--before-root", type=Path, default=None,
                   help="tree of target ours-before (e.g. git archive <old rev> game_server | tar -x -C DIR)")
    a = p.parse_args()
    global SERVER_ROOT, BEFORE_ROOT
    SERVER_ROOT = a.server_root.resolve()
    BEFORE_ROOT = a.before_root.resolve() if a.before_root else SERVER_ROOT
    if not (BENCH / "node_modules" / "socket.io").is_dir():
        sys.exit("run `npm install` in bench/ first (socket.io, socket.io-client)")
    rooms = [int(x) for x in a.rooms.split(",")]
    targets = a.targets.split(",")
    print(f"fan-out: rooms of 8, 1 drawer x 30 batches/s x 8 points, {a.duration} s measured per R; "
          f"server on core {a.server_core}, generator on core {a.gen_core}; {os.cpu_count()} CPUs")
    best: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for target in targets:
            best[target] = ladder(target, rooms, a, tmp)
        if a.idle:
            print("memory per idle connection:")
            for target in [t for t in targets if "redis2" not in t]:
                idle_memory(target, a.idle, a, tmp)
        if a.profile:
            profile(a.profile, a, tmp)
    print(f"rooms of 8 per core at p99 <= {a.p99_ms:g} ms with 100% delivery (largest R tried that passed):")
    for target, r in best.items():
        print(f"  {target:<12} {r}")
    node = best.get("node")
    if node:
        for target in [t for t in best if t != "node"]:
            print(f"  ratio {target}/node = {best[target] / node:.2f}"
                  + ("  (two processes + Redis on one core)" if "redis2" in target else ""))


if __name__ == "__main__":
    main()
