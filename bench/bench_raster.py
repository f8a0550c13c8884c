"""Rasterizer benchmark and fidelity figures (doodle_raster/raster.py and web_client/src/raster.js).

    .venv/bin/python bench/bench_raster.py              # time per drawing, Python and Node
    .venv/bin/python bench/bench_raster.py --fidelity   # our rendering vs Google's numpy bitmaps

Timing sets are real Quick, Draw! raw drawings placed on the 800x600 canvas as game ops (strokes split
into `points` batches): "typical" (all), "20-stroke" (15+ strokes, or drawings merged up to 20),
"large" (several drawings merged into ~100 strokes / ~3,000 points, with eraser strokes).
Target: well under 1 ms in Python for a typical drawing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "raster"))

from raster_cases import data_dir, load_drawings, place, to_ops  # noqa: E402

import doodle_raster as R  # noqa: E402


def merged(recs: list[dict], strokes: int, rng: random.Random) -> list:
    """One Google-format drawing made of several drawings side by side, up to ``strokes`` strokes."""
    out: list = []
    while len(out) < strokes:
        rec = recs[rng.randrange(len(recs))]
        dx, dy = rng.uniform(0, 500), rng.uniform(0, 400)
        out += [[[x + dx for x in s[0]], [y + dy for y in s[1]]] for s in rec["drawing"]]
    return out[:strokes]


def timing_sets(rng: random.Random) -> dict[str, list[list[dict]]]:
    raw = load_drawings("strokes_raw", 6)
    typical = [to_ops(place(r["drawing"], rng), rng) for r in raw[:1500]]
    many = [r["drawing"] for r in raw if len(r["drawing"]) >= 15][:150]
    many += [merged(raw, 20, rng) for _ in range(150 - len(many))]
    twenty = [to_ops(place(d, rng), rng) for d in many]
    large = []
    for _ in range(60):
        ops = to_ops(place(merged(raw, 100, rng), rng), rng)
        path = [[rng.uniform(0, 800), rng.uniform(0, 600)] for _ in range(30)]
        for k in range(3):  # a few eraser strokes over the drawing
            ops.append({"type": "stroke", "id": 10_000 + k, "tool": "eraser", "width": 30, "points": path})
        large.append(ops)
    return {"typical": typical, "20-stroke": twenty, "large": large}


def describe(ops_list: list[list[dict]]) -> str:
    strokes = [len(R.visible_strokes(ops)) for ops in ops_list]
    points = [sum(len(s.points) for s in R.visible_strokes(ops)) for ops in ops_list]
    return (
        f"{len(ops_list)} drawings, median {statistics.median(strokes):.0f} strokes / "
        f"{statistics.median(points):.0f} points"
    )


def time_python(ops_list: list[list[dict]], repeats: int = 5) -> tuple[float, float, float]:
    """Per drawing the best of ``repeats`` runs (timeit-style, robust to a busy machine), in ms:
    (median, p99) over drawings, and the median of the per-drawing mean for comparison."""
    for ops in ops_list[:20]:
        R.rasterize_ops(ops)
    best, mean = [], []
    for ops in ops_list:
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            R.rasterize_ops(ops)
            runs.append(time.perf_counter() - t0)
        best.append(min(runs) * 1e3)
        mean.append(sum(runs) / repeats * 1e3)
    return float(np.median(best)), float(np.percentile(best, 99)), float(np.median(mean))


def time_python_many(ops_list: list[list[dict]], batch: int = 8, repeats: int = 5) -> float:
    """Median ms per drawing when ``batch`` drawings go through one ``rasterize_ops_many`` call (as the
    server's verifier does with a micro-batch), best of ``repeats`` per batch."""
    per = []
    for i in range(0, len(ops_list), batch):
        group = ops_list[i : i + batch]
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            R.rasterize_ops_many(group)
            runs.append(time.perf_counter() - t0)
        per.append(min(runs) * 1e3 / len(group))
    return float(np.median(per))


def time_node(ops_list: list[list[dict]], repeats: int = 20) -> tuple[float, float] | None:
    node = shutil.which("node")
    if node is None:
        return None
    stdin = "\n".join(json.dumps({"ops": ops}) for ops in ops_list) + "\n"
    cli = ROOT / "web_client" / "tools" / "raster-cli.mjs"
    cmd = [node, str(cli), "--bench", str(repeats)]
    out = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return res["median_ms"], res["p99_ms"]


def run_timing() -> None:
    rng = random.Random(7)
    sets = timing_sets(rng)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Rasterization ms per drawing (best of 5), single thread; {os.cpu_count()} CPUs, load {load}:")
    for name, ops_list in sets.items():
        py = time_python(ops_list)
        js = time_node(ops_list)
        js_txt = f"node median {js[0]:.3f} p99 {js[1]:.3f}" if js else "node: not installed"
        print(f"  {name:9s} ({describe(ops_list)}):")
        print(f"      python median {py[0]:.3f} p99 {py[1]:.3f} (median of means {py[2]:.3f}) | {js_txt}")
        print(f"      python, 8 drawings per call: median {time_python_many(ops_list):.3f} per drawing")
    t0 = time.perf_counter()
    recs = load_drawings("strokes", 25, every=4)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for r in recs:
        R.rasterize_google(r["drawing"])
    one_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    R.rasterize_google_many([r["drawing"] for r in recs])
    many_s = time.perf_counter() - t0
    print(f"  training throughput (Google simplified, incl. JSON): {len(recs) / (load_s + many_s):,.0f}"
          f" drawings/s in one call, {len(recs) / (load_s + one_s):,.0f} one drawing per call")


# ---- fidelity: our rendering vs Google's numpy bitmaps -------------------------------------------


def stats(images: np.ndarray) -> dict[str, float]:
    """Mean ink, ink pixels (>= 0.1) and ink bbox (larger side, px) over images in 0..1, (N, 28, 28)."""
    ink = images >= 0.1
    rows, cols = ink.any(axis=2), ink.any(axis=1)

    def extent(mask: np.ndarray) -> np.ndarray:
        first = mask.argmax(axis=1)
        last = mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1)
        return np.where(mask.any(axis=1), last - first + 1, 0)

    side = np.maximum(extent(rows), extent(cols))
    return {
        "mean_ink": float(images.mean()),
        "ink_px": float(ink.sum(axis=(1, 2)).mean()),
        "bbox": float(side.mean()),
    }


def corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def run_fidelity(min_bitmaps: int) -> None:
    root = data_dir()
    cats = [p.stem for p in sorted((root / "strokes").glob("*.ndjson"))]
    rows = []
    ours_mean, goog_mean, raw_mean, ceiling = {}, {}, {}, []
    rng = np.random.default_rng(0)
    for cat in cats:
        bm_path = root / "bitmap" / f"{cat}.npy"
        raw_path = root / "strokes_raw" / f"{cat}.ndjson"
        if not bm_path.exists() or not raw_path.exists():
            continue
        bm = np.load(bm_path, mmap_mode="r")
        if len(bm) < min_bitmaps:
            continue
        goog = np.asarray(bm[:3000], dtype=np.float32).reshape(-1, 28, 28) / 255.0
        simp = [json.loads(line)["drawing"] for line in (root / "strokes" / f"{cat}.ndjson").open()]
        raw = [json.loads(line)["drawing"] for line in raw_path.open()]
        ours = R.rasterize_google_many(simp)
        ours_raw = R.rasterize_google_many(raw)
        ours_mean[cat], goog_mean[cat], raw_mean[cat] = ours.mean(0), goog.mean(0), ours_raw.mean(0)
        # Noise ceiling: 25 random Google bitmaps against the mean of all of them.
        ceiling.append(corr(goog[rng.choice(len(goog), 25, replace=False)].mean(0), goog_mean[cat]))
        rows.append((cat, len(goog), stats(goog), stats(ours), stats(ours_raw)))
    print(f"{len(rows)} categories with >= {min_bitmaps} bitmaps (Google: up to 3,000 bitmaps each;")
    print("ours: the 25 simplified and ~30 raw drawings of that category through the full pipeline)\n")
    print("| figure | Google bitmaps | ours, simplified | ours, raw |")
    print("|---|---:|---:|---:|")
    figures = (("mean_ink", "mean ink (0..1)"), ("ink_px", "ink pixels (>= 0.1)"), ("bbox", "bbox side (px)"))
    for key, label in figures:
        g = np.mean([r[2][key] for r in rows])
        o = np.mean([r[3][key] for r in rows])
        w = np.mean([r[4][key] for r in rows])
        print(f"| {label} | {g:.3f} | {o:.3f} | {w:.3f} |")
    same = [corr(ours_mean[c], goog_mean[c]) for c in ours_mean]
    same_raw = [corr(raw_mean[c], goog_mean[c]) for c in raw_mean]
    keys = list(goog_mean)
    other = [corr(ours_mean[a], goog_mean[b]) for a in keys for b in keys if a != b]
    nearest = sum(max(keys, key=lambda b, a=a: corr(ours_mean[a], goog_mean[b])) == a for a in keys)
    nearest_raw = sum(max(keys, key=lambda b, a=a: corr(raw_mean[a], goog_mean[b])) == a for a in keys)
    print(
        f"\nmean-image correlation, same category: simplified {np.mean(same):.3f} (min {np.min(same):.3f}), "
        f"raw {np.mean(same_raw):.3f}; other categories {np.mean(other):.3f}; "
        f"noise ceiling (25 Google bitmaps vs all) {np.mean(ceiling):.3f}"
    )
    print(
        "Google mean image with the highest correlation is the same category: "
        f"simplified {nearest}/{len(keys)}, raw {nearest_raw}/{len(keys)}"
    )
    raw_vs_simplified(root)


