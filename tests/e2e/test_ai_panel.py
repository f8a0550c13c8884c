"""The live AI panel in a real browser: the drawer replays a real Quick, Draw! drawing as pointer moves;
the panel's top 3 must be what Python (doodle_raster + onnxruntime on models/doodle.onnx) computes
from the server's own copy of the strokes, with the drawing's category among them and the execution
provider shown. Run twice: WebGL (SwiftShader here), and with WebGL missing, where the client must
fall back to WASM and get the same top guess.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from doodle_raster import rasterize_ops

from .conftest import REPO
from .helpers import draw_stroke, new_page, shot, solo_drawing_with_bot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODELS = REPO / "models"
STROKES = REPO.parent / "shared" / "quickdraw" / "strokes"
PREFERRED = ("cat", "fish", "star", "house", "apple", "snowman", "triangle", "square")
SCALE, OFFSET = 2.0, (145.0, 45.0)  # Google's 0..255 box -> the middle of the 800x600 canvas
PROB_TOL = {"webgl": 0.02, "wasm": 1e-3}  # WebGL may use fp16 textures; WASM is fp32 like the CPU
top1_by_provider: dict[str, str] = {}


class Model:
    def __init__(self) -> None:
        import onnxruntime as ort

        card = json.loads((MODELS / "doodle.json").read_text())
        self.labels: list[str] = card["labels"]
        self.session = ort.InferenceSession(str(MODELS / "doodle.onnx"), providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name

    def probs(self, ops: list[dict[str, Any]]) -> np.ndarray:
        x = rasterize_ops(ops)[None, None].astype(np.float32)
        return self.session.run(None, {self.input: x})[0][0]

    def top(self, ops: list[dict[str, Any]], k: int = 3) -> list[tuple[str, float]]:
        p = self.probs(ops)
        order = np.argsort(-p, kind="stable")[:k]
        return [(self.labels[i], float(p[i])) for i in order]


def canvas_strokes(drawing: list[list[list[float]]]) -> list[list[tuple[float, float]]]:
    return [[(x * SCALE + OFFSET[0], y * SCALE + OFFSET[1]) for x, y in zip(s[0], s[1], strict=False)]
            for s in drawing]


def as_ops(strokes: list[list[tuple[float, float]]]) -> list[dict[str, Any]]:
    return [{"type": "stroke", "id": i + 1, "tool": "pen", "color": "#000000", "width": 10,
             "points": [list(p) for p in s]} for i, s in enumerate(strokes)]


@pytest.fixture(scope="module")
def model() -> Model:
    if not (MODELS / "doodle.onnx").is_file() or not (MODELS / "doodle.web.onnx").is_file():
        pytest.skip("models/doodle.onnx and models/doodle.web.onnx are missing: train/export the model first")
    return Model()


@pytest.fixture(scope="module")
def drawing(model: Model) -> tuple[str, list[list[tuple[float, float]]]]:
    """A real drawing (the first, in a fixed order, that the model recognizes as its category)."""
    if not STROKES.is_dir():
        pytest.skip(f"Quick, Draw! strokes not found at {STROKES}")
    names = [c for c in PREFERRED if c in model.labels] + [c for c in model.labels if c not in PREFERRED]
    for category in names:
        path = STROKES / f"{category.replace(' ', '_')}.ndjson"
        if not path.is_file():
            continue
        for line in path.read_text().splitlines()[:25]:
            strokes = canvas_strokes(json.loads(line)["drawing"])
            if model.top(as_ops(strokes), 1)[0][0] == category:
                return category, strokes
    pytest.fail("the model recognizes none of the drawings tried")


def wait_for_panel(page: Any, strokes: int) -> dict[str, Any]:
    page.wait_for_function(
        "n => document.getElementById('ai-panel').dataset.strokes === String(n)", arg=strokes, timeout=30_000
    )
    return page.evaluate(
        """() => { const d = document.getElementById('ai-panel').dataset;
                   return {labels: JSON.parse(d.labels), probs: JSON.parse(d.probs),
                           provider: d.provider}; }"""
    )


@pytest.mark.parametrize("provider", ["webgl", "wasm"])
def test_ai_panel_matches_python(
    provider: str, request: pytest.FixtureRequest, chromium: Any, server_url: str, model: Model,
    drawing: tuple[str, list[list[tuple[float, float]]]], artifacts: Path,
) -> None:
    category, strokes = drawing
    errors: list[str] = []
    where = chromium if provider == "webgl" else request.getfixturevalue("webgl_less_context")
    page = new_page(where, errors)
    # WebGL is forced (the warm-up timing would pick WASM over software WebGL here).
    page.goto(f"{server_url}/?ai=webgl" if provider == "webgl" else server_url)
    bot = solo_drawing_with_bot(page, server_url)
    try:
        for stroke in strokes:
            draw_stroke(page, stroke)
        ops = bot.server_drawing()
        assert ops and all(op["type"] in ("stroke", "points") for op in ops)
        shown = wait_for_panel(page, len(ops))
        expected = model.top(ops, 3)
        shot(page, artifacts, f"09-ai-panel-{provider}")
    finally:
        bot.close()

    assert shown["provider"] == provider
    expect(page.locator("#ai-provider")).to_contain_text({"webgl": "WebGL", "wasm": "WASM"}[provider])
    py_probs = model.probs(ops)
    py_labels = [label for label, _ in expected]
    # Same top 3 as Python, in the same order up to near-ties, with matching probabilities.
    assert shown["labels"][0] == py_labels[0], (shown, expected)
    for label, prob, (_, py_prob) in zip(shown["labels"], shown["probs"], expected, strict=True):
        assert abs(py_probs[model.labels.index(label)] - py_prob) <= PROB_TOL[provider], (shown, expected)
        assert abs(prob - py_probs[model.labels.index(label)]) <= PROB_TOL[provider], (shown, expected)
    assert category in shown["labels"], (category, shown)
    top1_by_provider[provider] = shown["labels"][0]
    if len(top1_by_provider) == 2:
        assert top1_by_provider["webgl"] == top1_by_provider["wasm"]
    assert errors == [], errors
