"""doodle_raster: the model's input contract, a drawing -> float32 28x28 (ink 1, background 0).

Owns the Python rasterizer (``doodle_raster.raster``), imported by the game server (claim
verification), the training package (stroke data) and the tests. Its JavaScript twin is
``web_client/src/raster.js``; ``tests/raster/test_parity.py`` holds the two together. Spec:
docs/rasterizer.md.

Must import nothing but numpy and the standard library (no torch, nothing of ``game_server`` or
``training``); ``tests/unit/test_import_rules.py`` checks it.
"""

from doodle_raster.raster import (
    BOX,
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    LINE_WIDTH,
    PADDING,
    RDP_EPSILON,
    SIDE,
    BoxStroke,
    Stroke,
    normalize_strokes,
    rasterize_google,
    rasterize_google_many,
    rasterize_ops,
    rasterize_ops_prefixes,
    rasterize_strokes,
    render_box,
    visible_strokes,
)

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
    "rasterize_ops_prefixes",
    "rasterize_strokes",
    "render_box",
    "visible_strokes",
]
