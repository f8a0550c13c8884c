"""Validation of the drawer's op batches against the drawing-log format (canvas 800x600).

Ops are rebuilt into canonical dicts (unknown keys dropped) before they are stored or relayed. A log's
bookkeeping (`LogMeta`: next seq, counts, the open stroke) is stored with the log itself (store.base S13),
never in the room, so a plain batch is one atomic "check seq and append" that leaves the room alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from game_server.core.errors import GameError

WIDTH, HEIGHT = 800, 600
MAX_OPS_PER_BATCH = 64
MAX_POINTS_PER_BATCH = 500
MAX_POINTS_PER_TURN = 20000
MAX_OPS_PER_TURN = 5000
MIN_WIDTH, MAX_WIDTH = 1, 60
MAX_STROKE_ID = 2**31 - 1
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _bad(message: str) -> GameError:
    return GameError("bad_request", message)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _points(value: Any) -> list[list[float]]:
    if not isinstance(value, list) or not value:
        raise _bad("points must be a non-empty list")
    out = []
    for p in value:
        if not (isinstance(p, list) and len(p) == 2 and _number(p[0]) and _number(p[1])):
            raise _bad("a point is [x, y] with finite numbers")
        x, y = p
        if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT):
            raise _bad("a point lies outside the 800x600 canvas")
        out.append([x, y])
    return out


def _stroke_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_STROKE_ID:
        raise _bad("stroke id must be an integer in 0..2^31-1")
    return value


def canonical_ops(ops: Any) -> list[dict[str, Any]]:
    """Check the shape of a batch and return its ops in canonical form."""
    if not isinstance(ops, list) or not 1 <= len(ops) <= MAX_OPS_PER_BATCH:
        raise _bad(f"ops must be a list of 1..{MAX_OPS_PER_BATCH} ops")
    out: list[dict[str, Any]] = []
    total = 0
    for op in ops:
        if not isinstance(op, dict):
            raise _bad("an op must be an object")
        kind = op.get("type")
        if kind == "stroke":
            tool, color, width = op.get("tool"), op.get("color"), op.get("width")
            if tool not in ("pen", "eraser"):
                raise _bad("tool must be pen or eraser")
            if not isinstance(color, str) or not _COLOR.match(color):
                raise _bad("color must be #rrggbb")
            if not _number(width) or not MIN_WIDTH <= width <= MAX_WIDTH:
                raise _bad(f"width must be a number in {MIN_WIDTH}..{MAX_WIDTH}")
            pts = _points(op.get("points"))
            out.append({"type": "stroke", "id": _stroke_id(op.get("id")), "tool": tool,
                        "color": color.lower(), "width": width, "points": pts})
        elif kind == "points":
            pts = _points(op.get("points"))
            out.append({"type": "points", "id": _stroke_id(op.get("id")), "points": pts})
        elif kind in ("undo", "clear"):
            out.append({"type": kind})
            continue
        else:
            raise _bad("op type must be stroke, points, undo or clear")
        total += len(pts)
        if total > MAX_POINTS_PER_BATCH:
            raise _bad(f"a batch holds at most {MAX_POINTS_PER_BATCH} points")
    return out


@dataclass(frozen=True)
class LogMeta:
    """A drawing log's bookkeeping: the next batch seq it accepts, its op and point counts, its strokes."""

    next_seq: int = 0
    points: int = 0
    ops: int = 0
    open_stroke: int | None = None
    last_stroke: int = -1

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LogMeta:
        return cls() if not data else cls(**data)


def seq_status(meta: LogMeta, seq: int) -> str:
    """Where batch `seq` stands in a log: "next" (append now), "dup" (already stored) or "ahead" (wait)."""
    if seq < meta.next_seq:
        return "dup"
    return "next" if seq == meta.next_seq else "ahead"


def append_batch(turn: LogMeta, ops: list[dict[str, Any]]) -> LogMeta:
    """The log's bookkeeping after `ops` (canonical); raises if they break the log's rules or limits."""
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
