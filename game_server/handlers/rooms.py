"""Seats: connect (protocol check), create, join by code, quick play, rejoin, leave, disconnect, get_state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import socketio

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import (
    Disconnect,
    Event,
    GameError,
    Join,
    Leave,
    Rejoin,
    Room,
    Settings,
    member_view,
    room_from_dict,
)
from game_server.core import new_room as core_new_room
from game_server.core.capture import new_contributor_id
from game_server.core.chat import visible_chat
from game_server.core.ids import invite_path, new_player_id, new_room_code, new_token, normalize_code
from game_server.core.settings import apply_changes
from game_server.core.state import room_to_dict
from game_server.core.text import clean_name
from game_server.handlers import nodes
from game_server.handlers.dispatch import is_client_sent, on, unknown_event
from game_server.handlers.runtime import Seat, drawing_of, gallery_of, member_room, run

log = logging.getLogger("game_server.handlers")
QUICK_PLAY_TRIES = 10


def register(ctx: ServerContext) -> None:
    sio = ctx.sio
    rt = ctx.runtime

    async def connect(sid: str, *args: Any) -> dict[str, Any] | None:
        if is_client_sent(ctx, sid):  # a client emitted "connect": an event like any unknown one
            return unknown_event("connect")
        auth = args[1] if len(args) > 1 else None  # python-socketio passes (environ, auth)
        version = auth.get("protocol") if isinstance(auth, dict) else None
        if version != protocol.PROTOCOL_VERSION:
            ctx.metrics.inc("socket_refused_total", reason="protocol_mismatch")
            raise socketio.exceptions.ConnectionRefusedError(
                "protocol_mismatch",
                {"code": "protocol_mismatch", "message": f"this server speaks protocol "
                 f"{protocol.PROTOCOL_VERSION}", "server_protocol": protocol.PROTOCOL_VERSION},
            )
        ctx.metrics.add_gauge("socket_connections", 1)
        return None

    async def disconnect(sid: str, *_: Any) -> dict[str, Any] | None:
        if is_client_sent(ctx, sid):  # a client emitted "disconnect": its seat and socket stay as they are
            return unknown_event("disconnect")
        ctx.metrics.add_gauge("socket_connections", -1)
        seat = rt.drop_connection(sid)
        if seat is None:
            return None
        command = Disconnect(seat.member_id, conn=sid, grace=ctx.config.reconnect_grace)
        try:
            await run(ctx, seat.code, command)
        except GameError:
            pass  # the room is gone already
        except Exception:
            log.exception("disconnect failed", extra={"room": seat.code, "player": seat.member_id})
        return None

    sio.on("connect", connect)
    sio.on("disconnect", disconnect)
    on(ctx, protocol.CREATE_ROOM, "join", create_room)
    on(ctx, protocol.JOIN_ROOM, "join", join_room)
    on(ctx, protocol.QUICK_PLAY, "join", quick_play)
    on(ctx, protocol.REJOIN, "join", rejoin)
    on(ctx, protocol.LEAVE_ROOM, "other", leave_room)
    on(ctx, protocol.GET_STATE, "other", get_state)


@contextlib.asynccontextmanager
async def _one_join_at_a_time(ctx: ServerContext, sid: str) -> AsyncIterator[None]:
    """Two joins sent at once from one connection must not both take a seat."""
    rt = ctx.runtime
    if sid in rt.joining:
        raise GameError("already_in_room", "a join is already in progress")
    rt.joining.add(sid)
    try:
        yield
    finally:
        rt.joining.discard(sid)


async def _require_free(ctx: ServerContext, sid: str) -> None:
    """A connection holds one seat; a seat freed elsewhere (kick, timeout) no longer counts."""
    rt = ctx.runtime
    seat = rt.seats.get(sid)
    if seat is None:
        return
    loaded = await ctx.store.load(seat.code)
    if loaded is not None and any(
        m["id"] == seat.member_id for m in (*loaded[0]["players"], *loaded[0]["spectators"])
    ):
        raise GameError("already_in_room", "leave your room first")
    rt.seats.pop(sid, None)


async def _seat_ack(ctx: ServerContext, sid: str, room: Room, seat: Seat) -> dict[str, Any]:
    return {
        "code": room.code,
        "invite": invite_path(room.code),
        "player_id": seat.member_id,
        "token": seat.token,
        "role": seat.role,
        "state": member_view(room, seat.member_id, ctx.now()),
        "drawing": await drawing_of(ctx, room),
        # the recent chat this member may read (core.chat.visible_chat), so a reload does not wipe it
        "chat": visible_chat(room, seat.member_id, await ctx.store.recent_chat(room.code)),
        "contributor": _own_contributor(room, seat.member_id),
    }


def _own_contributor(room: Room, member_id: str) -> str | None:
    """The member's own contributor id while they share their drawings (only ever sent to them)."""
    player = room.player(member_id)
    return player.contributor or None if player is not None else None


