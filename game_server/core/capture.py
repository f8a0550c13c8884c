"""Opt-in training data: a player's consent, and WHAT a finished drawing leaves behind (a CaptureJob).

Consent is per player and revocable: `Player.contributor` holds the player's opaque contributor id while
they share their drawings, "" while they do not (the default); spectators never share (they do not draw,
and their consent is never stored). A drawing is kept only if its drawer shares at the moment it ends.

`captures(before, after, now, rng)` compares the room before and after one command: every drawing that
entered the gallery record (core/history.py: classic at turn end, race at prompt end, a game cut short
mid-drawing) and whose drawer shares becomes a CaptureJob. The shell (game_server/capture.py) queues the
job, reads the drawing log, replays it with `timed_strokes` and writes the record, off the turn's path.
Pure: no I/O, no clock (time and randomness are arguments).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from game_server.core.env import Env
from game_server.core.errors import GameError
from game_server.core.events import Event
from game_server.core.state import HUMAN, RACE, Room

CONTRIBUTOR = re.compile(r"c[0-9a-f]{24}")  # "c" + 96 random bits in hex


def new_contributor_id(rng: random.Random) -> str:
    """A fresh opaque contributor id (the player sees it; it is the handle of a deletion request)."""
    return f"c{rng.getrandbits(96):024x}"


def is_contributor_id(text: str) -> bool:
    return CONTRIBUTOR.fullmatch(text) is not None


def new_key_id(rng: random.Random) -> str:
    """A random 16-digit key_id, the shape of Google's (it says nothing about the drawing or drawer)."""
    return str(rng.randrange(10**15, 10**16))


@dataclass(frozen=True)
class CaptureJob:
    """One drawing to keep: where its log is, and what the rules know about it. Holds no names."""

    code: str  # the room whose store keys hold the log (used to read it; never written to the record)
    log: str  # the drawing log's key in the store
    key_id: str
    contributor: str
    word: str
    mode: str  # "classic" | "race"
    started_at: float  # when drawing started (server time)
    ended_at: float  # when the turn / prompt ended (server time)
    human_at_s: float | None  # classic: seconds into the drawing when the first human guessed it
    ai_at_s: float | None  # seconds into the drawing when the server verified the AI's recognition
    ai_prob: float | None  # the server's probability for the word then
    ai_place: int | None  # race: the place of that recognition


def set_consent(room: Room, cmd: Any, env: Env) -> tuple[Room, list[Event]]:
    """`SetConsent`: a player starts (`contributor` = their id) or stops ("") sharing their drawings."""
    player = room.player(cmd.pid)
    if player is None:
        if room.spectator(cmd.pid) is not None:
            raise GameError("not_allowed", "a spectator's drawings are never kept")
        raise GameError("not_in_room", "not in this room")
    if player.kind != HUMAN:
        raise GameError("not_allowed", "only people share drawings")
    if cmd.contributor and not is_contributor_id(cmd.contributor):
        raise GameError("bad_request", "contributor must be an id the server gave out")
    return room.with_player(replace(player, contributor=cmd.contributor)), []


def _turn_times(rooms: Iterable[Room], turn_key: str, drawer: str) -> tuple[float | None, float | None]:
    """(when drawing started, when the first human guesser guessed) for turn `turn_key`, from whichever
    of the rooms still holds that turn (`after` may have cleared a guess time, `before` may miss the last)."""
    started: float | None = None
    guessed: list[float] = []
    for room in rooms:
        turn = room.turn
        if turn is None or turn.key != turn_key:
            continue
        started = started if started is not None else turn.started_at
        guessed += [p.guessed_at for p in room.players
                    if p.kind == HUMAN and p.id != drawer and p.guessed_at is not None]
    return started, (min(guessed) if guessed else None)


def captures(before: Room, after: Room, now: float, rng: random.Random) -> list[CaptureJob]:
    """The drawings this command finished whose drawers share them (see the module docstring)."""
    if after.history == before.history:
        return []
    known = {e["key"] for e in before.history}
    jobs: list[CaptureJob] = []
    for entry in after.history:
        if entry["key"] in known:
            continue
        drawer = entry["drawer_id"]
        player = after.player(drawer) or before.player(drawer)  # the drawer may have just left
        if player is None or player.kind != HUMAN or not player.contributor:
            continue
        race = before.settings.mode == RACE
        started, human_at = _turn_times((after, before), entry["key"].split(":", 1)[0], drawer)
        if started is None:
            continue
        ai = entry.get("ai") or {}
        jobs.append(CaptureJob(
            code=after.code, log=entry["log"], key_id=new_key_id(rng), contributor=player.contributor,
            word=entry["word"], mode=before.settings.mode, started_at=started, ended_at=now,
            human_at_s=None if (race or human_at is None) else round(human_at - started, 3),
            ai_at_s=ai.get("at_s"), ai_prob=ai.get("prob"), ai_place=ai.get("place")))
    return jobs


def timed_strokes(
    ops: Sequence[Mapping[str, Any]], op_times: Sequence[float] | None = None
) -> list[dict[str, Any]]:
    """The visible strokes of a drawing log, in start order, each `{tool, width, x, y, t}`.

    The same replay as doodle_raster.visible_strokes (stroke starts one, `points` extends the latest
    visible stroke with its id, undo drops the latest, clear drops all, other ops are ignored), keeping
    each point's time: `op_times[i]` (ms) is when op i reached the server, shared by its points; `t` is
    None when the times are not known.
    """
    live: list[tuple[Any, dict[str, Any]]] = []
    for i, op in enumerate(ops):
        kind = op.get("type")
        when = op_times[i] if op_times is not None and i < len(op_times) else None
        if kind == "stroke":
            stroke = {"tool": "eraser" if op.get("tool") == "eraser" else "pen",
                      "width": float(op.get("width") or 0.0), "x": [], "y": [],
                      "t": [] if op_times is not None else None}
            live.append((op.get("id"), stroke))
            _extend(stroke, op.get("points") or [], when)
        elif kind == "points":
            for sid, stroke in reversed(live):
                if sid == op.get("id"):
                    _extend(stroke, op.get("points") or [], when)
                    break
        elif kind == "undo":
            if live:
                live.pop()
        elif kind == "clear":
            live.clear()
    return [stroke for _sid, stroke in live]


def _extend(stroke: dict[str, Any], points: Iterable[Sequence[float]], when: float | None) -> None:
    for x, y in points:
        stroke["x"].append(x)
        stroke["y"].append(y)
        if stroke["t"] is not None:
            stroke["t"].append(when if when is not None else 0)
