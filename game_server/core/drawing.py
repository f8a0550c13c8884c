"""The drawing log's rules: stroke ids grow, `points` continue the open stroke, a turn's budget.

The ops arrive as log entries already checked against the protocol's `draw` schema (shapes, canvas,
batch limits; game_server/protocol/client.py: Draw.log_ops).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from game_server.core.errors import GameError
from game_server.core.state import Sketch, Turn

Log = TypeVar("Log", Turn, Sketch)  # a drawing log's bookkeeping: the classic turn's, or a race sketch's

MAX_POINTS_PER_TURN = 20000
MAX_OPS_PER_TURN = 5000


def _bad(message: str) -> GameError:
    return GameError("bad_request", message)


def append_batch(turn: Log, ops: list[dict[str, Any]]) -> Log:
    """The turn's bookkeeping after `ops` (canonical); raises if they break the log's rules or limits."""
    open_stroke, last, points = turn.open_stroke, turn.last_stroke, turn.points
    for op in ops:
        kind = op["type"]
        if kind == "stroke":
            if op["id"] <= last:
                raise _bad("a new stroke id must be greater than every earlier one")
            open_stroke = last = op["id"]
            points += len(op["points"])
        elif kind == "points":
            if open_stroke is None or op["id"] != open_stroke:
                raise _bad("points may only continue the open stroke")
            points += len(op["points"])
        else:  # undo / clear close the open stroke
            open_stroke = None
    if points > MAX_POINTS_PER_TURN or turn.ops + len(ops) > MAX_OPS_PER_TURN:
        raise GameError("draw_limit", "the turn's drawing is full")
    return replace(turn, next_seq=turn.next_seq + 1, points=points, ops=turn.ops + len(ops),
                   open_stroke=open_stroke, last_stroke=last)
