"""A literal, slow, pure-Python reading of the rasterizer spec (docs/rasterizer.md), for tests only.

Written independently of doodle_raster/raster.py (recursive RDP, per-pixel loops, hypot, distances to the
closest point of each segment) so that agreement checks the semantics, not a shared operation order.
"""

from __future__ import annotations

import itertools
import math

SIDE = 28


def _rdp(points: list[tuple[float, float]], eps: float) -> list[tuple[float, float]]:
    if len(points) < 3:
        return list(points)
    (ax, ay), (bx, by) = points[0], points[-1]
    best, idx = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        if (ax, ay) == (bx, by):
            d = math.hypot(px - ax, py - ay)
        else:
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / math.hypot(bx - ax, by - ay)
        if d > best:
            best, idx = d, i
    if best > eps:
        return _rdp(points[: idx + 1], eps)[:-1] + _rdp(points[idx:], eps)
    return [points[0], points[-1]]


def rasterize(strokes: list[tuple[str, float, list[tuple[float, float]]]], line_width: float = 16.0):
    """strokes: [(tool, width, [(x, y), ...])] visible, in order. Returns 28 lists of 28 floats."""
    strokes = [s for s in strokes if s[2]]
    pen_pts = [p for tool, _w, pts in strokes if tool != "eraser" for p in pts]
    if not pen_pts:
        return [[0.0] * SIDE for _ in range(SIDE)]
    minx = min(p[0] for p in pen_pts)
    miny = min(p[1] for p in pen_pts)
    extent = max(max(p[0] for p in pen_pts) - minx, max(p[1] for p in pen_pts) - miny)
    scale = 255.0 / extent if extent > 0 else 1.0
    box = []
    for tool, width, pts in strokes:
        q = [(math.floor((x - minx) * scale + 0.5), math.floor((y - miny) * scale + 0.5)) for x, y in pts]
        dedup = [q[0]] + [q[i] for i in range(1, len(q)) if q[i] != q[i - 1]]
        box.append((tool, width * scale, _rdp(dedup, 2.0)))
    bx = max(p[0] for tool, _w, pts in box if tool != "eraser" for p in pts)
    by = max(p[1] for tool, _w, pts in box if tool != "eraser" for p in pts)
    ox, oy = (256 - bx) / 2, (256 - by) / 2
    s = 28 / (256 + 32 + line_width)
    off = (32 + line_width) / 2
    img = [[0.0] * SIDE for _ in range(SIDE)]
    for tool, bw, pts in box:
        px = [((x + ox + off) * s, (y + oy + off) * s) for x, y in pts]
        segs = list(itertools.pairwise(px)) if len(px) > 1 else [(px[0], px[0])]
        r = bw * s / 2 if tool == "eraser" else line_width * s / 2
        for i in range(SIDE):
            for j in range(SIDE):
                cx, cy = j + 0.5, i + 0.5
                d = min(_seg_dist(cx, cy, a, b) for a, b in segs)
                cov = min(1.0, max(0.0, r + 0.5 - d))
                v = img[i][j]
                img[i][j] = v * (1 - cov) if tool == "eraser" else cov + v * (1 - cov)
    return img


def _seg_dist(cx: float, cy: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    (ax, ay), (bx, by) = a, b
    l2 = (bx - ax) ** 2 + (by - ay) ** 2
    if l2 == 0:
        return math.hypot(cx - ax, cy - ay)
    t = max(0.0, min(1.0, ((cx - ax) * (bx - ax) + (cy - ay) * (by - ay)) / l2))
    return math.hypot(cx - (ax + t * (bx - ax)), cy - (ay + t * (by - ay)))
