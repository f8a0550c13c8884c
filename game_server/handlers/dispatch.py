"""Wraps each event handler: payload must be an object, rate limit, error acks, logging and metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from game_server.context import ServerContext
from game_server.core import GameError
from game_server.handlers.runtime import runtime
from game_server.store.base import StoreUnavailable, VersionConflict

log = logging.getLogger("game_server.handlers")

Handler = Callable[[ServerContext, str, dict[str, Any]], Awaitable[dict[str, Any]]]


def error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message}}


def on(ctx: ServerContext, name: str, limit: str, fn: Handler) -> None:
    """Register `fn` for client event `name`; its dict result becomes the `{ok: true, ...}` ack."""
    rt = runtime(ctx)

    async def handler(sid: str, *args: Any) -> dict[str, Any]:
        started = time.perf_counter()
        seat = rt.seats.get(sid)
        try:
            if len(args) != 1 or not isinstance(args[0], dict):
                raise GameError("bad_request", "the payload must be one JSON object")
            if not rt.limiters[limit].allow(sid, time.monotonic()):
                raise GameError("rate_limited", f"too many {limit} events; slow down")
            ack = {"ok": True, **await fn(ctx, sid, args[0])}
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
