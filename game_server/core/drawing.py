"""The drawing log's rules: stroke ids grow, `points` continue the open stroke, a turn's budget.

The ops arrive as log entries already checked against the protocol's `draw` schema (shapes, canvas,
batch limits; game_server/protocol/client.py: Draw.log_ops). A log's bookkeeping (`LogMeta`: next seq,
counts, the open stroke) is stored with the log itself (store.base S13), never in the room, so a plain
batch is one atomic "check seq and append" that leaves the room alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from game_server.core.errors import GameError

MAX_POINTS_PER_TURN = 20000
MAX_OPS_PER_TURN = 5000


def _bad(message: str) -> GameError:
    return GameError("bad_request", message)


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
