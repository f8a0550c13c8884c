"""Smoke run on the fixture drawings: train -> evaluate -> export -> ONNX that matches PyTorch."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from .conftest import FIXTURE_CATEGORIES

pytestmark = [pytest.mark.training, pytest.mark.slow]


def test_train_evaluate_export(fixture_dir: Path, private_cache: Path, tmp_path: Path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from training.dataset import DataConfig, prepare
    from training.evaluate import report
    from training.export import export
    from training.model import ModelConfig
    from training.train import TrainConfig, load_model, predict, train

    dc = DataConfig(npm=False, stroke_aug=4, eval_cap=8)
    cfg = TrainConfig(categories=FIXTURE_CATEGORIES, out_dir=str(tmp_path / "run"), data_dir=str(fixture_dir),
                      epochs=2, samples_per_epoch=512, batch_size=64, threads=1, patience=5, data=dc,
                      model=ModelConfig(channels=(8, 8, 16, 16, 16, 16, 24, 24)))
    best = train(cfg)
    assert best.exists() and (tmp_path / "run" / "last.pt").exists()
    model, ckpt = load_model(best)
    assert ckpt["categories"] == FIXTURE_CATEGORIES and ckpt["model_config"]["num_classes"] == 3
    assert len(json.loads((tmp_path / "run" / "history.json").read_text())) == 2

    # --resume continues from last.pt: one more epoch, not a fresh run.
    cfg.epochs = 3
    train(cfg, resume=True)
    assert len(json.loads((tmp_path / "run" / "history.json").read_text())) == 3

    data = prepare(FIXTURE_CATEGORIES, fixture_dir, dc, progress=False)
    res = report(best, tmp_path / "report", "test", data)
    for f in ("report.json", "confusion.png", "per_class.png", "mistakes.png"):
        assert (tmp_path / "report" / f).stat().st_size > 0
    test_all = res["splits"]["test"]["all"]
    assert 0.0 <= test_all["top1"] <= test_all["top3"] <= 1.0
    live = res["live"]  # held-out raw drawings of the fixture, replayed stroke by stroke
    assert live["all"]["count"] > 0 and 0.0 <= live["all"]["recognized"] <= 1.0
    assert set(live["per_class"]) <= set(FIXTURE_CATEGORIES)

    x, _ = data.select("test")
    if len(x) == 0:
        x, _ = data.select("val")
    card = export(best, tmp_path / "models", "tiny", res["splits"], "pytest", 0.0, x, live=res["live"])
    assert card["live"]["all"] == live["all"]
    model, _ = load_model(best)  # best.pt may have changed during the resumed epoch
    assert card["labels"] == FIXTURE_CATEGORIES and card["game_words"] == FIXTURE_CATEGORIES
    for key, batch in (("onnx", "N"), ("web_onnx", 1)):
        path = tmp_path / "models" / card["files"][key]["path"]
        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
        ops = {n.op_type for n in proto.graph.node}
        assert ops <= {"Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm", "Softmax",
                       "Sub", "Div", "Reshape"}, ops
        assert "BatchNormalization" not in ops and "Constant" not in ops  # folded / made initializers
        dim0 = proto.graph.input[0].type.tensor_type.shape.dim[0]
        assert (dim0.dim_param or dim0.dim_value) == batch
        meta = {p.key: p.value for p in proto.metadata_props}
        assert json.loads(meta["labels"]) == FIXTURE_CATEGORIES
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        xs = x[:1].astype(np.float32)[:, None] / 255.0
        got = sess.run(None, {"input": xs})[0]
        want = predict(model, x[:1])
        assert np.abs(got - want).max() <= 1e-4
        assert abs(float(got.sum()) - 1.0) < 1e-5
    assert card["parity"]["max_abs_diff"]["onnx"] <= 1e-4


def test_cli_train_then_export(fixture_dir: Path, npm_fixture: Path, private_cache: Path, tmp_path: Path):
    """The documented commands, on the fixture folder and a fixture npm package (nothing fetched, nothing
    written outside tmp_path): `train` then `export` (which also evaluates)."""
    pytest.importorskip("onnxruntime")
    from training import __main__ as cli
    cats = ["ant,The Eiffel Tower,smiley face"]
    common = ["--categories", *cats, "--name", "tiny", "--data-dir", str(fixture_dir)]
    cli.main(["train", *common, "--epochs", "1", "--samples-per-epoch", "256", "--stroke-aug", "2",
              "--threads", "1"])
    assert (private_cache / "runs" / "tiny" / "best.pt").exists()
    cli.main(["export", *common, "--out-dir", str(tmp_path / "models"),
              "--report-dir", str(tmp_path / "rep")])
    card = json.loads((tmp_path / "models" / "tiny.json").read_text())
    assert card["labels"] == FIXTURE_CATEGORIES and card["metrics"]["npm"]["count"] > 0
    assert (tmp_path / "rep" / "report.json").exists() and (tmp_path / "models" / "tiny.web.onnx").exists()
