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
# Pixel-segment pairs evaluated per numpy pass (bounds the temporaries to a few tens of MB).
_PAIR_BLOCK = 65536
# Slack (px) on the per-segment pixel windows: far above float64 rounding on coordinates of ~30 px.
_WINDOW_SLACK = 1e-3


@dataclass(frozen=True, slots=True)
class Stroke:
    """A visible stroke: ``tool`` is "pen" or "eraser", ``width`` in canvas units, ``points`` (N, 2)."""

    tool: str
    width: float
    points: np.ndarray


# Strokes kept flat between the steps: (is_eraser per stroke, width per stroke, all points (M, 2) float64,
# points per stroke). Cheaper than one small array per stroke: numpy costs per call more than per point.
_Flat = tuple[list[bool], list[float], np.ndarray, np.ndarray]


def visible_strokes(ops: Iterable[Mapping[str, Any]]) -> list[Stroke]:
    """Replay a drawing log into its visible strokes, in start order.

    ``stroke`` starts a stroke; ``points`` extends the most recently started visible stroke with that id
    (points for an undone, cleared or unknown stroke are dropped); ``undo`` removes the most recently
    started visible stroke; ``clear`` removes all. Unknown op types are ignored. Ops are assumed to be
    validated by the caller (finite numbers, [x, y] pairs).
    """
    erasers, widths, pts, lens = _replay(ops)
    ends = np.cumsum(lens).tolist()
    return [
        Stroke("eraser" if e else "pen", w, pts[end - n : end])
        for e, w, n, end in zip(erasers, widths, lens.tolist(), ends, strict=True)
    ]


def _replay(ops: Iterable[Mapping[str, Any]]) -> _Flat:
    """``visible_strokes`` as flat strokes (some may have no points)."""
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
    # One flat conversion for all strokes: np.asarray on nested lists costs ~10x more per point.
    lens = [sum(map(len, chunks)) for _sid, _e, _w, chunks in live]
    batches = [chunk for _sid, _e, _w, chunks in live for chunk in chunks]
    flat = chain.from_iterable(chain.from_iterable(batches))  # x0, y0, x1, ... without Python frames
    pts = np.fromiter(flat, dtype=np.float64, count=2 * sum(lens)).reshape(-1, 2)
    erasers = [e for _sid, e, _w, _chunks in live]
    widths = [w for _sid, _e, w, _chunks in live]
    return erasers, widths, pts, np.array(lens, dtype=np.intp)


