"""The model's input contract: a drawing -> float32 28x28 (ink 1, background 0). numpy only.

Used by the game server (verification), by training (stroke data) and mirrored step for step, in the
same float64 operation order, by ``web_client/src/raster.js``; a parity test holds the two together.
Must not import torch or anything outside numpy and the standard library. Spec: docs/rasterizer.md.

Pipeline (reproduces how Google's numpy_bitmap files were drawn from simplified strokes):
  1. box over the visible PEN points (none -> zeros);
  2. normalize like Google's simplified format: (p - min) * 255 / max_extent, rounded with floor(v + 0.5);
  3. drop consecutive duplicates, Ramer-Douglas-Peucker with epsilon 2.0;
  4. centre in the 256 box: add ((256 - max_x) / 2, (256 - max_y) / 2);
  5. pixel space: q = (p + (2 * 16 + lw) / 2) * 28 / (256 + 2 * 16 + lw), pen radius lw * s / 2;
  6. anti-aliased capsules, cov = clamp(r + 0.5 - d, 0, 1), composited stroke by stroke
     (pen: v = cov + v * (1 - cov); eraser: v = v * (1 - cov)).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, pairwise
from typing import Any

import numpy as np

SIDE = 28
BOX = 256.0
PADDING = 16.0
LINE_WIDTH = 16.0
RDP_EPSILON = 2.0
CANVAS_WIDTH = 800
CANVAS_HEIGHT = 600

# Above this many points a RDP span is measured with numpy; below it a Python list is faster.
_RDP_NUMPY_MIN = 48
# Pixel-segment pairs evaluated per numpy pass (bounds memory to a few tens of MB).
_PAIR_BLOCK = 65536


@dataclass(frozen=True, slots=True)
class Stroke:
    """A visible stroke: ``tool`` is "pen" or "eraser", ``width`` in canvas units, ``points`` (N, 2)."""

    tool: str
    width: float
    points: np.ndarray


def visible_strokes(ops: Iterable[Mapping[str, Any]]) -> list[Stroke]:
    """Replay a drawing log into its visible strokes, in start order.

    ``stroke`` starts a stroke; ``points`` extends the most recently started visible stroke with that id
    (points for an undone, cleared or unknown stroke are dropped); ``undo`` removes the most recently
    started visible stroke; ``clear`` removes all. Unknown op types are ignored. Ops are assumed to be
    validated by the caller (finite numbers, [x, y] pairs).
    """
    live: list[tuple[Any, str, float, list[Sequence[Sequence[float]]]]] = []
    for op in ops:
        kind = op.get("type")
        if kind == "stroke":
            tool = "eraser" if op.get("tool") == "eraser" else "pen"
            live.append((op.get("id"), tool, float(op.get("width") or 0.0), [op.get("points") or []]))
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
    # One flat conversion for all strokes: np.asarray on nested lists costs ~10x more per point.
    lens = [sum(len(chunk) for chunk in chunks) for _sid, _tool, _width, chunks in live]
    flat = chain.from_iterable(p for _sid, _tool, _width, chunks in live for chunk in chunks for p in chunk)
    allpts = np.fromiter(flat, dtype=np.float64, count=2 * sum(lens)).reshape(-1, 2)
    out = []
    pos = 0
    for (_sid, tool, width, _chunks), n in zip(live, lens, strict=True):
        out.append(Stroke(tool, width, allpts[pos : pos + n]))
        pos += n
    return out


def rasterize_ops(ops: Iterable[Mapping[str, Any]], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize a game drawing log (canvas space) into the model input, float32 (28, 28)."""
    strokes = visible_strokes(ops)
    return rasterize_strokes(strokes, line_width)


def rasterize_ops_prefixes(
    ops: Sequence[Mapping[str, Any]], lengths: Iterable[int], line_width: float = LINE_WIDTH
) -> np.ndarray:
    """Rasterize several prefixes of one log (what the AI saw after ``n`` ops): float32 (K, 28, 28)."""
    images = [rasterize_ops(ops[:n], line_width) for n in lengths]
    return np.stack(images) if images else np.zeros((0, SIDE, SIDE), np.float32)


