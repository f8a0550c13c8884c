"""The drawing relay: validate a batch, then one atomic "check seq and append" on its log, then relay it.

The room is only read (from a per-process cache, checked by version in the store): the log's bookkeeping
(next seq, counts, open stroke) lives with the log (store.base S13), so a batch never rewrites the room and
a failure can never leave the seq counted without the ops stored. python-socketio handles each event in its
own task, so batch 5 may arrive before batch 4: the store answers "ahead" and batch 5 waits (bounded) for
the next append; an old seq is acknowledged as a duplicate (it is in the log already).
"""

from __future__ import annotations

import json
import time
from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import DrawBatch, Event, GameError, Room, draw_relay, room_from_dict
from game_server.core.drawing import LogMeta, append_batch
from game_server.handlers.dispatch import on
from game_server.handlers.play import seat_of
from game_server.handlers.runtime import Runtime, emit
from game_server.store.base import Appended

SEQ_WAIT_S = 2.0
APPEND_ATTEMPTS = 20  # "stale"/"changed" answers in a row before giving up (each one refreshed a cache)


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.DRAW, "draw", draw)


async def draw(ctx: ServerContext, sid: str, data: protocol.Draw) -> dict[str, Any]:
    seq, ops, turn_key = data.seq, data.log_ops(), data.turn
    seat = seat_of(ctx, sid)
    rt = ctx.runtime
    code, pid = seat.code, seat.member_id
    cmd = DrawBatch(pid, seq, tuple(ops))
    with rt.watching(code):
        return await _append(ctx, rt, code, seq, ops, cmd, turn_key)


async def _append(
    ctx: ServerContext, rt: Runtime, code: str, seq: int, ops: list[dict[str, Any]], cmd: DrawBatch,
    turn_key: str | None,
) -> dict[str, Any]:
    """Check-seq-and-append until the store takes the batch, calls it a dup, or it waited too long."""
    give_up = time.monotonic() + SEQ_WAIT_S
    attempts = 0
    trust_cache = True
    while True:
        seen = rt.commits(code)
        version, room = await _room(ctx, rt, code)
        key, relay = draw_relay(room, cmd, turn_key)
        base = rt.logs.get((code, key), "")
        if base and trust_cache and seq > LogMeta.from_dict(json.loads(base)).next_seq:
            # An earlier batch is still on its way (per our cache): wait for the next commit here rather
            # than asking the store, so 40 batches arriving at once are not 40 round trips per commit.
            remaining = give_up - time.monotonic()
            if remaining <= 0:
                raise GameError("seq_gap", f"batch {seq} waited too long for an earlier batch")
            await rt.wait_commit(code, seen, min(remaining, 0.5))
            trust_cache = rt.commits(code) != seen  # nothing happened here: ask the store next round
            continue
        new = await _next_meta(ctx, rt, code, key, base, seq, ops)
        res = await ctx.store.append_batch(code, key, seq, ops, base, new, version, ttl=ctx.config.room_ttl)
        rt.remember_log(code, key, res.meta)
        if res.status == "ok":
            # Wake the next batch first: its own store round trip comes before its relay, and this relay
            # is handed to the manager now, without yielding, so relays keep the log's order.
            rt.committed(code)
            if ctx.capture is not None:  # the batch's receive time, for a sharing drawer's record
                ctx.capture.note_batch(room, cmd.pid, code, key, res.index, ctx.now())
            await emit(ctx, room, [_indexed(relay, res)])
            ctx.metrics.inc("draw_batches_total")
            return {"index": res.index}
        if res.status == "dup":
            if seq == res.index - 1:  # the latest batch: its relay may have been lost with its ack
                await _relay_again(ctx, room, relay, code, key, res, len(ops))
            return {"dup": True}
        if res.status == "stale":  # the room changed (or is gone): reload it next round
            rt.rooms.pop(code, None)
        if res.status == "ahead":
            trust_cache = True
            remaining = give_up - time.monotonic()
            if remaining <= 0:
                raise GameError("seq_gap", f"batch {seq} waited too long for an earlier batch")
            await rt.wait_commit(code, seen, min(remaining, 0.5))
            continue
        attempts += 1
        if attempts >= APPEND_ATTEMPTS:
            raise GameError("unavailable", "the drawing log is too busy; retry")


async def _room(ctx: ServerContext, rt: Runtime, code: str) -> tuple[int, Room]:
    """The room and its version: the cached copy, else loaded (and cached)."""
    cached = rt.rooms.get(code)
    if cached is not None:
        return cached
    loaded = await ctx.store.load(code)
    if loaded is None:
        raise GameError("room_not_found", "no room with that code")
    room = room_from_dict(loaded[0])
    rt.remember(code, loaded[1], room)
    return loaded[1], room


async def _next_meta(
    ctx: ServerContext, rt: Runtime, code: str, key: str, base: str, seq: int, ops: list[dict[str, Any]]
) -> str:
    """The log's bookkeeping after this batch, as JSON ("" when the cached one is not at `seq`: a probe).

    A batch the cached bookkeeping refuses is refused only once the stored bookkeeping agrees.
    """
    meta = LogMeta.from_dict(json.loads(base) if base else None)
    if meta.next_seq != seq:
        return ""
    try:
        return json.dumps(append_batch(meta, ops).to_dict(), separators=(",", ":"))
    except GameError:
        stored = await ctx.store.read_log_meta(code, key)
        if stored == base:
            raise
        rt.remember_log(code, key, stored)
        return ""  # the store answers "changed" (or dup/ahead) with what it holds; the loop retries


async def _relay_again(
    ctx: ServerContext, room: Room, relay: Event, code: str, key: str, res: Appended, count: int
) -> None:
    """Relay the stored copy of the log's last batch again (a retry after a lost ack).

    Peers skip what they hold by `index`, so a second copy is harmless, while a batch that was stored
    but never relayed would leave them behind until the next batch shows the gap.
    """
    end = LogMeta.from_dict(json.loads(res.meta) if res.meta else None).ops
    start = max(0, end - count)
    stored = await ctx.store.get_strokes(code, key, start, end)
    if stored:
        await emit(ctx, room, [Event(relay.name, {**relay.data, "ops": stored, "index": start}, relay.to)])


def _indexed(relay: Event, res: Appended) -> Event:
    return Event(relay.name, {**relay.data, "index": res.index}, relay.to)