def rasterize_ops(ops: Iterable[Mapping[str, Any]], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize a game drawing log (canvas space) into the model input, float32 (28, 28)."""
    return _rasterize_flat(_replay(ops), line_width)


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
    lens = np.fromiter((len(st[0]) for st in drawing), dtype=np.intp, count=len(drawing))
    pts = np.empty((int(lens.sum()), 2))
    pts[:, 0] = list(chain.from_iterable(st[0] for st in drawing))
    pts[:, 1] = list(chain.from_iterable(st[1] for st in drawing))
    flat = ([False] * len(drawing), [0.0] * len(drawing), pts, lens)
    if normalize:
        return _rasterize_flat(flat, line_width)
    flat = _drop_empty(flat)
    if not len(pts):
        return np.zeros((SIDE, SIDE), np.float32)
    return _render_flat(flat, line_width)


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
    flat = _normalize_flat(_flat_of(strokes))
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
    return _rasterize_flat(_flat_of(strokes), line_width)


def _rasterize_flat(flat: _Flat, line_width: float) -> np.ndarray:
    norm = _normalize_flat(flat)
    if norm is None:
        return np.zeros((SIDE, SIDE), np.float32)
    return _render_flat(norm, line_width)


def _flat_of(strokes: Sequence[Stroke]) -> _Flat:
    pts = np.ascontiguousarray(np.concatenate([s.points for s in strokes]), np.float64) if strokes else None
    lens = np.fromiter((len(s.points) for s in strokes), dtype=np.intp, count=len(strokes))
    erasers = [s.tool == "eraser" for s in strokes]
    return erasers, [s.width for s in strokes], np.zeros((0, 2)) if pts is None else pts, lens


def _drop_empty(flat: _Flat) -> _Flat:
    erasers, widths, pts, lens = flat
    if lens.all():
        return flat
    some = lens.astype(bool).tolist()
    erasers = [e for e, k in zip(erasers, some, strict=True) if k]
    widths = [w for w, k in zip(widths, some, strict=True) if k]
    return erasers, widths, pts, lens[lens > 0]


def _normalize_flat(flat: _Flat) -> _Flat | None:
    """Steps 1-3 on flat strokes (empty ones are dropped): None when there is no pen point."""
    erasers, widths, pts, lens = _drop_empty(flat)
    if all(erasers):  # no pen point (or nothing at all)
        return None
    allpen = pts[np.repeat(~np.array(erasers), lens)] if any(erasers) else pts
    lo = np.minimum.reduce(allpen, axis=0)
    hi = np.maximum.reduce(allpen, axis=0)
    extent = max(float(hi[0] - lo[0]), float(hi[1] - lo[1]))
    scale = 255.0 / extent if extent > 0 else 1.0
    # All strokes at once: round, then drop points equal to their predecessor in the same stroke.
    q = pts - lo
    q *= scale
    q += 0.5
    np.floor(q, out=q)
    starts = np.cumsum(lens) - lens
    keep = np.empty(len(q), dtype=bool)
    keep[0] = True
    xy = q.view(np.complex128).ravel()  # one complex per point: == compares x and y in one pass
    np.not_equal(xy[1:], xy[:-1], out=keep[1:])
    keep[starts] = True
    kept_lens = np.add.reduceat(keep, starts).tolist()
    q = q[keep]
    # RDP per stroke on a Python list of the whole drawing (one conversion), kept indices are global.
    xy = list(zip(q[:, 0].tolist(), q[:, 1].tolist(), strict=True))
    kept: list[int] = []
    out_lens = []
    pos = 0
    for n in kept_lens:
        if n > 2:
            idx = _rdp_keep(xy, q, pos, pos + n - 1, RDP_EPSILON)
            kept += idx
            out_lens.append(len(idx))
        else:
            kept += range(pos, pos + n)
            out_lens.append(n)
        pos += n
    if len(kept) != len(q):
        q = q[kept]
    widths = [w * scale if e else 0.0 for w, e in zip(widths, erasers, strict=True)]
    return erasers, widths, q, np.array(out_lens, dtype=np.intp)


def _rdp_keep(xy: list[tuple[float, float]], q: np.ndarray, first: int, last: int, eps: float) -> list[int]:
    """Indices in first..last kept by Ramer-Douglas-Peucker (iterative; same as the recursive form).

    Distance of point i to the chord a->b: |dx * (ay - yi) - (ax - xi) * dy| / sqrt(dx*dx + dy*dy),
    or sqrt(ex*ex + ey*ey) to a when a == b. Split at the farthest point (first of equals) if > eps.
    """
    keep = [first, last]
    stack = [(first, last)]
    sqrt = math.sqrt
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        ax, ay = xy[a]
        bx, by = xy[b]
        dx = bx - ax
        dy = by - ay
        seg = sqrt(dx * dx + dy * dy)
        if b - a == 2:  # one point in between, the most common span of a detailed stroke: no list
            x, y = xy[a + 1]
            if seg == 0.0:
                best = sqrt((x - ax) * (x - ax) + (y - ay) * (y - ay))
            else:
                best = abs(dx * (ay - y) - (ax - x) * dy) / seg
            if best > eps:
                keep.append(a + 1)
            continue
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
            span = xy[a + 1 : b]
            if seg == 0.0:
                ds = [sqrt((x - ax) * (x - ax) + (y - ay) * (y - ay)) for x, y in span]
            else:
                ds = [abs(dx * (ay - y) - (ax - x) * dy) / seg for x, y in span]
            best = max(ds)
            idx = a + 1 + ds.index(best)  # the first of equals
        if best > eps:
            keep.append(idx)
            stack.append((a, idx))
            stack.append((idx, b))
    keep.sort()  # spans are disjoint, so no index is added twice
    return keep


def _render_flat(flat: _Flat, line_width: float) -> np.ndarray:
    """Steps 4-7 on normalized flat strokes (each with >= 1 point, at least one pen point)."""
    erasers, widths, q, lens = flat
    any_eraser = any(erasers)
    top = np.maximum.reduce(q[np.repeat(~np.array(erasers), lens)] if any_eraser else q, axis=0)
    maxx, maxy = float(top[0]), float(top[1])
    ox = (BOX - maxx) / 2.0
    oy = (BOX - maxy) / 2.0
    pad = (2.0 * PADDING + line_width) / 2.0
    s = SIDE / (BOX + 2.0 * PADDING + line_width)
    pen_r = line_width * s / 2.0
    radii = [w * s / 2.0 if e else pen_r for e, w in zip(erasers, widths, strict=True)]
    nstrokes = len(erasers)
    if lens.min() == 1:  # a one-point stroke is a zero-length segment from its point to itself (a disk)
        q = np.repeat(q, np.repeat(np.where(lens == 1, 2, 1), lens), axis=0)
        lens = np.maximum(lens, 2)

    # Pixel space, all strokes concatenated, x and y side by side: ((p + o) + pad) * s per coordinate.
    # Segment k joins p[k] to p[k + 1]; the ones that join two strokes get no pixels (below).
    p = (q + np.array([ox, oy]) + pad) * s
    pa = p[:-1]
    d = p[1:] - pa
    len2 = d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1]
    len2[len2 == 0.0] = 1.0  # zero-length segment: the dot product is 0 too, so t = 0 (a disk)
    r = np.repeat(radii, lens)[:-1, None] if any_eraser else pen_r

    # A pixel (centre c = index + 0.5) gets coverage only if its distance to the segment is < r + 0.5,
    # so on each axis only indices in (lo - r - 1, hi + r) can: the segment's window, widened by a
    # hair against rounding. Every other pixel has cov exactly 0, so skipping it changes nothing.
    first = np.minimum(pa, p[1:])
    first -= r + (1.0 + _WINDOW_SLACK)
    np.ceil(first, out=first)
    np.maximum(first, 0.0, out=first)
    size = np.maximum(pa, p[1:])
    size += r + _WINDOW_SLACK
    np.floor(size, out=size)
    np.minimum(size, SIDE - 1.0, out=size)
    size -= first
    size += 1.0
    np.maximum(size, 0.0, out=size)
    count = (size[:, 0] * size[:, 1]).astype(np.intp)
    ends = np.cumsum(lens)
    count[ends[:-1] - 1] = 0  # the joins between strokes
    cum = np.cumsum(count)
    # Per segment: ax, ay, dx, dy, |d|^2, its first pair, window width, first column, first row and the
    # flat index of the window's corner in d2 (all small integers, exact in float64).
    params = np.empty((10, len(pa)))
    params[0:2] = pa.T
    params[2:4] = d.T
    params[4] = len2
    np.subtract(cum, count, out=params[5])
    params[6] = size[:, 0]
    params[7:9] = first.T
    params[9] = np.repeat(np.arange(0.0, nstrokes * SIDE * SIDE, SIDE * SIDE), lens)[:-1]
    params[9] += params[8] * SIDE + params[7]
    d2 = np.full(nstrokes * SIDE * SIDE, np.inf)
    # Pixel-segment pairs in blocks of about _PAIR_BLOCK, so a wide eraser (every segment covers the
    # whole image) cannot make the temporaries grow without bound.
    total = int(cum[-1])
    cuts = [0, *np.searchsorted(cum, np.arange(_PAIR_BLOCK, total, _PAIR_BLOCK)).tolist(), len(pa)]
    for lo, hi in pairwise(cuts):
        if hi > lo and cum[hi - 1] > params[5, lo]:
            seg = np.repeat(np.arange(lo, hi), count[lo:hi])
            _min_sq_dist(d2, np.take(params, seg, axis=1))
    cov = (np.array(radii)[:, None] + 0.5) - np.sqrt(d2).reshape(nstrokes, SIDE * SIDE)
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


def _min_sq_dist(d2: np.ndarray, pairs: np.ndarray) -> None:
    """d2[stroke * 784 + pixel] = min(d2, squared distance from the pixel centre to the segment's axis).

    One column of ``pairs`` per (segment, pixel of its window), the segment's parameters (rows as in
    ``params`` of _render_flat); a segment's pairs are consecutive, row by row through its window. The
    per-pixel operations and their order are the spec's (docs/rasterizer.md). The square root is taken
    later, after the minimum: sqrt is monotone and correctly rounded, so this equals the minimum of the
    distances.
    """
    local = np.arange(pairs[5, 0], pairs[5, 0] + pairs.shape[1])
    local -= pairs[5]  # index of the pixel within its segment's window
    row = np.floor((local + 0.5) / pairs[6])  # exact: (l + 0.5) / w is never within 1/56 of an integer
    local -= row * pairs[6]  # the column
    w = np.empty((2, pairs.shape[1]))
    np.add(pairs[7], local, out=w[0])
    np.add(pairs[8], row, out=w[1])
    row *= SIDE
    row += local
    row += pairs[9]  # the flat index in d2
    w += 0.5  # pixel centres (exact)
    w -= pairs[0:2]
    t = w[0] * pairs[2]
    t += w[1] * pairs[3]
    t /= pairs[4]
    np.maximum(t, 0.0, out=t)
    np.minimum(t, 1.0, out=t)
    w -= t * pairs[2:4]
    w *= w
    np.minimum.at(d2, row.astype(np.intp), w[0] + w[1])