def rasterize_google(
    drawing: Sequence[Sequence[Sequence[float]]], line_width: float = LINE_WIDTH, normalize: bool = True
) -> np.ndarray:
    """Rasterize a drawing in Google's simplified or raw format (``[[xs], [ys](, [ts])]`` per stroke).

    All strokes are pen strokes; times are ignored. ``normalize=True`` runs the full pipeline (what
    a game drawing gets); ``normalize=False`` draws simplified strokes as they are (steps 4-7 only),
    as Google drew its numpy bitmaps. Returns float32 (28, 28).
    """
    strokes = []
    for stroke in drawing:
        xs = np.asarray(stroke[0], dtype=np.float64)
        ys = np.asarray(stroke[1], dtype=np.float64)
        strokes.append(Stroke("pen", 0.0, np.stack([xs, ys], axis=1)))
    if normalize:
        return rasterize_strokes(strokes, line_width)
    return render_box([(False, 0.0, st.points) for st in strokes], line_width)


def rasterize_google_many(
    drawings: Iterable[Sequence[Sequence[Sequence[float]]]],
    line_width: float = LINE_WIDTH,
    normalize: bool = True,
) -> np.ndarray:
    """Rasterize many Google-format drawings: float32 (N, 28, 28)."""
    images = [rasterize_google(d, line_width, normalize) for d in drawings]
    return np.stack(images) if images else np.zeros((0, SIDE, SIDE), np.float32)


BoxStroke = tuple[bool, float, np.ndarray]
"""A stroke in the 256 box: (is_eraser, eraser width in box units (0 for pen), points (N, 2))."""


def normalize_strokes(strokes: Sequence[Stroke]) -> list[BoxStroke]:
    """Steps 1-3: pen box, scale to 255, round, dedupe, RDP -> strokes in Google's simplified space.

    Pen points end up as integers within 0..255; the eraser width is scaled like the points
    (``width * scale``). Empty when there is no pen point; strokes without points are dropped.
    """
    flat = _normalize_flat(strokes)
    if flat is None:
        return []
    erasers, widths, q, lens = flat
    ends = np.cumsum(lens).tolist()
    return [
        (e, w, q[end - n : end]) for e, w, n, end in zip(erasers, widths, lens.tolist(), ends, strict=True)
    ]


