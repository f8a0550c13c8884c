"""Public quick-play rooms start on their own: a lobby countdown that runs while enough players wait.

The countdown is the room's `deadline` while its phase is `lobby`; `apply` re-syncs it after every command,
so joins, leaves, disconnects and settings changes start or cancel it without each rule knowing about it.
"""

from __future__ import annotations

from dataclasses import replace

from game_server.core.env import Env
from game_server.core.events import Event
from game_server.core.state import HUMAN, LOBBY, Room

LOBBY_COUNTDOWN = 20.0  # seconds a public lobby with enough players waits before the game starts itself
AUTO_START_MIN_PLAYERS = 2  # connected humans (an AI pseudo-player alone does not make a game)

Result = tuple[Room, list[Event]]


def auto_start_ready(room: Room) -> bool:
    """True when `room` is a public lobby with enough connected human players to start by itself."""
    if room.phase != LOBBY or not room.settings.public:
        return False
    waiting = sum(1 for p in room.players if p.connected and p.kind == HUMAN)
    return waiting >= AUTO_START_MIN_PLAYERS


def sync_countdown(room: Room, env: Env) -> Room:
    """Start the lobby countdown when a public lobby becomes ready, cancel it when it no longer is.

    A running countdown is kept as it is (more players joining do not push the start back).
    """
    if room.phase != LOBBY:
        return room
    if auto_start_ready(room):
        return room if room.deadline is not None else replace(room, deadline=env.now + LOBBY_COUNTDOWN)
    return room if room.deadline is None else replace(room, deadline=None)


def public_entry(room: Room) -> dict[str, object] | None:
    """A public room as the landing page's list shows it (`list_rooms`, docs/protocol.md), or None for a
    private room. Nothing secret: the code (public rooms are open to anyone), phase, seats and mode."""
    if not room.settings.public:
        return None
    humans = sum(1 for p in room.players if p.kind == HUMAN)  # the AI takes no seat
    return {"code": room.code, "phase": room.phase, "players": humans,
            "max_players": room.settings.max_players, "mode": room.settings.mode}
