"""The real process: start `python -m game_server`, talk to it, stop it with a signal (exit 0)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import socketio

from game_server.protocol import PROTOCOL_VERSION

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DOODLEAI_") and k != "REDIS_URL"}
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "game_server", *args], cwd=ROOT, env=full_env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


async def wait_healthy(port: int, proc: subprocess.Popen[str], timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[1]
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    return await resp.json()
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError("server did not become healthy")


def stop(proc: subprocess.Popen[str], sig: int, timeout: float = 8.0) -> tuple[int, float, str]:
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"no exit within {timeout}s after signal {sig}:\n{err}") from None
    return proc.returncode, time.monotonic() - started, err


def _check_logs(err: str, port: int) -> None:
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(r["msg"] == "listening" and r["url"] == f"http://127.0.0.1:{port}" for r in records), err
    assert records[-1]["msg"] == "stopped"
    assert all({"ts", "level", "logger", "msg"} <= r.keys() for r in records)


async def test_serves_then_exits_0_on_sigterm_disconnecting_socketio_clients():
    port = free_port()
    # The environment gives the port and the log format; a flag gives the level.
    proc = start("--log-level", "info", env={"DOODLEAI_PORT": str(port), "DOODLEAI_LOG_FORMAT": "json"})
    client = socketio.AsyncClient(reconnection=False)
    disconnected = asyncio.Event()
    client.on("disconnect", lambda *_: disconnected.set())
    try:
        health = await wait_healthy(port, proc)
        assert health["ok"] is True and health["store"] == "memory"
        await client.connect(
            f"http://127.0.0.1:{port}", transports=["websocket"], wait_timeout=5,
            auth={"protocol": PROTOCOL_VERSION},
        )
        rc, took, err = await asyncio.to_thread(stop, proc, signal.SIGTERM)
        await asyncio.wait_for(disconnected.wait(), 2)
    finally:
        await client.disconnect()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert rc == 0, err
    assert took < 3.0, err
    _check_logs(err, port)


async def test_sigint_exits_0_even_when_a_client_never_answers():
    port = free_port()
    proc = start("--port", str(port))
    try:
        await wait_healthy(port, proc)
        async with aiohttp.ClientSession() as http:
            url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
            async with http.ws_connect(url) as ws:
                assert (await ws.receive_str(timeout=5)).startswith("0{")
                await ws.send_str("40" + json.dumps({"protocol": PROTOCOL_VERSION}))  # Socket.IO connect
                assert (await ws.receive_str(timeout=5)).startswith("40{")
                rc, took, err = stop(proc, signal.SIGINT)  # blocks this loop: the client is frozen
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert rc == 0, err
    assert took < 7.0, err
    _check_logs(err, port)


def test_port_in_use_exits_nonzero_with_a_clear_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start("--port", str(port), "--log-format", "text")
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert f"cannot listen on http://127.0.0.1:{port}" in err


def test_unreachable_redis_exits_nonzero_naming_the_url():
    url = f"redis://127.0.0.1:{free_port()}/0"
    proc = start("--port", str(free_port()), "--log-format", "text", env={"REDIS_URL": url})
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert url.removesuffix("/0").removeprefix("redis://") in err


async def test_redis_backend_process_serves_health_and_exits_0(redis_url, redis_prefix):
    port = free_port()
    proc = start("--port", str(port), "--redis-url", redis_url, env={"DOODLEAI_REDIS_PREFIX": redis_prefix})
    client = socketio.AsyncClient(reconnection=False)
    try:
        health = await wait_healthy(port, proc)
        assert health["ok"] is True and health["store"] == "redis"
        await client.connect(
            f"http://127.0.0.1:{port}", transports=["websocket"], wait_timeout=5,
            auth={"protocol": PROTOCOL_VERSION},
        )
        rc, took, err = await asyncio.to_thread(stop, proc, signal.SIGTERM)
    finally:
        await client.disconnect()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert rc == 0, err
    assert took < 5.0, err
    _check_logs(err, port)


def test_mistyped_model_refuses_to_start_naming_the_path():
    proc = start("--port", str(free_port()), "--log-format", "text", "--model", "doodel")
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 2, err
    assert str(ROOT / "models" / "doodel.onnx") in err and "--no-ai" in err
    assert "Traceback" not in err


async def test_no_ai_starts_without_a_model_and_healthz_says_so():
    port = free_port()
    proc = start("--port", str(port), "--model", "doodel", "--no-ai")
    try:
        health = await wait_healthy(port, proc)
        assert health["ok"] is True and health["ai"] == "off" and "--no-ai" in health["ai_off_reason"]
        rc, _, err = await asyncio.to_thread(stop, proc, signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert rc == 0, err
