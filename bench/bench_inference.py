"""onnxruntime inference of the shipped model: latency at batch 1 and throughput at batch 64 (CPU).

Usage: .venv/bin/python bench/bench_inference.py [models/doodle.onnx] [--threads 1] [--seconds 3]
Also times the batch-1 web copy (models/<name>.web.onnx) that the browser runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def timeit(fn, seconds: float) -> list[float]:
    for _ in range(5):
        fn()
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 20:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", nargs="?", default=str(ROOT / "models" / "doodle.onnx"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()

    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    opts.inter_op_num_threads = 1
    path = Path(args.model)
    rng = np.random.default_rng(0)
    x64 = (rng.random((64, 1, 28, 28)) < 0.15).astype(np.float32)
    print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB, onnxruntime {ort.__version__}, "
          f"{args.threads} thread(s)")
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    t1 = np.array(timeit(lambda: sess.run(None, {"input": x64[:1]}), args.seconds)) * 1000
    print(f"batch 1 latency: median {np.median(t1):.3f} ms, p90 {np.percentile(t1, 90):.3f} ms")
    t64 = np.array(timeit(lambda: sess.run(None, {"input": x64}), args.seconds))
    med = float(np.median(t64))
    print(f"batch 64 throughput: {64 / med:.0f} images/s ({med * 1000:.2f} ms per batch)")
    web = path.with_name(path.name.replace(".onnx", ".web.onnx"))
    if web.exists() and web != path:
        ws = ort.InferenceSession(str(web), opts, providers=["CPUExecutionProvider"])
        tw = np.array(timeit(lambda: ws.run(None, {"input": x64[:1]}), args.seconds)) * 1000
        print(f"{web.name} batch 1 latency: median {np.median(tw):.3f} ms")


if __name__ == "__main__":
    main()
