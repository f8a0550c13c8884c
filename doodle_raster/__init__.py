"""doodle_raster: the model's input contract, a drawing -> float32 28x28 (ink 1, background 0).

Owns the Python rasterizer (``raster``: the public functions; ``strokes``: replaying logs into flat
strokes; ``normalize``: steps 1-3; ``render``: steps 4-7), imported by the game server (claim
verification), the training package (stroke data) and the tests. Its JavaScript twin is
``web_client/src/raster.js``; ``tests/raster/test_parity.py`` holds the two together. Spec:
docs/rasterizer.md.

Must import nothing but numpy and the standard library (no torch, nothing of ``game_server`` or
``training``); ``tests/unit/test_import_rules.py`` checks it.
"""

from doodle_raster.normalize import RDP_EPSILON
from doodle_raster.raster import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    BoxStroke,
    normalize_strokes,
    rasterize_google,
    rasterize_google_many,
    rasterize_ops,
    rasterize_ops_many,
    rasterize_ops_prefixes,
    rasterize_strokes,
    render_box,
    visible_strokes,
)
from doodle_raster.render import BOX, LINE_WIDTH, PADDING, SIDE
from doodle_raster.strokes import Stroke

__all__ = [
    "BOX",
    "CANVAS_HEIGHT",
    "CANVAS_WIDTH",
    "LINE_WIDTH",
    "PADDING",
    "RDP_EPSILON",
    "SIDE",
    "BoxStroke",
    "Stroke",
    "normalize_strokes",
    "rasterize_google",
    "rasterize_google_many",
    "rasterize_ops",
    "rasterize_ops_many",
    "rasterize_ops_prefixes",
    "rasterize_strokes",
    "render_box",
    "visible_strokes",
]
