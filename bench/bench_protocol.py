"""Decode speed of a `draw` batch: the protocol schema (msgspec) against the hand-written validation it
replaced (handlers/schemas + core/drawing.canonical_ops, at commit 62a68db, kept here verbatim for the
comparison) and, if pydantic v2 is importable, the same schema declared with pydantic.

    .venv/bin/python bench/bench_protocol.py [--runs 2000] [--pydantic-path DIR]

Batches as the client sends them: a typical one (one stroke continuing, 8 points), a full one (64 ops,
500 points). Each figure is the median of 7 repeats of `--runs` decodes, in microseconds per batch,
from the decoded wire dict (python-socketio has already parsed the JSON) to the log entries.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from typing import Any

from game_server.protocol.client import decode


def batch(points: int, ops: int) -> dict[str, Any]:
    per = max(1, points // ops)
    out: list[dict[str, Any]] = [{"type": "stroke", "id": 1, "tool": "pen", "color": "#1A2B3C", "width": 4,
                                  "points": [[10 + i, 20 + i * 0.5] for i in range(per)]}]
    pts = [[30 + i, 40.25] for i in range(per)]
    out += [{"type": "points", "id": 1, "points": [list(p) for p in pts]} for _ in range(ops - 1)]
    return {"seq": 7, "ops": out, "turn": "g1-r1-t2"}


# --- the validation this replaces (62a68db), verbatim but for names -------------------------------------
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Bad(Exception):
    pass


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _points(value: Any) -> list[list[float]]:
    if not isinstance(value, list) or not value:
        raise _Bad
    out = []
    for p in value:
        if not (isinstance(p, list) and len(p) == 2 and _number(p[0]) and _number(p[1])):
            raise _Bad
        x, y = p
        if not (0 <= x <= 800 and 0 <= y <= 600):
            raise _Bad
        out.append([x, y])
    return out


def _stroke_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**31 - 1:
        raise _Bad
    return value


def old_decode(data: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    seq = data["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= 10**9:
        raise _Bad
    ops = data["ops"]
    if not isinstance(ops, list) or not 1 <= len(ops) <= 64:
        raise _Bad
    out: list[dict[str, Any]] = []
    total = 0
    for op in ops:
        if not isinstance(op, dict):
            raise _Bad
        kind = op.get("type")
        if kind == "stroke":
            tool, color, width = op.get("tool"), op.get("color"), op.get("width")
            if tool not in ("pen", "eraser") or not isinstance(color, str) or not _COLOR.match(color):
                raise _Bad
            if not _number(width) or not 1 <= width <= 60:
                raise _Bad
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
            raise _Bad
        total += len(pts)
        if total > 500:
            raise _Bad
    turn = data.get("turn")
    if turn is not None and not isinstance(turn, str):
        raise _Bad
    return seq, out


def new_decode(data: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
    payload = decode("draw", data)
    return payload.seq, payload.log_ops()


def pydantic_decoder() -> Any:
    from typing import Annotated, Literal

    from pydantic import BaseModel, Field, TypeAdapter, model_validator

    X = Annotated[float, Field(ge=0, le=800, allow_inf_nan=False)]
    Y = Annotated[float, Field(ge=0, le=600, allow_inf_nan=False)]
    Sid = Annotated[int, Field(strict=True, ge=0, le=2**31 - 1)]

    class Stroke(BaseModel):
        type: Literal["stroke"]
        id: Sid
        tool: Literal["pen", "eraser"]
        color: Annotated[str, Field(pattern="^#[0-9a-fA-F]{6}$")]
        width: Annotated[float, Field(ge=1, le=60)]
        points: Annotated[list[tuple[X, Y]], Field(min_length=1)]

    class More(BaseModel):
        type: Literal["points"]
        id: Sid
        points: Annotated[list[tuple[X, Y]], Field(min_length=1)]

    class Bare(BaseModel):
        type: Literal["undo", "clear"]

    class Draw(BaseModel):
        seq: Annotated[int, Field(strict=True, ge=0, le=10**9)]
        ops: Annotated[list[Annotated[Stroke | More | Bare, Field(discriminator="type")]],
                       Field(min_length=1, max_length=64)]
        turn: str | None = None

        @model_validator(mode="after")
        def _budget(self) -> Draw:
            if sum(len(op.points) for op in self.ops if not isinstance(op, Bare)) > 500:
                raise ValueError("too many points")
            return self

    adapter = TypeAdapter(Draw)

    def run(data: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        d = adapter.validate_python(data)
        return d.seq, [op.model_dump() for op in d.ops]

    return run


def timed(fn: Any, data: dict[str, Any], runs: int) -> float:
    best = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(runs):
            fn(data)
        best.append((time.perf_counter() - start) / runs * 1e6)
    return statistics.median(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--pydantic-path", help="a directory holding pydantic (kept out of the venv)")
    args = parser.parse_args()
    if args.pydantic_path:
        sys.path.insert(0, args.pydantic_path)
    decoders = {"hand-written (before)": old_decode, "msgspec schema": new_decode}
    try:
        decoders["pydantic v2 schema"] = pydantic_decoder()
    except ImportError:
        print("pydantic not importable: skipped (pass --pydantic-path)")
    for label, data, runs in [("typical batch (1 op, 8 points)", batch(8, 1), args.runs),
                              ("full batch (64 ops, 500 points)", batch(500, 64), max(1, args.runs // 20))]:
        assert json.loads(json.dumps(new_decode(data)[1])) == old_decode(data)[1]  # same log entries
        print(label)
        base = 0.0
        for name, fn in decoders.items():
            us = timed(fn, data, runs)
            base = base or us  # the hand-written decoder runs first
            print(f"  {name:24s} {us:9.1f} us/batch   {base / us:5.2f}x the hand-written speed")


if __name__ == "__main__":
    main()
