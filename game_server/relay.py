"""Cheaper Socket.IO sends for the relay path: no binary scan of text payloads, no task per receiver.

Found by profiling bench/bench_fanout.py with py-spy (docs/scaling.md): python-socketio already encodes an
emit once for all its receivers, but it then walks every value of the payload looking for bytes (every
point of a stroke batch) and creates one asyncio task per receiver. Our payloads are JSON only, and an
Engine.IO send only puts the packet on the socket's queue, so receivers are served in one loop instead.
Must not import the store or the game.
"""

from __future__ import annotations

from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet


class DirectEmit(socketio.AsyncManager):
    """AsyncManager whose callback-less emit sends one encoded packet to each receiver in turn.

    Mixed in below AsyncPubSubManager too (fanout.WatchedRedisManager), where it does the local delivery
    of what arrives from Redis. Emits with a callback keep python-socketio's own path.
    """

    async def emit(self, event: str, data: Any, namespace: str, room: Any = None, skip_sid: Any = None,
                   callback: Any = None, to: Any = None, **kwargs: Any) -> None:
        if callback is not None or namespace not in self.rooms:
            return await super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                                      callback=callback, to=to, **kwargs)
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(packet.EVENT, namespace=namespace, data=[event, *args]).encode()
        eio_pkts = [eio_packet.Packet(eio_packet.MESSAGE, p) for p in (encoded if isinstance(encoded, list)
                                                                       else [encoded])]
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        for sid, eio_sid in list(self.get_participants(namespace, to or room)):
            if sid not in skip:
                for p in eio_pkts:
                    await self.server._send_eio_packet(eio_sid, p)
        return None


class LocalManager(DirectEmit):
    """The in-process manager of a single-process server (memory store)."""
