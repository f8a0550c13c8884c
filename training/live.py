"""Live recognition: does the AI name a drawing while it is being drawn, and how soon?

Held-out **raw** Quick, Draw! drawings (``strokes_raw``, the split the training never saw, decided by
``key_id`` like the rest of the data) are replayed stroke by stroke: after each stroke the prefix is
rasterized with the game's rasterizer and classified, as the drawer's browser does. A drawing counts as
recognized at the first stroke where the top-1 class is its word with probability >= ``threshold`` (the
game's claim threshold, 0.5); the last stroke is included. Reported per group of words: the share
recognized, and the share of strokes needed (median over the recognized drawings, and over all drawings
with unrecognized ones counted as never — ``None`` when fewer than half are recognized). numpy only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from doodle_raster import rasterize_google
from training.dataset import SPLITS, DataConfig, split_of
from training.sources import local

PredictFn = Callable[[np.ndarray], np.ndarray]  # uint8 (N, 28, 28) -> probabilities (N, C)


def held_out_raw(data_dir: Path, category: str, split: str = "test",
                 cfg: DataConfig | None = None) -> list[list]:
    """The raw drawings of ``category`` that fall in ``split`` (same hash split as training)."""
    cfg = cfg or DataConfig()
    path = local.find(data_dir, "strokes_raw", category)
    if path is None:
        return []
    want = SPLITS.index(split)
    out, seen = [], set()
    for rec in local.iter_ndjson(path):
        key = str(rec.get("key_id") or "")
        if key and key not in seen and split_of(key, cfg.val_pct, cfg.test_pct) == want:
            seen.add(key)
            out.append(rec["drawing"])
    return out


def replay(predict: PredictFn, drawing: list, label: int, threshold: float = 0.5) -> tuple[int, int]:
    """(strokes needed or 0 if never recognized, number of strokes)."""
    prefixes = np.stack([rasterize_google(drawing[:k]) for k in range(1, len(drawing) + 1)])
    probs = predict(np.clip(np.rint(prefixes * 255.0), 0, 255).astype(np.uint8))
    hit = (probs.argmax(1) == label) & (probs[:, label] >= threshold)
    first = int(np.argmax(hit)) + 1 if hit.any() else 0
    return first, len(drawing)


def summarize(results: Iterable[tuple[int, int]]) -> dict:
    """Share recognized and the share of strokes needed (see the module docstring)."""
    res = list(results)
    if not res:
        return {"count": 0}
    frac = np.array([k / n if k else np.inf for k, n in res])
    ok = np.isfinite(frac)
    median_all = float(np.median(frac))
    return {
        "count": len(res),
        "recognized": float(ok.mean()),
        "median_stroke_share_recognized": float(np.median(frac[ok])) if ok.any() else None,
        "median_stroke_share_all": median_all if np.isfinite(median_all) else None,  # None: "never"
        "recognized_by_60pct": float((frac <= 0.6).mean()),
    }


def live_recognition(predict: PredictFn, categories: list[str], data_dir: Path,
                     groups: dict[str, list[str]], split: str = "test", threshold: float = 0.5,
                     cfg: DataConfig | None = None) -> dict:
    """Replay every held-out raw drawing of ``categories``; a summary per group of words + per class."""
    per_class: dict[str, list[tuple[int, int]]] = {}
    for label, cat in enumerate(categories):
        drawings = held_out_raw(data_dir, cat, split, cfg)
        per_class[cat] = [replay(predict, d, label, threshold) for d in drawings]
    out: dict = {"split": split, "threshold": threshold, "source": "strokes_raw, replayed stroke by stroke"}
    for name, words in groups.items():
        out[name] = summarize(r for w in words for r in per_class.get(w, []))
    out["per_class"] = {c: summarize(r) for c, r in per_class.items() if r}
    return out
