"""Temperature calibration on the validation split: make the AI's probabilities mean what they say.

The game claims a word when its probability reaches 0.5, so the probabilities must be calibrated, not
only ranked right. Training with label smoothing leaves the network under-confident (on validation its
probabilities are too flat: the NLL-optimal temperature is below 1), so it reaches 0.5 later than it
should. ``fit_temperature`` picks the temperature ``T`` that minimizes the validation negative
log-likelihood of ``softmax(logits / T)``; ``calibrated_checkpoint`` bakes it into the head
(weights and bias divided by ``T``), so the exported graphs need no extra op. Never fitted on test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _nll(log_p: np.ndarray, y: np.ndarray, t: float) -> float:
    z = log_p / t
    z = z - z.max(1, keepdims=True)
    lse = np.log(np.exp(z).sum(1))
    return float((lse - z[np.arange(len(y)), y]).mean())


def fit_temperature(probs: np.ndarray, y: np.ndarray, grid: np.ndarray | None = None) -> float:
    """NLL-optimal temperature for softmax probabilities (log-probabilities differ from logits by a
    per-row constant, so ``softmax(log p / T) == softmax(logits / T)``)."""
    log_p = np.log(np.maximum(probs.astype(np.float64), 1e-12))
    grid = np.round(np.arange(0.5, 1.51, 0.05), 2) if grid is None else grid
    return float(min(grid, key=lambda t: _nll(log_p, y, float(t))))


def calibrated_checkpoint(checkpoint: Path, data, out: Path | None = None) -> tuple[Path, float]:
    """Fit ``T`` on ``data``'s validation split; write a checkpoint with the head divided by ``T``."""
    import torch

    from training.train import load_model, predict

    model, ckpt = load_model(checkpoint)
    x, y = data.select("val")
    t = fit_temperature(predict(model, x), y.astype(np.int64))
    state = dict(ckpt["state_dict"])
    state["head.weight"] = state["head.weight"] / t
    state["head.bias"] = state["head.bias"] / t
    out = out or checkpoint.with_name(checkpoint.stem + ".calibrated.pt")
    torch.save({**{k: v for k, v in ckpt.items() if k not in ("optimizer", "scheduler", "generator")},
                "state_dict": state, "temperature": t}, out)
    return out, t
