"""The landing page's public room list: `list_rooms {}` -> `{rooms: [...]}` (docs/protocol.md).

No seat needed. Reads the store's public index (rule S8: public rooms with free seats, across every process
sharing the store) and loads at most LIST_MAX of them; each entry is the pure `core.lobby.public_entry`.
Clients poll it while the landing page is shown (every few seconds): no subscription to keep, nothing
per-room to fan out, and it works the same on the memory store and on Redis with several processes.
"""

from __future__ import annotations

from typing import Any

from game_server import protocol
from game_server.context import ServerContext
from game_server.core import room_from_dict
from game_server.core.lobby import public_entry
from game_server.handlers.dispatch import on

LIST_MAX = 20  # rooms per answer: a page's worth, and a bound on the loads one request costs


def register(ctx: ServerContext) -> None:
    on(ctx, protocol.LIST_ROOMS, "other", list_rooms)


async def list_rooms(ctx: ServerContext, sid: str, data: protocol.Empty) -> dict[str, Any]:
    rooms = []
    for code in (await ctx.store.find_public())[:LIST_MAX]:
        loaded = await ctx.store.load(code)
        entry = None if loaded is None else public_entry(room_from_dict(loaded[0]))
        if entry is not None and entry["players"] < entry["max_players"]:  # the index may lag a join
            rooms.append(entry)
    return {"rooms": rooms}
