"""Drawing logs -> visible strokes, and the flat form the pipeline works on. numpy only.

The pipeline keeps the strokes of one or many drawings in one flat record (``Flat``): all points in
one (M, 2) float64 array and per-stroke lists. numpy costs more per call than per point on drawings
of a few dozen points, so doing each step once for all strokes (and all drawings of a batch) is what
makes the rasterizer fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, NamedTuple

import numpy as np


@dataclass(frozen=True, slots=True)
class Stroke:
    """A visible stroke: ``tool`` is "pen" or "eraser", ``width`` in canvas units, ``points`` (N, 2)."""

    tool: str
    width: float
    points: np.ndarray


class Flat(NamedTuple):
    """Strokes of ``count`` drawings, stroke by stroke in drawing order.

    ``erasers``/``widths``/``owner``: per stroke, is it an eraser, its width, its drawing (0..count-1,
    non-decreasing); ``points``: all points (M, 2) float64, C-contiguous; ``lens``: points per stroke.
    """

    erasers: list[bool]
    widths: list[float]
    points: np.ndarray
    lens: np.ndarray
    owner: list[int]
    count: int


# A replayed log: (is_eraser, width, point batches) per visible stroke.
Live = list[tuple[bool, float, list[Sequence[Sequence[float]]]]]


def replay(ops: Iterable[Mapping[str, Any]]) -> Live:
    """The visible strokes of a drawing log, in start order (see ``visible_strokes``)."""
    live: list[tuple[Any, bool, float, list[Sequence[Sequence[float]]]]] = []
    for op in ops:
        kind = op.get("type")
        if kind == "stroke":
            eraser = op.get("tool") == "eraser"
            live.append((op.get("id"), eraser, float(op.get("width") or 0.0), [op.get("points") or []]))
        elif kind == "points":
            sid = op.get("id")
            for entry in reversed(live):
                if entry[0] == sid:
                    entry[3].append(op.get("points") or [])
                    break
        elif kind == "undo":
            if live:
                live.pop()
        elif kind == "clear":
            live.clear()
    return [(eraser, width, chunks) for _sid, eraser, width, chunks in live]


def flat_of_logs(lives: Sequence[Live]) -> Flat:
    """Replayed logs as one Flat (drawing i = lives[i]); strokes may have no points."""
    strokes = [st for live in lives for st in live]
    lens = [sum(map(len, chunks)) for _e, _w, chunks in strokes]
    batches = [chunk for _e, _w, chunks in strokes for chunk in chunks]
    flat = chain.from_iterable(chain.from_iterable(batches))  # x0, y0, x1, ... without Python frames
    # One conversion for everything: np.asarray on nested lists costs ~10x more per point.
    pts = np.fromiter(flat, dtype=np.float64, count=2 * sum(lens)).reshape(-1, 2)
    owner = [i for i, live in enumerate(lives) for _ in live]
    return Flat(
        [e for e, _w, _c in strokes], [w for _e, w, _c in strokes], pts, np.array(lens, np.intp), owner,
        len(lives),
    )


def flat_of_google(drawings: Sequence[Sequence[Sequence[Sequence[float]]]]) -> Flat:
    """Google-format drawings (``[[xs], [ys](, [ts])]`` per stroke) as pen strokes of one Flat."""
    strokes = [st for d in drawings for st in d]
    lens = np.fromiter((len(st[0]) for st in strokes), dtype=np.intp, count=len(strokes))
    pts = np.empty((int(lens.sum()), 2))
    pts[:, 0] = list(chain.from_iterable(st[0] for st in strokes))
    pts[:, 1] = list(chain.from_iterable(st[1] for st in strokes))
    owner = [i for i, d in enumerate(drawings) for _ in d]
    return Flat([False] * len(strokes), [0.0] * len(strokes), pts, lens, owner, len(drawings))


def flat_of_strokes(strokes: Sequence[Stroke]) -> Flat:
    """``Stroke`` objects (any coordinate space) as one drawing."""
    parts = [s.points for s in strokes]
    pts = np.ascontiguousarray(np.concatenate(parts), np.float64) if parts else np.zeros((0, 2))
    lens = np.fromiter((len(p) for p in parts), dtype=np.intp, count=len(parts))
    erasers = [s.tool == "eraser" for s in strokes]
    return Flat(erasers, [s.width for s in strokes], pts, lens, [0] * len(strokes), 1)


def split(flat: Flat) -> list[tuple[bool, float, np.ndarray]]:
    """(is_eraser, width, points) per stroke, points as views into ``flat.points``."""
    ends = np.cumsum(flat.lens).tolist()
    return [
        (e, w, flat.points[end - n : end])
        for e, w, n, end in zip(flat.erasers, flat.widths, flat.lens.tolist(), ends, strict=True)
    ]


def drop_empty(flat: Flat) -> Flat:
    """The same strokes less those without points."""
    if flat.lens.all():
        return flat
    some = flat.lens.astype(bool).tolist()
    return flat._replace(
        erasers=[e for e, k in zip(flat.erasers, some, strict=True) if k],
        widths=[w for w, k in zip(flat.widths, some, strict=True) if k],
        owner=[o for o, k in zip(flat.owner, some, strict=True) if k],
        lens=flat.lens[flat.lens > 0],
    )


def select(flat: Flat, strokes: list[bool]) -> Flat:
    """The strokes whose flag is set."""
    mask = np.repeat(np.array(strokes, dtype=bool), flat.lens)
    return flat._replace(
        erasers=[e for e, k in zip(flat.erasers, strokes, strict=True) if k],
        widths=[w for w, k in zip(flat.widths, strokes, strict=True) if k],
        owner=[o for o, k in zip(flat.owner, strokes, strict=True) if k],
        points=flat.points[mask],
        lens=flat.lens[np.array(strokes, dtype=bool)],
    )