def raw_vs_simplified(root: Path) -> None:
    """Same key_id in strokes_raw/ and strokes/: our pipeline on raw vs Google's simplification."""
    full, asis, n = [], [], 0
    for path in sorted((root / "strokes_raw").glob("*.ndjson")):
        simp_path = root / "strokes" / path.name
        if not simp_path.exists():
            continue
        simp = {}
        for line in simp_path.open():
            rec = json.loads(line)
            simp[rec["key_id"]] = rec["drawing"]
        for line in path.open():
            rec = json.loads(line)
            if rec["key_id"] not in simp:
                continue
            n += 1
            ours = R.rasterize_google(rec["drawing"])
            full.append(np.abs(ours - R.rasterize_google(simp[rec["key_id"]])).mean())
            asis.append(np.abs(ours - R.rasterize_google(simp[rec["key_id"]], normalize=False)).mean())
    print(f"\nraw -> our pipeline vs the same key_id's simplified strokes ({n} drawings), mean |pixel diff|:")
    pairs = (("simplified through the full pipeline", full), ("simplified drawn as is (Google)", asis))
    for name, vals in pairs:
        v = np.array(vals)
        print(f"  vs {name}: mean {v.mean():.4f}, median {np.median(v):.4f}, p95 {np.percentile(v, 95):.4f}")


def main() -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=fmt)
    parser.add_argument("--fidelity", action="store_true", help="compare with Google's numpy bitmaps")
    parser.add_argument("--min-bitmaps", type=int, default=500, help="categories with at least this many")
    args = parser.parse_args()
    if not (data_dir() / "strokes_raw").is_dir():
        sys.exit(f"no Quick, Draw! data under {data_dir()} (set DOODLEAI_DATA_DIR)")
    if args.fidelity:
        run_fidelity(args.min_bitmaps)
    else:
        run_timing()


if __name__ == "__main__":
    main()
