"""The game's events: settings, start, word choice, chat/guesses, kick, votekick, host transfer."""

from __future__ import annotations

import logging
from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import (
    Chat,
    ChooseWord,
    GameError,
    Kick,
    Like,
    StartGame,
    TransferHost,
    UpdateSettings,
    VoteKick,
    view,
)
from game_server.core.chat import CHAT_KEEP, chat_record
from game_server.core.text import clean_chat
from game_server.handlers.dispatch import on
from game_server.handlers.runtime import Seat, iter_events, run

log = logging.getLogger("game_server.handlers")


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.UPDATE_SETTINGS, "other", update_settings)
    on(ctx, protocol.START_GAME, "other", start_game)
    on(ctx, protocol.CHOOSE_WORD, "other", choose_word)
    on(ctx, protocol.CHAT, "chat", chat)
    on(ctx, protocol.KICK, "other", kick)
    on(ctx, protocol.VOTE_KICK, "other", vote_kick)
    on(ctx, protocol.TRANSFER_HOST, "other", transfer_host)
    on(ctx, protocol.LIKE, "other", like)


def seat_of(ctx: ServerContext, sid: str) -> Seat:
    seat = ctx.runtime.seats.get(sid)
    if seat is None:
        raise GameError("not_in_room", "you are in no room")
    return seat


async def update_settings(ctx: ServerContext, sid: str, data: protocol.UpdateSettings) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    outcome = await run(ctx, seat.code, UpdateSettings(seat.member_id, data.settings.changes()))
    return {"settings": view(outcome.room, ctx.now(), is_host=True)["settings"]}


async def start_game(ctx: ServerContext, sid: str, data: protocol.Empty) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    await run(ctx, seat.code, StartGame(seat.member_id))
    ctx.metrics.inc("games_started_total")
    return {}


async def choose_word(ctx: ServerContext, sid: str, data: protocol.ChooseWord) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    outcome = await run(ctx, seat.code, ChooseWord(seat.member_id, data.index))
    turn = outcome.room.turn
    return {"word": turn.word if turn else None}


async def chat(ctx: ServerContext, sid: str, data: protocol.Chat) -> dict[str, Any]:
    text = clean_chat(data.text)
    seat = seat_of(ctx, sid)
    outcome = await run(ctx, seat.code, Chat(seat.member_id, text))
    for event in iter_events(outcome.events, protocol.CHAT_MESSAGE):
        # Kept for members who (re)join. After the room's save and the emit: a failure here only loses
        # this line from the history, never the message itself.
        try:
            await ctx.store.append_chat(seat.code, chat_record(outcome.before, event), CHAT_KEEP)
        except Exception:
            log.warning("chat not kept for rejoins", extra={"room": seat.code, "player": seat.member_id})
    for event in iter_events(outcome.events, protocol.GUESSED):
        if event.data["player_id"] == seat.member_id:
            ctx.metrics.inc("guesses_total", result="correct")
            return {"result": "correct", "points": event.data["points"]}
    if any(True for _ in iter_events(outcome.events, protocol.CLOSE_GUESS)):
        return {"result": "close"}
    return {"result": "sent"}


async def kick(ctx: ServerContext, sid: str, data: protocol.Target) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    await run(ctx, seat.code, Kick(seat.member_id, data.player_id))
    return {}


async def vote_kick(ctx: ServerContext, sid: str, data: protocol.Target) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    outcome = await run(ctx, seat.code, VoteKick(seat.member_id, data.player_id))
    cast = next(iter_events(outcome.events, protocol.VOTE_KICK_CAST))
    kicked = any(True for _ in iter_events(outcome.events, protocol.KICKED))
    return {"votes": cast.data["votes"], "needed": cast.data["needed"], "kicked": kicked}


async def transfer_host(ctx: ServerContext, sid: str, data: protocol.Target) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    await run(ctx, seat.code, TransferHost(seat.member_id, data.player_id))
    return {}


async def like(ctx: ServerContext, sid: str, data: protocol.Like) -> dict[str, Any]:
    seat = seat_of(ctx, sid)
    outcome = await run(ctx, seat.code, Like(seat.member_id, data.turn, data.like))
    liked = next(iter_events(outcome.events, protocol.LIKED))
    return {"likes": liked.data["likes"], "dislikes": liked.data["dislikes"]}
