"""Augmentation: stroke-level (numpy, before rasterizing) and image-level (torch, per batch).

Stroke-level changes are what the game really produces: unfinished drawings (the AI guesses after every
stroke), a missing stroke, wobbly lines, rotated or stretched drawings, other line widths. Translation
and overall scale are not augmented there: the rasterizer normalizes them away, as it does in the game.
The image-level part only nudges position, size and stroke thickness of already rendered bitmaps.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Drawing = list[list[list[float]]]


def augment_drawing(drawing: Drawing, rng: np.random.Generator, partial_p: float = 0.3,
                    dropout_p: float = 0.15, max_rot_deg: float = 12.0) -> Drawing:
    """A perturbed copy of a Google-format drawing (strokes [xs, ys(, ts)]; times dropped)."""
    strokes = [np.asarray(s[:2], dtype=np.float64).T for s in drawing if len(s[0]) > 0]
    n = len(strokes)
    if n > 1 and rng.random() < partial_p:
        k = int(rng.integers(max(1, math.ceil(0.4 * n)), n))  # first k strokes, k < n
        strokes = strokes[:k]
    if len(strokes) > 2 and rng.random() < dropout_p:
        del strokes[int(rng.integers(1, len(strokes)))]  # never the first: it anchors most drawings
    pts = np.concatenate(strokes)
    centre = (pts.min(0) + pts.max(0)) / 2
    span = max(float((pts.max(0) - pts.min(0)).max()), 1.0)
    a = math.radians(rng.uniform(-max_rot_deg, max_rot_deg))
    shear = rng.uniform(-0.15, 0.15)
    aspect = math.exp(rng.uniform(-0.2, 0.2))
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    mat = rot @ np.array([[aspect, shear], [0.0, 1.0 / aspect]])
    jitter = rng.uniform(0.0, 0.012) * span  # point noise relative to the drawing's size
    out: Drawing = []
    for s in strokes:
        q = (s - centre) @ mat.T
        q = q + rng.normal(0.0, 0.01 * span, size=2)  # each stroke shifts a little on its own
        q = q + rng.normal(0.0, jitter, size=q.shape)
        out.append([q[:, 0].tolist(), q[:, 1].tolist()])
    return out


def random_line_width(rng: np.random.Generator, low: float = 11.0, high: float = 21.0) -> float:
    """Line widths around the game's 16 (256-unit space): thinner and thicker renderings."""
    return float(rng.uniform(low, high))


def batch_augment(x: Any, gen: Any, strength: float = 1.0) -> Any:
    """Image-level augmentation of a float batch [N, 1, 28, 28] (torch): small affine + thickness."""
    import torch
    import torch.nn.functional as F

    n = x.shape[0]
    dev = x.device

    def u(lo: float, hi: float) -> torch.Tensor:
        return torch.empty(n, device=dev).uniform_(lo, hi, generator=gen)

    ang = u(-8.0, 8.0) * (math.pi / 180) * strength
    scale = 1.0 + u(-0.10, 0.06) * strength
    tx, ty = u(-0.08, 0.08) * strength, u(-0.08, 0.08) * strength
    cos, sin = torch.cos(ang) / scale, torch.sin(ang) / scale
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    # Thickness: blend towards a 3x3 dilation (thicker) or erosion (thinner) by a random amount.
    r = u(0.0, 1.0)
    amount = u(0.0, 0.8 * strength).view(n, 1, 1, 1)
    dil = F.max_pool2d(x, 3, 1, 1)
    ero = -F.max_pool2d(-x, 3, 1, 1)
    thick = (r < 0.3).view(n, 1, 1, 1).float()
    thin = ((r >= 0.3) & (r < 0.45)).view(n, 1, 1, 1).float()
    x = x + thick * amount * (dil - x) + thin * amount * 0.5 * (ero - x)
    return x.clamp_(0.0, 1.0)
