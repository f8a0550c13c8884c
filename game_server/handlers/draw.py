"""The drawing relay: validate a batch, apply it strictly in `seq` order, append it to the log, relay it.

python-socketio handles each event in its own task, so batch 5 may be handled before batch 4. A batch
ahead of the expected seq waits (bounded) for the earlier one; an old seq is acknowledged as a duplicate.
The order is kept per room by the room lock and the seq counter in the room's state.
"""

from __future__ import annotations

import time
from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import DrawBatch, Event, GameError, Room, draw_seq_status
from game_server.core.race import log_key
from game_server.handlers.dispatch import on
from game_server.handlers.play import seat_of
from game_server.handlers.runtime import run, runtime

SEQ_WAIT_S = 2.0


class _NotNext(Exception):
    def __init__(self, status: str, commits: int) -> None:
        self.status = status
        self.commits = commits


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.DRAW, "draw", draw)


async def draw(ctx: ServerContext, sid: str, data: protocol.Draw) -> dict[str, Any]:
    seq, ops, turn_key = data.seq, data.log_ops(), data.turn
    seat = seat_of(ctx, sid)
    rt = runtime(ctx)
    code, pid = seat.code, seat.member_id
    give_up = time.monotonic() + SEQ_WAIT_S
    index: list[int] = []

    def command(room: Room) -> DrawBatch:
        status = draw_seq_status(room, pid, seq, turn_key)
        if status != "next":
            raise _NotNext(status, rt.commits(code))
        return DrawBatch(pid, seq, tuple(ops))

    async def append(room: Room, events: list[Event]) -> list[Event]:
        assert room.turn is not None
        # Classic: the turn's one log; race: the sender's own log (core.race.log_key).
        key = log_key(room, pid)
        length = await ctx.store.append_strokes(code, key, ops, ttl=ctx.config.room_ttl)
        index.append(length - len(ops))
        return [Event(e.name, {**e.data, "index": index[0]}, e.to) if e.name == protocol.DRAW_RELAY else e
                for e in events]

    while True:
        try:
            await run(ctx, code, command, before_emit=append)
            ctx.metrics.inc("draw_batches_total")
            return {"index": index[0]}
        except _NotNext as wait:
            if wait.status == "dup":
                return {"dup": True}
            remaining = give_up - time.monotonic()
            if remaining <= 0:
                raise GameError("seq_gap", f"batch {seq} waited too long for an earlier batch") from None
            await rt.wait_commit(code, wait.commits, min(remaining, 0.5))

