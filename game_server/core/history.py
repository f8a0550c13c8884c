"""The game's gallery record: one small entry per finished drawing, kept in the room until the next game.

An entry names the drawing's log in the store (the strokes stay there, under the room's keys, until the
room ends) and what the SERVER verified about it, so every player sees the same facts, after a reload too:

    {"key": gallery key, "log": store log key, "round": n, "drawer_id": id, "drawer_name": name,
     "drawer_avatar": avatar | None, "word": word,
     "ai": {"at_s": seconds into the drawing, "prob": server probability | None,
            "place": race place | None} | None (not recognized)}

Classic: one entry per turn that reached drawing; race: one per player who drew the prompt.
Pure: imports only the core's state.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from game_server.core.state import HUMAN, RACE, Room, Sketch

MAX_ENTRIES = 200  # far above rounds x players (10 x 12) and race prompts x players (6 x 12)


def _ai(
    started: float, at: float | None, prob: float | None, place: int | None = None
) -> dict[str, Any] | None:
    if at is None:
        return None
    return {"at_s": round(at - started, 1), "prob": None if prob is None else round(prob, 4), "place": place}


def record_turn(room: Room) -> Room:
    """Append the ending turn's drawing(s) to `room.history` (a turn without a word drew nothing)."""
    turn = room.turn
    if turn is None or turn.word is None or turn.started_at is None:
        return room
    started = turn.started_at
    entries: list[dict[str, Any]] = []
    if room.settings.mode == RACE:
        # Who drew lives with the logs in the store (store rule S13), not in the room: every player gets
        # an entry, and the gallery (handlers.runtime.gallery_of) leaves out the logs that stayed empty.
        for player in room.players:
            if player.kind != HUMAN:
                continue
            pid = player.id
            sk = turn.sketches.get(pid) or Sketch()
            entries.append({"key": f"{turn.key}:{pid}", "log": f"{turn.key}:{pid}", "round": room.round,
                            "drawer_id": pid, "drawer_name": player.name,
                            "drawer_avatar": player.avatar or None,
                            "word": turn.word, "ai": _ai(started, sk.recognized_at, sk.prob, sk.place)})
    else:
        drawer = room.player(turn.drawer_id)
        entries.append({"key": turn.key, "log": turn.key, "round": room.round, "drawer_id": turn.drawer_id,
                        "drawer_name": drawer.name if drawer else "?",
                        "drawer_avatar": (drawer.avatar or None) if drawer else None, "word": turn.word,
                        "ai": _ai(started, turn.ai_at, turn.ai_prob)})
    known = {e["key"] for e in room.history}
    fresh = [e for e in entries if e["key"] not in known]
    return replace(room, history=(*room.history, *fresh)[-MAX_ENTRIES:]) if fresh else room
