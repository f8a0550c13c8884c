"""Benchmark: server-side claim verification throughput and latency at 1, 8 and 64 concurrent claims.

Each of C concurrent "claimers" verifies real Quick, Draw! drawings (Google simplified strokes turned into
drawing-log ops in canvas space, streamed in 8-point chunks like a browser sends them) back to back for a
fixed time, through `Verifier.verify` (rasterize the server's copy + onnxruntime + judge), with the
micro-batching the server uses. Prints claims/s, p50/p99 latency, the mean batch size and claims per
CPU-second of the whole process (what one core would do on its own; robust when the machine is shared)
per level.

    .venv/bin/python bench/bench_verify.py                      # models/doodle.onnx, 1/8/64, 3 s each
    .venv/bin/python bench/bench_verify.py --unbatched          # also max_batch=1 for comparison
    .venv/bin/python bench/bench_verify.py --model other.onnx --levels 1,16 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from doodle_raster import rasterize_ops  # noqa: E402
from game_server.claims import Claim  # noqa: E402
from game_server.verify import DEFAULT_MAX_BATCH, DEFAULT_WINDOW, Verifier  # noqa: E402
from training.paths import default_data_dir  # noqa: E402


def google_to_ops(drawing: list, chunk: int = 8, width: float = 6.0) -> list[dict]:
    """Google simplified strokes (0..255) -> drawing-log ops in the 800x600 canvas, 8 points per op."""
    ops: list[dict] = []
    for n, stroke in enumerate(drawing, start=1):
        pts = [[144 + 2 * x, 44 + 2 * y] for x, y in zip(stroke[0], stroke[1], strict=True)]
        ops.append({"type": "stroke", "id": n, "tool": "pen", "color": "#000000", "width": width,
                    "points": pts[:chunk]})
        for i in range(chunk, len(pts), chunk):
            ops.append({"type": "points", "id": n, "points": pts[i : i + chunk]})
    return ops


def load_drawings(labels: list[str], limit: int, seed: int) -> list[tuple[str, list[dict]]]:
    """Drawings of the model's labels from the shared strokes folder (else the test fixture)."""
    folder = default_data_dir() / "strokes"
    rows: list[dict] = []
    if folder.is_dir():
        for label in labels:
            path = folder / (label.lower().replace(" ", "_").replace("-", "_") + ".ndjson")
            if path.exists():
                rows.extend(json.loads(line) for line in path.read_text().splitlines()[:20] if line.strip())
    source = str(folder)
    if not rows:
        fixture = REPO / "tests" / "fixtures" / "verify_drawings.ndjson"
        rows = [json.loads(line) for line in fixture.read_text().splitlines() if line.strip()]
        source = str(fixture)
    random.Random(seed).shuffle(rows)
    rows = rows[:limit]
    print(f"drawings: {len(rows)} from {source}")
    return [(r["word"], google_to_ops(r["drawing"])) for r in rows]


async def run_level(
    verifier: Verifier, drawings: list[tuple[str, list[dict]]], concurrency: int, seconds: float
) -> dict:
    latencies: list[float] = []
    start_runs, start_items = verifier.stats.runs, verifier.stats.batched_items
    cpu0 = time.process_time()  # all threads of this process: event loop, pool, onnxruntime
    deadline = time.perf_counter() + seconds

    async def claimer(k: int) -> None:
        i = k
        while time.perf_counter() < deadline:
            word, ops = drawings[i % len(drawings)]
            claim = Claim(turn="g1-r1-t1", stroke_count=len(ops), guesses=((word, 0.9),))
            t0 = time.perf_counter()
            await verifier.verify(claim, ops, word)
            latencies.append(time.perf_counter() - t0)
            i += concurrency

    t0 = time.perf_counter()
    await asyncio.gather(*(claimer(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    runs = verifier.stats.runs - start_runs
    lat = np.array(latencies) * 1e3
    return {
        "concurrency": concurrency,
        "claims": len(latencies),
        "claims_per_s": len(latencies) / elapsed,
        "claims_per_cpu_s": len(latencies) / cpu,  # per core, had the process a core to itself
        "p50_ms": float(np.percentile(lat, 50)),
        "p99_ms": float(np.percentile(lat, 99)),
        "mean_batch": (verifier.stats.batched_items - start_items) / max(1, runs),
    }


def components(verifier: Verifier, drawings: list[tuple[str, list[dict]]]) -> None:
    """Where the time goes: rasterizing one drawing, one model run at batch 1 and at batch 64."""
    ops = [o for _, o in drawings[:64]]
    t0 = time.perf_counter()
    images = [rasterize_ops(o) for o in ops]
    raster_ms = (time.perf_counter() - t0) * 1e3 / len(ops)
    batch = np.stack(images)[:, None]
    for size in (1, len(batch)):
        verifier._run(batch[:size])  # warm up
        t0 = time.perf_counter()
        reps = 20 if size == 1 else 5
        for _ in range(reps):
            verifier._run(batch[:size])
        per = (time.perf_counter() - t0) * 1e3 / reps
        print(f"model run, batch {size:>2}: {per:7.2f} ms ({per / size:.3f} ms per drawing)")
    mean_ops = np.mean([len(o) for o in ops])
    print(f"rasterize one drawing: {raster_ms:.3f} ms (mean over {len(ops)} drawings of {mean_ops:.0f} ops)")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=REPO / "models" / "doodle.onnx")
    parser.add_argument("--levels", default="1,8,64", help="comma-separated concurrency levels")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per level")
    parser.add_argument("--window", type=float, default=DEFAULT_WINDOW, help="batching window, seconds")
    parser.add_argument("--max-batch", type=int, default=DEFAULT_MAX_BATCH)
    parser.add_argument("--workers", type=int, default=None, help="pool threads (default: the server's)")
    parser.add_argument("--intra-op", type=int, default=None, help="onnxruntime intra-op threads")
    parser.add_argument("--unbatched", action="store_true", help="also run every level with max_batch=1")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    levels = [int(x) for x in args.levels.split(",")]
    configs = [("batched", args.max_batch)] + ([("unbatched", 1)] if args.unbatched else [])
    print(f"cpu cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, model: {args.model}")
    for name, max_batch in configs:
        verifier = Verifier(args.model, window=args.window, max_batch=max_batch, workers=args.workers,
                            intra_op_threads=args.intra_op)
        try:
            drawings = load_drawings(verifier.labels, 400, args.seed)
            if name == "batched":
                components(verifier, drawings)
            threads = verifier.session.get_session_options().intra_op_num_threads
            print(f"\n{name}: window {args.window * 1e3:.1f} ms, max batch {max_batch},"
                  f" workers {verifier.workers}, intra-op threads {threads}")
            print(f"{'concurrent':>10} {'claims':>7} {'claims/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
                  f" {'batch':>6} {'claims/cpu-s':>12}")
            await run_level(verifier, drawings, 1, 0.3)  # warm-up
            for level in levels:
                r = await run_level(verifier, drawings, level, args.seconds)
                print(f"{r['concurrency']:>10} {r['claims']:>7} {r['claims_per_s']:>9.1f} {r['p50_ms']:>8.2f}"
                      f" {r['p99_ms']:>8.2f} {r['mean_batch']:>6.1f} {r['claims_per_cpu_s']:>12.1f}")
        finally:
            verifier.close()


if __name__ == "__main__":
    asyncio.run(main())