def contributor_of(ctx: ServerContext, data: protocol.client.Consent) -> str:
    """The contributor id a seat-taking event asks for: "" without consent, else the given or a new one."""
    if not data.consent:
        return ""
    return data.contributor or new_contributor_id(ctx.rng)


async def _join(
    ctx: ServerContext, sid: str, code: str, name: str, spectate: bool, contributor: str = "",
    avatar: str | None = None,
) -> dict[str, Any]:
    rt = ctx.runtime
    role = "spectator" if spectate else "player"
    member_id = new_player_id(ctx.rng, "s" if spectate else "p")
    seat = Seat(code, member_id, role, new_token(ctx.rng))

    async def enter(room: Room, events: list[Event]) -> list[Event]:
        # Inside the room's lock, before anything is emitted: the new member misses no event.
        await ctx.sio.enter_room(sid, member_room(code, member_id))
        rt.seats[sid] = seat
        return events

    # The session first, the seat second: a session whose seat was never taken (the join failed after
    # it) is harmless, since a rejoin with it finds no such member and deletes it, and nobody got its
    # token; a seat without a session (the old order) was a seat nobody could ever rejoin.
    await ctx.store.put_session(seat.token, {"code": code, "member_id": member_id, "role": role},
                                ttl=ctx.config.room_ttl)
    await nodes.track(ctx, code)
    command = Join(member_id, name, conn=sid, spectate=spectate, node=ctx.node_id,
                   contributor="" if spectate else contributor, avatar=avatar or "")  # spectators never share
    outcome = await run(ctx, code, command, before_emit=enter)
    return await _seat_ack(ctx, sid, outcome.room, seat)


async def _create(
    ctx: ServerContext, sid: str, name: str, settings: Settings, contributor: str = "",
    avatar: str | None = None,
) -> dict[str, Any]:
    for _ in range(5):
        code = new_room_code(ctx.rng)
        room = core_new_room(code, settings)
        if await ctx.store.create_room(code, room_to_dict(room), ttl=ctx.config.room_ttl):
            break
    else:  # 50-bit codes: five collisions in a row means the random source is broken
        raise GameError("internal", "could not allocate a room code")
    ctx.metrics.inc("rooms_created_total", public=str(settings.public).lower())
    return await _join(ctx, sid, code, name, False, contributor, avatar)  # the join indexes a public room


def _defaults(ctx: ServerContext) -> Settings:
    """A new room's settings: the AI player sits in by default where the server can verify its claims."""
    return Settings(ai_player=ctx.verifier is not None)


async def create_room(ctx: ServerContext, sid: str, data: protocol.CreateRoom) -> dict[str, Any]:
    name = clean_name(data.name)
    settings = apply_changes(_defaults(ctx), data.settings.changes())
    async with _one_join_at_a_time(ctx, sid):
        await _require_free(ctx, sid)
        return await _create(ctx, sid, name, settings, contributor_of(ctx, data), data.avatar)


async def join_room(ctx: ServerContext, sid: str, data: protocol.JoinRoom) -> dict[str, Any]:
    code = normalize_code(data.code)
    if code is None:
        raise GameError("bad_request", "code must be a 10-character room code")
    name = clean_name(data.name)
    async with _one_join_at_a_time(ctx, sid):
        await _require_free(ctx, sid)
        return await _join(ctx, sid, code, name, data.spectate, contributor_of(ctx, data), data.avatar)


