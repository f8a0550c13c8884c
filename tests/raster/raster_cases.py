"""Shared test material for the rasterizer: real Quick, Draw! drawings turned into game drawing logs."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "quickdraw"
CANVAS_W, CANVAS_H = 800.0, 600.0


def data_dir() -> Path:
    """The shared Quick, Draw! folder (env DOODLEAI_DATA_DIR overrides)."""
    import os

    return Path(os.environ.get("DOODLEAI_DATA_DIR", DATA))


def load_drawings(kind: str, per_file: int, every: int = 1, limit: int | None = None) -> list[dict]:
    """Records from ``<data>/<kind>/*.ndjson``: the first ``per_file`` of every ``every``-th category."""
    files = sorted((data_dir() / kind).glob("*.ndjson"))[::every]
    out: list[dict] = []
    for f in files:
        with f.open() as fh:
            for n, line in enumerate(fh):
                if n >= per_file:
                    break
                out.append(json.loads(line))
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


def place(drawing: list, rng: random.Random) -> list[list[tuple[float, float]]]:
    """Place a Google-format drawing on the 800x600 canvas at a random size and position (floats)."""
    xs = [x for s in drawing for x in s[0]]
    ys = [y for s in drawing for y in s[1]]
    minx, miny = min(xs), min(ys)
    ext = max(max(xs) - minx, max(ys) - miny, 1e-9)
    size = rng.uniform(12.0, 590.0)  # the larger side of the drawing on the canvas, in canvas units
    k = size / ext
    w, h = (max(xs) - minx) * k, (max(ys) - miny) * k
    ox = rng.uniform(0.0, CANVAS_W - w)
    oy = rng.uniform(0.0, CANVAS_H - h)
    return [
        [((x - minx) * k + ox, (y - miny) * k + oy) for x, y in zip(s[0], s[1], strict=True)] for s in drawing
    ]


def to_ops(
    strokes: list[list[tuple[float, float]]], rng: random.Random, extras: bool = False
) -> list[dict[str, Any]]:
    """Game ops for canvas strokes, each split into a ``stroke`` op and 0..several ``points`` batches.

    With ``extras`` some logs also get an eraser stroke, an undone stroke or a clear before a redraw.
    """
    ops: list[dict[str, Any]] = []
    sid = 0

    def emit(points: list[tuple[float, float]], tool: str = "pen", width: float | None = None) -> None:
        nonlocal sid
        sid += 1
        first = rng.randint(1, max(1, min(len(points), 4)))
        ops.append(
            {
                "type": "stroke",
                "id": sid,
                "tool": tool,
                "color": "#000000" if tool == "pen" else "#ffffff",
                "width": width if width is not None else rng.choice([2, 4, 8, 16]),
                "points": [list(p) for p in points[:first]],
            }
        )
        rest = points[first:]
        while rest:
            n = rng.randint(1, 12)
            ops.append({"type": "points", "id": sid, "points": [list(p) for p in rest[:n]]})
            rest = rest[n:]

    mode = rng.choice(["plain", "eraser", "undo", "clear"]) if extras else "plain"
    if mode == "clear":
        emit(strokes[0])
        ops.append({"type": "clear"})
    for i, st in enumerate(strokes):
        emit(st)
        if mode == "undo" and i == len(strokes) // 2:
            emit([(p[0] + 7.0, p[1] - 5.0) for p in st])
            ops.append({"type": "undo"})
    if mode == "eraser":
        path = strokes[rng.randrange(len(strokes))]
        wobbly = [(p[0] + rng.uniform(-3, 3), p[1] + rng.uniform(-3, 3)) for p in path]
        emit(wobbly, "eraser", rng.uniform(4, 60))
    return ops


def edge_cases() -> dict[str, list[dict[str, Any]]]:
    """Named drawing logs for the corners of the contract."""

    def stroke(sid: int, pts: list, tool: str = "pen", width: float = 6.0) -> dict[str, Any]:
        return {"type": "stroke", "id": sid, "tool": tool, "color": "#000000", "width": width, "points": pts}

    square = [[100, 100], [300, 100], [300, 300], [100, 300], [100, 100]]
    return {
        "empty": [],
        "single_dot": [stroke(1, [[400, 300]])],
        "long_line": [stroke(1, [[0, 300], [800, 300]])],
        "diagonal": [stroke(1, [[0, 0], [800, 600]])],
        "border": [stroke(1, [[0, 0], [800, 0], [800, 600], [0, 600], [0, 0]])],
        "border_corner": [stroke(1, [[0, 0], [40, 0], [40, 40]]), stroke(2, [[0, 40], [0, 0]])],
        "erased": [stroke(1, square), stroke(2, [[200, 200]], "eraser", 2000.0)],
        "eraser_only": [stroke(1, [[200, 200], [300, 300]], "eraser", 40.0)],
        "partly_erased": [stroke(1, square), stroke(2, [[100, 50], [100, 350]], "eraser", 30.0)],
        "undo_all": [stroke(1, square), {"type": "undo"}],
        "clear": [stroke(1, square), {"type": "clear"}],
        "clear_redraw": [stroke(1, square), {"type": "clear"}, stroke(2, [[10, 10], [20, 50]])],
        "tiny_scribble": [stroke(1, [[400.0, 300.0], [400.25, 300.5], [400.5, 300.0]])],
        "fractional": [stroke(1, [[10.5, 20.25], [10.4999, 590.75], [700.125, 20.5]])],
        "dots": [stroke(i + 1, [[50 + 70 * i, 80 + 40 * i]]) for i in range(10)],
    }
