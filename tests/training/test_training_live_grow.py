"""Live-recognition replay (training.live) and growing a model from a shipped ONNX file (training.grow)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from training.dataset import SPLITS, DataConfig, split_of
from training.live import held_out_raw, replay, summarize
from training.sources import local

REPO = Path(__file__).resolve().parents[2]


def test_summarize_counts_never_recognized_as_never():
    # (strokes needed, strokes): 1/4, 3/4, never, 2/2
    m = summarize([(1, 4), (3, 4), (0, 5), (2, 2)])
    assert m["count"] == 4 and m["recognized"] == 0.75
    assert m["median_stroke_share_recognized"] == 0.75
    assert m["median_stroke_share_all"] == pytest.approx(0.875)  # median of .25, .75, 1, inf
    assert m["recognized_by_60pct"] == 0.25
    assert summarize([(0, 3), (0, 2), (1, 1)])["median_stroke_share_all"] is None  # fewer than half
    assert summarize([]) == {"count": 0}


def test_replay_finds_the_first_confident_stroke():
    drawing = [[[0, 50, 100], [0, 50, 0]], [[0, 100], [100, 100]], [[50, 50], [0, 100]]]
    seen: list[int] = []

    def predict(x: np.ndarray) -> np.ndarray:
        assert x.dtype == np.uint8 and x.shape == (3, 28, 28)
        seen.append(len(x))
        ink = x.reshape(3, -1).sum(1)
        assert ink[0] < ink[1] < ink[2]  # prefixes: each adds a stroke
        probs = np.full((3, 4), 0.1, np.float32)
        probs[0, 2] = 0.45  # right word, not sure enough
        probs[1, 3] = 0.6  # sure, wrong word
        probs[2, 2] = 0.55  # right and sure: recognized at stroke 3
        return probs

    assert replay(predict, drawing, label=2, threshold=0.5) == (3, 3)
    assert replay(predict, drawing, label=1, threshold=0.5) == (0, 3)
    assert seen == [3, 3]


def test_held_out_raw_is_the_training_split_by_key_id(fixture_dir: Path):
    cfg = DataConfig()
    for cat in ("ant", "smiley face"):
        raw = list(local.iter_ndjson(local.find(fixture_dir, "strokes_raw", cat)))
        test = held_out_raw(fixture_dir, cat, "test", cfg)
        want = [r["drawing"] for r in raw if split_of(str(r["key_id"])) == SPLITS.index("test")]
        assert test == want[: len(test)] and len(test) == len({str(r["key_id"]) for r in raw
                                                                 if split_of(str(r["key_id"])) == 2})


@pytest.mark.training
def test_grow_from_shipped_onnx_keeps_the_predictions(fixture_dir: Path):
    """A wider model loaded from models/doodle50.onnx predicts what the ONNX model predicts."""
    ort = pytest.importorskip("onnxruntime")
    import torch

    from training.grow import init_from_onnx
    from training.model import DoodleNet, ModelConfig

    card = json.loads((REPO / "models" / "doodle50.json").read_text())
    mc = ModelConfig.from_dict(card["model_config"])
    wider = ModelConfig(num_classes=mc.num_classes, channels=tuple(c + 8 for c in mc.channels),
                        pool_after=mc.pool_after, separable_from=mc.separable_from)
    imgs = np.concatenate([local.load_bitmaps(local.find(fixture_dir, "bitmap", c))
                           for c in ("ant", "smiley face")])
    imgs = imgs[np.random.default_rng(0).permutation(len(imgs))]
    model = DoodleNet(wider)
    init_from_onnx(model, REPO / "models" / "doodle50.onnx", card["labels"], imgs)
    sess = ort.InferenceSession(str(REPO / "models" / "doodle50.onnx"), providers=["CPUExecutionProvider"])
    x = imgs[:64].astype(np.float32)[:, None] / 255.0
    want = sess.run(None, {"input": x})[0]
    model.eval()
    with torch.no_grad():
        got = torch.softmax(model(torch.from_numpy(x)), 1).numpy()
    assert np.abs(got - want).max() < 1e-4
    # Training mode (batch statistics) starts close to the same function: calibrated batch norm.
    model.train()
    for m in model.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    with torch.no_grad():
        got_train = torch.softmax(model(torch.from_numpy(x)), 1).numpy()
    assert (got_train.argmax(1) == want.argmax(1)).mean() >= 0.8


def test_fit_temperature_recovers_an_under_confident_model():
    from training.calibrate import fit_temperature

    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, size=(4000, 10))
    q = np.exp(z) / np.exp(z).sum(1, keepdims=True)  # the true class probabilities
    y = np.array([rng.choice(10, p=row) for row in q])
    flat = np.exp(0.7 * z) / np.exp(0.7 * z).sum(1, keepdims=True)  # reported too flat
    assert fit_temperature(flat, y) == pytest.approx(0.7, abs=0.06)
    assert fit_temperature(q, y) == pytest.approx(1.0, abs=0.06)  # calibrated stays calibrated
