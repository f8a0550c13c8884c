"""Steps 1-3 of the pipeline: pen box, scale to 255, round, dedupe, Ramer-Douglas-Peucker. numpy only.

Works on all drawings of a Flat at once; every drawing gets exactly the float64 operations of the
spec (docs/rasterizer.md), in the same order, as the JavaScript twin does for one drawing.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np

from doodle_raster.strokes import Flat, drop_empty, select

RDP_EPSILON = 2.0
# Strokes of up to this many points are simplified on Python floats, longer ones with numpy, all at once
# (a recursion level costs ~25 numpy calls, so numpy pays off on long strokes and on batches).
_RDP_PYTHON_MAX = 64


def groups(flat: Flat) -> tuple[int, list[int], list[int]]:
    """(drawings that have strokes, points per such drawing, pen points per such drawing)."""
    if flat.owner[0] == flat.owner[-1]:  # one drawing
        return 1, [len(flat.points)], []  # pen points are not needed for one drawing
    counts: list[int] = []
    pens: list[int] = []
    last = -1
    for o, e, n in zip(flat.owner, flat.erasers, flat.lens.tolist(), strict=True):
        if o != last:
            counts.append(0)
            pens.append(0)
            last = o
        counts[-1] += n
        if not e:
            pens[-1] += n
    return len(counts), counts, pens


def normalize(flat: Flat) -> Flat:
    """Steps 1-3 -> strokes in Google's simplified space (pen points integers within 0..255).

    Strokes without points, and all strokes of a drawing without a pen point, are dropped; an eraser's
    width is scaled like its drawing's points (``width * scale``); a pen stroke's width becomes 0.
    """
    flat = drop_empty(flat)
    if any(flat.erasers):
        with_pen = {o for o, e in zip(flat.owner, flat.erasers, strict=True) if not e}
        if len(with_pen) < len(set(flat.owner)):
            flat = select(flat, [o in with_pen for o in flat.owner])
    if not flat.erasers:
        return flat
    erasers, widths, pts, lens, owner, _count = flat
    nd, per, pen_per = groups(flat)
    pen = pts[np.repeat(~np.array(erasers), lens)] if any(erasers) else pts
    if nd == 1:
        lo = np.minimum.reduce(pen, axis=0)[None]
        hi = np.maximum.reduce(pen, axis=0)[None]
    else:
        starts = np.cumsum(pen_per) - pen_per
        lo = np.minimum.reduceat(pen, starts, axis=0)
        hi = np.maximum.reduceat(pen, starts, axis=0)
    size = hi - lo
    extent = np.maximum(size[:, 0], size[:, 1])
    scale = np.ones(nd)
    np.divide(255.0, extent, out=scale, where=extent > 0)
    # All strokes at once: (p - lo) * scale + 0.5, floored; then drop points equal to their predecessor
    # in the same stroke.
    if nd == 1:
        q = pts - lo[0]
        q *= scale[0]
    else:
        q = pts - np.repeat(lo, per, axis=0)
        q *= np.repeat(scale, per)[:, None]
    q += 0.5
    np.floor(q, out=q)
    starts = np.cumsum(lens) - lens
    keep = np.empty(len(q), dtype=bool)
    keep[0] = True
    xy = q.view(np.complex128).ravel()  # one complex per point: != compares x and y in one pass
    np.not_equal(xy[1:], xy[:-1], out=keep[1:])
    keep[starts] = True
    kept_lens = np.add.reduceat(keep, starts).tolist()
    q = q[keep]
    q, out_lens = _simplify(q, kept_lens)
    if any(erasers):
        slot = np.cumsum([0] + [int(a != b) for a, b in pairwise(owner)]).tolist()
        scales = scale.tolist()
        widths = [w * scales[k] if e else 0.0 for w, e, k in zip(widths, erasers, slot, strict=True)]
    else:
        widths = [0.0] * len(erasers)
    return flat._replace(widths=widths, points=q, lens=out_lens)


def _simplify(q: np.ndarray, lens: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """RDP on every stroke (``lens`` points each, consecutive in ``q``): (kept points, points per stroke).

    Short strokes go through ``rdp_keep`` on Python floats; long ones all together through
    ``rdp_keep_many`` (numpy, one pass per recursion level for all of them). Same result either way.
    """
    mark = np.ones(len(q), dtype=bool)
    short: list[tuple[int, int]] = []
    long_first: list[int] = []
    pos = 0
    for n in lens:
        if n > 2:
            mark[pos + 1 : pos + n - 1] = False
            if n <= _RDP_PYTHON_MAX:
                short.append((pos, pos + n - 1))
            else:
                long_first.append(pos)
        pos += n
    if long_first:
        firsts = np.array(long_first, dtype=np.intp)
        lasts = firsts + np.array([n for n in lens if n > _RDP_PYTHON_MAX], dtype=np.intp) - 1
        mark[rdp_keep_many(q, firsts, lasts, RDP_EPSILON)] = True
    if short:
        xy = list(zip(q[:, 0].tolist(), q[:, 1].tolist(), strict=True))
        for first, last in short:
            mark[rdp_keep(xy, first, last, RDP_EPSILON)] = True
    if mark.all():
        return q, np.array(lens, dtype=np.intp)
    starts = np.cumsum(lens) - lens
    return q[mark], np.add.reduceat(mark, starts).astype(np.intp)


def rdp_keep_many(q: np.ndarray, first: np.ndarray, last: np.ndarray, eps: float) -> np.ndarray:
    """Indices strictly inside first[k]..last[k] kept by RDP, for many strokes at once (``rdp_keep``'s
    rule and float operations, elementwise): every span of one recursion level in one numpy pass."""
    x = np.ascontiguousarray(q[:, 0])
    y = np.ascontiguousarray(q[:, 1])
    kept = []
    a, b = first, last
    while len(a):
        n = b - a - 1  # interior points per span, all >= 1
        off = np.cumsum(n) - n
        span = np.repeat(np.arange(len(a)), n)
        idx = np.arange(int(off[-1] + n[-1])) + (a + 1 - off)[span]
        ax, ay = x[a], y[a]
        dx = x[b] - ax
        dy = y[b] - ay
        seg = np.sqrt(dx * dx + dy * dy)
        px, py = x[idx], y[idx]
        sax, say = ax[span], ay[span]
        zero = seg == 0.0
        if zero.any():
            seg[zero] = 1.0  # those spans are measured to a below
        dist = np.abs(dx[span] * (say - py) - (sax - px) * dy[span])
        dist /= seg[span]
        if zero.any():
            z = zero[span]
            ex = px[z] - sax[z]
            ey = py[z] - say[z]
            dist[z] = np.sqrt(ex * ex + ey * ey)
        best = np.maximum.reduceat(dist, off)
        far = np.minimum.reduceat(np.where(dist == best[span], idx, len(q)), off)  # the first of equals
        split = best > eps
        far = far[split]
        kept.append(far)
        a = np.concatenate([a[split], far])
        b = np.concatenate([far, b[split]])
        more = b - a >= 2
        a, b = a[more], b[more]
    return np.concatenate(kept) if kept else np.zeros(0, dtype=np.intp)


def rdp_keep(xy: list[tuple[float, float]], first: int, last: int, eps: float) -> list[int]:
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
    return keep
