"""One visible training loop: prepared arrays -> DoodleNet checkpoint.

AdamW + one-cycle schedule, label smoothing, class-balanced sampling per epoch, image augmentation per
batch, a tqdm bar and one log line per epoch, ``last.pt`` / ``best.pt`` checkpoints that carry the model
config, the class list and the data config, early stopping on validation accuracy, ``--resume``.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from training.augment import batch_augment
from training.dataset import SOURCES, DataConfig, Prepared, prepare
from training.model import DoodleNet, ModelConfig, count_params


@dataclass
class TrainConfig:
    categories: list[str] = field(default_factory=list)
    out_dir: str = "runs/doodle"
    data_dir: str | None = None
    epochs: int = 14
    samples_per_epoch: int = 150_000
    batch_size: int = 256
    lr: float = 3e-3
    weight_decay: float = 5e-4
    label_smoothing: float = 0.1
    balance: float = 0.5  # sample weight = count(class) ** -balance: 0 = as stored, 1 = fully balanced
    augment: float = 1.0  # image augmentation strength (0 = off)
    patience: int = 4  # epochs without validation improvement before stopping
    seed: int = 0
    threads: int = 2
    workers: int = 1  # processes for data preparation
    max_minutes: float = 0.0  # >0: a time budget; the learning rate follows elapsed time, not steps
    init_from: str | None = None  # start from a checkpoint's weights (head rows matched by class name)
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)


def to_tensor(x: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(x).unsqueeze(1)  # uint8 [N, 1, 28, 28]; scaled per batch


def batches(x: torch.Tensor, y: torch.Tensor, size: int):
    for i in range(0, len(x), size):
        yield x[i : i + size].float().div_(255.0), y[i : i + size]


@torch.no_grad()
def predict(model: torch.nn.Module, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """Softmax probabilities for uint8 images (N, 28, 28)."""
    model.eval()
    xt = to_tensor(x)
    out = [F.softmax(model(xb.contiguous(memory_format=torch.channels_last)), 1)
           for xb, _ in batches(xt, torch.zeros(len(xt)), batch_size)]
    return torch.cat(out).numpy() if out else np.zeros((0, model.cfg.num_classes), np.float32)


def evaluate_split(model: torch.nn.Module, data: Prepared, split: str) -> dict[str, float]:
    """Top-1 on a split overall, on real drawings (bitmaps + clean strokes) and on npm."""
    res: dict[str, float] = {}
    for name, srcs in (("all", None), ("real", ("bitmap", "strokes")), ("npm", ("npm",))):
        x, y = data.select(split, srcs)
        if len(x):
            p = predict(model, x)
            # Mean of per-class recall: big classes must not hide the thin ones.
            hit = p.argmax(1) == y
            res[name] = float(np.mean([hit[y == c].mean() for c in np.unique(y)]))
    return res


def save(path: Path, model: DoodleNet, cfg: TrainConfig, extra: dict) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model_config": model.cfg.to_dict(), "categories": cfg.categories,
                "state_dict": model.state_dict(), "train_config": asdict(cfg), **extra}, tmp)
    tmp.replace(path)


def load_model(path: str | Path) -> tuple[DoodleNet, dict]:
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    model = DoodleNet(ModelConfig.from_dict(ckpt["model_config"]))
    model.load_state_dict(ckpt["state_dict"])
    model.eval()
    return model, ckpt


def lr_at(frac: float, base: float, warmup: float = 0.05) -> float:
    """Linear warm-up then cosine decay, as a function of the fraction of the run already done."""
    if frac < warmup:
        return base * (0.1 + 0.9 * frac / warmup)
    f = min(1.0, (frac - warmup) / (1 - warmup))
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * f)))


def init_weights(model: DoodleNet, path: str, categories: list[str]) -> None:
    """Copy a checkpoint's weights; the head keeps the rows of classes both models know."""
    src = torch.load(path, map_location="cpu", weights_only=False)
    state = src["state_dict"]
    own = model.state_dict()
    rows = {c: i for i, c in enumerate(src["categories"])}
    for k, v in state.items():
        if k.startswith("head.") and k in own:
            for j, c in enumerate(categories):
                if c in rows:
                    own[k][j] = v[rows[c]]
        elif k in own and own[k].shape == v.shape:
            own[k] = v
    model.load_state_dict(own)
    print(f"initialized from {path} ({sum(c in rows for c in categories)}/{len(categories)} head rows)")


