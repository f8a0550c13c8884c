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
Steps 1-3 live in ``normalize``, 4-6 in ``render``; both take many drawings at once (the ``_many``
functions), which costs far less per drawing than one call each: numpy's cost is per call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from doodle_raster.normalize import normalize as normalize_flat
from doodle_raster.render import LINE_WIDTH, SIDE, render
from doodle_raster.strokes import (
    Stroke,
    drop_empty,
    flat_of_google,
    flat_of_logs,
    flat_of_strokes,
    replay,
    split,
)

CANVAS_WIDTH = 800
CANVAS_HEIGHT = 600
# Strokes rasterized in one pass by the _many functions (bounds the (strokes, 784) temporaries).
_STROKES_PER_PASS = 512

Ops = Iterable[Mapping[str, Any]]
GoogleDrawing = Sequence[Sequence[Sequence[float]]]


def visible_strokes(ops: Ops) -> list[Stroke]:
    """Replay a drawing log into its visible strokes, in start order.

    ``stroke`` starts a stroke; ``points`` extends the most recently started visible stroke with that id
    (points for an undone, cleared or unknown stroke are dropped); ``undo`` removes the most recently
    started visible stroke; ``clear`` removes all. Unknown op types are ignored. Ops are assumed to be
    validated by the caller (finite numbers, [x, y] pairs).
    """
    return [Stroke("eraser" if e else "pen", w, p) for e, w, p in split(flat_of_logs([replay(ops)]))]


def rasterize_ops(ops: Ops, line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize a game drawing log (canvas space) into the model input, float32 (28, 28)."""
    return render(normalize_flat(flat_of_logs([replay(ops)])), line_width)[0]


def rasterize_ops_many(logs: Iterable[Ops], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize many drawing logs at once: float32 (N, 28, 28), each exactly ``rasterize_ops(log)``."""
    lives = [replay(ops) for ops in logs]
    images = [render(normalize_flat(flat_of_logs(chunk)), line_width) for chunk in _chunks(lives)]
    return np.concatenate(images) if images else np.zeros((0, SIDE, SIDE), np.float32)


def rasterize_ops_prefixes(
    ops: Sequence[Mapping[str, Any]], lengths: Iterable[int], line_width: float = LINE_WIDTH
) -> np.ndarray:
    """Rasterize several prefixes of one log (what the AI saw after ``n`` ops): float32 (K, 28, 28)."""
    return rasterize_ops_many([ops[:n] for n in lengths], line_width)


def rasterize_google(
    drawing: GoogleDrawing, line_width: float = LINE_WIDTH, normalize: bool = True
) -> np.ndarray:
    """Rasterize a drawing in Google's simplified or raw format (``[[xs], [ys](, [ts])]`` per stroke).

    All strokes are pen strokes; times are ignored. ``normalize=True`` runs the full pipeline (what
    a game drawing gets); ``normalize=False`` draws simplified strokes as they are (steps 4-7 only),
    as Google drew its numpy bitmaps. Returns float32 (28, 28).
    """
    return rasterize_google_many([drawing], line_width, normalize)[0]


def rasterize_google_many(
    drawings: Iterable[GoogleDrawing], line_width: float = LINE_WIDTH, normalize: bool = True
) -> np.ndarray:
    """Rasterize many Google-format drawings: float32 (N, 28, 28)."""
    steps = normalize_flat if normalize else drop_empty
    images = [render(steps(flat_of_google(chunk)), line_width) for chunk in _chunks(list(drawings))]
    return np.concatenate(images) if images else np.zeros((0, SIDE, SIDE), np.float32)


BoxStroke = tuple[bool, float, np.ndarray]
"""A stroke in the 256 box: (is_eraser, eraser width in box units (0 for pen), points (N, 2))."""


def normalize_strokes(strokes: Sequence[Stroke]) -> list[BoxStroke]:
    """Steps 1-3: pen box, scale to 255, round, dedupe, RDP -> strokes in Google's simplified space.

    Pen points end up as integers within 0..255; the eraser width is scaled like the points
    (``width * scale``). Empty when there is no pen point; strokes without points are dropped.
    """
    return split(normalize_flat(flat_of_strokes(strokes)))


def render_box(norm: Sequence[BoxStroke], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Steps 4-7: centre strokes given in the 256 box, draw them at 28x28. float32 (28, 28).

    No pen point -> zeros. Google simplified strokes can be drawn directly with this (as Google drew
    its numpy bitmaps), skipping the re-normalization and the second RDP pass.
    """
    strokes = [Stroke("eraser" if e else "pen", w, p) for e, w, p in norm]
    flat = drop_empty(flat_of_strokes(strokes))
    if all(flat.erasers):  # no pen point (or nothing at all)
        return np.zeros((SIDE, SIDE), np.float32)
    return render(flat, line_width)[0]


def rasterize_strokes(strokes: Sequence[Stroke], line_width: float = LINE_WIDTH) -> np.ndarray:
    """Rasterize visible strokes (canvas or any coordinate space): float32 (28, 28)."""
    return render(normalize_flat(flat_of_strokes(strokes)), line_width)[0]


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    """Consecutive runs of drawings (replayed logs or Google drawings) of about _STROKES_PER_PASS strokes."""
    start, strokes = 0, 0
    for i, item in enumerate(items):
        strokes += len(item)
        if strokes >= _STROKES_PER_PASS:
            yield items[start : i + 1]
            start, strokes = i + 1, 0
    if start < len(items):
        yield items[start:]
