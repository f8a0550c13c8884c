"""How the server reads Socket.IO packets: python-socketio's own packet class, with a JSON decoder that
never fails.

A packet whose JSON the decoder cannot read (nested deeper than Python's recursion limit allows, an
integer literal over 100 digits, malformed text from a hand-made client), or an event packet that is
not `[name, ...]`, would otherwise raise inside python-socketio: a traceback in the log and no
acknowledgement. Here it decodes as the event `UNREADABLE`, which the edge
(handlers.dispatch.refuse_unknown) answers with `bad_request` like any other bad payload. Used only
by the server (`AsyncServer(serializer=WirePacket)`); clients are untouched.
"""

from __future__ import annotations

from typing import Any

import engineio.json
from socketio.packet import BINARY_EVENT, EVENT, Packet

UNREADABLE = "\x00unreadable"  # no client event can be named this by accident (a control character)


class _Json:
    """engineio's JSON module (it refuses integer literals over 100 digits), made total for decoding."""

    @staticmethod
    def dumps(*args: Any, **kwargs: Any) -> str:
        return engineio.json.dumps(*args, **kwargs)

    @staticmethod
    def loads(*args: Any, **kwargs: Any) -> Any:
        try:
            return engineio.json.loads(*args, **kwargs)
        except (ValueError, RecursionError) as exc:
            return [UNREADABLE, type(exc).__name__]


class WirePacket(Packet):
    """python-socketio's packet, decoding with `_Json`; an event packet must hold `[name: str, ...]`.

    The server sends JSON only, so encoding skips python-socketio's walk over every payload value in
    search of bytes (every point of a relayed stroke batch; found by profiling bench/bench_fanout.py).
    Client packets with binary attachments still decode (decoding does not look at this flag).
    """

    json = _Json
    uses_binary_events = False

    def decode(self, encoded_packet: Any) -> int:
        attachments: int = super().decode(encoded_packet)
        if self.packet_type in (EVENT, BINARY_EVENT) and not (
            isinstance(self.data, list) and self.data and isinstance(self.data[0], str)
        ):
            self.data = [UNREADABLE, "not [name, ...]"]  # python-socketio indexes data[0] unchecked
        return attachments