async def quick_play(ctx: ServerContext, sid: str, data: protocol.QuickPlay) -> dict[str, Any]:
    name = clean_name(data.name)
    contributor = contributor_of(ctx, data)
    async with _one_join_at_a_time(ctx, sid):
        await _require_free(ctx, sid)
        for code in (await ctx.store.find_public())[:QUICK_PLAY_TRIES]:
            try:
                return await _join(ctx, sid, code, name, False, contributor, data.avatar)
            except GameError as exc:
                if exc.code not in ("room_full", "room_not_found"):
                    raise
        return await _create(ctx, sid, name, replace(_defaults(ctx), public=True), contributor, data.avatar)


async def rejoin(ctx: ServerContext, sid: str, data: protocol.Rejoin) -> dict[str, Any]:
    async with _one_join_at_a_time(ctx, sid):
        return await _rejoin(ctx, sid, data.token)


async def _rejoin(ctx: ServerContext, sid: str, token: str) -> dict[str, Any]:
    rt = ctx.runtime
    session = await ctx.store.get_session(token)
    if session is None:
        raise GameError("session_expired", "unknown or expired session")
    code, member_id, role = session["code"], session["member_id"], session["role"]
    current = rt.seats.get(sid)
    if current is not None and (current.code, current.member_id) != (code, member_id):
        await _require_free(ctx, sid)
    seat = Seat(code, member_id, role, token)
    old_conn: list[str] = []

    def command(room: Room) -> Rejoin:
        member = room.player(member_id) or room.spectator(member_id)
        old_conn[:] = [member.conn] if member is not None and member.connected and member.conn != sid else []
        return Rejoin(member_id, conn=sid, node=ctx.node_id)

    async def enter(room: Room, events: list[Event]) -> list[Event]:
        await ctx.sio.enter_room(sid, member_room(code, member_id))
        rt.seats[sid] = seat
        return events

    try:
        await nodes.track(ctx, code)
        outcome = await run(ctx, code, command, before_emit=enter)
    except GameError as exc:
        if exc.code in ("room_not_found", "session_expired"):
            await ctx.store.delete_session(token)
            raise GameError("session_expired", "this seat was freed") from None
        raise
    for old in old_conn:  # the seat moved to this connection: tell the old one and let it go
        await ctx.sio.emit(protocol.REPLACED, {}, to=old)
        task = asyncio.get_running_loop().create_task(_disconnect_later(ctx, old))
        _background.add(task)
        task.add_done_callback(_background.discard)
    ctx.metrics.inc("rejoins_total")
    return await _seat_ack(ctx, sid, outcome.room, seat)


_background: set[asyncio.Task[None]] = set()


async def _disconnect_later(ctx: ServerContext, sid: str) -> None:
    rt = ctx.runtime
    seat = rt.seats.pop(sid, None)  # a local old connection: its disconnect must not touch the seat
    with contextlib.suppress(Exception):
        if seat is not None:
            await ctx.sio.leave_room(sid, member_room(seat.code, seat.member_id))
        await ctx.sio.disconnect(sid)


async def leave_room(ctx: ServerContext, sid: str, data: protocol.Empty) -> dict[str, Any]:
    rt = ctx.runtime
    seat = rt.seats.get(sid)
    if seat is None:
        raise GameError("not_in_room", "you are in no room")
    try:
        await run(ctx, seat.code, Leave(seat.member_id))
    except GameError as exc:
        if exc.code != "room_not_found":
            raise
    rt.seats.pop(sid, None)
    await ctx.sio.leave_room(sid, member_room(seat.code, seat.member_id))
    await ctx.store.delete_session(seat.token)
    return {}


async def get_state(ctx: ServerContext, sid: str, data: protocol.GetState) -> dict[str, Any]:
    seat = ctx.runtime.seats.get(sid)
    if seat is None:
        raise GameError("not_in_room", "you are in no room")
    loaded = await ctx.store.load(seat.code)
    room = None if loaded is None else room_from_dict(loaded[0])
    if room is None or not room.has_member(seat.member_id):
        raise GameError("not_in_room", "your seat was freed")
    ack = await _seat_ack(ctx, sid, room, seat)
    out = {"state": ack["state"], "drawing": ack["drawing"]}
    if data.gallery:  # the last game's drawings, from the store (docs/protocol.md)
        out["gallery"] = await gallery_of(ctx, room)
    return out
