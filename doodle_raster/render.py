"""Steps 4-7 of the pipeline: centre in the 256 box, draw anti-aliased capsules at 28x28. numpy only.

Works on all drawings of a Flat at once; every pixel gets exactly the float64 operations of the spec
(docs/rasterizer.md), in the same order, as the JavaScript twin computes for one drawing.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from doodle_raster.normalize import groups
from doodle_raster.strokes import Flat

SIDE = 28
BOX = 256.0
PADDING = 16.0
LINE_WIDTH = 16.0
# Pixel-segment pairs evaluated per numpy pass (bounds the temporaries to a few tens of MB).
_PAIR_BLOCK = 65536
# Slack (px) on the per-segment pixel windows: far above float64 rounding on coordinates of ~30 px.
_WINDOW_SLACK = 1e-3


def render(flat: Flat, line_width: float = LINE_WIDTH) -> np.ndarray:
    """Draw normalized strokes (``normalize``'s output, or strokes given in the 256 box, each with >= 1
    point and each drawing with a pen point): float32 (flat.count, 28, 28); drawings without strokes
    are zeros."""
    if not flat.erasers:
        return np.zeros((flat.count, SIDE, SIDE), np.float32)
    drawn = list(dict.fromkeys(flat.owner))
    if len(drawn) == flat.count:  # every drawing has strokes (always so for one drawing)
        return _render_drawn(flat, line_width).reshape(flat.count, SIDE, SIDE).astype(np.float32)
    out = np.zeros((flat.count, SIDE * SIDE))
    out[drawn] = _render_drawn(flat, line_width)
    return out.reshape(flat.count, SIDE, SIDE).astype(np.float32)


def _render_drawn(flat: Flat, line_width: float) -> np.ndarray:
    """(drawings with strokes, 784) float64."""
    erasers, widths, q, lens, owner, _count = flat
    any_eraser = any(erasers)
    if lens.min() == 1:  # a one-point stroke is a zero-length segment from its point to itself (a disk)
        q = np.repeat(q, np.repeat(np.where(lens == 1, 2, 1), lens), axis=0)
        lens = np.maximum(lens, 2)
        flat = flat._replace(points=q, lens=lens)
    nd, per, pen_per = groups(flat)
    pen = q[np.repeat(~np.array(erasers), lens)] if any_eraser else q
    if nd == 1:
        top = np.maximum.reduce(pen, axis=0)[None]
    else:
        top = np.maximum.reduceat(pen, np.cumsum(pen_per) - pen_per, axis=0)
    offset = (BOX - top) / 2.0  # per drawing: ((256 - max_x) / 2, (256 - max_y) / 2)
    pad = (2.0 * PADDING + line_width) / 2.0
    s = SIDE / (BOX + 2.0 * PADDING + line_width)
    pen_r = line_width * s / 2.0
    radii = [w * s / 2.0 if e else pen_r for e, w in zip(erasers, widths, strict=True)]
    nstrokes = len(erasers)

    # Pixel space, all strokes concatenated, x and y side by side: ((p + o) + pad) * s per coordinate.
    # Segment k joins p[k] to p[k + 1]; the ones that join two strokes get no pixels (below).
    p = q + (offset[0] if nd == 1 else np.repeat(offset, per, axis=0))
    p += pad
    p *= s
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
    count[np.cumsum(lens)[:-1] - 1] = 0  # the joins between strokes
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
    cuts = [0, len(pa)]
    if total > _PAIR_BLOCK:
        cuts[1:1] = np.searchsorted(cum, np.arange(_PAIR_BLOCK, total, _PAIR_BLOCK)).tolist()
    for lo, hi in pairwise(cuts):
        if hi > lo and cum[hi - 1] > params[5, lo]:
            seg = np.repeat(np.arange(lo, hi), count[lo:hi])
            _min_sq_dist(d2, np.take(params, seg, axis=1))
    cov = (np.array(radii)[:, None] + 0.5) - np.sqrt(d2).reshape(nstrokes, SIDE * SIDE)
    np.maximum(cov, 0.0, out=cov)
    np.minimum(cov, 1.0, out=cov)
    return _composite(cov, erasers, owner, nd)


def _composite(cov: np.ndarray, erasers: list[bool], owner: list[int], nd: int) -> np.ndarray:
    """pen: v = cov + v * (1 - cov); eraser: v = v * (1 - cov); stroke by stroke within each drawing.

    In place, same rounding (a + b == b + a). Several drawings go side by side: step k takes the k-th
    stroke of each drawing; one that has no k-th stroke takes a neutral one (v * 1.0 + 0.0 == v).
    """
    keep = 1.0 - cov
    if nd == 1:
        v = np.zeros(SIDE * SIDE)
        for k, is_eraser in enumerate(erasers):
            v *= keep[k]
            if not is_eraser:
                v += cov[k]
        return v[None]
    if any(erasers):
        cov[np.array(erasers)] = 0.0  # an eraser only scales: v * (1 - cov) + 0.0 == v * (1 - cov)
    nstrokes = len(erasers)
    keep = np.vstack([keep, np.ones(SIDE * SIDE)])
    add = np.vstack([cov, np.zeros(SIDE * SIDE)])
    rows: list[list[int]] = []
    last = -1
    for k, o in enumerate(owner):
        if o != last:
            rows.append([])
            last = o
        rows[-1].append(k)
    depth = max(map(len, rows))
    table = np.array([row + [nstrokes] * (depth - len(row)) for row in rows], dtype=np.intp)
    v = np.zeros((nd, SIDE * SIDE))
    for k in range(depth):
        v *= keep[table[:, k]]
        v += add[table[:, k]]
    return v


def _min_sq_dist(d2: np.ndarray, pairs: np.ndarray) -> None:
    """d2[stroke * 784 + pixel] = min(d2, squared distance from the pixel centre to the segment's axis).

    One column of ``pairs`` per (segment, pixel of its window), the segment's parameters (rows as in
    ``params`` of _render_drawn); a segment's pairs are consecutive, row by row through its window. The
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
