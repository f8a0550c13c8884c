"""Wraps each event handler: payload must be an object, rate limit, error acks, logging and metrics.

Also the edge for names that are not game events: `refuse_unknown` answers any other event name (Socket.IO's
own `message`, `connect_error`, typos) with `unknown_event`, and `is_client_sent` tells the lifecycle
handlers (`connect`, `disconnect`) apart from a client that emits an event of that name.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import GameError
from game_server.protocol.packets import UNREADABLE
from game_server.store.base import StoreUnavailable, VersionConflict

log = logging.getLogger("game_server.handlers")

Handler = Callable[[ServerContext, str, Any], Awaitable[dict[str, Any]]]  # (ctx, sid, typed payload)


def error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def is_client_sent(ctx: ServerContext, sid: str) -> bool:
    """Whether a `connect`/`disconnect` handler call is an event a client emitted under that name.

    python-socketio runs the real handlers while the connection is pending (`connect`: not yet accepted;
    `disconnect`: already going away), so the manager reports it as not connected; an emitted event is
    only dispatched for a connected client.
    """
    return bool(ctx.sio.manager.is_connected(sid, "/"))


def refuse_unknown(ctx: ServerContext) -> None:
    """Answer every event name the protocol does not list with `unknown_event` (nothing else happens).

    Costs no store access, so it needs no rate limit. Called as `(event, sid, *args)`, or `(sid, *args)`
    for an event literally named "*"; either way the answer is the same.
    """

    async def unknown(*args: Any) -> dict[str, Any]:
        if args[0] == UNREADABLE:
            ctx.metrics.inc("socket_events_total", event="unreadable", result="bad_request")
            why = args[2] if len(args) > 2 else "?"  # (UNREADABLE, sid, error name)
            return error("bad_request", f"the message is not an event the server can read ({why}): "
                                        "malformed JSON, nested too deeply or an integer too long")
        ctx.metrics.inc("socket_events_total", event="unknown", result="unknown_event")
        return unknown_event(args[0] if len(args) > 1 else "*")

    ctx.sio.on("*", unknown)


def unknown_event(name: object) -> dict[str, Any]:
    shown = ascii(name)[:40]  # a name may hold anything, lone surrogates included: never echo it raw
    return error("unknown_event", f"no client event named {shown}; see docs/protocol.md")


def on(ctx: ServerContext, name: str, limit: str, fn: Handler) -> None:
    """Register `fn` for client event `name`; its dict result becomes the `{ok: true, ...}` ack.

    `fn` gets the payload decoded by the event's schema (protocol.decode); a payload that does not fit
    is answered with `bad_request` before `fn` runs.
    """
    rt = ctx.runtime

    async def handler(sid: str, *args: Any) -> dict[str, Any]:
        started = time.perf_counter()
        seat = rt.seats.get(sid)
        try:
            if len(args) != 1 or not isinstance(args[0], dict):
                raise GameError("bad_request", "the payload must be one JSON object")
            if not rt.limiters[limit].allow(sid, time.monotonic()):
                raise GameError("rate_limited", f"too many {limit} events; slow down")
            ack = {"ok": True, **await fn(ctx, sid, protocol.decode(name, args[0]))}
        except GameError as exc:
            if exc.code == "not_in_room" and seat is not None and rt.seats.get(sid) is seat:
                rt.seats.pop(sid, None)  # the seat was freed elsewhere (kick, timeout): forget it here
            ack = error(exc.code, exc.message)
        except (StoreUnavailable, VersionConflict) as exc:
            log.warning("store trouble", extra={"event": name, "sid": sid, "error": str(exc)})
            ack = error("unavailable", "the room store is unavailable; try again")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception(
                "handler failed",
                extra={"event": name, "sid": sid, "room": seat.code if seat else None,
                       "player": seat.member_id if seat else None},
            )
            ack = error("internal", "internal server error")
        result = "ok" if ack["ok"] else ack["error"]["code"]
        ctx.metrics.inc("socket_events_total", event=name, result=result)
        ctx.metrics.observe("socket_event_seconds", time.perf_counter() - started, event=name)
        return ack

    ctx.sio.on(name, handler)
