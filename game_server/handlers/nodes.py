"""Which server process holds each member's connection, and what happens to a room when one dies.

The rules only store the holder's id (`Player.node`, set by Join/Rejoin); this module tells the store which
rooms this process holds members of (rule S12's room index), applies `NodeLost` to the rooms of a process
presumed dead, and re-asserts this process's seats after it was itself presumed dead (a stalled loop).
Called by game_server.liveness (the loop) and handlers.rooms (joins); talks to storage only via ctx.store.
"""

from __future__ import annotations

import logging

from game_server.context import ServerContext
from game_server.core import GameError, NodeLost, Rejoin, Room
from game_server.handlers.runtime import run

log = logging.getLogger("game_server.handlers")


def liveness_on(ctx: ServerContext) -> bool:
    return ctx.config.node_ttl > 0


async def track(ctx: ServerContext, code: str) -> None:
    """Index room `code` under this process before a member's connection here enters it.

    Done before the join is saved: were the process to die right after, the room is already indexed
    (an index entry for a join that then failed is harmless and ages out).
    """
    if liveness_on(ctx):
        await ctx.store.add_node_room(ctx.node_id, code)


def local_rooms(ctx: ServerContext) -> set[str]:
    """Rooms where a connection of this process holds a seat."""
    return {seat.code for seat in ctx.runtime.seats.values()}


async def on_node_lost(ctx: ServerContext, node: str, code: str) -> None:
    """Process `node` is presumed dead: its members in room `code` disconnect (their grace starts)."""
    try:
        await run(ctx, code, NodeLost(node, grace=ctx.config.reconnect_grace))
    except GameError as exc:
        if exc.code != "room_not_found":
            raise


async def reassert_seats(ctx: ServerContext) -> int:
    """Mark every seat held here connected, under this process's (new) id; returns how many were kept."""
    kept = 0
    for sid, seat in list(ctx.runtime.seats.items()):

        def command(room: Room, sid: str = sid, member_id: str = seat.member_id) -> Rejoin:
            member = room.player(member_id) or room.spectator(member_id)
            if member is None or member.conn != sid:  # freed, or taken over by a newer connection
                raise GameError("session_expired", "this seat moved on")
            return Rejoin(member_id, conn=sid, node=ctx.node_id)

        try:
            await track(ctx, seat.code)
            await run(ctx, seat.code, command)
            kept += 1
        except GameError:
            continue
    return kept
