"""Likes: a human guesser may like or dislike the turn's drawing once (classic, while drawing or at the
reveal). Shown to the room (the drawer sees who and how many) and kept for the gallery; never a score lever:
no points, no effect on turns, the scoreline or the ranking, and one vote per player per turn.

Pure: imports only the core.
"""

from __future__ import annotations

from dataclasses import replace

from game_server.core.commands import Like
from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event, everyone
from game_server.core.state import CLASSIC, DRAWING, HUMAN, TURN_END, Room, Turn

Result = tuple[Room, list[Event]]


def tally(turn: Turn) -> tuple[int, int]:
    """(likes, dislikes) of the turn's drawing."""
    up = sum(1 for v in turn.likes.values() if v > 0)
    return up, len(turn.likes) - up


def like(room: Room, cmd: Like, env: Env) -> Result:
    player = room.player(cmd.pid)
    if player is None:
        if room.spectator(cmd.pid) is not None:
            raise GameError("not_allowed", "spectators do not rate drawings")
        raise GameError("not_in_room", "not in this room")
    turn = room.turn
    if (room.settings.mode != CLASSIC or room.phase not in (DRAWING, TURN_END) or turn is None
            or turn.word is None or turn.key != cmd.turn):
        raise GameError("wrong_phase", "no drawing of that turn to rate now")
    if player.kind != HUMAN or cmd.pid == turn.drawer_id:
        raise GameError("not_allowed", "only guessers rate the drawing")
    if cmd.pid in turn.likes:
        raise GameError("not_allowed", "you already rated this drawing")
    turn = replace(turn, likes={**turn.likes, cmd.pid: 1 if cmd.like else -1})
    up, down = tally(turn)
    data = {"turn": turn.key, "player_id": cmd.pid, "name": player.name, "like": cmd.like,
            "likes": up, "dislikes": down}
    return replace(room, turn=turn), [Event("liked", data, everyone(room))]
