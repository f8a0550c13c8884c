"""Helpers for the verification tests: fixture drawings as drawing-log ops, honest claims, a tiny model."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
# DOODLEAI_TEST_MODEL points the real-model tests at another export (e.g. a candidate before it ships).
MODEL = Path(os.environ.get("DOODLEAI_TEST_MODEL") or REPO / "models" / "doodle.onnx")
DRAWINGS = REPO / "tests" / "fixtures" / "verify_drawings.ndjson"


def google_to_ops(drawing: list, *, chunk: int = 8, width: float = 6.0, first_id: int = 1) -> list[dict]:
    """Google simplified strokes (0..255) -> a drawing log in canvas space (800x600), streamed like a
    browser would: each stroke starts with a `stroke` op and continues with `points` ops of `chunk` points."""
    ops: list[dict[str, Any]] = []
    for n, stroke in enumerate(drawing):
        pts = [[144 + 2 * x, 44 + 2 * y] for x, y in zip(stroke[0], stroke[1], strict=True)]
        sid = first_id + n
        ops.append({"type": "stroke", "id": sid, "tool": "pen", "color": "#000000", "width": width,
                    "points": pts[:chunk]})
        for i in range(chunk, len(pts), chunk):
            ops.append({"type": "points", "id": sid, "points": pts[i : i + chunk]})
    return ops


def load_drawings() -> list[dict]:
    return [json.loads(line) for line in DRAWINGS.read_text().splitlines() if line.strip()]


def honest_payload(probs: np.ndarray, labels: list[str], turn: str, count: int, k: int = 3) -> dict:
    """What an honest browser sends: its own top-k for the first `count` ops."""
    order = np.argsort(-probs, kind="stable")[:k]
    return {"turn": turn, "stroke_count": count,
            "guesses": [{"label": labels[i], "prob": float(probs[i])} for i in order]}


def make_linear_model(
    path: Path, labels: int = 5, *, softmax: bool = True, seed: int = 0, batch: int | str = "N"
) -> Path:
    """A tiny [N,1,28,28] -> softmax [N,labels] ONNX model with a dynamic batch, for mechanics tests."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    w = numpy_helper.from_array(rng.normal(size=(784, labels)).astype(np.float32), "W")
    b = numpy_helper.from_array(rng.normal(size=(labels,)).astype(np.float32), "B")
    shape = numpy_helper.from_array(np.array([-1, 784], dtype=np.int64), "shape")
    nodes = [
        helper.make_node("Reshape", ["x", "shape"], ["flat"]),
        helper.make_node("MatMul", ["flat", "W"], ["mm"]),
        helper.make_node("Add", ["mm", "B"], ["logits" if softmax else "probs"]),
    ]
    if softmax:
        nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=1))
    graph = helper.make_graph(
        nodes, "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 1, 28, 28])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [batch, labels])],
        initializer=[w, b, shape],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path
