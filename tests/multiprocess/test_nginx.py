"""deploy/nginx.conf in front of two game-server processes: Socket.IO's polling start, the WebSocket
upgrade and the sticky affinity cookie work, and players spread over both processes share a room.

Needs an `nginx` binary (skipped without one); the config is used as shipped, with only the upstream
servers and the listen port replaced.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
import yarl
from redis_server import free_port

from .conftest import ROOT, Cluster

pytestmark = [pytest.mark.multiprocess, pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(120)]


def nginx_config(workdir: Path, ports: list[int], listen: int) -> Path:
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    upstream = "    server game:8080 max_fails=2 fail_timeout=5s;"
    assert upstream in site and "listen 8080;" in site
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;" for p in ports)
    site = site.replace(upstream, servers).replace("listen 8080;", f"listen {listen};")
    (workdir / "site.conf").write_text(site)
    main = workdir / "nginx.conf"
    main.write_text(
        f"worker_processes 1; pid {workdir}/nginx.pid; error_log {workdir}/error.log;\n"
        "events { worker_connections 256; }\n"
        f"http {{ access_log {workdir}/access.log; client_body_temp_path {workdir}/body;\n"
        f"  proxy_temp_path {workdir}/proxy; include {workdir}/site.conf; }}\n"
    )
    return main


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[[list[int]], int]]:
    """`start(upstream ports)` runs nginx with deploy/nginx.conf on a free port (returned); stopped after."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("no nginx binary")
    work = tmp_path / "nginx"
    work.mkdir()
    started: list[Path] = []

    def start(ports: list[int]) -> int:
        listen = free_port()
        conf = nginx_config(work, ports, listen)
        subprocess.run([binary, "-t", "-q", "-c", str(conf), "-p", str(work)], check=True)
        subprocess.run([binary, "-c", str(conf), "-p", str(work)], check=True)
        started.append(conf)
        return listen

    yield start
    for conf in started:
        subprocess.run([binary, "-c", str(conf), "-p", str(work), "-s", "stop"], check=False)


async def test_nginx_upgrades_websockets_and_keeps_sessions_sticky(
    cluster: Any, nginx: Callable[[list[int]], int], tmp_path: Path
) -> None:
    cl: Cluster = cluster(2)
    listen = nginx([s.port for s in cl.servers])
    work = tmp_path / "nginx"
    clients: list[socketio.AsyncClient] = []
    try:
        got: list[tuple[int, str]] = []
        # "localhost", not 127.0.0.1: aiohttp's cookie jar, like browsers' rules for IPs, ignores cookies
        # set by a bare IP address, and the affinity cookie is what keeps a session on one process.
        for i in range(6):
            client = socketio.AsyncClient(reconnection=False)
            client.on("chat", lambda data, i=i: got.append((i, data["text"])))
            await client.connect(f"http://localhost:{listen}", auth={"protocol": 1}, wait_timeout=10)
            clients.append(client)
        assert all(c.transport() == "websocket" for c in clients)  # polling handshake, then the upgrade
        code = (await clients[0].call("create_room", {"name": "P0"}, timeout=10))["code"]
        for i, client in enumerate(clients[1:], 1):
            ack = await client.call("join_room", {"code": code, "name": f"P{i}"}, timeout=10)
            assert ack["ok"], ack
        await clients[3].call("chat", {"text": "through nginx"}, timeout=10)
        for _ in range(100):
            if len([i for i, text in got if text == "through nginx"]) == len(clients):
                break
            await clients[0].sleep(0.05)
        assert sorted(i for i, text in got if text == "through nginx") == list(range(len(clients)))
        # /metrics stays off the public side; the game itself is served.
        async with aiohttp.ClientSession() as http:
            for path, status in (("/metrics", 403), ("/%6Detrics", 403), ("//metrics", 403),
                                 ("/metrics?x=1", 403), ("/healthz", 200)):
                url = yarl.URL(f"http://localhost:{listen}{path}", encoded=True)  # sent as written
                async with http.get(url) as resp:
                    assert resp.status == status, (path, resp.status)
                    assert "doodleai_" not in await resp.text()
        for client in clients:
            await client.disconnect()
        await clients[0].sleep(0.3)  # nginx logs a WebSocket request when it closes
        log = (work / "access.log").read_text()
        assert log.count('" 101 ') == len(clients)  # every client upgraded to WebSocket
        assert '" 400 ' not in log, "a request reached a process that did not know its session"
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                await client.disconnect()