def train(cfg: TrainConfig, resume: bool = False, data: Prepared | None = None) -> Path:
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = data or prepare(cfg.categories, cfg.data_dir, cfg.data, workers=cfg.workers)
    cfg.model.num_classes = len(cfg.categories)
    xtr, ytr = data.select("train")
    counts = np.bincount(ytr, minlength=len(cfg.categories)).astype(np.float64)
    weights = torch.from_numpy((np.maximum(counts, 1) ** -cfg.balance)[ytr])
    xtr_t, ytr_t = to_tensor(xtr), torch.from_numpy(ytr.astype(np.int64))
    split_counts = {s: int((data.split == i).sum()) for i, s in enumerate(("train", "val", "test"))}
    src_counts = {s: int(((data.source == i) & (data.split == 0)).sum()) for i, s in enumerate(SOURCES)}
    print(f"data: {split_counts}  train sources: {src_counts}  classes: {len(cfg.categories)}")

    # channels_last makes oneDNN's CPU convolutions ~1.3x faster on these small images.
    model = DoodleNet(cfg.model).to(memory_format=torch.channels_last)
    if cfg.init_from and cfg.init_from.endswith(".onnx"):  # a shipped model, possibly narrower
        from training.grow import init_from_onnx

        sample = np.random.default_rng(cfg.seed).permutation(len(xtr))[:2048]
        init_from_onnx(model, cfg.init_from, cfg.categories, xtr[np.sort(sample)])
    elif cfg.init_from:
        init_weights(model, cfg.init_from, cfg.categories)
    print(f"model: {count_params(model):,} parameters")
    steps = math.ceil(cfg.samples_per_epoch / cfg.batch_size)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.lr, total_steps=cfg.epochs * steps,
                                                pct_start=0.15)
    gen = torch.Generator().manual_seed(cfg.seed)
    start, best, history, stale, spent = 0, -1.0, [], 0, 0.0
    budget = cfg.max_minutes * 60.0
    if resume and (out / "last.pt").exists():
        ckpt = torch.load(out / "last.pt", map_location="cpu", weights_only=False)
        model.load_state_dict(ckpt["state_dict"])
        opt.load_state_dict(ckpt["optimizer"])
        if ckpt["scheduler"].get("total_steps") == cfg.epochs * steps:
            sched.load_state_dict(ckpt["scheduler"])
        else:  # more (or fewer) epochs than before: the same one-cycle shape stretched over the new total
            sched = torch.optim.lr_scheduler.OneCycleLR(
                opt, max_lr=cfg.lr, total_steps=cfg.epochs * steps, pct_start=0.15,
                last_epoch=min(ckpt["scheduler"]["last_epoch"], cfg.epochs * steps) - 1)
        gen.set_state(ckpt["generator"])
        start, best, history, stale = ckpt["epoch"] + 1, ckpt["best"], ckpt["history"], ckpt["stale"]
        spent = ckpt.get("spent", 0.0)
        print(f"resumed from epoch {start}")
    t_start = time.time() - spent
    out_of_time = False
    for epoch in range(start, cfg.epochs):
        model.train()
        idx = torch.multinomial(weights, steps * cfg.batch_size, replacement=True, generator=gen)
        t0, seen, loss_sum, correct = time.time(), 0, 0.0, 0
        bar = tqdm(range(steps), desc=f"epoch {epoch + 1}/{cfg.epochs}", leave=False)
        for step in bar:
            b = idx[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            xb, yb = xtr_t[b].float().div_(255.0), ytr_t[b]
            if cfg.augment > 0:
                xb = batch_augment(xb, gen, cfg.augment)
            xb = xb.contiguous(memory_format=torch.channels_last)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            seen += len(yb)
            loss_sum += loss.item() * len(yb)
            correct += int((logits.argmax(1) == yb).sum())
            if budget:
                frac = (time.time() - t_start) / budget
                for g in opt.param_groups:
                    g["lr"] = lr_at(frac, cfg.lr)
                if frac >= 1.0:
                    out_of_time = True
                    break
            else:
                sched.step()
            if step % 20 == 0:
                bar.set_postfix(loss=f"{loss_sum / seen:.3f}", img_s=f"{seen / (time.time() - t0):.0f}")
        val = evaluate_split(model, data, "val")
        rec = {"epoch": epoch + 1, "loss": loss_sum / seen, "train_acc": correct / seen,
               "val": val, "img_s": seen / (time.time() - t0), "lr": opt.param_groups[0]["lr"],
               "minutes": (time.time() - t_start) / 60}
        history.append(rec)
        score = val.get("all", 0.0)
        improved = score > best
        if improved:
            best, stale = score, 0
        else:
            stale += 1
        print(f"epoch {epoch + 1:3d} loss {rec['loss']:.3f} train {rec['train_acc']:.3f} "
              f"val {' '.join(f'{k} {v:.3f}' for k, v in val.items())} "
              f"{rec['img_s']:.0f} img/s{' *' if improved else ''}", flush=True)
        extra = {"epoch": epoch, "best": best, "history": history, "stale": stale, "data_info": data.info,
                 "spent": time.time() - t_start}
        if improved:
            save(out / "best.pt", model, cfg, extra)
        save(out / "last.pt", model, cfg, {**extra, "optimizer": opt.state_dict(),
                                            "scheduler": sched.state_dict(), "generator": gen.get_state()})
        if stale >= cfg.patience:
            print(f"early stop: no validation gain for {stale} epochs")
            break
        if out_of_time:
            print(f"time budget of {cfg.max_minutes} min reached")
            break
    (out / "history.json").write_text(json.dumps(history, indent=1))
    return out / "best.pt"
