"""Verifier mechanics on a tiny synthetic ONNX model: loading errors, micro-batching, isolation, close."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from verify_helpers import google_to_ops, make_linear_model

from doodle_raster import rasterize_ops, rasterize_ops_many
from game_server.config import Config
from game_server.metrics import Metrics
from game_server.verify import ModelUnavailable, Verifier, VerifierClosed

LABELS = ["a", "b", "c", "d", "e"]


@pytest.fixture
def linear(tmp_path):
    path = make_linear_model(tmp_path / "doodle.onnx", len(LABELS))
    (tmp_path / "doodle.json").write_text(json.dumps({"labels": LABELS, "game_words": LABELS}))
    return path


def direct(path, ops_list):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = np.stack([rasterize_ops(ops) for ops in ops_list])[:, None]
    return sess.run(None, {"x": x})[0]


def test_missing_model_is_a_clear_error(tmp_path):
    cfg = Config(models_dir=tmp_path, model_name="nothing")
    with pytest.raises(ModelUnavailable, match=r"not found at .*nothing\.onnx"):
        Verifier.from_config(cfg)


def test_bad_models_are_refused(tmp_path):
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelUnavailable, match="cannot load"):
        Verifier(tmp_path / "junk.onnx", LABELS)
    raw = make_linear_model(tmp_path / "raw.onnx", len(LABELS), softmax=False)
    with pytest.raises(ModelUnavailable, match="softmax"):
        Verifier(raw, LABELS)
    ok = make_linear_model(tmp_path / "ok.onnx", len(LABELS))
    with pytest.raises(ModelUnavailable, match="shape"):
        Verifier(ok, [*LABELS, "extra"])
    with pytest.raises(ModelUnavailable, match="no label list"):
        Verifier(ok)  # no card, no metadata


def test_labels_come_from_the_card(linear):
    v = Verifier.from_config(Config(models_dir=linear.parent, model_name="doodle"))
    try:
        assert v.labels == LABELS and v.card["game_words"] == LABELS
    finally:
        v.close()


async def test_concurrent_calls_share_runs_and_get_their_own_rows(linear, drawings):
    metrics = Metrics()
    v = Verifier(linear, max_batch=64, workers=1, metrics=metrics)  # window 0: same-tick calls share a run
    try:
        ops_list = [google_to_ops(d["drawing"]) for d in drawings[:64]]
        results = await asyncio.gather(*(v.classify(ops) for ops in ops_list))
        expected = direct(linear, ops_list)
        np.testing.assert_allclose(np.stack(results), expected, rtol=0, atol=1e-6)
        assert v.stats.requests == 64
        assert v.stats.batch_sizes == [64]
        assert v.stats.batched_items == 64
        assert v.info() == {"model": "doodle.onnx", "labels": 5, "requests": 64, "runs": 1,
                            "mean_batch": 64.0, "errors": 0}
        text = metrics.render()[0].decode()
        assert f"doodleai_verify_batch_size_count {float(v.stats.runs)}" in text
        assert "doodleai_verify_latency_seconds_count 64.0" in text
    finally:
        v.close()


async def test_idle_workers_share_the_queue(linear, drawings):
    v = Verifier(linear, max_batch=64, workers=2)
    try:
        ops_list = [google_to_ops(d["drawing"]) for d in drawings[:64]]
        results = await asyncio.gather(*(v.classify(ops) for ops in ops_list))
        assert v.stats.batch_sizes == [32, 32]
        np.testing.assert_allclose(np.stack(results), direct(linear, ops_list), atol=1e-6)
    finally:
        v.close()


async def test_calls_within_the_window_share_a_run(linear, drawings):
    v = Verifier(linear, window=0.2, max_batch=64, workers=1)
    try:
        ops_list = [google_to_ops(d["drawing"]) for d in drawings[:6]]
        tasks = []
        for ops in ops_list:  # arriving one by one, 5 ms apart, within a 200 ms window
            tasks.append(asyncio.ensure_future(v.classify(ops)))
            await asyncio.sleep(0.005)
        results = await asyncio.wait_for(asyncio.gather(*tasks), 10)
        assert v.stats.batch_sizes == [6]
        np.testing.assert_allclose(np.stack(results), direct(linear, ops_list), atol=1e-6)
    finally:
        v.close()


async def test_a_full_batch_goes_out_without_waiting_for_the_window(linear, drawings):
    v = Verifier(linear, window=30.0, max_batch=8, workers=1)  # a window nobody would wait for
    try:
        ops_list = [google_to_ops(d["drawing"]) for d in drawings[:16]]
        results = await asyncio.wait_for(asyncio.gather(*(v.classify(o) for o in ops_list)), 10)
        assert v.stats.runs == 2 and v.stats.max_batch_seen == 8
        np.testing.assert_allclose(np.stack(results), direct(linear, ops_list), atol=1e-6)
    finally:
        v.close()


async def test_calls_queue_while_the_worker_is_busy(linear, drawings):
    gate = threading.Event()
    calls = []

    def slow_raster(logs):  # the first batch holds the only worker until the test releases it
        calls.append(len(logs))
        if len(calls) == 1:
            gate.wait(10)
        return rasterize_ops_many(logs)

    v = Verifier(linear, window=0.0, max_batch=64, workers=1, rasterize=slow_raster)
    try:
        first = asyncio.ensure_future(v.classify(google_to_ops(drawings[0]["drawing"])))
        await asyncio.sleep(0.05)
        rest = [asyncio.ensure_future(v.classify(google_to_ops(d["drawing"]))) for d in drawings[1:11]]
        await asyncio.sleep(0.05)
        assert v.stats.runs == 1  # the 10 later calls wait while the worker is busy...
        gate.set()
        await asyncio.wait_for(asyncio.gather(first, *rest), 10)
        assert v.stats.batch_sizes == [1, 10]  # ...and then go out as one batch
        assert calls == [1, 10]  # rasterized in one call per batch
    finally:
        gate.set()
        v.close()


@pytest.mark.parametrize("fixed", [1, 4])
async def test_a_model_with_a_fixed_batch_size_still_serves_any_batch(tmp_path, drawings, fixed):
    path = make_linear_model(tmp_path / "fixed.onnx", len(LABELS), batch=fixed)
    dynamic = make_linear_model(tmp_path / "dynamic.onnx", len(LABELS))  # same seed, same weights
    v = Verifier(path, LABELS, workers=1)
    try:
        ops_list = [google_to_ops(d["drawing"]) for d in drawings[:7]]
        results = await asyncio.gather(*(v.classify(o) for o in ops_list))
        assert v.stats.batch_sizes == [7]
        np.testing.assert_allclose(np.stack(results), direct(dynamic, ops_list), atol=1e-6)
    finally:
        v.close()


async def test_a_bad_drawing_fails_only_its_caller(linear, drawings):
    v = Verifier(linear, window=0.005, workers=1)
    try:
        good = google_to_ops(drawings[0]["drawing"])
        bad = [{"type": "stroke", "id": 1, "tool": "pen", "width": 4, "points": "not points"}]
        calls = (v.classify(good), v.classify(bad), v.classify(good))
        res = await asyncio.gather(*calls, return_exceptions=True)
        assert isinstance(res[1], Exception)
        np.testing.assert_allclose(res[0], direct(linear, [good])[0], atol=1e-6)
        np.testing.assert_array_equal(res[0], res[2])
        assert v.stats.runs == 1
    finally:
        v.close()


async def test_a_cancelled_caller_does_not_disturb_the_others(linear, drawings):
    v = Verifier(linear, window=0.02)
    try:
        ops = google_to_ops(drawings[0]["drawing"])
        doomed = asyncio.ensure_future(v.classify(ops))
        keeper = asyncio.ensure_future(v.classify(ops))
        await asyncio.sleep(0)
        doomed.cancel()
        probs = await asyncio.wait_for(keeper, 10)
        assert probs.shape == (len(LABELS),)
        assert doomed.cancelled()
    finally:
        v.close()


async def test_classify_and_close(linear, drawings):
    v = Verifier(linear)
    ops = google_to_ops(drawings[0]["drawing"])
    probs = direct(linear, [ops])[0]
    assert np.allclose(await v.classify(ops), probs, atol=1e-6)
    v.close()
    with pytest.raises(VerifierClosed):
        await v.classify(ops)


def test_the_verifier_never_imports_torch():
    code = "import sys, game_server.verify, game_server.claims; sys.exit('torch' in sys.modules)"
    repo = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=repo).returncode == 0