def render_box(norm: Sequence[BoxStroke], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Steps 4-7: centre strokes given in the 256 box, draw them at 28x28. float32 (28, 28).

    No pen point -> zeros. Google simplified strokes can be drawn directly with this (as Google drew
    its numpy bitmaps), skipping the re-normalization and the second RDP pass.
    """
    norm = [st for st in norm if len(st[2])]
    if all(e for e, _w, _p in norm):  # no pen point (or nothing at all)
        return np.zeros((SIDE, SIDE), np.float32)
    q = np.concatenate([p for _e, _w, p in norm]).astype(np.float64, copy=False)
    lens = np.fromiter((len(p) for _e, _w, p in norm), dtype=np.intp, count=len(norm))
    return _render_flat(([e for e, _w, _p in norm], [w for _e, w, _p in norm], q, lens), line_width)


def rasterize_strokes(strokes: Sequence[Stroke], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize visible strokes (canvas or any coordinate space): float32 (28, 28)."""
    flat = _normalize_flat(strokes)
    if flat is None:
        return np.zeros((SIDE, SIDE), np.float32)
    return _render_flat(flat, line_width)


# Strokes kept flat between the steps: (is_eraser per stroke, box width per stroke, all points (M, 2),
# points per stroke (all >= 1)).
_Flat = tuple[list[bool], list[float], np.ndarray, np.ndarray]


def _normalize_flat(strokes: Sequence[Stroke]) -> _Flat | None:
    drawn = [s for s in strokes if len(s.points)]
    pen = [s.points for s in drawn if s.tool != "eraser"]
    if not pen:
        return None
    allpen = np.concatenate(pen) if len(pen) > 1 else pen[0]
    lo = allpen.min(axis=0)
    hi = allpen.max(axis=0)
    extent = max(float(hi[0] - lo[0]), float(hi[1] - lo[1]))
    scale = 255.0 / extent if extent > 0 else 1.0
    # All strokes at once: round, then drop points equal to their predecessor in the same stroke.
    pts = np.concatenate([s.points for s in drawn]) if len(drawn) > 1 else drawn[0].points
    q = np.floor((pts - lo) * scale + 0.5)
    lens = np.fromiter((len(s.points) for s in drawn), dtype=np.intp, count=len(drawn))
    starts = np.cumsum(lens) - lens
    keep = np.empty(len(q), dtype=bool)
    keep[0] = True
    np.any(q[1:] != q[:-1], axis=1, out=keep[1:])
    keep[starts] = True
    kept_lens = np.add.reduceat(keep, starts).tolist()
    q = q[keep]
    # RDP per stroke on Python lists of the whole drawing (one conversion), kept indices are global.
    xs = q[:, 0].tolist()
    ys = q[:, 1].tolist()
    kept: list[int] = []
    out_lens = []
    pos = 0
    for n in kept_lens:
        if n > 2:
            idx = _rdp_keep(xs, ys, q, pos, pos + n - 1, RDP_EPSILON)
            kept += idx
            out_lens.append(len(idx))
        else:
            kept += range(pos, pos + n)
            out_lens.append(n)
        pos += n
    if len(kept) != len(q):
        q = q[kept]
    erasers = [s.tool == "eraser" for s in drawn]
    widths = [s.width * scale if e else 0.0 for s, e in zip(drawn, erasers, strict=True)]
    return erasers, widths, q, np.array(out_lens, dtype=np.intp)


def _rdp_keep(
    xs: list[float], ys: list[float], q: np.ndarray, first: int, last: int, eps: float
) -> list[int]:
    """Indices in first..last kept by Ramer-Douglas-Peucker (iterative; same as the recursive form).

    Distance of point i to the chord a->b: |dx * (ay - yi) - (ax - xi) * dy| / sqrt(dx*dx + dy*dy),
    or sqrt(ex*ex + ey*ey) to a when a == b. Split at the farthest point (first of equals) if > eps.
    """
    keep = {first, last}
    stack = [(first, last)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = xs[a], ys[a]
        dx = xs[b] - ax
        dy = ys[b] - ay
        seg = math.sqrt(dx * dx + dy * dy)
        if b - a > _RDP_NUMPY_MIN:
            px = q[a + 1 : b, 0]
            py = q[a + 1 : b, 1]
            if seg == 0.0:
                ex = px - ax
                ey = py - ay
                dist = np.sqrt(ex * ex + ey * ey)
            else:
                dist = np.abs(dx * (ay - py) - (ax - px) * dy) / seg
            k = int(np.argmax(dist))
            best, idx = float(dist[k]), a + 1 + k
        else:
            span = zip(xs[a + 1 : b], ys[a + 1 : b], strict=True)
            if seg == 0.0:
                ds = [math.sqrt((x - ax) * (x - ax) + (y - ay) * (y - ay)) for x, y in span]
            else:
                ds = [abs(dx * (ay - y) - (ax - x) * dy) / seg for x, y in span]
            best = max(ds)
            idx = a + 1 + ds.index(best)  # the first of equals
        if best > eps:
            keep.add(idx)
            stack.append((a, idx))
            stack.append((idx, b))
    return sorted(keep)


def _render_flat(flat: _Flat, line_width: float) -> np.ndarray:
    erasers, widths, q, lens = flat
    pen_pts = np.repeat(~np.array(erasers), lens)
    top = q[pen_pts].max(axis=0)
    maxx, maxy = float(top[0]), float(top[1])
    ox = (BOX - maxx) / 2.0
    oy = (BOX - maxy) / 2.0
    pad = (2.0 * PADDING + line_width) / 2.0
    s = SIDE / (BOX + 2.0 * PADDING + line_width)
    pen_r = line_width * s / 2.0
    radii = np.array([w * s / 2.0 if e else pen_r for e, w in zip(erasers, widths, strict=True)])
    nstrokes = len(erasers)

    # Pixel space, all strokes concatenated; segment k joins point a[k] to b[k] (a one-point stroke is
    # a zero-length segment from its point to itself, i.e. a disk).
    x = (q[:, 0] + ox + pad) * s
    y = (q[:, 1] + oy + pad) * s
    ends = np.cumsum(lens)
    last = np.zeros(len(q), dtype=bool)
    last[ends[lens > 1] - 1] = True
    a = np.flatnonzero(~last)
    stroke_of = np.repeat(np.arange(nstrokes), lens)[a]
    b = a + (lens[stroke_of] > 1)
    ax, ay = x[a], y[a]
    dx = x[b] - ax
    dy = y[b] - ay
    len2 = dx * dx + dy * dy
    len2[len2 == 0.0] = 1.0  # zero-length segment: the dot product is 0 too, so t = 0 (a disk)

    # Only pixels whose centre lies within r + 0.5 (+1 px margin) of a segment's box can get
    # coverage; every other pixel has cov exactly 0, so skipping them changes nothing.
    reach = radii[stroke_of] + 1.5
    j0 = np.clip(np.floor(np.minimum(ax, ax + dx) - reach), 0, SIDE).astype(np.intp)
    j1 = np.clip(np.ceil(np.maximum(ax, ax + dx) + reach), -1, SIDE - 1).astype(np.intp)
    i0 = np.clip(np.floor(np.minimum(ay, ay + dy) - reach), 0, SIDE).astype(np.intp)
    i1 = np.clip(np.ceil(np.maximum(ay, ay + dy) + reach), -1, SIDE - 1).astype(np.intp)
    w = np.maximum(j1 - j0 + 1, 0)
    cnt = w * np.maximum(i1 - i0 + 1, 0)
    d2 = np.full(nstrokes * SIDE * SIDE, np.inf)
    # Pixel-segment pairs in blocks of about _PAIR_BLOCK, so a wide eraser (every segment covers the
    # whole image) cannot make the temporaries grow without bound.
    cum = np.cumsum(cnt)
    cuts = [0, *np.searchsorted(cum, np.arange(_PAIR_BLOCK, int(cum[-1]), _PAIR_BLOCK)).tolist(), len(a)]
    for lo, hi in pairwise(cuts):
        if hi > lo:
            sl = slice(lo, hi)
            _min_sq_dist(
                d2, ax[sl], ay[sl], dx[sl], dy[sl], len2[sl], stroke_of[sl], j0[sl], i0[sl], w[sl], cnt[sl]
            )
    cov = (radii[:, None] + 0.5) - np.sqrt(d2).reshape(nstrokes, SIDE * SIDE)
    np.maximum(cov, 0.0, out=cov)
    np.minimum(cov, 1.0, out=cov)

    # pen: v = cov + v * (1 - cov); eraser: v = v * (1 - cov). In place, same rounding (a + b == b + a).
    keep = 1.0 - cov
    v = np.zeros(SIDE * SIDE)
    for k, is_eraser in enumerate(erasers):
        v *= keep[k]
        if not is_eraser:
            v += cov[k]
    return v.reshape(SIDE, SIDE).astype(np.float32)


def _min_sq_dist(
    d2: np.ndarray,
    ax: np.ndarray,
    ay: np.ndarray,
    dx: np.ndarray,
    dy: np.ndarray,
    len2: np.ndarray,
    stroke_of: np.ndarray,
    j0: np.ndarray,
    i0: np.ndarray,
    w: np.ndarray,
    cnt: np.ndarray,
) -> None:
    """d2[stroke, pixel] = min(d2, squared distance from the pixel centre to each segment's capsule axis).

    Each segment k is tried on its window of cnt[k] pixels (w[k] wide, from row i0[k], column j0[k]).
    The squared distance is taken, and its square root later, after the minimum: sqrt is monotone
    and correctly rounded, so this equals the minimum of the distances.
    """
    seg = np.repeat(np.arange(len(ax)), cnt)
    local = np.arange(len(seg)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    ww = w[seg]
    ii = i0[seg] + local // ww
    jj = j0[seg] + local % ww
    sdx = dx[seg]
    sdy = dy[seg]
    wx = (jj + 0.5) - ax[seg]
    wy = (ii + 0.5) - ay[seg]
    t = (wx * sdx + wy * sdy) / len2[seg]
    np.maximum(t, 0.0, out=t)
    np.minimum(t, 1.0, out=t)
    wx -= t * sdx
    wy -= t * sdy
    np.minimum.at(d2, stroke_of[seg] * (SIDE * SIDE) + ii * SIDE + jj, wx * wx + wy * wy)
