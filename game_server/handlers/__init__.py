"""Socket.IO event handlers: validate → load → apply (game_server.core) → save → emit, one module per concern.

Owns the mapping of client events to core commands and of core audiences to Socket.IO rooms.
Must not talk to Redis or any storage except through `ctx.store`; holds no game rules.

Public API: `GAME`, the `context.GameLayer` that app.create_app wires into the shell: `register(ctx)` (every
event), `on_deadline(ctx, code)` (for the clock), and `nodes.local_rooms`/`on_node_lost`/`reassert_seats`
(for game_server.liveness).
Adding an event: a handler `async def fn(ctx, sid, data) -> dict` in the module of its concern, registered
with `dispatch.on(ctx, name, limit_group, fn)`; `fn` gets the payload decoded by the event's schema
(game_server/protocol/client.py: add the schema there and to CLIENT_SCHEMAS), then `runtime.run(ctx, code,
command)` applies a core command and emits its events after the save.
The AI's `ai_guess` (claims, both modes) is handlers/claim.py, top to bottom.
"""

from __future__ import annotations

import logging

from game_server.context import GameLayer, ServerContext
from game_server.core import GameError, Tick
from game_server.handlers import claim, consent, dispatch, draw, nodes, play, public, rooms
from game_server.handlers.runtime import run

log = logging.getLogger("game_server.handlers")
__all__ = ["GAME", "on_deadline", "register"]


def register(ctx: ServerContext) -> None:
    """Register every Socket.IO event of the game on `ctx.sio`."""
    rooms.register(ctx)
    play.register(ctx)
    draw.register(ctx)
    claim.register(ctx)  # `ai_guess`, classic and race
    consent.register(ctx)  # opt-in training data
    public.register(ctx)  # the landing page's public room list
    dispatch.refuse_unknown(ctx)  # every other event name: `unknown_event`


async def on_deadline(ctx: ServerContext, code: str) -> None:
    """The clock claimed room `code`: apply whatever is due now, save, re-arm the deadline, emit."""
    try:
        await run(ctx, code, Tick(), always_set_deadline=True)
    except GameError as exc:
        if exc.code != "room_not_found":
            raise
        await ctx.store.set_deadline(code, None)


GAME = GameLayer(
    register=register,
    on_deadline=on_deadline,
    local_rooms=nodes.local_rooms,
    on_node_lost=nodes.on_node_lost,
    reassert_seats=nodes.reassert_seats,
)
