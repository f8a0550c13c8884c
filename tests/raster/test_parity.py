"""Parity: web_client/src/raster.js (run in Node) and doodle_raster/raster.py give the same model input.

Over 1,000 real Quick, Draw! drawings (simplified and raw) placed on the 800x600 canvas at seeded
sizes and positions, turned into game ops (strokes split into `points` batches; some logs with an
eraser, an undo or a clear), some prefixes of those logs, Google-format input, other line widths, and
the edge cases. All drawings go through one Node process. Then the shipped ONNX model must give the
same top-1 for both renderings on >= 99.5% of them.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from raster_cases import data_dir, edge_cases, load_drawings, place, to_ops

import doodle_raster as R

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "web_client" / "tools" / "raster-cli.mjs"
MODELS = [ROOT / "models" / "doodle.onnx", ROOT / "models" / "doodle50.onnx"]
TOLERANCE = 1e-5
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the JavaScript rasterizer cannot run"
)


def build_items() -> tuple[list[str], list[dict]]:
    """(names, CLI inputs): edge cases, then real drawings as game logs, prefixes and Google input."""
    rng = random.Random(20240601)
    names: list[str] = []
    items: list[dict] = []
    for name, ops in edge_cases().items():
        names.append(f"edge:{name}")
        items.append({"ops": ops})
    if (data_dir() / "strokes").is_dir():
        recs = load_drawings("strokes", 2) + load_drawings("strokes_raw", 1)
        for n, rec in enumerate(recs):
            ops = to_ops(place(rec["drawing"], rng), rng, extras=True)
            item: dict = {"ops": ops}
            if n % 10 == 0:
                item["lineWidth"] = rng.choice([8.0, 12.0, 20.0])
            names.append(f"{rec['word']}:{rec['key_id']}")
            items.append(item)
            if n % 8 == 0:  # what the AI saw part-way through the drawing
                cut = rng.randint(1, len(ops))
                names.append(f"{rec['word']}:{rec['key_id']}:prefix{cut}")
                items.append({"ops": ops[:cut]})
            if n % 12 == 0:
                names.append(f"{rec['word']}:{rec['key_id']}:google")
                items.append({"google": rec["drawing"], "normalize": n % 24 == 0})
    return names, items


def python_raster(item: dict) -> np.ndarray:
    lw = item.get("lineWidth", 16.0)
    if "ops" in item:
        return R.rasterize_ops(item["ops"], lw)
    return R.rasterize_google(item["google"], lw, item.get("normalize", True))


@pytest.fixture(scope="module")
def rasters() -> tuple[list[str], list[dict], np.ndarray, np.ndarray]:
    names, items = build_items()
    stdin = "\n".join(json.dumps(item) for item in items) + "\n"
    proc = subprocess.run(
        [NODE, str(CLI)], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(items)
    js = np.array([json.loads(line) for line in lines], dtype=np.float32).reshape(-1, 28, 28)
    py = np.stack([python_raster(item) for item in items])
    return names, items, js, py


def test_enough_real_drawings():
    if not (data_dir() / "strokes").is_dir():
        pytest.skip("no Quick, Draw! strokes folder (set DOODLEAI_DATA_DIR)")
    names, _items = build_items()
    assert sum(not n.startswith("edge:") for n in names) >= 1000


def test_javascript_and_python_rasters_agree(rasters):
    names, _items, js, py = rasters
    diff = np.abs(js - py).reshape(len(names), -1).max(axis=1)
    bad = [(names[i], float(diff[i])) for i in np.flatnonzero(diff > TOLERANCE)[:10]]
    assert not bad, f"{len(np.flatnonzero(diff > TOLERANCE))} of {len(names)} differ: {bad}"
    # The edge cases really are what they claim to be, in both languages.
    by_name = dict(zip(names, js, strict=True))
    assert not by_name["edge:empty"].any() and not by_name["edge:erased"].any()
    assert by_name["edge:single_dot"].any() and by_name["edge:border"].any()


@pytest.mark.parametrize("model", MODELS, ids=[m.name for m in MODELS])
def test_model_top1_is_the_same_for_both_renderings(rasters, model):
    if not model.is_file():
        pytest.skip(f"{model.relative_to(ROOT)} does not exist yet (the training package exports it)")
    ort = pytest.importorskip("onnxruntime")
    names, _items, js, py = rasters
    keep = [i for i, n in enumerate(names) if n not in ("edge:empty", "edge:erased", "edge:clear")]
    keep = [i for i in keep if py[i].any()]  # a blank input has no meaningful top-1
    session = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    batch = 1 if inp.shape[0] == 1 else 256  # a browser copy has a fixed batch of 1

    def top1(images: np.ndarray) -> np.ndarray:
        feeds = ({inp.name: images[i : i + batch, None]} for i in range(0, len(images), batch))
        out = [session.run(None, feed)[0] for feed in feeds]
        probs = np.concatenate(out)
        assert probs.shape[0] == len(images)
        return probs.argmax(axis=1)

    same = top1(js[keep]) == top1(py[keep])
    assert same.mean() >= 0.995, f"top-1 agrees on {same.mean():.2%} of {len(keep)} drawings"
