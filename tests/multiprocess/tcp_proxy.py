"""A tiny TCP proxy for fault injection: forwards to a target, and can freeze or cut live connections.

`freeze()` makes every open connection a black hole (bytes are swallowed, nothing is closed: what a
vanished host or a NAT that dropped its mapping looks like); new connections still pass. `cut()`
closes every open connection at once (what a Redis restart looks like to its clients).
"""

from __future__ import annotations

import asyncio
import contextlib


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._conns: list[_Conn] = []
        self._frozen: list[_Conn] = []  # kept referenced (their tasks live on) until stop()

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        conn = _Conn(writer, up_writer)
        self._conns.append(conn)
        conn.tasks = [asyncio.create_task(conn.pump(reader, up_writer)),
                      asyncio.create_task(conn.pump(up_reader, writer))]

    def freeze(self) -> int:
        """Black-hole every open connection; returns how many."""
        live = [c for c in self._conns if not c.closed]
        for conn in live:
            conn.frozen = True
        self._frozen += live
        self._conns = []
        return len(live)

    def cut(self) -> int:
        live = [c for c in self._conns if not c.closed]
        for conn in live:
            conn.close()
        self._conns = []
        return len(live)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for conn in self._conns + self._frozen:
            conn.close()


class _Conn:
    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter) -> None:
        self.client, self.upstream = client, upstream
        self.frozen = False
        self.closed = False
        self.tasks: list[asyncio.Task[None]] = []

    async def pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(65536):
                if self.frozen:
                    continue  # swallow: the peer waits forever
                dst.write(data)
                await dst.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            if not self.frozen:
                self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for writer in (self.client, self.upstream):
            with contextlib.suppress(Exception):
                writer.close()
        for task in self.tasks:
            if task is not asyncio.current_task():
                task.cancel()
